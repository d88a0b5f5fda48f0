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
      description: `Data of ${props.region}: Secrets Manager secrets, RDS storage and Performance Insights`,
      policy: dataKeyPolicy(props.accountId, props.region),
    });
    this.resource = key;
    this.keyArn = key.arn;
    this.aliasName = props.aliasName;
  }
}

/** The data key's policy: the account administers it; its principals use it through the services only. */
export function dataKeyPolicy(accountId: string, region: string): string {
  const throughService = (service: (typeof DATA_KEY_SERVICES)[number], sid: string): PolicyStatement => ({
    Sid: sid,
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:ListGrants", "kms:DescribeKey"],
    Resource: "*",
    Condition: { StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": `${service}.${region}.amazonaws.com` } },
  });
  return policyDocument(
    accountAdministersStatement(accountId),
    throughService("secretsmanager", "UseThroughSecretsManager"),
    throughService("rds", "UseThroughRds"),
  );
}
