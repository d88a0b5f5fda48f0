import { SiteLogsBucket, type SiteLogsBucketProps } from "../../lib/constructs/site-logs-bucket";
import { denyInsecureTransport } from "../support/expected";
import { onlyResource, ref, resources, synthJson, testStack } from "../support/synth";

function build(props: Partial<SiteLogsBucketProps> = {}) {
  const stack = testStack();
  const construct = new SiteLogsBucket(stack, "site-logs", {
    bucketName: "acme-site-logs-us-east-1",
    accountId: "123456789012",
    region: "us-east-1",
    prefix: "site-load-balancer",
    ...props,
  });
  return { stack, construct, json: synthJson(stack) };
}

describe("SiteLogsBucket", () => {
  const { json, construct } = build();
  const bucketId = onlyResource(json, "aws_s3_bucket").id;
  const arn = ref("aws_s3_bucket", bucketId, "arn");

  it("is a private, versioned bucket protected from destroy, encrypted with SSE-S3 (the only encryption ELB access logs support)", () => {
    expect(onlyResource(json, "aws_s3_bucket").config).toEqual({
      bucket: "acme-site-logs-us-east-1",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").config.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    expect(onlyResource(json, "aws_s3_bucket_versioning").config.versioning_configuration).toEqual({ status: "Enabled" });
    expect(onlyResource(json, "aws_s3_bucket_ownership_controls").config.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    expect(resources(json, "aws_s3_bucket_logging")).toEqual({});
  });

  it("lets the region's ELB account put objects under <prefix>/AWSLogs/<account>/ only, and only over TLS (us-east-1: an account of before August 2022)", () => {
    expect(JSON.parse(onlyResource(json, "aws_s3_bucket_policy").config.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        denyInsecureTransport(arn),
        {
          Sid: "LoadBalancerAccessLogsDelivery",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::127311923021:root" },
          Action: "s3:PutObject",
          Resource: `${arn}/site-load-balancer/AWSLogs/123456789012/*`,
        },
      ],
    });
  });

  it("admits the log delivery service in a region opened since August 2022", () => {
    const statement = JSON.parse(onlyResource(build({ region: "eu-central-2" }).json, "aws_s3_bucket_policy").config.policy).Statement[1];
    expect(statement.Principal).toEqual({ Service: "logdelivery.elasticloadbalancing.amazonaws.com" });
  });

  it("expires logs after a year by default (old versions 30 days later) and abandoned uploads after 7", () => {
    expect(onlyResource(json, "aws_s3_bucket_lifecycle_configuration").config.rule).toEqual([
      {
        id: "expire-access-logs",
        status: "Enabled",
        filter: [{}],
        expiration: [{ days: 365 }],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
    expect([construct.retentionDays, construct.noncurrentRetentionDays]).toEqual([365, 30]);
    const [rule] = onlyResource(build({ retentionDays: 90, noncurrentRetentionDays: 7 }).json, "aws_s3_bucket_lifecycle_configuration").config.rule;
    expect([rule.expiration, rule.noncurrent_version_expiration]).toEqual([[{ days: 90 }], [{ noncurrent_days: 7 }]]);
  });

  it("gives a load balancer its target: bucket, prefix, and the bucket policy to wait for", () => {
    expect(construct.target).toEqual({ bucketName: construct.bucketName, prefix: "site-load-balancer", dependsOn: [construct.bucket.policy] });
  });

  it("refuses bad retentions and prefixes, with every problem at once", () => {
    expect(() => build({ retentionDays: 0, noncurrentRetentionDays: 1.5 })).toThrow(
      "SiteLogsBucket: retentionDays must be a whole number >= 1 (got 0); noncurrentRetentionDays must be a whole number >= 1 (got 1.5)",
    );
    for (const prefix of ["/site", "site/", "a b", ""]) {
      expect(() => build({ prefix })).toThrow(
        `SiteLogsBucket: prefix must be key segments without a leading or trailing slash (got ${JSON.stringify(prefix)})`,
      );
    }
    expect(() => build({ prefix: "site/AWSLogs" })).toThrow('SiteLogsBucket: prefix must not contain AWSLogs: ELB appends it (got "site/AWSLogs")');
    expect(() => build({ prefix: "alb/site" })).not.toThrow();
  });
});
