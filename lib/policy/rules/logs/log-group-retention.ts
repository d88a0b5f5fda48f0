import { PolicyRule } from "../../rule";

/** A year: an audit's history (PCI DSS 10.5.1 keeps twelve months; incidents surface months late). */
export const MINIMUM_LOG_RETENTION_DAYS = 365;

export const LogGroupRetention: PolicyRule = {
  id: "DR-LOGS-2",
  description: `CloudWatch Logs groups keep their logs for a stated period of at least ${MINIMUM_LOG_RETENTION_DAYS} days (retention_in_days set; never expire, unset or 0, is not a decision anyone costed).`,
  fix: "Set the log type's days in the environment file's logRetention (default 365; shorter fails this rule unless suppressed with a reason), or retention_in_days on the group.",
  counterparts: { checkov: "CKV_AWS_338 / CKV_AWS_66" },
  evaluate(resource) {
    if (resource.type !== "aws_cloudwatch_log_group") return "not-applicable";
    const days = resource.config.retention_in_days;
    return typeof days === "number" && days >= MINIMUM_LOG_RETENTION_DAYS ? "compliant" : "non-compliant";
  },
};
