import { InstanceEncrypted } from "../../../../lib/policy/rules/rds/instance-encrypted";
import { dbInstance, describeRuleBasics, judge, resource } from "../../../support/policy";

const rule = InstanceEncrypted;

describe("DR-RDS-1 database storage encrypted", () => {
  describeRuleBasics(rule, "DR-RDS-1");

  it("compliant: storage_encrypted true", () => {
    expect(judge(rule, dbInstance())).toBe("compliant");
  });

  it("compliant: storage_encrypted true with a customer key", () => {
    expect(judge(rule, dbInstance({ kms_key_id: "${aws_kms_key.db.arn}" }))).toBe("compliant");
  });

  it("non-compliant: storage_encrypted false", () => {
    expect(judge(rule, dbInstance({ storage_encrypted: false }))).toBe("non-compliant");
  });

  it("non-compliant: storage_encrypted unset (Terraform's default is false)", () => {
    expect(judge(rule, dbInstance({ storage_encrypted: undefined }))).toBe("non-compliant");
  });

  it("not applicable: other database resources", () => {
    expect(judge(rule, resource("aws_db_subnet_group", "sg", { subnet_ids: [] }))).toBe("not-applicable");
    expect(judge(rule, resource("aws_db_instance_automated_backups_replication", "r", { source_db_instance_arn: "${aws_db_instance.x.arn}" }))).toBe(
      "not-applicable",
    );
  });
});
