import { databaseBackupsCheck } from "../../../../lib/operations/checks/preflight/database-backups";
import type { ReplicatedBackup } from "../../../../lib/operations/probes/replicated-backups";
import type { StackOutputs } from "../../../../lib/operations/probes/state-objects";
import { failed, minutesAgo, NOW, primary, read, recovery } from "../../../support/facts";

const TITLE = "Automated backups of acme-us-east-1 replicated into us-east-2";
const FIX = [
  "npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # in peacetime: its aws_db_instance_automated_backups_replication copies acme-us-east-1's backups into us-east-2",
  '# with us-east-1 down nothing can start the replication: restore a snapshot copied into us-east-2 instead (database.restore: { from: "snapshot", snapshotIdentifier: "..." } in environments/us-east-2.ts)',
].join("\n");
const LIVE = "db-LIVEPRIMARY";
const ARN = "arn:aws:rds:us-east-2:123456789012:auto-backup:ab-new";
const backups = (list: ReplicatedBackup[], newest = list[0]) => read({ instance: "acme-us-east-1", region: "us-east-2", backups: list, newest });
/** The primary's application state as the state bucket holds it. */
const outputs = (resourceId: unknown = LIVE) => read<StackOutputs>({ applied: true, outputs: { database_resource_id: { value: resourceId } } });
const fresh = (minutes: number, dbiResourceId = LIVE): ReplicatedBackup => ({
  arn: ARN,
  dbiResourceId,
  status: "replicating",
  latestRestorableTime: minutesAgo(minutes),
});
const described = (minutes: string) => `${ARN} (status replicating): latest restorable time ${minutes}`;

