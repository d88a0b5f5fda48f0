import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { BackupPlan } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupVaultLockConfiguration } from "@cdktf/provider-aws/lib/backup-vault-lock-configuration";
import { BackupVaultPolicy } from "@cdktf/provider-aws/lib/backup-vault-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { backupVaultArn } from "../naming";
import { policyDocument, serviceTrustPolicy } from "./private/iam";

/** AWS's managed policy for AWS Backup's backup jobs (snapshots of the supported services, copies into other vaults). */
export const AWS_BACKUP_SERVICE_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup";

/**
 * What the workload account's principals may never do to the vault's copies (the vault policy
 * denies it to them whatever their IAM says; the COMPLIANCE lock holds it against everyone).
 */
export const VAULT_BACKUP_DENIED_ACTIONS = [
  "backup:DeleteRecoveryPoint",
  "backup:UpdateRecoveryPointLifecycle",
  "backup:DeleteBackupVault",
  "backup:PutBackupVaultAccessPolicy",
  "backup:DeleteBackupVaultAccessPolicy",
  "backup:PutBackupVaultLockConfiguration",
  "backup:DeleteBackupVaultLockConfiguration",
] as const;

/** The vault account's side: a locked AWS Backup vault that admits the workload account's copies. */
export interface VaultDatabaseCopiesVault {
  /** Provider of the vault account in its region (it assumes the vault role). */
  readonly provider: TerraformProvider;
  readonly accountId: string;
  readonly region: string;
  /** Backup vault name (`vaultNames().backupVault`). */
  readonly vaultName: string;
  /** The vault's key (VaultKey): AWS Backup encrypts the copies it makes in the vault with it. */
  readonly kmsKeyArn: string;
  /** Every copy is kept, locked in COMPLIANCE mode, this many days (the vault's `retentionDays`). */
  readonly retentionDays: number;
}

/** The workload account's side: the plan that snapshots the database and copies each snapshot into the vault. */
export interface VaultDatabaseCopiesSource {
  /** Provider of the workload account in the database's region. */
  readonly provider: TerraformProvider;
  readonly accountId: string;
  /** The database's region. */
  readonly region: string;
  /** Local backup vault name (`vaultNames().sourceBackupVault`). */
  readonly vaultName: string;
  /** Backup plan name (`vaultNames().backupPlan`). */
  readonly planName: string;
  /** Role AWS Backup snapshots and copies with (`vaultNames().backupRole`). */
  readonly roleName: string;
  /**
   * The tags that select the environment's databases (every generation, by the provider's
   * default tags): DB instances of this account and region carrying all of them are snapshotted.
   */
  readonly selectionTags: Readonly<Record<string, string>>;
}

export interface VaultDatabaseCopiesProps {
  readonly vault: VaultDatabaseCopiesVault;
  readonly source: VaultDatabaseCopiesSource;
  /**
   * When the snapshot is taken (AWS Backup cron, UTC): the copies' recovery point is at most a day old.
   * @default "cron(0 3 * * ? *)"
   */
  readonly schedule?: string;
  /**
   * Days the local snapshot is kept in the workload account (the copy in the vault keeps `retentionDays`).
   * @default 7
   */
  readonly localRetentionDays?: number;
  /**
   * Days the vault lock can still be changed or removed after it is made; after them it is
   * immutable (COMPLIANCE mode), AWS's minimum is 3.
   * @default 3
   */
  readonly lockChangeableForDays?: number;
}

/**
 * The database's snapshots in the vault account (docs/vault.md): an AWS Backup plan of the
 * workload account snapshots every DB instance of the environment daily (selected by its tags, so
 * every database generation is included) into a local vault, and copies each snapshot into the
 * vault account's backup vault, which is locked in COMPLIANCE mode for `retentionDays` and admits
 * the workload account's copies only (`backup:CopyIntoBackupVault`). AWS Backup's cross-account
 * copies need both accounts in one AWS Organization with cross-account backup turned on in its
 * management account, and the database's key shared with the vault account (DataKey's
 * `snapshotCopyAccountIds`). Protected from destroy: the vaults, the lock.
 */
