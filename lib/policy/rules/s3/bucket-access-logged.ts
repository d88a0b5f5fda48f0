import { companions, firstBlock, PolicyRule, reference, SynthesizedResource, SynthesizedStack } from "../../rule";

/** How a logging configuration can name `bucket` as its target: by reference, or by its literal name. */
function namesBucket(value: unknown, bucket: SynthesizedResource): boolean {
  const name = bucket.config.bucket;
  return (
    value === reference(bucket, "bucket") ||
    value === reference(bucket, "id") ||
    (typeof name === "string" && name !== "" && !name.includes("${") && value === name)
  );
}

/** What delivers access logs into `bucket` in the stack: S3 logging configurations, and load balancers' access logs. */
function deliveriesInto(stack: SynthesizedStack, bucket: SynthesizedResource): SynthesizedResource[] {
  return stack.resources.filter(
    (r) =>
      (r.type === "aws_s3_bucket_logging" && namesBucket(r.config.target_bucket, bucket)) ||
      ((r.type === "aws_lb" || r.type === "aws_alb") && namesBucket(firstBlock(r.config.access_logs)?.bucket, bucket)),
  );
}

export const BucketAccessLogged: PolicyRule = {
  id: "DR-S3-6",
  description:
    "Every bucket writes S3 server access logs into another bucket; a bucket that receives access logs (S3's, or a load balancer's) does not log into itself.",
  fix: "Pass accessLogs to SecureBucket (AccessLogBucket.targetFor(<bucket name>) gives a log bucket of the same region), or add an aws_s3_bucket_logging whose target_bucket is a log bucket.",
  counterparts: { cdkNag: "AwsSolutions-S1", checkov: "CKV_AWS_18" },
  evaluate(resource, stack) {
    if (resource.type !== "aws_s3_bucket") return "not-applicable";
    const own = companions(stack, "aws_s3_bucket_logging", resource);
    if (own.some((logging) => namesBucket(logging.config.target_bucket, resource))) return "non-compliant";
    if (own.some((logging) => typeof logging.config.target_bucket === "string" && logging.config.target_bucket !== "")) return "compliant";
    // A log bucket: logging it into another bucket would only move the question one bucket on.
    return deliveriesInto(stack, resource).length > 0 ? "compliant" : "non-compliant";
  },
};
