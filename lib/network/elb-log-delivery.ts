/**
 * Who delivers an Application Load Balancer's access logs into an S3 bucket, per region, as the
 * Elastic Load Balancing User Guide has it ("Enable access logs for your Application Load
 * Balancer", step 2, docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html):
 * - a region available before August 2022 delivers as its regional Elastic Load Balancing account,
 *   which the bucket policy names as `arn:aws:iam::<elb-account-id>:root`;
 * - a region available since delivers as the service principal
 *   `logdelivery.elasticloadbalancing.amazonaws.com`.
 * The account ids below are the guide's table (also aws-cdk's region-info fact table, ELBV2_ACCOUNTS,
 * which cites it); a region not listed is a newer one. docs/dns-failover.md prints the table.
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-southeast-3": "589379963580",
  "ap-south-1": "718504428378",
  "ap-northeast-3": "383597477331",
  "ap-northeast-2": "600734575887",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
};

/** The service principal of the regions available since August 2022. */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** The principal a bucket policy admits for the access logs of a load balancer in `region`. */
export function elbLogDeliveryPrincipal(region: string): { readonly AWS: string } | { readonly Service: string } {
  const account = ELB_LOG_DELIVERY_ACCOUNTS[region];
  return account === undefined ? { Service: ELB_LOG_DELIVERY_SERVICE } : { AWS: `arn:aws:iam::${account}:root` };
}
