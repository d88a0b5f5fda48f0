import { CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import { CreateAliasCommand, CreateKeyCommand } from "@aws-sdk/client-kms";
import {
  CreateDBInstanceCommand,
  CreateDBInstanceReadReplicaCommand,
  CreateDBSubnetGroupCommand,
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  PromoteReadReplicaCommand,
  RestoreDBInstanceToPointInTimeCommand,
  StartDBInstanceAutomatedBackupsReplicationCommand,
  StopDBInstanceAutomatedBackupsReplicationCommand,
} from "@aws-sdk/client-rds";
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand, PutObjectRetentionCommand } from "@aws-sdk/client-s3";
import { CreateSecretCommand, DescribeSecretCommand, ReplicateSecretToRegionsCommand } from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { execFile } from "child_process";
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

/**
 * AWS Backup through the AWS CLI (the project has no Backup SDK client): what the command prints,
 * parsed, or an error named after the code AWS (the emulator) answered with.
 */
function backup(...args: string[]): Promise<any> {
  const current = emulator.current();
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_")));
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CA_BUNDLE: current.caFile,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  });
  const cli = ["backup", ...args, "--endpoint-url", current.endpoint, "--output", "json", "--cli-read-timeout", "10"];
  return new Promise((resolve, reject) =>
    execFile("aws", cli, { env, timeout: 30_000 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout.trim() ? JSON.parse(stdout) : {});
      const answer = /An error occurred \(([^)]+)\) when calling the \w+ operation(?: \([^)]*\))?: (.*)/s.exec(stderr);
      reject(Object.assign(new Error(answer ? answer[2].trim() : stderr || error.message), { name: answer ? answer[1] : "CliFailed" }));
    }),
  );
}

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

it("makes a cross-Region read replica in its own region's subnet group, on its key's ARN, with a resource id of its own, and promotes it to standalone", async () => {
  const source = awsClients(emulator.current(), "eu-west-1");
  const replicaSide = awsClients(emulator.current(), "eu-west-2");
  await source.rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: "writer",
      Engine: "postgres",
      DBInstanceClass: "db.t4g.micro",
      AllocatedStorage: 20,
      MasterUsername: "admin1",
      ManageMasterUserPassword: true,
    }),
  );
  // A subnet group that exists in the replica's region only, as a warm standby's does.
  const { Vpc } = await replicaSide.ec2.send(new CreateVpcCommand({ CidrBlock: "10.90.0.0/16" }));
  const subnets = await Promise.all(
    ["a", "b"].map(
      async (zone, i) =>
        (await replicaSide.ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: `10.90.${i}.0/24`, AvailabilityZone: `eu-west-2${zone}` }))).Subnet!
          .SubnetId!,
    ),
  );
  await replicaSide.rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: "standby-only", DBSubnetGroupDescription: "standby", SubnetIds: subnets }));
  const { KeyMetadata } = await replicaSide.kms.send(new CreateKeyCommand({}));
  await replicaSide.kms.send(new CreateAliasCommand({ AliasName: "alias/standby-data", TargetKeyId: KeyMetadata!.KeyId }));
  const writerArn = `arn:aws:rds:eu-west-1:${EMULATOR_ACCOUNT_ID}:db:writer`;
  await replicaSide.rds.send(
    new CreateDBInstanceReadReplicaCommand({
      DBInstanceIdentifier: "standby",
      SourceDBInstanceIdentifier: writerArn,
      DBSubnetGroupName: "standby-only",
      KmsKeyId: "alias/standby-data",
    }),
  );
  const read = async (aws: typeof source, id: string) => (await aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0];
  const [writer, standby] = [await read(source, "writer"), await read(replicaSide, "standby")];
  expect({
    subnetGroup: standby.DBSubnetGroup?.DBSubnetGroupName,
    key: standby.KmsKeyId,
    source: standby.ReadReplicaSourceDBInstanceIdentifier,
    replicas: writer.ReadReplicaDBInstanceIdentifiers,
    ownResourceId: standby.DbiResourceId !== writer.DbiResourceId,
  }).toEqual({
    subnetGroup: "standby-only",
    key: KeyMetadata!.Arn,
    source: writerArn,
    replicas: [`arn:aws:rds:eu-west-2:${EMULATOR_ACCOUNT_ID}:db:standby`],
    ownResourceId: true,
  });

  await replicaSide.rds.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: "standby" }));
  expect([(await read(replicaSide, "standby")).ReadReplicaSourceDBInstanceIdentifier, (await read(source, "writer")).ReadReplicaDBInstanceIdentifiers]).toEqual(
    [undefined, []],
  );
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

