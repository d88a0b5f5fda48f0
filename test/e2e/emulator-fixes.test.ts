import {
  CreateDBInstanceCommand,
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RestoreDBInstanceToPointInTimeCommand,
  StartDBInstanceAutomatedBackupsReplicationCommand,
  StopDBInstanceAutomatedBackupsReplicationCommand,
} from "@aws-sdk/client-rds";
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand, PutObjectRetentionCommand } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import * as fs from "fs";
import * as https from "https";
import { EMULATOR_ACCOUNT_ID } from "../../lib/targets/emulator-target";
import { awsClients, EMULATOR_CREDENTIALS, outcome } from "../support/aws";
import { useEmulator } from "../support/emulator";

/**
 * The emulator the tests and the sandbox start (lib/tooling/emulator.ts) corrects moto 5.2.1 where
 * it contradicts AWS in a way the AWS provider trips over (MOTO_FIXES). Each correction is shown
 * here against moto_server itself.
 */
jest.setTimeout(60_000);

const emulator = useEmulator({ firstPort: 6060 });

it("gives every DB instance its own DbiResourceId (a restore beside its source included) and keeps it across a rename", async () => {
  const { rds } = awsClients(emulator.current(), "us-east-1");
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: "first",
      Engine: "postgres",
      DBInstanceClass: "db.t4g.micro",
      AllocatedStorage: 20,
      MasterUsername: "admin1",
      ManageMasterUserPassword: true,
    }),
  );
  await rds.send(
    new RestoreDBInstanceToPointInTimeCommand({ SourceDBInstanceIdentifier: "first", TargetDBInstanceIdentifier: "second", UseLatestRestorableTime: true }),
  );
  const ids = async () =>
    Object.fromEntries(((await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).map((d) => [d.DBInstanceIdentifier!, d.DbiResourceId!]));
  const before = await ids();
  expect(Object.keys(before).sort()).toEqual(["first", "second"]);
  expect(before.first).toMatch(/^db-[A-Z0-9]{26}$/);
  expect(before.second).toMatch(/^db-[A-Z0-9]{26}$/);
  expect(before.first).not.toBe(before.second);

  await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "second", NewDBInstanceIdentifier: "renamed", ApplyImmediately: true }));
  expect(await ids()).toEqual({ first: before.first, renamed: before.second });
});

it("records an RDS backup replication in the destination region, following the instance it was started for, until it is stopped", async () => {
  const source = awsClients(emulator.current(), "us-east-1").rds;
  const destination = awsClients(emulator.current(), "us-east-2").rds;
  const created = await source.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: "replicated",
      Engine: "postgres",
      DBInstanceClass: "db.t4g.micro",
      AllocatedStorage: 20,
      MasterUsername: "admin1",
      ManageMasterUserPassword: true,
    }),
  );
  const sourceArn = created.DBInstance!.DBInstanceArn!;
  const keyId = "arn:aws:kms:us-east-2:000000000042:key/replica";
  const started = await destination.send(
    new StartDBInstanceAutomatedBackupsReplicationCommand({ SourceDBInstanceArn: sourceArn, KmsKeyId: keyId, BackupRetentionPeriod: 14 }),
  );
  const arn = started.DBInstanceAutomatedBackup!.DBInstanceAutomatedBackupsArn!;
  expect(arn).toMatch(/^arn:aws:rds:us-east-2:\d{12}:auto-backup:ab-[a-z0-9]{26}$/);

  // As the AWS provider reads it back, by its ARN.
  const [read] = (await destination.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceAutomatedBackupsArn: arn }))).DBInstanceAutomatedBackups!;
  expect({
    arn: read.DBInstanceAutomatedBackupsArn,
    source: read.DBInstanceArn,
    identifier: read.DBInstanceIdentifier,
    resourceId: read.DbiResourceId,
    region: read.Region,
    status: read.Status,
    key: read.KmsKeyId,
    retention: read.BackupRetentionPeriod,
    window: read.RestoreWindow,
  }).toEqual({
    arn,
    source: sourceArn,
    identifier: "replicated",
    resourceId: created.DBInstance!.DbiResourceId,
    region: "us-east-1",
    status: "replicating",
    key: keyId,
    retention: 14,
    window: undefined,
  });
  // As the probes read it: by the source's identifier, in the destination region only.
  const listed = await destination.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: "replicated" }));
  expect(listed.DBInstanceAutomatedBackups!.map((b) => b.DBInstanceAutomatedBackupsArn)).toEqual([arn]);
  const elsewhere = await source.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: "replicated" }));
  expect(elsewhere.DBInstanceAutomatedBackups!.map((b) => b.DBInstanceAutomatedBackupsArn)).not.toContain(arn);

  const stopped = await destination.send(new StopDBInstanceAutomatedBackupsReplicationCommand({ SourceDBInstanceArn: sourceArn }));
  expect(stopped.DBInstanceAutomatedBackup!.Status).toBe("retained");
  await expect(destination.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceAutomatedBackupsArn: arn }))).rejects.toMatchObject({
    name: "DBInstanceAutomatedBackupNotFoundFault",
  });
  await expect(destination.send(new StopDBInstanceAutomatedBackupsReplicationCommand({ SourceDBInstanceArn: sourceArn }))).rejects.toMatchObject({
    name: "InvalidDBInstanceStateFault",
  });
  await expect(
    destination.send(new StartDBInstanceAutomatedBackupsReplicationCommand({ SourceDBInstanceArn: sourceArn.replace(":db:replicated", ":db:absent") })),
  ).rejects.toMatchObject({ name: "DBInstanceNotFoundFault" });
});

