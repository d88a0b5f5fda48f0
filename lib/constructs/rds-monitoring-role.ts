import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { serviceTrustPolicy } from "./private/iam";

/** AWS's managed policy for enhanced monitoring: create and write the `RDSOSMetrics` log group only. */
export const RDS_ENHANCED_MONITORING_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";

export interface RdsMonitoringRoleProps {
  /** Role name (account-wide). */
  readonly roleName: string;
  /** Only RDS acting for this account may assume the role (confused-deputy protection). */
  readonly accountId: string;
}

/**
 * The role RDS enhanced monitoring assumes to publish a database's OS metrics. It is IAM, so a
 * primary makes it in its application stack and a recovery in its standby stack, in peacetime;
 * the restored database names it by ARN.
 */
export class RdsMonitoringRole extends Construct {
  public readonly resource: IamRole;
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, props: RdsMonitoringRoleProps) {
    super(scope, id);
    this.resource = new IamRole(this, "resource", {
      name: props.roleName,
      description: "RDS enhanced monitoring: publishes the databases' OS metrics to CloudWatch Logs",
      assumeRolePolicy: serviceTrustPolicy("monitoring.rds.amazonaws.com", props.accountId),
    });
    new IamRolePolicyAttachment(this, "policy", { role: this.resource.name, policyArn: RDS_ENHANCED_MONITORING_POLICY_ARN });
    this.roleArn = this.resource.arn;
  }
}
