import type { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { policyDocument, serviceTrustPolicy } from "./iam";

/**
 * The role VPC flow logs deliver with (ids `role` and `policy` in `scope`): it may write to one log
 * group only. `logGroupArn` may be known before the group exists (a recovery's standby stack).
 */
export function addFlowLogsRole(scope: Construct, props: { roleName: string; accountId: string; vpcName: string; logGroupArn: string }): IamRole {
  const role = new IamRole(scope, "role", {
    name: props.roleName,
    description: `Delivers VPC flow logs of ${props.vpcName} to CloudWatch Logs`,
    assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", props.accountId),
  });
  new IamRolePolicy(scope, "policy", {
    name: "write-flow-logs",
    role: role.id,
    policy: policyDocument({
      Sid: "WriteFlowLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
      Resource: [props.logGroupArn, `${props.logGroupArn}:*`],
    }),
  });
  return role;
}
