import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { flowLogsLogGroup } from "../naming";
import { addFlowLogsRole } from "./private/flow-logs-role";

export interface VpcFlowLogsProps {
  /** VPC to record. */
  readonly vpcId: string;
  /** Name used for the log group (`/aws/vpc/<name>/flow-logs`). */
  readonly name: string;
  /**
   * The delivery role: a name (and the account of its trust condition) to create it here, or the
   * ARN of one made elsewhere (a recovery's standby stack, in peacetime).
   */
  readonly role: { readonly roleName: string; readonly accountId: string } | { readonly roleArn: string };
  /** Days to keep the records. */
  readonly retentionDays: number;
  /**
   * Customer-managed key of the log group (a LogsKey that admits this group).
   * @default - CloudWatch Logs' own encryption (DR-LOGS-1 refuses it)
   */
  readonly kmsKeyArn?: string;
}

/**
 * Flow logs of every accepted and rejected connection in a VPC, delivered to CloudWatch Logs
 * with a retention. The delivery role can only write to this one log group.
 */
export class VpcFlowLogs extends Construct {
  public readonly logGroup: CloudwatchLogGroup;
  /** The delivery role, when it was created here. */
  public readonly role?: IamRole;
  public readonly resource: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(`VpcFlowLogs: retentionDays must be a whole number >= 1 (got ${props.retentionDays})`);
    }
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: flowLogsLogGroup(props.name),
      retentionInDays: props.retentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const role = props.role;
    if ("roleName" in role) {
      this.role = addFlowLogsRole(this, { roleName: role.roleName, accountId: role.accountId, vpcName: props.name, logGroupArn: this.logGroup.arn });
    }
    this.resource = new FlowLog(this, "resource", {
      vpcId: props.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: this.role ? this.role.arn : (role as { roleArn: string }).roleArn,
      maxAggregationInterval: 60,
    });
  }
}
