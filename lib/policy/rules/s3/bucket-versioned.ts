import { companions, firstBlock, PolicyRule } from "../../rule";

export const BucketVersioned: PolicyRule = {
  id: "DR-S3-3",
  description: "Every bucket keeps versions (all buckets here hold state, assets or archives).",
  fix: "Add an aws_s3_bucket_versioning with status Enabled (SecureBucket does).",
  counterparts: { cdkNag: "NIST.800.53.R5-S3BucketVersioningEnabled", checkov: "CKV_AWS_21" },
  evaluate(resource, stack) {
    if (resource.type !== "aws_s3_bucket") return "not-applicable";
    const versioning = companions(stack, "aws_s3_bucket_versioning", resource);
    return versioning.some((v) => firstBlock(v.config.versioning_configuration)?.status === "Enabled") ? "compliant" : "non-compliant";
  },
};
