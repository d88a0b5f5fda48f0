import { PolicyRule } from "../../rule";

/** Intervals that turn enhanced monitoring on (0, the provider's default, turns it off). */
const INTERVALS = [1, 5, 10, 15, 30, 60];

export const EnhancedMonitoring: PolicyRule = {
  id: "DR-RDS-6",
  description: "Databases publish enhanced monitoring (OS metrics every 1 to 60 seconds) through a monitoring role.",
  fix: "Keep database.monitoringIntervalSeconds above 0 (default 60); PostgresDatabase sets monitoring_interval and monitoring_role_arn (the role is made in peacetime).",
  counterparts: { cdkNag: "NIST.800.53.R5-RDSEnhancedMonitoringEnabled", checkov: "CKV_AWS_118" },
  evaluate(resource) {
    if (resource.type !== "aws_db_instance") return "not-applicable";
    const { monitoring_interval: interval, monitoring_role_arn: role } = resource.config;
    return INTERVALS.includes(interval) && typeof role === "string" && role !== "" ? "compliant" : "non-compliant";
  },
};
