import { asList, companions, firstBlock, PolicyRule } from "../../rule";

export const BucketEncrypted: PolicyRule = {
  id: "DR-S3-2",
  description: "Every bucket has default encryption (SSE-S3 or SSE-KMS).",
  fix: "Add an aws_s3_bucket_server_side_encryption_configuration (SecureBucket does).",
  counterparts: { cdkNag: "NIST.800.53.R5-S3DefaultEncryptionKMS", checkov: "CKV_AWS_19" },
  evaluate(resource, stack) {
    if (resource.type !== "aws_s3_bucket") return "not-applicable";
    const configs = companions(stack, "aws_s3_bucket_server_side_encryption_configuration", resource);
    const algorithms = configs.flatMap((c) => asList<any>(c.config.rule).map((r) => firstBlock(r?.apply_server_side_encryption_by_default)?.sse_algorithm));
    return algorithms.some((a) => a === "AES256" || a === "aws:kms" || a === "aws:kms:dsse") ? "compliant" : "non-compliant";
  },
};
