import { Testing } from "cdktf";
import { StateBucketStack } from "../../stacks/state-bucket-stack";
import { environment, primaryInput } from "../support/environments";
import { ref, resources, synthJson } from "../support/synth";

describe("StateBucketStack", () => {
  const app = Testing.app();
  const stack = new StateBucketStack(app, environment(primaryInput()));
  const json = synthJson(stack);
  const stateId = stack.getLogicalId(stack.bucket.resource);
  const logsId = stack.getLogicalId(stack.accessLogs.bucket.resource);
  /** The one resource of `type` that configures the bucket with logical id `bucketId`. */
  const of = (type: string, bucketId: string) => {
    const found = Object.values(resources(json, type)).filter((r: any) => r.bucket === ref("aws_s3_bucket", bucketId, "id"));
    expect(found).toHaveLength(1);
    return found[0] as any;
  };

  it("is named after the bucket and keeps its own state locally (it cannot live in itself before it exists)", () => {
    expect(stack.node.id).toBe("state-acme-terraform-state");
    expect(json.terraform.backend).toBeUndefined();
  });

  it("creates the state bucket and its access-log bucket in the state region, bound to the account", () => {
    expect(json.provider!.aws[0]).toMatchObject({ region: "us-west-2", allowed_account_ids: ["123456789012"] });
    expect(Object.keys(resources(json, "aws_s3_bucket")).sort()).toEqual([logsId, stateId].sort());
    expect(resources(json, "aws_s3_bucket")[stateId]).toMatchObject({
      bucket: "acme-terraform-state",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(resources(json, "aws_s3_bucket")[logsId]).toMatchObject({
      bucket: "acme-terraform-state-access-logs",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("encrypts the state bucket with its own customer-managed key (SSE-KMS, bucket key), the access-log bucket with SSE-S3", () => {
    const keyId = Object.keys(resources(json, "aws_kms_key"))[0];
    expect(Object.keys(resources(json, "aws_kms_key"))).toEqual([keyId]);
    expect(of("aws_s3_bucket_server_side_encryption_configuration", stateId).rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: ref("aws_kms_key", keyId, "arn") }, bucket_key_enabled: true },
    ]);
    expect(of("aws_s3_bucket_server_side_encryption_configuration", logsId).rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "AES256",
    });
    const key = resources(json, "aws_kms_key")[keyId];
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(JSON.parse(key.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" },
        {
          Sid: "UseThroughS3",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: "*",
          Condition: { StringEquals: { "kms:CallerAccount": "123456789012", "kms:ViaService": "s3.us-west-2.amazonaws.com" } },
        },
      ],
    });
    expect(Object.values(resources(json, "aws_kms_alias")).map((a: any) => a.name)).toEqual(["alias/acme-terraform-state-state"]);
  });

  it.each([
    ["state", () => stateId],
    ["access-log", () => logsId],
  ])("versions, encrypts and closes the %s bucket", (_name, id) => {
    expect(of("aws_s3_bucket_versioning", id()).versioning_configuration.status).toBe("Enabled");
    expect(of("aws_s3_bucket_server_side_encryption_configuration", id()).rule[0].apply_server_side_encryption_by_default.sse_algorithm).toMatch(
      /^(AES256|aws:kms)$/,
    );
    expect(of("aws_s3_bucket_public_access_block", id())).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it("logs every request on the state bucket into the access-log bucket, which logs nowhere", () => {
    expect(Object.values(resources(json, "aws_s3_bucket_logging"))).toEqual([
      {
        bucket: ref("aws_s3_bucket", stateId, "id"),
        target_bucket: ref("aws_s3_bucket", logsId, "bucket"),
        target_prefix: "acme-terraform-state/",
        depends_on: [`aws_s3_bucket_policy.${stack.getLogicalId(stack.accessLogs.bucket.policy)}`],
      },
    ]);
  });
});
