import { PolicyRule } from "../../rule";

export const DeletionProtected: PolicyRule = {
  id: "DR-RDS-2",
  description: "Databases have deletion protection and take a final snapshot.",
  fix: "Set deletion_protection = true and skip_final_snapshot = false.",
  counterparts: { cdkNag: "AwsSolutions-RDS10", checkov: "CKV_AWS_293" },
  evaluate(resource) {
    if (resource.type !== "aws_db_instance") return "not-applicable";
    // skip_final_snapshot defaults to false: unset means a final snapshot is taken.
    const takesFinalSnapshot = resource.config.skip_final_snapshot === undefined || resource.config.skip_final_snapshot === false;
    return resource.config.deletion_protection === true && takesFinalSnapshot ? "compliant" : "non-compliant";
  },
};
