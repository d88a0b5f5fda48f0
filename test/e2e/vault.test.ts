import {
  DeleteObjectCommand,
  GetBucketReplicationCommand,
  GetObjectLockConfigurationCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  PutObjectRetentionCommand,
} from "@aws-sdk/client-s3";
import {
  BackupClient,
  DescribeBackupVaultCommand,
  GetBackupPlanCommand,
  GetBackupVaultAccessPolicyCommand,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
  ListBackupVaultsCommand,
} from "@aws-sdk/client-backup";
import { DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import * as fs from "fs";
import * as https from "https";
import { deployInParallel, sandboxSession, synthesizeSandbox, type SandboxSession } from "../../lib/tooling/sandbox-session";
import { awsClients, outcome } from "../support/aws";
import { useEmulator } from "../support/emulator";
import { REPO } from "../support/run";

/**
 * The shipped primary's vault (issue 26, item 1), deployed by Terraform into the emulator as the
 * on-call deploys it: the vault stack's provider assumes the vault role, and the emulator maps the
 * credentials AssumeRole returns to the vault account (210987654321), apart from the workload
 * account (the emulator's). The copies are then proven out of the workload account's reach: a
 * locked version cannot be deleted, overwritten or unlocked, by the workload account or by the
 * vault role itself. moto does not replicate objects, so a version is put as a replica would be.
 */
jest.setTimeout(600_000);

const emulatorOf = useEmulator({ firstPort: 6420 });
const VAULT_ACCOUNT = "210987654321";
const VAULT_REGION = "us-west-2";
const STATE_COPY = `acme-vault-state-us-east-1-${VAULT_ACCOUNT}`;
let session: SandboxSession;

/** Credentials of the vault role, as the vault stack's provider gets them. */
async function vaultCredentials() {
  const emulator = emulatorOf.current();
  const sts = new STSClient({
    endpoint: emulator.endpoint,
    region: VAULT_REGION,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: fs.readFileSync(emulator.caFile) }) }),
  });
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${VAULT_ACCOUNT}:role/dr-platform-vault`, RoleSessionName: "test" }));
  return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
}

beforeAll(async () => {
  session = sandboxSession(REPO, emulatorOf.current(), `${emulatorOf.dir()}/sandbox`);
  const app = await synthesizeSandbox(session);
  for (const stacks of [["state-acme-terraform-state"], ["vault-us-east-1"]]) {
    const result = await deployInParallel(session, stacks, { app });
    if (!result.ok)
      throw new Error(
        `${stacks.join(", ")}: ${result.error}\n${result.stacks
          .map((s) => s.run?.output ?? "")
          .join("\n")
          .slice(-4000)}`,
      );
  }
});

it("puts the vault's locked buckets in the vault account, none in the workload account", async () => {
  const vault = awsClients(emulatorOf.current(), VAULT_REGION, await vaultCredentials()).s3;
  const inVault = ((await vault.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name).sort();
  expect(inVault).toEqual([
    `acme-vault-access-logs-us-east-1-${VAULT_ACCOUNT}`,
    `acme-vault-archives-us-east-1-${VAULT_ACCOUNT}`,
    `acme-vault-assets-us-east-1-${VAULT_ACCOUNT}`,
    STATE_COPY,
  ]);
  for (const bucket of inVault.filter((name) => !name!.includes("access-logs"))) {
    const lock = await vault.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    expect({ bucket, lock: lock.ObjectLockConfiguration }).toMatchObject({
      bucket,
      lock: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "COMPLIANCE", Days: 35 } } },
    });
  }
  const workload = awsClients(emulatorOf.current(), VAULT_REGION).s3;
  const inWorkload = ((await workload.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);
  expect(inWorkload.filter((name) => name!.includes("vault"))).toEqual([]);
});

it("turns on the state bucket's replication into the vault account's state copy", async () => {
  const workload = awsClients(emulatorOf.current(), "us-west-2").s3;
  const { ReplicationConfiguration } = await workload.send(new GetBucketReplicationCommand({ Bucket: "acme-terraform-state" }));
  expect(ReplicationConfiguration!.Role).toBe("arn:aws:iam::000000000042:role/acme-vault-state-us-east-1");
  expect(ReplicationConfiguration!.Rules!.map((r) => [r.ID, r.Destination!.Bucket, r.Destination!.Account])).toEqual([
    ["Vault", `arn:aws:s3:::${STATE_COPY}`, VAULT_ACCOUNT],
  ]);
});

it("keeps the Git credentials secret in the vault account", async () => {
  const vault = awsClients(emulatorOf.current(), VAULT_REGION, await vaultCredentials()).secrets;
  const secret = await vault.send(new DescribeSecretCommand({ SecretId: "acme/flux/platform-k8s-git" }));
  expect(secret.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:${VAULT_REGION}:${VAULT_ACCOUNT}:secret:acme/flux/platform-k8s-git-`));
});

