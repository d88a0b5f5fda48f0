import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AccessLogBucket, AccessLogBucketProps } from "../../lib/constructs/access-log-bucket";
import { SecureBucket } from "../../lib/constructs/secure-bucket";
import { denyInsecureTransport } from "../support/expected";
import { onlyResource, ref, resources, synthJson, testStack } from "../support/synth";

function build(props: Partial<AccessLogBucketProps> = {}) {
  const stack = testStack();
  const provider = new AwsProvider(stack, "aws-dr", { region: "us-east-2", alias: "dr" });
  const construct = new AccessLogBucket(stack, "access-logs", { bucketName: "acme-dr-access-logs-us-east-1", accountId: "123456789012", provider, ...props });
  return { stack, construct, provider };
}

describe("AccessLogBucket", () => {
  it("is a private, versioned, SSE-S3 bucket protected from destroy, in the given region", () => {
    const json = synthJson(build().stack);
    expect(onlyResource(json, "aws_s3_bucket").config).toEqual({
      bucket: "acme-dr-access-logs-us-east-1",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
      provider: "aws.dr",
    });
    expect(onlyResource(json, "aws_s3_bucket_versioning").config.versioning_configuration).toEqual({ status: "Enabled" });
    // SSE-S3: the only default encryption S3 documents for a server access logging destination.
    expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").config.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    expect(onlyResource(json, "aws_s3_bucket_ownership_controls").config.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  it("does not log into itself (or anywhere)", () => {
    expect(resources(synthJson(build().stack), "aws_s3_bucket_logging")).toEqual({});
  });

  it("lets only the S3 logging service of this account put objects, and only over TLS", () => {
    const json = synthJson(build().stack);
    const arn = ref("aws_s3_bucket", onlyResource(json, "aws_s3_bucket").id, "arn");
    expect(JSON.parse(onlyResource(json, "aws_s3_bucket_policy").config.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        denyInsecureTransport(arn),
        {
          Sid: "S3ServerAccessLogsDelivery",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${arn}/*`,
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
  });

  it("expires logs after 90 days and their old versions 30 days later by default; both can be set", () => {
    const rule = (props: Partial<AccessLogBucketProps>) => onlyResource(synthJson(build(props).stack), "aws_s3_bucket_lifecycle_configuration").config.rule;
    expect(rule({})).toEqual([
      {
        id: "expire-access-logs",
        status: "Enabled",
        filter: [{}],
        expiration: [{ days: 90 }],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
    expect(rule({ retentionDays: 365, noncurrentRetentionDays: 7 })[0]).toMatchObject({
      expiration: [{ days: 365 }],
      noncurrent_version_expiration: [{ noncurrent_days: 7 }],
    });
  });

  it("rejects retentions that are not whole numbers of days >= 1, all at once", () => {
    expect(() => build({ retentionDays: 0 })).toThrow("AccessLogBucket: retentionDays must be a whole number >= 1 (got 0)");
    expect(() => build({ noncurrentRetentionDays: 1.5 })).toThrow("AccessLogBucket: noncurrentRetentionDays must be a whole number >= 1 (got 1.5)");
    expect(() => build({ retentionDays: -1, noncurrentRetentionDays: 0 })).toThrow(
      "AccessLogBucket: retentionDays must be a whole number >= 1 (got -1); noncurrentRetentionDays must be a whole number >= 1 (got 0)",
    );
  });

  it("gives a source bucket its prefix, and turns logging on only after its policy admits the logging service", () => {
    const { stack, construct, provider } = build();
    const source = new SecureBucket(stack, "archives", {
      bucketName: "acme-hosting-services-us-east-1",
      provider,
      accessLogs: construct.targetFor("acme-hosting-services-us-east-1"),
    });
    const json = synthJson(stack);
    expect(onlyResource(json, "aws_s3_bucket_logging").config).toEqual({
      bucket: ref("aws_s3_bucket", stack.getLogicalId(source.resource), "id"),
      provider: "aws.dr",
      target_bucket: ref("aws_s3_bucket", stack.getLogicalId(construct.bucket.resource), "bucket"),
      target_prefix: "acme-hosting-services-us-east-1/",
      depends_on: [`aws_s3_bucket_policy.${stack.getLogicalId(construct.bucket.policy)}`],
    });
  });
});
