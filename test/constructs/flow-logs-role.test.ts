import { TerraformOutput } from "cdktf";
import { FlowLogsRole } from "../../lib/constructs/flow-logs-role";
import { onlyResource, ref, synthJson, testStack } from "../support/synth";

function build() {
  const stack = testStack();
  const role = new FlowLogsRole(stack, "flow-logs-role", {
    roleName: "acme-flow-logs-us-east-2",
    accountId: "123456789012",
    region: "us-east-2",
    vpcName: "acme-us-east-2",
  });
  return { stack, role };
}

const JSON_OF = synthJson(build().stack);
const LOG_GROUP = "arn:aws:logs:us-east-2:123456789012:log-group:/aws/vpc/acme-us-east-2/flow-logs";

describe("FlowLogsRole", () => {
  it("lets only VPC flow logs of this account assume it", () => {
    const role = onlyResource(JSON_OF, "aws_iam_role").config;
    expect(role.name).toBe("acme-flow-logs-us-east-2");
    expect(role.description).toBe("Delivers VPC flow logs of acme-us-east-2 to CloudWatch Logs");
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
  });

  it("may write only to the flow-log group of its VPC, named before the group exists", () => {
    const policy = onlyResource(JSON_OF, "aws_iam_role_policy").config;
    expect(policy.role).toBe(ref("aws_iam_role", onlyResource(JSON_OF, "aws_iam_role").id, "id"));
    expect(policy.name).toBe("write-flow-logs");
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WriteFlowLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
          Resource: [LOG_GROUP, `${LOG_GROUP}:*`],
        },
      ],
    });
  });

  it("creates only the role and its policy (no log group, no flow log)", () => {
    expect(Object.keys(JSON_OF.resource!).sort()).toEqual(["aws_iam_role", "aws_iam_role_policy"]);
  });

  it("exposes the role's ARN", () => {
    const { stack, role } = build();
    new TerraformOutput(stack, "arn", { value: role.roleArn });
    const json = synthJson(stack);
    expect(json.output!.arn.value).toBe(ref("aws_iam_role", onlyResource(json, "aws_iam_role").id, "arn"));
  });
});
