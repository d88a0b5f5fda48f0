import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { VaultDatabaseCopies, type VaultDatabaseCopiesProps } from "../../lib/constructs/vault-database-copies";
import { onlyResource, ref, resourceAt, synthJson, testStack } from "../support/synth";

const VAULT_ARN = "arn:aws:backup:us-west-2:210987654321:backup-vault:acme-vault-us-east-1";

function build(
  overrides: {
    vault?: Partial<VaultDatabaseCopiesProps["vault"]>;
    source?: Partial<VaultDatabaseCopiesProps["source"]>;
  } & Partial<Omit<VaultDatabaseCopiesProps, "vault" | "source">> = {},
) {
  const stack = testStack();
  const vaultProvider = new AwsProvider(stack, "aws-vault", { region: "us-west-2", alias: "vault" });
  const workload = new AwsProvider(stack, "aws-workload", { region: "us-east-1", alias: "workload" });
  const { vault, source, ...rest } = overrides;
  const copies = new VaultDatabaseCopies(stack, "database-copies", {
    vault: {
      provider: vaultProvider,
      accountId: "210987654321",
      region: "us-west-2",
      vaultName: "acme-vault-us-east-1",
      kmsKeyArn: "arn:aws:kms:us-west-2:210987654321:key/vault",
      retentionDays: 35,
      ...vault,
    },
    source: {
      provider: workload,
      accountId: "123456789012",
      region: "us-east-1",
      vaultName: "acme-vault-copies-us-east-1",
      planName: "acme-vault-us-east-1",
      roleName: "acme-vault-backup-us-east-1",
      selectionTags: { Project: "acme", Environment: "us-east-1" },
      ...source,
    },
    ...rest,
  });
  return { json: synthJson(stack), copies };
}

describe("VaultDatabaseCopies", () => {
  const { json, copies } = build();

  it("makes a locked backup vault in the vault account, with the vault's key, protected from destroy", () => {
    const vault = resourceAt(json, "aws_backup_vault", "database-copies/vault");
    expect(vault.config).toEqual({
      provider: "aws.vault",
      name: "acme-vault-us-east-1",
      kms_key_arn: "arn:aws:kms:us-west-2:210987654321:key/vault",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(json, "aws_backup_vault_lock_configuration").config).toEqual({
      provider: "aws.vault",
      backup_vault_name: ref("aws_backup_vault", vault.id, "name"),
      min_retention_days: 35,
      changeable_for_days: 3,
      lifecycle: { prevent_destroy: true },
    });
    expect(copies.vaultArn).toBe(VAULT_ARN);
  });

  it("admits the workload account's copies into the vault and denies its principals every removal or policy change", () => {
    const policy = onlyResource(json, "aws_backup_vault_policy").config;
    expect(policy.provider).toBe("aws.vault");
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "SourceCopiesInto",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: "backup:CopyIntoBackupVault",
          Resource: VAULT_ARN,
        },
        {
          Sid: "SourceNeverRemoves",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: [
            "backup:DeleteRecoveryPoint",
            "backup:UpdateRecoveryPointLifecycle",
            "backup:DeleteBackupVault",
            "backup:PutBackupVaultAccessPolicy",
            "backup:DeleteBackupVaultAccessPolicy",
            "backup:PutBackupVaultLockConfiguration",
            "backup:DeleteBackupVaultLockConfiguration",
          ],
          Resource: VAULT_ARN,
          Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" } },
        },
      ],
    });
  });

  it("snapshots daily into a local vault of the workload account and copies each snapshot into the vault, kept for the vault's retention", () => {
    const local = resourceAt(json, "aws_backup_vault", "database-copies/source-vault");
    expect(local.config).toEqual({ provider: "aws.workload", name: "acme-vault-copies-us-east-1", force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(onlyResource(json, "aws_backup_plan").config).toEqual({
      provider: "aws.workload",
      name: "acme-vault-us-east-1",
      rule: [
        {
          rule_name: "vault-copy",
          target_vault_name: ref("aws_backup_vault", local.id, "name"),
          schedule: "cron(0 3 * * ? *)",
          start_window: 60,
          completion_window: 480,
          lifecycle: { delete_after: 7 },
          copy_action: [{ destination_vault_arn: VAULT_ARN, lifecycle: { delete_after: 35 } }],
        },
      ],
    });
  });

  it("selects every DB instance of the account and region that carries the environment's tags", () => {
    const plan = onlyResource(json, "aws_backup_plan").id;
    const role = onlyResource(json, "aws_iam_role").id;
    expect(onlyResource(json, "aws_backup_selection").config).toEqual({
      provider: "aws.workload",
      name: "databases",
      plan_id: ref("aws_backup_plan", plan, "id"),
      iam_role_arn: ref("aws_iam_role", role, "arn"),
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
  });

  it("backs up with a role only AWS Backup acting for the workload account may assume, with AWS's backup policy", () => {
    const role = onlyResource(json, "aws_iam_role");
    expect(role.config.name).toBe("acme-vault-backup-us-east-1");
    expect(role.config.provider).toBe("aws.workload");
    expect(JSON.parse(role.config.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "backup.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
    expect(onlyResource(json, "aws_iam_role_policy_attachment").config).toEqual({
      provider: "aws.workload",
      role: ref("aws_iam_role", role.id, "name"),
      policy_arn: "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    });
  });

  it("takes another schedule and local retention", () => {
    const rule = onlyResource(build({ schedule: "cron(30 1 * * ? *)", localRetentionDays: 2 }).json, "aws_backup_plan").config.rule[0];
    expect(rule).toMatchObject({ schedule: "cron(30 1 * * ? *)", lifecycle: { delete_after: 2 } });
  });

  it("refuses, with every problem, days that are not whole or below their minimum, the same account on both sides and no selection tag", () => {
    expect(() =>
      build({ vault: { retentionDays: 0, accountId: "123456789012" }, localRetentionDays: 1.5, lockChangeableForDays: 2, source: { selectionTags: {} } }),
    ).toThrow(
      "VaultDatabaseCopies: retentionDays must be a whole number of days >= 1 (got 0); localRetentionDays must be a whole number of days >= 1 (got 1.5); " +
        "lockChangeableForDays must be a whole number of days >= 3 (got 2); the vault's account must be another than the source's (both 123456789012); " +
        "selectionTags must name at least one tag (none would select every DB instance of the account)",
    );
  });
});
