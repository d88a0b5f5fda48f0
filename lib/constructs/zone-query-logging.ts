import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { Route53QueryLog } from "@cdktf/provider-aws/lib/route53-query-log";
import { logGroupArn, queryLogGroup, ROUTE53_CONTROL_REGION } from "../naming";
import { LogsKey } from "./logs-key";
import { policyDocument } from "./private/iam";

export interface ZoneQueryLoggingProps {
  readonly zoneId: string;
  readonly domain: string;
  readonly accountId: string;
  /** Alias of the log group's key (in us-east-1). */
  readonly keyAliasName: string;
  /** Name of the CloudWatch Logs resource policy that admits Route 53 (one per zone; 10 per region). */
  readonly resourcePolicyName: string;
  /**
   * Days to keep the query logs.
   * @default 365
   */
  readonly retentionDays?: number;
  /** Provider of us-east-1: Route 53 delivers query logs to a log group there only. */
  readonly usEast1Provider: TerraformProvider;
}

/**
 * DNS query logging of a public zone into `/aws/route53/<domain>` in us-east-1, encrypted with a
 * customer-managed key, with a retention, and a resource policy that lets Route 53 write there
 * for this zone only. Queries answered while us-east-1 is unavailable are not logged.
 */
export class ZoneQueryLogging extends Construct {
  public readonly logGroup: CloudwatchLogGroup;
  public readonly resource: Route53QueryLog;

  constructor(scope: Construct, id: string, props: ZoneQueryLoggingProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 365;
    if (!Number.isInteger(retentionDays) || retentionDays < 1)
      throw new Error(`ZoneQueryLogging: retentionDays must be a whole number >= 1 (got ${retentionDays})`);
    const provider = props.usEast1Provider;
    const name = queryLogGroup(props.domain);
    const key = new LogsKey(this, "key", {
      provider,
      aliasName: props.keyAliasName,
      accountId: props.accountId,
      region: ROUTE53_CONTROL_REGION,
      logGroupNames: [name],
      description: `DNS query logs of ${props.domain}`,
    });
    this.logGroup = new CloudwatchLogGroup(this, "log-group", { provider, name, retentionInDays: retentionDays, kmsKeyId: key.keyArn });
    const policy = new CloudwatchLogResourcePolicy(this, "resource-policy", {
      provider,
      policyName: props.resourcePolicyName,
      policyDocument: policyDocument({
        Sid: "Route53WritesQueryLogs",
        Effect: "Allow",
        Principal: { Service: "route53.amazonaws.com" },
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${logGroupArn(ROUTE53_CONTROL_REGION, props.accountId, name)}:*`,
        Condition: { StringEquals: { "aws:SourceAccount": props.accountId }, ArnLike: { "aws:SourceArn": `arn:aws:route53:::hostedzone/${props.zoneId}` } },
      }),
    });
    this.resource = new Route53QueryLog(this, "resource", {
      zoneId: props.zoneId,
      cloudwatchLogGroupArn: this.logGroup.arn,
      dependsOn: [policy],
    });
  }
}
