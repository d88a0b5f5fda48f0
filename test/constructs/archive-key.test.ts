import { TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ArchiveKey } from "../../lib/constructs/archive-key";
import { onlyResource, ref, synthJson, testStack } from "../support/synth";

function build() {
  const stack = testStack();
  const provider = new AwsProvider(stack, "aws-dr", { region: "us-east-2", alias: "dr" });
  const key = new ArchiveKey(stack, "archive-key", {
    aliasName: "alias/acme-archives-us-east-1",
    accountId: "123456789012",
    environmentRegion: "us-east-1",
    provider,
  });
  new TerraformOutput(stack, "arn", { value: key.keyArn });
  return { key, json: synthJson(stack) };
}

describe("ArchiveKey", () => {
  const { key, json } = build();
  const resource = onlyResource(json, "aws_kms_key");

  it("is a key of the archives' region (the given provider's), with its alias there", () => {
    expect(resource.config.provider).toBe("aws.dr");
    expect(onlyResource(json, "aws_kms_alias").config).toEqual({
      name: "alias/acme-archives-us-east-1",
      target_key_id: ref("aws_kms_key", resource.id, "key_id"),
      provider: "aws.dr",
    });
    expect(resource.config.description).toBe("Database archives of us-east-1 (S3 SSE-KMS of its hosting-services bucket)");
  });

  it("admits nobody but through IAM: the account's default key policy and no service grant", () => {
    expect(JSON.parse(resource.config.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }],
    });
  });

  it("rotates yearly, keeps 30 days to cancel a deletion and is protected from destroy", () => {
    expect(resource.config).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
  });

  it("exposes its ARN and alias", () => {
    expect(key.aliasName).toBe("alias/acme-archives-us-east-1");
    expect(json.output!.arn.value).toBe(ref("aws_kms_key", resource.id, "arn"));
  });
});
