import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { policyDocument, serviceTrustPolicy } from "./private/iam";

export interface VpcFlowLogsProps {
  /** VPC to record. */
  readonly vpcId: string;
  /** Name used for the log group (`/aws/vpc/<name>/flow-logs`). */
  readonly name: string;
  /** IAM role name (account-wide, so unique per environment). */
  readonly roleName: string;
  /** Account the delivery service acts for (trust-policy condition). */
  readonly accountId: string;
  /** Days to keep the records. */
  readonly retentionDays: number;
}

/**
 * Flow logs of every accepted and rejected connection in a VPC, delivered to CloudWatch Logs
 * with a retention. The delivery role can only write to this one log group.
 */
export class VpcFlowLogs extends Construct {
  public readonly logGroup: CloudwatchLogGroup;
  public readonly role: IamRole;
  public readonly resource: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(`VpcFlowLogs: retentionDays must be a whole number >= 1 (got ${props.retentionDays})`);
    }
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/vpc/${props.name}/flow-logs`,
      retentionInDays: props.retentionDays,
    });
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: `Delivers VPC flow logs of ${props.name} to CloudWatch Logs`,
      assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", props.accountId),
    });
    new IamRolePolicy(this, "policy", {
      name: "write-flow-logs",
      role: this.role.id,
      policy: policyDocument({
        Sid: "WriteFlowLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
        Resource: [this.logGroup.arn, `${this.logGroup.arn}:*`],
      }),
    });
    this.resource = new FlowLog(this, "resource", {
      vpcId: props.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: this.role.arn,
      maxAggregationInterval: 60,
    });
  }
}
