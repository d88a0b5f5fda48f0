import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { addManagedKey } from "./private/managed-key";
import { accountAdministersStatement, policyDocument, PolicyStatement } from "./private/iam";

/** Services that encrypt an environment's data with its data key. */
export const DATA_KEY_SERVICES = ["secretsmanager", "rds"] as const;

export interface DataKeyProps {
  /** Alias, e.g. `alias/acme-data-us-east-1`. */
  readonly aliasName: string;
  /** Account that administers the key and whose principals may use it through the services. */
  readonly accountId: string;
  /** Region of the key (the services' endpoints in the key policy are regional). */
  readonly region: string;
  /**
   * Provider of the key's region.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
  /**
   * What the key is for, as its description.
   * @default "Data of <region>: Secrets Manager secrets, RDS storage and Performance Insights"
   */
  readonly description?: string;
  /**
   * The services the account's principals may use the key through.
   * @default DATA_KEY_SERVICES (Secrets Manager and RDS)
   */
  readonly services?: readonly (typeof DATA_KEY_SERVICES)[number][];
  /**
   * Accounts that copy the snapshots of databases encrypted with this key (a vault account: AWS
   * Backup's cross-account copies need the source key shared with the destination account). They
   * may describe the key, decrypt and re-encrypt from it, and grant AWS services its use; never
   * encrypt with it nor administer it.
   * @default - none
   */
  readonly snapshotCopyAccountIds?: readonly string[];
}

/**
 * The customer-managed key of an environment's data: Secrets Manager secrets, RDS storage and
 * Performance Insights. Its policy is what the AWS managed keys (`aws/secretsmanager`, `aws/rds`)
 * grant, limited to this account: its principals may use the key only through Secrets Manager or
 * RDS in this region (`kms:ViaService`), so whoever may read a secret or a database through the
 * service still can, and nobody may decrypt with the key directly without an IAM grant on it.
 * Unlike an AWS managed key, this one can be audited, disabled and kept from deletion by policy.
 */
export class DataKey extends Construct {
  public readonly resource: KmsKey;
  public readonly keyArn: string;
  public readonly aliasName: string;

  constructor(scope: Construct, id: string, props: DataKeyProps) {
    super(scope, id);
    const { key } = addManagedKey(this, {
      provider: props.provider,
      aliasName: props.aliasName,
      description: props.description ?? `Data of ${props.region}: Secrets Manager secrets, RDS storage and Performance Insights`,
      policy: dataKeyPolicy(props.accountId, props.region, props.snapshotCopyAccountIds ?? [], props.services ?? DATA_KEY_SERVICES),
    });
    this.resource = key;
    this.keyArn = key.arn;
    this.aliasName = props.aliasName;
  }
}

/**
 * The data key's policy: the account administers it; its principals use it through the services
 * only; the snapshot copy accounts read what it encrypted (AWS Backup's "share the key with the
 * destination account": the copy is re-encrypted there with the destination vault's key).
 */
export function dataKeyPolicy(
  accountId: string,
  region: string,
  snapshotCopyAccountIds: readonly string[] = [],
  services: readonly (typeof DATA_KEY_SERVICES)[number][] = DATA_KEY_SERVICES,
): string {
  const sids = { secretsmanager: "UseThroughSecretsManager", rds: "UseThroughRds" } as const;
  const throughService = (service: (typeof DATA_KEY_SERVICES)[number]): PolicyStatement => ({
    Sid: sids[service],
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:ListGrants", "kms:DescribeKey"],
    Resource: "*",
    Condition: { StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": `${service}.${region}.amazonaws.com` } },
  });
  return policyDocument(accountAdministersStatement(accountId), ...services.map(throughService), ...snapshotCopyStatements(snapshotCopyAccountIds));
}

function snapshotCopyStatements(accountIds: readonly string[]): PolicyStatement[] {
  if (accountIds.length === 0) return [];
  const principal = { AWS: accountIds.map((id) => `arn:aws:iam::${id}:root`) };
  return [
    { Sid: "SnapshotCopyAccountsRead", Effect: "Allow", Principal: principal, Action: ["kms:Decrypt", "kms:DescribeKey", "kms:ReEncryptFrom"], Resource: "*" },
    {
      Sid: "SnapshotCopyAccountsGrantServices",
      Effect: "Allow",
      Principal: principal,
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
  ];
}
