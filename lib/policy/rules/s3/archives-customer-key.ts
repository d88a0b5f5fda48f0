import { ARCHIVE_BUCKET_TAG } from "../../../naming";
import { asList, companions, firstBlock, PolicyRule } from "../../rule";

/** A key id that names an AWS managed key (aws/s3), which anyone in the account who may read the bucket can use. */
function isAwsManagedKey(key: string): boolean {
  return /(^|:)alias\/aws\//.test(key) || key === "aws/s3";
}

export const ArchivesCustomerKey: PolicyRule = {
  id: "DR-S3-8",
  description: `Every bucket of database archives (tagged ${ARCHIVE_BUCKET_TAG.key}=${ARCHIVE_BUCKET_TAG.value}) encrypts by default with SSE-KMS under a customer-managed key, with an S3 Bucket Key (the archives are whole copies of a database that is itself on a customer-managed key).`,
  fix: "Create the bucket with HostingServicesBucket and its kmsKeyArn (the environment's ArchiveKey, in the bucket's region), or set the bucket's default encryption to aws:kms with kms_master_key_id and bucket_key_enabled = true.",
  counterparts: { checkov: "CKV_AWS_145 (partial: checkov wants it of every bucket)" },
  evaluate(resource, stack) {
    if (resource.type !== "aws_s3_bucket" || resource.config.tags?.[ARCHIVE_BUCKET_TAG.key] !== ARCHIVE_BUCKET_TAG.value) return "not-applicable";
    const rules = companions(stack, "aws_s3_bucket_server_side_encryption_configuration", resource).flatMap((c) => asList<Record<string, any>>(c.config.rule));
    return rules.some((rule) => {
      const sse = firstBlock(rule?.apply_server_side_encryption_by_default);
      const key = sse?.kms_master_key_id;
      return sse?.sse_algorithm === "aws:kms" && typeof key === "string" && key !== "" && !isAwsManagedKey(key) && rule.bucket_key_enabled === true;
    })
      ? "compliant"
      : "non-compliant";
  },
};
