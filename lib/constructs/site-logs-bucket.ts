import { Construct } from "constructs";
import { Token, type ITerraformDependable, type TerraformProvider } from "cdktf";
import { elbLogDeliveryPrincipal } from "../network/elb-log-delivery";
import { expireLogs, logExpiryProblems } from "./private/log-expiry";
import { SecureBucket } from "./secure-bucket";

export interface SiteLogsBucketProps {
  /** Bucket name, `<project>-site-logs-<region>` (lib/naming.ts). */
  readonly bucketName: string;
  /** Account of the load balancer: its logs land under `<prefix>/AWSLogs/<accountId>/`, and nowhere else. */
  readonly accountId: string;
  /** Region of the bucket and the load balancer (ELB delivers only into its own region); it decides who delivers. */
  readonly region: string;
  /** Key prefix of the load balancer's logs (no `AWSLogs`: ELB appends it). */
  readonly prefix: string;
  /**
   * Days to keep an access log object before it expires (it then stays as a non-current version
   * for `noncurrentRetentionDays`).
   * @default 365
   */
  readonly retentionDays?: number;
  /**
   * Days to keep an expired or overwritten log version.
   * @default 30
   */
  readonly noncurrentRetentionDays?: number;
  /**
   * Provider of `region`.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** Where a load balancer writes its access logs (the `access_logs` block of an `aws_lb`). */
export interface LoadBalancerLogTarget {
  readonly bucketName: string;
  readonly prefix: string;
  /** The bucket policy that admits ELB: ELB writes a test object when access logging is turned on. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * The bucket of the site load balancer's access logs in one region: private (ACLs disabled, public
 * access blocked, TLS only), versioned, protected from destroy, expiring logs after a retention.
 * SSE-S3: the only default encryption ELB access logs support (Elastic Load Balancing User Guide,
 * "Enable access logs", bucket requirements). The bucket policy admits the region's log delivery
 * (its ELB account, or the `logdelivery.elasticloadbalancing.amazonaws.com` service in regions
 * opened since August 2022: lib/network/elb-log-delivery.ts) to put objects under
 * `<prefix>/AWSLogs/<accountId>/` only. It receives logs, so it does not log itself (DR-S3-6).
 */
export class SiteLogsBucket extends Construct {
  public readonly bucket: SecureBucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly retentionDays: number;
  public readonly noncurrentRetentionDays: number;
  /** What a load balancer's `access_logs` names. */
  public readonly target: LoadBalancerLogTarget;

  constructor(scope: Construct, id: string, props: SiteLogsBucketProps) {
    super(scope, id);
    this.retentionDays = props.retentionDays ?? 365;
    this.noncurrentRetentionDays = props.noncurrentRetentionDays ?? 30;
    const problems = logExpiryProblems(this);
    if (!Token.isUnresolved(props.prefix) && !/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/.test(props.prefix))
      problems.push(`prefix must be key segments without a leading or trailing slash (got ${JSON.stringify(props.prefix)})`);
    else if (/(^|\/)AWSLogs(\/|$)/.test(props.prefix)) problems.push(`prefix must not contain AWSLogs: ELB appends it (got ${JSON.stringify(props.prefix)})`);
    if (problems.length > 0) throw new Error(`SiteLogsBucket: ${problems.join("; ")}`);

    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: props.bucketName,
      provider: props.provider,
      policyStatements: (arn) => [
        {
          Sid: "LoadBalancerAccessLogsDelivery",
          Effect: "Allow",
          Principal: elbLogDeliveryPrincipal(props.region),
          Action: "s3:PutObject",
          Resource: `${arn}/${props.prefix}/AWSLogs/${props.accountId}/*`,
        },
      ],
    });
    this.bucketName = this.bucket.bucketName;
    this.bucketArn = this.bucket.bucketArn;
    expireLogs(this, this.bucket, this, props.provider);
    this.target = { bucketName: this.bucketName, prefix: props.prefix, dependsOn: [this.bucket.policy] };
  }
}
