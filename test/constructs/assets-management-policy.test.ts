import { TerraformOutput } from "cdktf";
import { AssetsManagementPolicy } from "../../lib/constructs/assets-management-policy";
import { onlyResource, ref, synthJson, testStack } from "../support/synth";

function build(buckets: { bucketArn: string }[]) {
  const stack = testStack();
  const construct = new AssetsManagementPolicy(stack, "assets-management-policy", { policyName: "acme-assets-management-us-east-1", buckets });
  return { stack, construct };
}

describe("AssetsManagementPolicy", () => {
  it("allows listing the buckets and reading, writing and deleting their objects, nothing else", () => {
    const { stack } = build([{ bucketArn: "arn:aws:s3:::acme-assets-us-east-1" }, { bucketArn: "arn:aws:s3:::acme-dr-assets-us-east-1" }]);
    const { config } = onlyResource(synthJson(stack), "aws_iam_policy");
    expect(config.name).toBe("acme-assets-management-us-east-1");
    expect(config.description).toBe("Workloads: list, read, write and delete assets");
    expect(JSON.parse(config.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ListAssetBuckets",
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: ["arn:aws:s3:::acme-assets-us-east-1", "arn:aws:s3:::acme-dr-assets-us-east-1"],
        },
        {
          Sid: "ReadWriteAssets",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          Resource: ["arn:aws:s3:::acme-assets-us-east-1/*", "arn:aws:s3:::acme-dr-assets-us-east-1/*"],
        },
      ],
    });
  });

  it("rejects an empty bucket list", () => {
    expect(() => build([])).toThrow("AssetsManagementPolicy: buckets must list at least one bucket (got none)");
  });

  it("exposes the policy ARN", () => {
    const { stack, construct } = build([{ bucketArn: "arn:aws:s3:::acme-assets-us-east-1" }]);
    new TerraformOutput(stack, "arn", { value: construct.policyArn });
    const json = synthJson(stack);
    expect(json.output!.arn.value).toBe(ref("aws_iam_policy", onlyResource(json, "aws_iam_policy").id, "arn"));
  });
});