describe("databaseBackupsCheck", () => {
  it("passes with the newest backup of the live instance, within the objective, with its time and age", () => {
    const newest = fresh(4);
    expect(databaseBackupsCheck(recovery, primary, backups([{ status: "retained" }, newest], newest), NOW, outputs())).toEqual({
      id: "database-backups",
      title: TITLE,
      status: "pass",
      detail: `${described("2026-11-21T11:56:00.000Z, 4 min ago")}, of db-LIVEPRIMARY (the live instance)`,
      fix: "",
    });
  });

  it("fails a newest backup older than the primary's recoveryObjectives.databaseBackupsMinutes", () => {
    expect(databaseBackupsCheck(recovery, primary, backups([fresh(145)]), NOW, outputs())).toEqual({
      id: "database-backups",
      title: TITLE,
      status: "fail",
      detail: `${described("2026-11-21T09:35:00.000Z, 2 h 25 min ago")}\nolder than recoveryObjectives.databaseBackupsMinutes of environments/us-east-1.ts (5 min): a recovery now would lose more`,
      fix: `aws rds describe-db-instance-automated-backups --region us-east-2 --db-instance-identifier acme-us-east-1   # replication status; a stopped replication:\n${FIX}`,
    });
    // The objective is the primary's: its data's target.
    const lenient = { ...primary, recoveryObjectives: { ...primary.recoveryObjectives, databaseBackupsMinutes: 180 } };
    expect(databaseBackupsCheck(recovery, lenient, backups([fresh(145)]), NOW, outputs()).status).toBe("pass");
    expect(databaseBackupsCheck(recovery, primary, backups([fresh(5)]), NOW, outputs()).status).toBe("pass");
  });

  it("fails backups of another instance than the live primary (a replaced instance whose replication was not restarted)", () => {
    expect(databaseBackupsCheck(recovery, primary, backups([fresh(2, "db-OLDINSTANCE")]), NOW, outputs())).toEqual({
      id: "database-backups",
      title: TITLE,
      status: "fail",
      detail: `${described("2026-11-21T11:58:00.000Z, 2 min ago")}\nthey are the backups of db-OLDINSTANCE, not of the live acme-us-east-1 (db-LIVEPRIMARY): the replication of the current instance is not running`,
      fix: FIX,
    });
    expect(databaseBackupsCheck(recovery, primary, backups([{ ...fresh(2), dbiResourceId: undefined }]), NOW, outputs()).detail).toContain(
      "they are the backups of an unknown instance, not of the live acme-us-east-1",
    );
  });

  it("fails when the primary's state does not record its instance's resource id (never applied, or applied before the output existed)", () => {
    const expected = {
      id: "database-backups",
      title: TITLE,
      status: "fail",
      detail: `${described("2026-11-21T11:58:00.000Z, 2 min ago")}\nthe state of application-us-east-1 has no output database_resource_id: the backups cannot be matched with the live instance`,
      fix: "npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # in peacetime: records the instance's DbiResourceId in its state",
    };
    expect(databaseBackupsCheck(recovery, primary, backups([fresh(2)]), NOW, read<StackOutputs>({ applied: false }))).toEqual(expected);
    expect(databaseBackupsCheck(recovery, primary, backups([fresh(2)]), NOW, read<StackOutputs>({ applied: true, outputs: {} }))).toEqual(expected);
    expect(databaseBackupsCheck(recovery, primary, backups([fresh(2)]), NOW, outputs(42))).toEqual(expected);
  });

  it("reports a failed read of the primary's state as such", () => {
    const check = databaseBackupsCheck(
      recovery,
      primary,
      backups([fresh(2)]),
      NOW,
      failed("unreachable", "S3 GetObject of s3://acme-terraform-state/application-us-east-1.tfstate", "us-west-2", "TimeoutError: timed out"),
    );
    expect(check).toMatchObject({
      status: "unreachable",
      detail: "S3 GetObject of s3://acme-terraform-state/application-us-east-1.tfstate in us-west-2 got no answer: TimeoutError: timed out",
    });
  });

  it("fails without backups, with the peacetime deploy and the way without the primary", () => {
    expect(databaseBackupsCheck(recovery, primary, backups([]), NOW, outputs())).toEqual({
      id: "database-backups",
      title: TITLE,
      status: "fail",
      detail: "no automated backups of acme-us-east-1 in us-east-2",
      fix: FIX,
    });
  });

  it("fails the live instance's backups with no restorable time yet, with the wait", () => {
    const check = databaseBackupsCheck(recovery, primary, backups([{ status: "pending", dbiResourceId: LIVE }]), NOW, outputs());
    expect(check).toEqual({
      id: "database-backups",
      title: TITLE,
      status: "fail",
      detail: "automated backups of acme-us-east-1 (db-LIVEPRIMARY) are in us-east-2 (status pending) but have no restorable time yet",
      fix: `wait for the first replicated backup (status pending) and run the preflight again; if it stays so:\n${FIX}`,
    });
  });

  // Fails when the newest backup of any instance is judged: the old one's, restorable, hid the live one's wait.
  it("judges only the live instance's backups: after a replacement, the old instance's retained ones do not count", () => {
    const retained: ReplicatedBackup = { ...fresh(1, "db-OLDINSTANCE"), arn: `${ARN}-old`, status: "retained" };
    const pending: ReplicatedBackup = { arn: ARN, dbiResourceId: LIVE, status: "pending" };
    expect(databaseBackupsCheck(recovery, primary, backups([retained, pending], retained), NOW, outputs()).detail).toBe(
      "automated backups of acme-us-east-1 (db-LIVEPRIMARY) are in us-east-2 (status pending) but have no restorable time yet",
    );
    const replicating = fresh(3);
    expect(databaseBackupsCheck(recovery, primary, backups([retained, replicating], retained), NOW, outputs())).toMatchObject({
      status: "pass",
      detail: `${described("2026-11-21T11:57:00.000Z, 3 min ago")}, of db-LIVEPRIMARY (the live instance)`,
    });
    // Several instances, none the live one: each named.
    const other = { ...fresh(2, "db-OTHER"), arn: `${ARN}-other` };
    expect(databaseBackupsCheck(recovery, primary, backups([retained, other], other), NOW, outputs()).detail).toBe(
      `${described("2026-11-21T11:58:00.000Z, 2 min ago").replace(ARN, `${ARN}-other`)}\nthey are the backups of db-OLDINSTANCE, db-OTHER, not of the live acme-us-east-1 (db-LIVEPRIMARY): the replication of the current instance is not running`,
    );
  });

  it("reports a failed read as such", () => {
    expect(
      databaseBackupsCheck(recovery, primary, failed("refused", "RDS DescribeDBInstanceAutomatedBackups of acme-us-east-1", "us-east-2"), NOW, outputs())
        .detail,
    ).toBe("RDS DescribeDBInstanceAutomatedBackups of acme-us-east-1 in us-east-2 failed: AccessDenied (HTTP 403): not authorized");
  });
});
