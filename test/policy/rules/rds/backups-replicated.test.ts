import { BackupsReplicated } from "../../../../lib/policy/rules/rds/backups-replicated";
import { dbInstance, describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = BackupsReplicated;
const database = dbInstance();
const otherDatabase = dbInstance({ identifier: "acme-us-east-1-reporting" }, "reporting_resource_22222222");

function replication(sourceArn: string) {
  return resource("aws_db_instance_automated_backups_replication", "database_backup-replication_73A9EFB9", {
    kms_key_id: tfRef("aws_kms_key", "database_backup-replica-key_770A48B1", "arn"),
    retention_period: 14,
    source_db_instance_arn: sourceArn,
    provider: "aws.dr",
  });
}

describe("DR-RDS-5 backups replicated", () => {
  describeRuleBasics(rule, "DR-RDS-5");

  it("compliant: a replication of this instance's backups (in the DR region)", () => {
    expect(judge(rule, database, [replication(tfRef("aws_db_instance", database.id, "arn"))])).toBe("compliant");
  });

  it("non-compliant: no replication", () => {
    expect(judge(rule, database)).toBe("non-compliant");
  });

  it("non-compliant: only another instance's backups are replicated", () => {
    const replicated = replication(tfRef("aws_db_instance", otherDatabase.id, "arn"));
    expect(judge(rule, database, [otherDatabase, replicated])).toBe("non-compliant");
    expect(judge(rule, otherDatabase, [database, replicated])).toBe("compliant");
  });

  it("compliant: no replication here, but the instance is tagged with the replication stack that replicates it", () => {
    const tagged = dbInstance({ tags: { BackupReplication: "replication-us-east-2" } });
    expect(judge(rule, tagged)).toBe("compliant");
  });

  it("non-compliant: a BackupReplication tag that names no replication stack", () => {
    for (const value of ["application-us-east-2", "", "replication", "standby-us-east-2"]) {
      expect([value, judge(rule, dbInstance({ tags: { BackupReplication: value } }))]).toEqual([value, "non-compliant"]);
    }
    expect(judge(rule, dbInstance({ tags: { Backups: "replication-us-east-2" } }))).toBe("non-compliant");
  });

  it("not applicable: the replication itself and other resources", () => {
    expect(judge(rule, replication(tfRef("aws_db_instance", database.id, "arn")), [database])).toBe("not-applicable");
    expect(judge(rule, resource("aws_db_parameter_group", "params", { family: "postgres16" }))).toBe("not-applicable");
  });
});
