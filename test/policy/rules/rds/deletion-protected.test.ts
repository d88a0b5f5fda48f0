import { DeletionProtected } from "../../../../lib/policy/rules/rds/deletion-protected";
import { dbInstance, describeRuleBasics, judge, resource } from "../../../support/policy";

const rule = DeletionProtected;

describe("DR-RDS-2 database deletion protected", () => {
  describeRuleBasics(rule, "DR-RDS-2");

  describe("compliant", () => {
    it("deletion_protection true and skip_final_snapshot false", () => {
      expect(judge(rule, dbInstance())).toBe("compliant");
    });

    it("skip_final_snapshot unset (Terraform's default false takes the final snapshot)", () => {
      expect(judge(rule, dbInstance({ skip_final_snapshot: undefined }))).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("deletion_protection false", () => {
      expect(judge(rule, dbInstance({ deletion_protection: false }))).toBe("non-compliant");
    });

    it("deletion_protection unset (Terraform's default is false)", () => {
      expect(judge(rule, dbInstance({ deletion_protection: undefined }))).toBe("non-compliant");
    });

    it("skip_final_snapshot true", () => {
      expect(judge(rule, dbInstance({ skip_final_snapshot: true }))).toBe("non-compliant");
    });

    it("both off", () => {
      expect(judge(rule, dbInstance({ deletion_protection: false, skip_final_snapshot: true }))).toBe("non-compliant");
    });
  });

  it("not applicable: a broker", () => {
    expect(judge(rule, resource("aws_mq_broker", "broker", { deletion_protection: false }))).toBe("not-applicable");
  });
});
