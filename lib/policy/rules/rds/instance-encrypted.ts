import { PolicyRule } from "../../rule";

export const InstanceEncrypted: PolicyRule = {
  id: "DR-RDS-1",
  description: "Database storage is encrypted.",
  fix: "Set storage_encrypted = true (PostgresDatabase does); an existing instance needs a snapshot-and-restore.",
  counterparts: { cdkNag: "AwsSolutions-RDS2", checkov: "CKV_AWS_16" },
  evaluate(resource) {
    if (resource.type !== "aws_db_instance") return "not-applicable";
    return resource.config.storage_encrypted === true ? "compliant" : "non-compliant";
  },
};
