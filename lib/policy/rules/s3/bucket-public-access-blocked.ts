import { companions, PolicyRule } from "../../rule";

const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

export const BucketPublicAccessBlocked: PolicyRule = {
  id: "DR-S3-1",
  description: "Every bucket has a public-access block with all four settings on.",
  fix: "Create the bucket with SecureBucket, or add an aws_s3_bucket_public_access_block with all four flags true.",
  counterparts: { cdkNag: "AwsSolutions-S2 / NIST.800.53.R5-S3BucketLevelPublicAccessProhibited", checkov: "CKV2_AWS_6 / CKV_AWS_53-56" },
  evaluate(resource, stack) {
    if (resource.type !== "aws_s3_bucket") return "not-applicable";
    const blocks = companions(stack, "aws_s3_bucket_public_access_block", resource);
    return blocks.some((b) => FLAGS.every((flag) => b.config[flag] === true)) ? "compliant" : "non-compliant";
  },
};