it("lets credentials from AssumeRole act in the role's account, and every other in the emulator's", async () => {
  const current = emulator.current();
  const stsWith = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new STSClient({
      endpoint: current.endpoint,
      region: "us-west-2",
      credentials,
      requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: fs.readFileSync(current.caFile) }) }),
    });
  const sts = stsWith(EMULATOR_CREDENTIALS);
  expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(EMULATOR_ACCOUNT_ID);
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::210987654321:role/vault", RoleSessionName: "fixes" }));
  const assumed = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
  const asRole = stsWith(assumed);
  expect((await asRole.send(new GetCallerIdentityCommand({}))).Account).toBe("210987654321");
  // The role's buckets are the role's account's: the emulator's account does not list them.
  await awsClients(current, "us-west-2", assumed).s3.send(
    new CreateBucketCommand({ Bucket: "fixes-vault", CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }),
  );
  const listed = async (credentials = EMULATOR_CREDENTIALS) =>
    ((await awsClients(current, "us-west-2", credentials).s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);
  expect(await listed(assumed)).toEqual(["fixes-vault"]);
  expect(await listed()).not.toContain("fixes-vault");
});

it("keeps a COMPLIANCE lock: its mode cannot change and its retention cannot shorten, but may lengthen", async () => {
  const { s3 } = awsClients(emulator.current(), "us-east-1");
  await s3.send(new CreateBucketCommand({ Bucket: "fixes-locked", ObjectLockEnabledForBucket: true }));
  const until = new Date(Date.now() + 10 * 86_400_000);
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: "fixes-locked",
      Key: "copy",
      Body: "x",
      ObjectLockMode: "COMPLIANCE",
      ObjectLockRetainUntilDate: until,
      ChecksumAlgorithm: "SHA256",
    }),
  );
  const retention = (Mode: "COMPLIANCE" | "GOVERNANCE", days: number) =>
    outcome(() =>
      s3.send(
        new PutObjectRetentionCommand({
          Bucket: "fixes-locked",
          Key: "copy",
          VersionId: put.VersionId,
          Retention: { Mode, RetainUntilDate: new Date(Date.now() + days * 86_400_000) },
          BypassGovernanceRetention: true,
        }),
      ),
    );
  expect({ shorter: await retention("COMPLIANCE", 1), governance: await retention("GOVERNANCE", 20), longer: await retention("COMPLIANCE", 20) }).toEqual({
    shorter: "AccessDenied",
    governance: "AccessDenied",
    longer: "ok",
  });
});
