import { PolicyRule } from "../../rule";

export const NotPublic: PolicyRule = {
  id: "DR-RDS-4",
  description: "Databases are not publicly accessible.",
  fix: "Set publicly_accessible = false and keep the instance in private subnets.",
  counterparts: { cdkNag: "NIST.800.53.R5-RDSInstancePublicAccess", checkov: "CKV_AWS_17" },
  evaluate(resource) {
    if (resource.type !== "aws_db_instance") return "not-applicable";
    // publicly_accessible defaults to false: unset means private.
    const publiclyAccessible = resource.config.publicly_accessible;
    return publiclyAccessible === undefined || publiclyAccessible === false ? "compliant" : "non-compliant";
  },
};
