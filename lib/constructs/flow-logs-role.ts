import { Construct } from "constructs";
import { flowLogsLogGroup, logGroupArn } from "../naming";
import { addFlowLogsRole } from "./private/flow-logs-role";

export interface FlowLogsRoleProps {
  /** Role name (account-wide). */
  readonly roleName: string;
  readonly accountId: string;
  /** Region of the VPC whose flow logs the role delivers. */
  readonly region: string;
  /** Name of that VPC (its log group is `/aws/vpc/<name>/flow-logs`). */
  readonly vpcName: string;
}

/**
 * The flow-log delivery role of a VPC that does not exist yet: a recovery's standby stack makes it
 * in peacetime, and the rebuilt VPC's flow logs name it by ARN. It may write to that VPC's log
 * group only.
 */
export class FlowLogsRole extends Construct {
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, props: FlowLogsRoleProps) {
    super(scope, id);
    const group = logGroupArn(props.region, props.accountId, flowLogsLogGroup(props.vpcName));
    this.roleArn = addFlowLogsRole(this, { roleName: props.roleName, accountId: props.accountId, vpcName: props.vpcName, logGroupArn: group }).arn;
  }
}
