import { databaseBackupsRow } from "../../../../lib/operations/checks/status/database-backups";
import { REAL_ACCOUNT } from "../../../../lib/operations/checks/status/row";
import type { ReplicatedBackup } from "../../../../lib/operations/probes/replicated-backups";
import { EMULATED, failed, minutesAgo, NOW, primary, read, recovery } from "../../../support/facts";

const ROW = { id: "database-backups", store: "database backups", target: "5 min" };
const DEPLOY =
  "npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # its aws_db_instance_automated_backups_replication copies acme-us-east-1's backups into us-east-2";
const backups = (list: ReplicatedBackup[], newest = list[0]) => read({ instance: "acme-us-east-1", region: "us-east-2", backups: list, newest });
const ARN = "arn:aws:rds:us-east-2:123456789012:auto-backup:ab-new";

describe("databaseBackupsRow", () => {
  it("meets the target with a fresh restorable time", () => {
    const newest = { arn: ARN, status: "replicating", latestRestorableTime: minutesAgo(3) };
    expect(databaseBackupsRow(recovery, primary, backups([newest]), REAL_ACCOUNT, NOW)).toEqual({
      ...ROW,
      recoveryPoint: minutesAgo(3),
      verdict: "met",
      state: "2026-11-21T11:57:00Z (3 min ago)",
      detail: `${ARN} (status replicating): latest restorable time 2026-11-21T11:57:00Z`,
      fix: "",
    });
  });

  it("misses a lagging replication, with how to see its status", () => {
    const row = databaseBackupsRow(recovery, primary, backups([{ arn: ARN, status: "replicating", latestRestorableTime: minutesAgo(20) }]), REAL_ACCOUNT, NOW);
    expect([row.verdict, row.state]).toEqual(["missed", "2026-11-21T11:40:00Z (20 min ago)"]);
    expect(row.fix).toBe(
      `RDS ships transaction logs every 5 minutes: a restorable time older than that means the replication lags or stopped; aws rds describe-db-instance-automated-backups --region us-east-2 --db-instance-identifier acme-us-east-1, and if Status is not "replicating":\n${DEPLOY}`,
    );
  });

  it("misses no backups with the deploy, or explains them by the deployment target's gap", () => {
    expect(databaseBackupsRow(recovery, primary, backups([]), REAL_ACCOUNT, NOW)).toEqual({
      ...ROW,
      state: "none",
      verdict: "missed",
      detail: "no automated backups of acme-us-east-1 in us-east-2",
      fix: DEPLOY,
    });
    expect(databaseBackupsRow(recovery, primary, backups([]), EMULATED, NOW)).toMatchObject({
      state: "unknown (not served by the emulator)",
      verdict: "unknown",
      detail: "no automated backups of acme-us-east-1 in us-east-2; no RDS backup replication",
      gap: "rds-backup-replication",
    });
  });

  it("misses backups that have no restorable time yet, or explains them by the deployment target's gap", () => {
    expect(databaseBackupsRow(recovery, primary, backups([{ status: "pending" }]), REAL_ACCOUNT, NOW)).toEqual({
      ...ROW,
      state: "no restorable time",
      verdict: "missed",
      detail: "automated backups of acme-us-east-1 are in us-east-2 (status pending) but have no restorable time yet",
      fix: `wait for the first replicated backup and run again; if it stays so:\n${DEPLOY}`,
    });
    // The emulator replicates no backup: its replication is there, without a restore window.
    expect(databaseBackupsRow(recovery, primary, backups([{ arn: ARN, status: "replicating" }]), EMULATED, NOW)).toMatchObject({
      state: "unknown (not served by the emulator)",
      verdict: "unknown",
      detail: "automated backups of acme-us-east-1 are in us-east-2 (status replicating) but have no restorable time yet; no RDS backup replication",
      gap: "rds-backup-replication",
    });
  });

  // Fails when the newest of all backups is judged: the stopped replication's retained backups are not a recovery point that advances.
  it("judges the replicating backups; retained ones alone (a stopped replication) miss", () => {
    const retained: ReplicatedBackup = { arn: `${ARN}-old`, status: "retained", latestRestorableTime: minutesAgo(2) };
    const replicating: ReplicatedBackup = { arn: ARN, status: "replicating", latestRestorableTime: minutesAgo(4) };
    expect(databaseBackupsRow(recovery, primary, backups([retained, replicating], retained), REAL_ACCOUNT, NOW)).toEqual({
      ...ROW,
      recoveryPoint: minutesAgo(4),
      verdict: "met",
      state: "2026-11-21T11:56:00Z (4 min ago)",
      detail: `${ARN} (status replicating): latest restorable time 2026-11-21T11:56:00Z`,
      fix: "",
    });
    // The new replication still pending: a wait, not the old instance's point.
    expect(databaseBackupsRow(recovery, primary, backups([retained, { arn: ARN, status: "pending" }], retained), REAL_ACCOUNT, NOW)).toMatchObject({
      state: "no restorable time",
      verdict: "missed",
      detail: "automated backups of acme-us-east-1 are in us-east-2 (status pending) but have no restorable time yet",
    });
    expect(databaseBackupsRow(recovery, primary, backups([retained], retained), REAL_ACCOUNT, NOW)).toEqual({
      ...ROW,
      recoveryPoint: minutesAgo(2),
      state: "2026-11-21T11:58:00Z (retained, no longer advancing)",
      verdict: "missed",
      detail:
        "only retained automated backups of acme-us-east-1 in us-east-2: the replication stopped, their latest restorable time 2026-11-21T11:58:00Z no longer advances",
      fix: DEPLOY,
    });
    expect(databaseBackupsRow(recovery, primary, backups([{ status: "RETAINED" }]), REAL_ACCOUNT, NOW)).toMatchObject({
      state: "retained only",
      verdict: "missed",
      detail: "only retained automated backups of acme-us-east-1 in us-east-2: the replication stopped",
    });
  });

  it("is unknown when RDS refused the read", () => {
    expect(
      databaseBackupsRow(recovery, primary, failed("refused", "RDS DescribeDBInstanceAutomatedBackups of acme-us-east-1", "us-east-2"), REAL_ACCOUNT, NOW),
    ).toMatchObject({ state: "unknown (refused)", verdict: "unknown" });
  });
});