it("reports the KMS key each replica of a secret was given, the default key where none was", async () => {
  const secrets = awsClients(emulator.current(), "us-east-1").secrets;
  const key = "arn:aws:kms:us-east-2:000000000042:key/replica-key";
  await secrets.send(new CreateSecretCommand({ Name: "replicated", AddReplicaRegions: [{ Region: "us-east-2", KmsKeyId: key }] }));
  await secrets.send(new ReplicateSecretToRegionsCommand({ SecretId: "replicated", AddReplicaRegions: [{ Region: "us-west-2" }] }));
  const { ReplicationStatus } = await secrets.send(new DescribeSecretCommand({ SecretId: "replicated" }));
  expect(ReplicationStatus!.map((r) => [r.Region, r.KmsKeyId])).toEqual([
    ["us-east-2", key],
    ["us-west-2", "alias/aws/secretsmanager"],
  ]);
});

it("keeps a backup vault's access policy as sent, reads its lock back, and a deleted vault takes its policy and tags with it", async () => {
  await backup("create-backup-vault", "--backup-vault-name", "fixes-vault", "--backup-vault-tags", "Project=acme");
  // Not the provider's normalized form: the policy comes back exactly as it was put.
  const policy =
    '{"Version": "2012-10-17",  "Statement": [{"Sid": "deny-delete", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "backup:DeleteRecoveryPoint", "Resource": "*"}]}';
  await backup("put-backup-vault-access-policy", "--backup-vault-name", "fixes-vault", "--policy", policy);
  expect(await backup("get-backup-vault-access-policy", "--backup-vault-name", "fixes-vault")).toEqual({
    BackupVaultName: "fixes-vault",
    BackupVaultArn: `arn:aws:backup:us-east-1:${EMULATOR_ACCOUNT_ID}:backup-vault:fixes-vault`,
    Policy: policy,
  });
  await expect(backup("put-backup-vault-access-policy", "--backup-vault-name", "fixes-vault", "--policy", "Deny everyone")).rejects.toMatchObject({
    name: "InvalidParameterValueException",
  });
  await backup("delete-backup-vault-access-policy", "--backup-vault-name", "fixes-vault");
  await expect(backup("get-backup-vault-access-policy", "--backup-vault-name", "fixes-vault")).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  await expect(backup("get-backup-vault-access-policy", "--backup-vault-name", "absent")).rejects.toMatchObject({ name: "ResourceNotFoundException" });

  // What aws_backup_vault_lock_configuration reads back.
  await backup(
    "put-backup-vault-lock-configuration",
    "--backup-vault-name",
    "fixes-vault",
    "--min-retention-days",
    "7",
    "--max-retention-days",
    "35",
    "--changeable-for-days",
    "3",
  );
  const described = await backup("describe-backup-vault", "--backup-vault-name", "fixes-vault");
  expect(described).toMatchObject({ Locked: true, MinRetentionDays: 7, MaxRetentionDays: 35 });
  expect(described.LockDate - described.CreationDate).toBeGreaterThan(3 * 86_400 - 60);

  await backup("put-backup-vault-access-policy", "--backup-vault-name", "fixes-vault", "--policy", policy);
  await backup("delete-backup-vault-lock-configuration", "--backup-vault-name", "fixes-vault");
  await backup("delete-backup-vault", "--backup-vault-name", "fixes-vault");
  const again = await backup("create-backup-vault", "--backup-vault-name", "fixes-vault");
  await expect(backup("get-backup-vault-access-policy", "--backup-vault-name", "fixes-vault")).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  expect(await backup("list-tags", "--resource-arn", again.BackupVaultArn)).toEqual({ Tags: {} });
}, 180_000);

