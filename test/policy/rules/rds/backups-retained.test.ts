import { BackupsRetained } from "../../../../lib/policy/rules/rds/backups-retained";
import { dbInstance, describeRuleBasics, judge, resource } from "../../../support/policy";

const rule = BackupsRetained;

describe("DR-RDS-3 backups retained", () => {
  describeRuleBasics(rule, "DR-RDS-3");

  it.each([7, 14, 35])("compliant: %i days", (days) => {
    expect(judge(rule, dbInstance({ backup_retention_period: days }))).toBe("compliant");
  });

  it.each([0, 1, 6])("non-compliant: %i days", (days) => {
    expect(judge(rule, dbInstance({ backup_retention_period: days }))).toBe("non-compliant");
  });

  it("non-compliant: unset (RDS keeps 1 day)", () => {
    expect(judge(rule, dbInstance({ backup_retention_period: undefined }))).toBe("non-compliant");
  });

  it("not applicable: the backup replication (its own retention is not this rule's)", () => {
    expect(judge(rule, resource("aws_db_instance_automated_backups_replication", "r", { retention_period: 1 }))).toBe("not-applicable");
  });
});
