import { databaseBackupsCheck } from "../../../../lib/operations/checks/preflight/database-backups";
import type { ReplicatedBackup } from "../../../../lib/operations/probes/replicated-backups";
import { failed, minutesAgo, NOW, primary, read, recovery } from "../../../support/facts";

const TITLE = "Automated backups of acme-us-east-1 replicated into us-east-2";
const FIX = [
  "npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # in peacetime: its aws_db_instance_automated_backups_replication copies acme-us-east-1's backups into us-east-2",
  '# with us-east-1 down nothing can start the replication: restore a snapshot copied into us-east-2 instead (database.restore: { from: "snapshot", snapshotIdentifier: "..." } in environments/us-east-2.ts)',
].join("\n");
const backups = (list: ReplicatedBackup[], newest = list[0]) => read({ instance: "acme-us-east-1", region: "us-east-2", backups: list, newest });

describe("databaseBackupsCheck", () => {
  it("passes with the newest backup's latest restorable time and its age", () => {
    const newest = { arn: "arn:aws:rds:us-east-2:123456789012:auto-backup:ab-new", status: "replicating", latestRestorableTime: minutesAgo(145) };
    expect(databaseBackupsCheck(recovery, primary, backups([{ status: "retained" }, newest], newest), NOW)).toEqual({
      id: "database-backups",
      title: TITLE,
      status: "pass",
      detail: "arn:aws:rds:us-east-2:123456789012:auto-backup:ab-new (status replicating): latest restorable time 2026-11-21T09:35:00.000Z, 2 h 25 min ago",
      fix: "",
    });
  });

  it("fails without backups, with the peacetime deploy and the way without the primary", () => {
    expect(databaseBackupsCheck(recovery, primary, backups([]), NOW)).toEqual({
      id: "database-backups",
      title: TITLE,
      status: "fail",
      detail: "no automated backups of acme-us-east-1 in us-east-2",
      fix: FIX,
    });
  });

  it("fails backups with no restorable time yet, naming every status in RDS's order", () => {
    const check = databaseBackupsCheck(recovery, primary, backups([{ status: "pending" }, {}]), NOW);
    expect(check).toMatchObject({
      status: "fail",
      detail: "automated backups of acme-us-east-1 are in us-east-2 (status pending, unknown) but have no restorable time yet",
      fix: `wait for the first replicated backup (status pending, unknown) and run the preflight again; if it stays so:\n${FIX}`,
    });
  });

  it("reports a failed read as such", () => {
    expect(
      databaseBackupsCheck(recovery, primary, failed("refused", "RDS DescribeDBInstanceAutomatedBackups of acme-us-east-1", "us-east-2"), NOW).detail,
    ).toBe("RDS DescribeDBInstanceAutomatedBackups of acme-us-east-1 in us-east-2 failed: AccessDenied (HTTP 403): not authorized");
  });
});
