import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { logGroupArn } from "../naming";
import { addManagedKey } from "./private/managed-key";
import { accountAdministersStatement, policyDocument } from "./private/iam";

export interface LogsKeyProps {
  /** Alias, e.g. `alias/acme-logs-us-east-1`. */
  readonly aliasName: string;
  readonly accountId: string;
  /** Region of the key and of the log groups (CloudWatch Logs uses a key of its own region only). */
  readonly region: string;
  /** Names of the log groups the key encrypts; CloudWatch Logs may use it for these and no other. */
  readonly logGroupNames: readonly string[];
  readonly description: string;
  /**
   * Provider of the key's region.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * A customer-managed key for CloudWatch Logs groups. CloudWatch Logs calls KMS as the service
 * principal `logs.<region>.amazonaws.com`, so the key policy admits that principal, and only
 * with the encryption context of the listed log groups (AWS: "Encrypt log data in CloudWatch Logs
 * using AWS KMS"). The key must exist, with this policy, before a log group names it.
 */
export class LogsKey extends Construct {
  public readonly resource: KmsKey;
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: LogsKeyProps) {
    super(scope, id);
    if (props.logGroupNames.length === 0) throw new Error(`LogsKey: logGroupNames must name at least one log group (got none)`);
    const { key } = addManagedKey(this, {
      provider: props.provider,
      aliasName: props.aliasName,
      description: props.description,
      policy: logsKeyPolicy(props.accountId, props.region, props.logGroupNames),
    });
    this.resource = key;
    this.keyArn = key.arn;
  }
}

/** The account administers the key; CloudWatch Logs of `region` uses it for the named groups only. */
export function logsKeyPolicy(accountId: string, region: string, logGroupNames: readonly string[]): string {
  return policyDocument(accountAdministersStatement(accountId), {
    Sid: "CloudWatchLogsEncryptsTheseGroups",
    Effect: "Allow",
    Principal: { Service: `logs.${region}.amazonaws.com` },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    Resource: "*",
    Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupNames.map((name) => logGroupArn(region, accountId, name)) } },
  });
}
