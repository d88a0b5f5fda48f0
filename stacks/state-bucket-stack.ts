import { Construct } from "constructs";
import * as path from "path";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { applyPolicy } from "../lib/policy";
import { sandboxOf } from "../lib/sandbox";
import type { Environment } from "../lib/environment";
import { awsProvider } from "../lib/aws-provider";
import { SecureBucket } from "../lib/constructs/secure-bucket";

/** Stack id of the one-time bootstrap of a state bucket. */
export function stateStackId(bucket: string): string {
  return `state-${bucket}`;
}

/**
 * Step zero: the S3 bucket that holds every other stack's state. It cannot keep its own state in
 * itself before it exists, so this stack uses Terraform's local state
 * (`terraform.state-<bucket>.tfstate` in the project folder, git-ignored). Losing that file loses
 * nothing: the bucket is protected from destroy and can be adopted again with `terraform import`
 * (see the README).
 */
export class StateBucketStack extends TerraformStack {
  public readonly bucket: SecureBucket;

  /** `environment` is any environment that keeps its state in this bucket (they agree on account and region). */
  constructor(scope: Construct, environment: Environment) {
    super(scope, stateStackId(environment.state.bucket));
    const sandbox = sandboxOf(this);
    if (sandbox) new LocalBackend(this, { path: path.join(sandbox.stateDir, `${this.node.id}.tfstate`) });
    awsProvider(this, environment, environment.state.region);
    this.bucket = new SecureBucket(this, "bucket", { bucketName: environment.state.bucket });
    applyPolicy(this);
    new TerraformOutput(this, "bucket_name", { value: this.bucket.bucketName });
  }
}
