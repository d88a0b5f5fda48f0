import { BACKUP_REPLICATION_TAG, parseStackId } from "../../../naming";
import { reference, PolicyRule } from "../../rule";

export const BackupsReplicated: PolicyRule = {
  id: "DR-RDS-5",
  description: "Automated backups are replicated into another region (the recovery restores from them).",
  fix: `Keep PostgresDatabase's backup replication on: an aws_db_instance_automated_backups_replication of this instance in its stack, or backupReplication "separate-stack" (the tag ${BACKUP_REPLICATION_TAG}=<replication-<region> stack id>) with a DatabaseBackupReplication of its ARN in that stack.`,
  counterparts: { cdkNag: "-", checkov: "-" },
  evaluate(resource, stack) {
    if (resource.type !== "aws_db_instance") return "not-applicable";
    const arn = reference(resource, "arn");
    if (stack.resources.some((r) => r.type === "aws_db_instance_automated_backups_replication" && r.config.source_db_instance_arn === arn)) return "compliant";
    // A rule sees one stack: the instance may only point at a replication stack; an app test
    // checks that the stack it names really replicates this instance's ARN.
    const replicatedIn = resource.config.tags?.[BACKUP_REPLICATION_TAG];
    return typeof replicatedIn === "string" && parseStackId(replicatedIn)?.layer === "replication" ? "compliant" : "non-compliant";
  },
};
