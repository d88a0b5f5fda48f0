import { PolicyRule } from "../../rule";

export const BackupsRetained: PolicyRule = {
  id: "DR-RDS-3",
  description: "Automated backups are kept for at least 7 days.",
  fix: "Set database.backupRetentionDays (7-35) in the environment file.",
  counterparts: { cdkNag: "NIST.800.53.R5-RDSInBackupPlan", checkov: "CKV_AWS_133" },
  evaluate(resource) {
    if (resource.type !== "aws_db_instance") return "not-applicable";
    return typeof resource.config.backup_retention_period === "number" && resource.config.backup_retention_period >= 7 ? "compliant" : "non-compliant";
  },
};