export class VaultDatabaseCopies extends Construct {
  /** The vault account's backup vault. */
  public readonly vault: BackupVault;
  /** The vault's ARN (by its name: the plan in the other account refers to it literally). */
  public readonly vaultArn: string;
  public readonly plan: BackupPlan;
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: VaultDatabaseCopiesProps) {
    super(scope, id);
    const { vault, source } = props;
    const localRetentionDays = props.localRetentionDays ?? 7;
    const changeableForDays = props.lockChangeableForDays ?? 3;
    const problems = [
      ...wholeDays("retentionDays", vault.retentionDays, 1),
      ...wholeDays("localRetentionDays", localRetentionDays, 1),
      ...wholeDays("lockChangeableForDays", changeableForDays, 3),
      ...(vault.accountId === source.accountId ? [`the vault's account must be another than the source's (both ${vault.accountId})`] : []),
      ...(Object.keys(source.selectionTags).length === 0
        ? ["selectionTags must name at least one tag (none would select every DB instance of the account)"]
        : []),
    ];
    if (problems.length > 0) throw new Error(`VaultDatabaseCopies: ${problems.join("; ")}`);

    // The vault account: the locked vault, and its policy.
    this.vaultArn = backupVaultArn(vault.region, vault.accountId, vault.vaultName);
    this.vault = new BackupVault(this, "vault", {
      provider: vault.provider,
      name: vault.vaultName,
      kmsKeyArn: vault.kmsKeyArn,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    new BackupVaultLockConfiguration(this, "vault-lock", {
      provider: vault.provider,
      backupVaultName: this.vault.name,
      minRetentionDays: vault.retentionDays,
      changeableForDays,
      lifecycle: { preventDestroy: true },
    });
    const sourceAccount = `arn:aws:iam::${source.accountId}:root`;
    new BackupVaultPolicy(this, "vault-policy", {
      provider: vault.provider,
      backupVaultName: this.vault.name,
      policy: policyDocument(
        { Sid: "SourceCopiesInto", Effect: "Allow", Principal: { AWS: sourceAccount }, Action: "backup:CopyIntoBackupVault", Resource: this.vaultArn },
        {
          Sid: "SourceNeverRemoves",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: [...VAULT_BACKUP_DENIED_ACTIONS],
          Resource: this.vaultArn,
          Condition: { StringEquals: { "aws:PrincipalAccount": source.accountId } },
        },
      ),
    });

    // The workload account: the role, the local vault (AWS Backup's default key: an RDS snapshot
    // keeps the database's own encryption), the plan and the selection.
    this.role = new IamRole(this, "role", {
      provider: source.provider,
      name: source.roleName,
      description: `AWS Backup: snapshots the databases of ${source.region} and copies them into the vault account ${vault.accountId}`,
      assumeRolePolicy: serviceTrustPolicy("backup.amazonaws.com", source.accountId),
    });
    new IamRolePolicyAttachment(this, "role-policy", { provider: source.provider, role: this.role.name, policyArn: AWS_BACKUP_SERVICE_POLICY_ARN });
    const local = new BackupVault(this, "source-vault", {
      provider: source.provider,
      name: source.vaultName,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    this.plan = new BackupPlan(this, "plan", {
      provider: source.provider,
      name: source.planName,
      rule: [
        {
          ruleName: "vault-copy",
          targetVaultName: local.name,
          schedule: props.schedule ?? "cron(0 3 * * ? *)",
          startWindow: 60,
          completionWindow: 480,
          lifecycle: { deleteAfter: localRetentionDays },
          copyAction: [{ destinationVaultArn: this.vaultArn, lifecycle: { deleteAfter: vault.retentionDays } }],
        },
      ],
    });
    new BackupSelection(this, "selection", {
      provider: source.provider,
      name: "databases",
      planId: this.plan.id,
      iamRoleArn: this.role.arn,
      resources: [`arn:aws:rds:${source.region}:${source.accountId}:db:*`],
      condition: [{ stringEquals: Object.entries(source.selectionTags).map(([key, value]) => ({ key: `aws:ResourceTag/${key}`, value })) }],
    });
  }
}

function wholeDays(field: string, value: number, min: number): string[] {
  return Number.isInteger(value) && value >= min ? [] : [`${field} must be a whole number of days >= ${min} (got ${value})`];
}
