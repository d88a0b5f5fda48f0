import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { addEnvironments } from "../../app/assemble";
import type { EnvironmentInput } from "../../lib/environment";
import { manifestOf, synthApp } from "../support/app-synth";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { onlyResource, ref, resourceAt, resources, type StackJson } from "../support/synth";
import { tempDir } from "../support/temp";

const VAULT = { accountId: "210987654321", region: "us-west-2" };

/** A primary (with the given input) and its recovery, every stack synthesized. */
function build(primary: EnvironmentInput) {
  const app = new App({ outdir: tempDir("dr-platform-vault-") });
  addEnvironments(app, [
    { file: "environments/us-east-1.ts", environment: environment(primary) },
    { file: "environments/us-east-2.ts", environment: environment(recoveryInput()) },
  ]);
  return { read: synthApp(app), app };
}

/** Every resource of a stack as `[type, provider]`, sorted. */
function providersByType(json: StackJson): string[] {
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byId]) => Object.values(byId as Record<string, { provider?: string }>).map((r) => `${type} ${r.provider ?? "aws"}`))
    .sort();
}

describe("VaultStack (a primary with a vault account)", () => {
  const { read, app } = build(primaryInput({ vault: VAULT }));
  const vault = read("vault-us-east-1");

  it("deploys through the vault role, on the vault account only, in the vault's region", () => {
    expect(vault.provider!.aws).toEqual([
      expect.objectContaining({ region: "us-east-1", allowed_account_ids: ["123456789012"] }),
      expect.objectContaining({
        alias: "vault",
        region: "us-west-2",
        allowed_account_ids: ["210987654321"],
        assume_role: [{ role_arn: "arn:aws:iam::210987654321:role/dr-platform-vault", session_name: "dr-platform-vault" }],
      }),
      expect.objectContaining({ alias: "state", region: "us-west-2", allowed_account_ids: ["123456789012"] }),
    ]);
    expect(vault.terraform!.backend.s3).toMatchObject({ bucket: "acme-terraform-state", key: "vault-us-east-1.tfstate" });
  });

  it("makes everything in the vault account but the state bucket's replication and the database's backup plan, which are the workload account's", () => {
    const workload = providersByType(vault).filter((entry) => !entry.endsWith(" aws.vault"));
    expect(workload).toEqual([
      "aws_backup_plan aws",
      "aws_backup_selection aws",
      "aws_backup_vault aws",
      "aws_iam_role aws",
      "aws_iam_role aws.state",
      "aws_iam_role_policy aws.state",
      "aws_iam_role_policy_attachment aws",
      "aws_s3_bucket_replication_configuration aws.state",
    ]);
    expect(Object.values(vault.data!.aws_kms_alias)).toEqual([{ provider: "aws.state", name: "alias/acme-terraform-state-state" }]);
  });

  it("keeps a locked bucket for each copy, named with the vault account, and their access logs", () => {
    const buckets = Object.values(resources(vault, "aws_s3_bucket")).map((b) => [b.bucket, b.object_lock_enabled ?? false]);
    expect(buckets.sort()).toEqual([
      ["acme-vault-access-logs-us-east-1-210987654321", false],
      ["acme-vault-archives-us-east-1-210987654321", true],
      ["acme-vault-assets-us-east-1-210987654321", true],
      ["acme-vault-state-us-east-1-210987654321", true],
    ]);
    for (const lock of Object.values(resources(vault, "aws_s3_bucket_object_lock_configuration"))) {
      expect(lock.rule).toEqual({ default_retention: { mode: "COMPLIANCE", days: 35 } });
    }
    expect(Object.keys(resources(vault, "aws_s3_bucket_object_lock_configuration"))).toHaveLength(3);
  });

  it("admits the state's, the archives' and the assets' replication roles of the workload account as writers", () => {
    const key = onlyResource(vault, "aws_kms_key");
    const writes = JSON.parse(key.config.policy).Statement[1];
    expect(writes.Condition.StringEquals["aws:PrincipalArn"]).toEqual([
      "arn:aws:iam::123456789012:role/acme-vault-state-us-east-1",
      "arn:aws:iam::123456789012:role/acme-vault-archives-us-east-1",
      "arn:aws:iam::123456789012:role/acme-dr-replication-us-east-1",
    ]);
    expect(onlyResource(vault, "aws_kms_alias").config.name).toBe("alias/acme-vault-us-east-1");
  });

  it("replicates the state bucket into the vault's state bucket, with the vault's key", () => {
    const config = onlyResource(vault, "aws_s3_bucket_replication_configuration").config;
    expect(config.bucket).toBe("acme-terraform-state");
    expect(config.rule[0].destination).toEqual({
      bucket: "arn:aws:s3:::acme-vault-state-us-east-1-210987654321",
      account: "210987654321",
      access_control_translation: { owner: "Destination" },
      storage_class: "STANDARD",
      encryption_configuration: { replica_kms_key_id: ref("aws_kms_key", onlyResource(vault, "aws_kms_key").id, "arn") },
    });
    expect(resourceAt(vault, "aws_iam_role", "state-replication/role").config.name).toBe("acme-vault-state-us-east-1");
  });

  it("keeps the Git credentials secret in the vault, on the vault's key, protected", () => {
    expect(onlyResource(vault, "aws_secretsmanager_secret").config).toEqual({
      provider: "aws.vault",
      name: "acme/flux/git",
      description: "Vault copy of the Flux Git credentials of https://github.com/acme/platform-k8s (value put by the operator)",
      kms_key_id: ref("aws_kms_key", onlyResource(vault, "aws_kms_key").id, "arn"),
      recovery_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("gives the vault's registry policy (VaultRegistryPolicy: its whole document is tested there) the environment's accounts and the vault's region, through the vault provider", () => {
    const policy = onlyResource(vault, "aws_ecr_registry_policy").config;
    const [statement] = JSON.parse(policy.policy).Statement;
    expect([policy.provider, statement.Principal.AWS, statement.Resource]).toEqual([
      "aws.vault",
      "arn:aws:iam::123456789012:root",
      "arn:aws:ecr:us-west-2:210987654321:repository/*",
    ]);
  });

  it("copies the database's snapshots of the environment's region into the vault's locked backup vault, the data key shared with the vault account", () => {
    expect(resourceAt(vault, "aws_backup_vault", "database-copies/vault").config).toMatchObject({ provider: "aws.vault", name: "acme-vault-us-east-1" });
    expect(resourceAt(vault, "aws_backup_vault", "database-copies/source-vault").config).toMatchObject({ name: "acme-vault-copies-us-east-1" });
    expect(onlyResource(vault, "aws_backup_vault_lock_configuration").config).toMatchObject({ provider: "aws.vault", min_retention_days: 35 });
    expect(onlyResource(vault, "aws_backup_plan").config.rule[0].copy_action).toEqual([
      { destination_vault_arn: "arn:aws:backup:us-west-2:210987654321:backup-vault:acme-vault-us-east-1", lifecycle: { delete_after: 35 } },
    ]);
    expect(onlyResource(vault, "aws_backup_selection").config).toMatchObject({
      resources: ["arn:aws:rds:us-east-1:123456789012:db:*"],
      condition: [
        {
          string_equals: [
            { key: "aws:ResourceTag/Project", value: "acme" },
            { key: "aws:ResourceTag/Environment", value: "us-east-1" },
          ],
        },
      ],
    });
    const dataKey = resourceAt(read("application-us-east-1"), "aws_kms_key", "data-key/resource");
    const shared = JSON.parse(dataKey.config.policy).Statement.filter((s: { Sid: string }) => s.Sid.startsWith("SnapshotCopyAccounts"));
    expect(shared.map((s: { Principal: unknown }) => s.Principal)).toEqual([
      { AWS: ["arn:aws:iam::210987654321:root"] },
      { AWS: ["arn:aws:iam::210987654321:root"] },
    ]);
  });

  it("comes before the application stack, whose archives and assets replicate into it", () => {
    const manifest = manifestOf(app);
    expect(manifest.stacks["vault-us-east-1"].dependencies).toEqual([]);
    expect(manifest.stacks["application-us-east-1"].dependencies).toContain("vault-us-east-1");
    const application = read("application-us-east-1");
    const archives = resourceAt(application, "aws_s3_bucket_replication_configuration", "hosting-services/vault/resource").config;
    expect(archives.rule[0].destination.bucket).toBe("arn:aws:s3:::acme-vault-archives-us-east-1-210987654321");
    expect(archives.rule[0].destination.encryption_configuration.replica_kms_key_id).toMatch(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-vault-us-east-1\.outputs\./,
    );
    const assets = resourceAt(application, "aws_s3_bucket_replication_configuration", "dr-assets/resource").config;
    expect(assets.rule.map((r: { id: string; destination: { bucket: string } }) => [r.id, r.destination.bucket])).toEqual([
      ["DR Replication", ref("aws_s3_bucket", resourceAt(application, "aws_s3_bucket", "dr-assets/replica/resource").id, "arn")],
      ["Vault", "arn:aws:s3:::acme-vault-assets-us-east-1-210987654321"],
    ]);
  });
});

describe("a primary without a vault", () => {
  const { read, app } = build(primaryInput());

  it("has no vault stack and replicates its archives and assets nowhere else", () => {
    expect(fs.existsSync(path.join(app.outdir, "stacks", "vault-us-east-1"))).toBe(false);
    const application = read("application-us-east-1");
    expect(Object.keys(resources(application, "aws_s3_bucket_replication_configuration"))).toHaveLength(1);
    expect(application.data?.terraform_remote_state?.["cross-stack-reference-input-vault-us-east-1"]).toBeUndefined();
  });
});

describe("two primaries keeping their state in one bucket, with the same vault", () => {
  const app = new App({ outdir: tempDir("dr-platform-vault-shared-") });
  const vault = { accountId: "210987654321", region: "us-west-1" };
  addEnvironments(app, [
    { file: "environments/us-east-1.ts", environment: environment(primaryInput({ vault })) },
    {
      file: "environments/eu-west-1.ts",
      environment: environment(
        primaryInput({
          region: "eu-west-1",
          drRegion: "eu-west-2",
          network: { cidr: "10.30.0.0/16", azCount: 3, natGateways: "single" },
          dns: { domain: "example.eu" },
          vault,
        }),
      ),
    },
  ]);
  const read = synthApp(app);

  it("copies the state bucket once: from the first primary's vault stack (by region), not the second's", () => {
    const copies = (stack: string) => ({
      stack,
      stateBuckets: Object.values(resources(read(stack), "aws_s3_bucket"))
        .map((b) => b.bucket)
        .filter((name: string) => name.includes("-vault-state-")),
      replications: Object.keys(resources(read(stack), "aws_s3_bucket_replication_configuration")).length,
      writers: JSON.parse(onlyResource(read(stack), "aws_kms_key").config.policy).Statement[1].Condition.StringEquals["aws:PrincipalArn"].length,
    });
    expect([copies("vault-eu-west-1"), copies("vault-us-east-1")]).toEqual([
      { stack: "vault-eu-west-1", stateBuckets: ["acme-vault-state-eu-west-1-210987654321"], replications: 1, writers: 3 },
      { stack: "vault-us-east-1", stateBuckets: [], replications: 0, writers: 2 },
    ]);
  });
});
