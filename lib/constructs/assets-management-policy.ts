import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import type { IBucket } from "./bucket";
import { policyDocument } from "./private/iam";

export interface AssetsManagementPolicyProps {
  /** Policy name (account-wide). */
  readonly policyName: string;
  /** The assets bucket and, for a primary, its DR replica. */
  readonly buckets: readonly Pick<IBucket, "bucketArn">[];
}

/**
 * What the workloads may do with the assets: list the buckets and read, write and delete objects
 * in them, and nothing else (the DR procedure's "AssetsManagementPolicy", including the replica,
 * without its `s3:*`). Attached to the workload role by the Kubernetes stack.
 */
export class AssetsManagementPolicy extends Construct {
  public readonly resource: IamPolicy;
  public readonly policyArn: string;

  constructor(scope: Construct, id: string, props: AssetsManagementPolicyProps) {
    super(scope, id);
    if (props.buckets.length === 0) throw new Error("AssetsManagementPolicy: buckets must list at least one bucket (got none)");
    const arns = props.buckets.map((b) => b.bucketArn);
    this.resource = new IamPolicy(this, "resource", {
      name: props.policyName,
      description: "Workloads: list, read, write and delete assets",
      policy: policyDocument(
        { Sid: "ListAssetBuckets", Effect: "Allow", Action: ["s3:ListBucket"], Resource: arns },
        { Sid: "ReadWriteAssets", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: arns.map((a) => `${a}/*`) },
      ),
    });
    this.policyArn = this.resource.arn;
  }
}
