import { Testing } from "cdktf";
import { StateBucketStack } from "../../stacks/state-bucket-stack";
import { environment, primaryInput } from "../support/environments";
import { onlyResource, synthJson } from "../support/synth";

describe("StateBucketStack", () => {
  const app = Testing.app();
  const stack = new StateBucketStack(app, environment(primaryInput()));
  const json = synthJson(stack);

  it("is named after the bucket and keeps its own state locally (it cannot live in itself before it exists)", () => {
    expect(stack.node.id).toBe("state-acme-terraform-state");
    expect(json.terraform.backend).toBeUndefined();
  });

  it("creates the bucket in the state region, bound to the account", () => {
    expect(json.provider!.aws[0]).toMatchObject({ region: "us-west-2", allowed_account_ids: ["123456789012"] });
    expect(onlyResource(json, "aws_s3_bucket").config).toMatchObject({ bucket: "acme-terraform-state", force_destroy: false, lifecycle: { prevent_destroy: true } });
  });

  it("versions, encrypts and closes the bucket", () => {
    expect(onlyResource(json, "aws_s3_bucket_versioning").config.versioning_configuration.status).toBe("Enabled");
    expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").config.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("AES256");
    expect(onlyResource(json, "aws_s3_bucket_public_access_block").config).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });
});
