import { reference, PolicyRule } from "../../rule";

export const BackupsReplicated: PolicyRule = {
  id: "DR-RDS-5",
  description: "Automated backups are replicated into another region (the recovery restores from them).",
  fix: "Keep PostgresDatabase's backup replication on (an aws_db_instance_automated_backups_replication of this instance).",
  counterparts: { cdkNag: "-", checkov: "-" },
  evaluate(resource, stack) {
    if (resource.type !== "aws_db_instance") return "not-applicable";
    const arn = reference(resource, "arn");
    return stack.resources.some((r) => r.type === "aws_db_instance_automated_backups_replication" && r.config.source_db_instance_arn === arn)
      ? "compliant"
      : "non-compliant";
  },
};
