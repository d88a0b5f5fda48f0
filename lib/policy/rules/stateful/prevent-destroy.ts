import { PolicyRule } from "../../rule";

/** Resources whose loss loses data or a recovery path. */
export const STATEFUL_TYPES = ["aws_s3_bucket", "aws_db_instance", "aws_mq_broker", "aws_kms_key", "aws_kms_replica_key", "aws_route53_zone"];

export const PreventDestroy: PolicyRule = {
  id: "DR-STATE-1",
  description: "Stateful resources (buckets, databases, brokers, KMS keys, hosted zones) carry lifecycle.prevent_destroy and no force_destroy.",
  fix: "Set lifecycle { prevent_destroy = true } and leave force_destroy unset or false; deleting one is a deliberate change of this rule's suppression.",
  counterparts: { cdkNag: "-", checkov: "-" },
  evaluate(resource) {
    if (!STATEFUL_TYPES.includes(resource.type)) return "not-applicable";
    return resource.config.lifecycle?.prevent_destroy === true && resource.config.force_destroy !== true ? "compliant" : "non-compliant";
  },
};
