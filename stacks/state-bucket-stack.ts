import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { awsProvider } from "../lib";
import { AccessLogBucket, SecureBucket, StateKey } from "../lib/constructs";
import type { Environment } from "../lib/environment";
import { stateAccessLogsBucket, stateKeyAlias, stateStackId } from "../lib/naming";
import { applyPolicy } from "../lib/policy";
import { targetOf } from "../lib/targets";

/**
 * Step zero: the S3 bucket that holds every other stack's state. It cannot keep its own state in
 * itself before it exists, so the deployment target gives it a local state (on a real account
 * `terraform.state-<bucket>.tfstate` in the project folder, git-ignored). Losing that file loses
 * nothing: the bucket is protected from destroy and can be adopted again with `terraform import`
 * (see the README).
 */
export class StateBucketStack extends TerraformStack {
  public readonly bucket: SecureBucket;
  public readonly accessLogs: AccessLogBucket;
  public readonly key: StateKey;

  /** `environment` is any environment that keeps its state in this bucket (they agree on account and region). */
  constructor(scope: Construct, environment: Environment) {
    super(scope, stateStackId(environment.state.bucket));
    const target = targetOf(this);
    target.bindBootstrapState(this);
    awsProvider(this, environment, environment.state.region);
    // The state bucket's access logs stay in its own stack and region, apart from every environment.
    this.accessLogs = new AccessLogBucket(this, "access-logs", {
      bucketName: stateAccessLogsBucket(environment.state.bucket),
      accountId: environment.accountId,
      retentionDays: environment.logRetention.s3AccessLogsDays,
    });
    this.key = new StateKey(this, "key", {
      aliasName: stateKeyAlias(environment.state.bucket),
      accountId: environment.accountId,
      region: environment.state.region,
    });
    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: environment.state.bucket,
      kmsKeyArn: this.key.keyArn,
      accessLogs: this.accessLogs.targetFor(environment.state.bucket),
    });
    target.finishStack(this);
    applyPolicy(this);
    new TerraformOutput(this, "bucket_name", { value: this.bucket.bucketName });
  }
}