/** AWS Backup of the emulator in a region, with the given credentials (the workload account's by default). */
function backupIn(region: string, credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): BackupClient {
  const emulator = emulatorOf.current();
  return new BackupClient({
    endpoint: emulator.endpoint,
    region,
    credentials: credentials ?? { accessKeyId: "test", secretAccessKey: "test" },
    requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: fs.readFileSync(emulator.caFile) }) }),
  });
}

it("keeps the database's snapshot copies in a locked backup vault of the vault account, copied into by the workload account's daily plan", async () => {
  const vault = backupIn(VAULT_REGION, await vaultCredentials());
  const described = await vault.send(new DescribeBackupVaultCommand({ BackupVaultName: "acme-vault-us-east-1" }));
  expect([described.BackupVaultArn, described.Locked, described.MinRetentionDays]).toEqual([
    `arn:aws:backup:${VAULT_REGION}:${VAULT_ACCOUNT}:backup-vault:acme-vault-us-east-1`,
    true,
    35,
  ]);
  const policy = JSON.parse((await vault.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: "acme-vault-us-east-1" }))).Policy!);
  expect(policy.Statement.map((st: any) => [st.Sid, st.Effect, st.Principal.AWS])).toEqual([
    ["SourceCopiesInto", "Allow", "arn:aws:iam::123456789012:root"],
    ["SourceNeverRemoves", "Deny", "*"],
  ]);

  // (The policy names the environment file's account; the emulator answers as its own for the workload account's calls.)
  // The workload account (us-east-1, the database's region) has the plan and its selection, and no vault of the vault's name.
  const workload = backupIn("us-east-1");
  const vaults = ((await workload.send(new ListBackupVaultsCommand({}))).BackupVaultList ?? []).map((v) => v.BackupVaultName);
  expect(vaults).toEqual(["acme-vault-copies-us-east-1"]);
  const [plan] = (await workload.send(new ListBackupPlansCommand({}))).BackupPlansList!;
  const rule = (await workload.send(new GetBackupPlanCommand({ BackupPlanId: plan.BackupPlanId }))).BackupPlan!.Rules![0];
  expect([plan.BackupPlanName, rule.TargetBackupVaultName, rule.CopyActions]).toEqual([
    "acme-vault-us-east-1",
    "acme-vault-copies-us-east-1",
    [{ DestinationBackupVaultArn: described.BackupVaultArn, Lifecycle: expect.objectContaining({ DeleteAfterDays: 35 }) }],
  ]);
  const selections = (await workload.send(new ListBackupSelectionsCommand({ BackupPlanId: plan.BackupPlanId }))).BackupSelectionsList!;
  expect(selections.map((sel) => [sel.SelectionName, sel.IamRoleArn])).toEqual([["databases", "arn:aws:iam::000000000042:role/acme-vault-backup-us-east-1"]]);
});

it("a copy cannot be deleted, overwritten in place or unlocked: not by the workload account, not by the vault role", async () => {
  const vault = awsClients(emulatorOf.current(), VAULT_REGION, await vaultCredentials()).s3;
  const key = "vault-us-east-1.tfstate";
  const put = await vault.send(new PutObjectCommand({ Bucket: STATE_COPY, Key: key, Body: '{"version":4}' }));
  const head = await vault.send(new HeadObjectCommand({ Bucket: STATE_COPY, Key: key, VersionId: put.VersionId }));
  expect(head.ObjectLockMode).toBe("COMPLIANCE");
  const lockedDays = (head.ObjectLockRetainUntilDate!.getTime() - Date.now()) / 86_400_000;
  expect(lockedDays).toBeGreaterThan(34);

  const workload = awsClients(emulatorOf.current(), VAULT_REGION).s3;
  const attempts = {
    "workload: delete the version": await outcome(() => workload.send(new DeleteObjectCommand({ Bucket: STATE_COPY, Key: key, VersionId: put.VersionId }))),
    "vault role: delete the version": await outcome(() => vault.send(new DeleteObjectCommand({ Bucket: STATE_COPY, Key: key, VersionId: put.VersionId }))),
    "vault role: delete with the governance bypass": await outcome(() =>
      vault.send(new DeleteObjectCommand({ Bucket: STATE_COPY, Key: key, VersionId: put.VersionId, BypassGovernanceRetention: true })),
    ),
    "vault role: shorten the lock": await outcome(() =>
      vault.send(
        new PutObjectRetentionCommand({
          Bucket: STATE_COPY,
          Key: key,
          VersionId: put.VersionId,
          Retention: { Mode: "COMPLIANCE", RetainUntilDate: new Date() },
        }),
      ),
    ),
  };
  expect(attempts).toEqual({
    "workload: delete the version": "AccessDenied",
    "vault role: delete the version": "AccessDenied",
    "vault role: delete with the governance bypass": "AccessDenied",
    "vault role: shorten the lock": "AccessDenied",
  });
  // The version is still there, whole.
  expect((await vault.send(new HeadObjectCommand({ Bucket: STATE_COPY, Key: key, VersionId: put.VersionId }))).ContentLength).toBe(13);
});
