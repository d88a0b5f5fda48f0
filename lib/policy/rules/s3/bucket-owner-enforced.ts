import { companions, firstBlock, PolicyRule } from "../../rule";

export const BucketOwnerEnforced: PolicyRule = {
  id: "DR-S3-5",
  description: "Every bucket disables ACLs (object ownership BucketOwnerEnforced).",
  fix: "Add an aws_s3_bucket_ownership_controls with object_ownership BucketOwnerEnforced (SecureBucket does).",
  counterparts: { cdkNag: "-", checkov: "CKV2_AWS_65" },
  evaluate(resource, stack) {
    if (resource.type !== "aws_s3_bucket") return "not-applicable";
    const controls = companions(stack, "aws_s3_bucket_ownership_controls", resource);
    return controls.some((c) => firstBlock(c.config.rule)?.object_ownership === "BucketOwnerEnforced") ? "compliant" : "non-compliant";
  },
};
