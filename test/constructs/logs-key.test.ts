import { LogsKey } from "../../lib/constructs/logs-key";
import { onlyResource, ref, synthJson, testStack } from "../support/synth";

function synth(logGroupNames: string[] = ["/aws/vpc/acme-us-east-1/flow-logs", "/aws/eks/acme-us-east-1/cluster"]) {
  const stack = testStack();
  new LogsKey(stack, "logs-key", {
    aliasName: "alias/acme-logs-us-east-1",
    accountId: "123456789012",
    region: "us-east-1",
    logGroupNames,
    description: "logs",
  });
  return synthJson(stack);
}

describe("LogsKey", () => {
  it("admits CloudWatch Logs of its region for the named log groups only", () => {
    expect(JSON.parse(onlyResource(synth(), "aws_kms_key").config.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" },
        {
          Sid: "CloudWatchLogsEncryptsTheseGroups",
          Effect: "Allow",
          Principal: { Service: "logs.us-east-1.amazonaws.com" },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: {
            ArnEquals: {
              "kms:EncryptionContext:aws:logs:arn": [
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/acme-us-east-1/flow-logs",
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/eks/acme-us-east-1/cluster",
              ],
            },
          },
        },
      ],
    });
  });

  it("rotates, keeps 30 days to cancel a deletion, is protected from destroy and has its alias", () => {
    const json = synth();
    const key = onlyResource(json, "aws_kms_key");
    expect(key.config).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(onlyResource(json, "aws_kms_alias").config).toEqual({ name: "alias/acme-logs-us-east-1", target_key_id: ref("aws_kms_key", key.id, "key_id") });
  });

  it("refuses a key for no log group", () => {
    expect(() => synth([])).toThrow("LogsKey: logGroupNames must name at least one log group (got none)");
  });
});
