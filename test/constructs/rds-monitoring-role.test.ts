import { RdsMonitoringRole } from "../../lib/constructs/rds-monitoring-role";
import { onlyResource, ref, synthJson, testStack } from "../support/synth";

describe("RdsMonitoringRole", () => {
  const stack = testStack();
  new RdsMonitoringRole(stack, "monitoring-role", { roleName: "acme-rds-monitoring-us-east-1", accountId: "123456789012" });
  const json = synthJson(stack);

  it("may be assumed by RDS enhanced monitoring acting for this account only", () => {
    const role = onlyResource(json, "aws_iam_role").config;
    expect(role.name).toBe("acme-rds-monitoring-us-east-1");
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "monitoring.rds.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
  });

  it("carries AmazonRDSEnhancedMonitoringRole and nothing else", () => {
    expect(onlyResource(json, "aws_iam_role_policy_attachment").config).toEqual({
      role: ref("aws_iam_role", onlyResource(json, "aws_iam_role").id, "name"),
      policy_arn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    });
    expect(json.resource!.aws_iam_role_policy).toBeUndefined();
  });
});
