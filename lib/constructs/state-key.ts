import { Construct } from "constructs";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { addManagedKey } from "./private/managed-key";
import { accountAdministersStatement, policyDocument } from "./private/iam";

export interface StateKeyProps {
  /** Alias, e.g. `alias/acme-terraform-state-state`. */
  readonly aliasName: string;
  readonly accountId: string;
  /** Region of the state bucket. */
  readonly region: string;
}

/**
 * The customer-managed key of the Terraform state bucket (SSE-KMS default encryption). Its
 * principals may use it through S3 in the bucket's region only, as with the AWS managed key
 * `aws/s3`: whoever may read the state through S3 still can; nobody decrypts with it directly.
 */
export class StateKey extends Construct {
  public readonly resource: KmsKey;
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: StateKeyProps) {
    super(scope, id);
    const { key } = addManagedKey(this, {
      aliasName: props.aliasName,
      description: "Terraform state of every stack that keeps its state in this bucket",
      policy: stateKeyPolicy(props.accountId, props.region),
    });
    this.resource = key;
    this.keyArn = key.arn;
  }
}

export function stateKeyPolicy(accountId: string, region: string): string {
  return policyDocument(accountAdministersStatement(accountId), {
    Sid: "UseThroughS3",
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
    Resource: "*",
    Condition: { StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": `s3.${region}.amazonaws.com` } },
  });
}
