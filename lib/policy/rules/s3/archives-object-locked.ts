import { ARCHIVE_BUCKET_TAG } from "../../../naming";
import { companions, firstBlock, PolicyRule } from "../../rule";

const MODES = ["GOVERNANCE", "COMPLIANCE"];

export const ArchivesObjectLocked: PolicyRule = {
  id: "DR-S3-7",
  description: `Every bucket of database archives (tagged ${ARCHIVE_BUCKET_TAG.key}=${ARCHIVE_BUCKET_TAG.value}) locks each object version with S3 Object Lock: a default retention in GOVERNANCE or COMPLIANCE mode of at least one day.`,
  fix: "Create the bucket with HostingServicesBucket (backups.objectLock in the environment), or add an aws_s3_bucket_object_lock_configuration with rule.default_retention { mode, days }.",
  counterparts: { checkov: "CKV_AWS_143" },
  evaluate(resource, stack) {
    if (resource.type !== "aws_s3_bucket") return "not-applicable";
    if (resource.config.tags?.[ARCHIVE_BUCKET_TAG.key] !== ARCHIVE_BUCKET_TAG.value) return "not-applicable";
    const locked = companions(stack, "aws_s3_bucket_object_lock_configuration", resource).some((lock) => {
      const retention = firstBlock(firstBlock(lock.config.rule)?.default_retention);
      const period = (retention?.days ?? 0) > 0 || (retention?.years ?? 0) > 0;
      return lock.config.object_lock_enabled !== "Disabled" && MODES.includes(retention?.mode) && period;
    });
    return locked ? "compliant" : "non-compliant";
  },
};