it("updates a backup plan in a new version, keeps its selections as AWS reads them back, and refuses to delete it while it has any", async () => {
  // A rule as the provider sends it for aws_backup_plan.
  const rule = (deleteAfterDays: number) => ({
    RuleName: "daily",
    TargetBackupVaultName: "fixes-plans",
    ScheduleExpression: "cron(0 5 ? * * *)",
    ScheduleExpressionTimezone: "Etc/UTC",
    StartWindowMinutes: 60,
    CompletionWindowMinutes: 180,
    EnableContinuousBackup: false,
    Lifecycle: { DeleteAfterDays: deleteAfterDays },
    CopyActions: [{ DestinationBackupVaultArn: "arn:aws:backup:us-west-2:210987654321:backup-vault:x", Lifecycle: { DeleteAfterDays: 35 } }],
  });
  const document = (deleteAfterDays: number) => JSON.stringify({ BackupPlanName: "fixes-plan", Rules: [rule(deleteAfterDays)] });
  await backup("create-backup-vault", "--backup-vault-name", "fixes-plans");
  const created = await backup("create-backup-plan", "--backup-plan", document(7));
  const planId: string = created.BackupPlanId;
  const updated = await backup("update-backup-plan", "--backup-plan-id", planId, "--backup-plan", document(14));
  expect(updated).toMatchObject({ BackupPlanId: planId, BackupPlanArn: created.BackupPlanArn });
  expect(updated.VersionId).not.toBe(created.VersionId);
  const read = await backup("get-backup-plan", "--backup-plan-id", planId);
  expect(read.VersionId).toBe(updated.VersionId);
  expect(read.BackupPlan.Rules).toEqual([{ ...rule(14), RuleId: expect.any(String) }]);

  const sent = {
    SelectionName: "fixes-databases",
    IamRoleArn: "arn:aws:iam::123456789012:role/backup",
    Resources: ["arn:aws:rds:us-east-1:123456789012:db:*"],
    Conditions: { StringEquals: [{ ConditionKey: "aws:ResourceTag/Project", ConditionValue: "acme" }] },
  };
  const selection = await backup("create-backup-selection", "--backup-plan-id", planId, "--backup-selection", JSON.stringify(sent));
  expect(selection).toMatchObject({ BackupPlanId: planId, SelectionId: expect.any(String) });
  const selectionId: string = selection.SelectionId;
  // As the provider reads aws_backup_selection back: as sent, every list AWS fills in present.
  expect(await backup("get-backup-selection", "--backup-plan-id", planId, "--selection-id", selectionId)).toMatchObject({
    SelectionId: selectionId,
    BackupPlanId: planId,
    BackupSelection: {
      ...sent,
      ListOfTags: [],
      NotResources: [],
      Conditions: { ...sent.Conditions, StringNotEquals: [], StringLike: [], StringNotLike: [] },
    },
  });
  const listed = await backup("list-backup-selections", "--backup-plan-id", planId);
  expect(listed.BackupSelectionsList).toEqual([
    expect.objectContaining({ SelectionId: selectionId, SelectionName: sent.SelectionName, IamRoleArn: sent.IamRoleArn }),
  ]);
  await expect(
    backup(
      "create-backup-selection",
      "--backup-plan-id",
      planId,
      "--backup-selection",
      JSON.stringify({ SelectionName: "nothing", IamRoleArn: sent.IamRoleArn }),
    ),
  ).rejects.toMatchObject({ name: "InvalidParameterValueException" });

  await expect(backup("delete-backup-plan", "--backup-plan-id", planId)).rejects.toMatchObject({
    name: "InvalidRequestException",
    message: "Related backup plan selections must be deleted prior to backup plan deletion",
  });
  await backup("delete-backup-selection", "--backup-plan-id", planId, "--selection-id", selectionId);
  await expect(backup("get-backup-selection", "--backup-plan-id", planId, "--selection-id", selectionId)).rejects.toMatchObject({
    name: "ResourceNotFoundException",
  });
  await backup("delete-backup-plan", "--backup-plan-id", planId);
  await expect(backup("get-backup-selection", "--backup-plan-id", planId, "--selection-id", selectionId)).rejects.toMatchObject({
    name: "InvalidParameterValueException",
    message: expect.stringContaining("Cannot find Backup plan"),
  });
  // The deleted plan's name is free again.
  expect((await backup("create-backup-plan", "--backup-plan", document(7))).BackupPlanId).not.toBe(planId);
}, 180_000);

it("reads a backup resource's tags at /tags/{arn} without a trailing slash, as the provider's Go SDK asks for them", async () => {
  const { BackupVaultArn } = await backup("create-backup-vault", "--backup-vault-name", "fixes-tagged", "--backup-vault-tags", "Project=acme");
  // The CLI (botocore) asks at /tags/{arn}/; the Go SDK leaves the slash out. moto reads only the
  // credential scope of a signature, which names the service.
  const current = emulator.current();
  const listed = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
    const request = https.get(
      `${current.endpoint}/tags/${encodeURIComponent(BackupVaultArn)}`,
      {
        ca: fs.readFileSync(current.caFile),
        headers: { authorization: "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/backup/aws4_request, SignedHeaders=host, Signature=0" },
      },
      (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
        response.on("end", () => resolve({ status: response.statusCode, body }));
      },
    );
    request.on("error", reject);
  });
  expect({ status: listed.status, body: JSON.parse(listed.body) }).toEqual({ status: 200, body: { Tags: { Project: "acme" } } });
});
