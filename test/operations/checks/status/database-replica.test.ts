import type { RecoveryEnvironment } from "../../../../lib/environment";
import { databaseReplicaRow } from "../../../../lib/operations/checks/status/database-replica";
import type { DatabaseInstance } from "../../../../lib/operations/probes/database-instance";
import type { ReplicaLag } from "../../../../lib/operations/probes/replica-lag";
import { REAL_ACCOUNT } from "../../../../lib/operations/checks/status/row";
import { EMULATED, failed, minutesAgo, NOW, primary, read, recovery } from "../../../support/facts";

const warm: RecoveryEnvironment = { ...recovery, tier: "warm-standby" };
const SOURCE = "arn:aws:rds:us-east-1:123456789012:db:acme-us-east-1";
const replica = (fields: Partial<Extract<DatabaseInstance, { exists: true }>> = {}) =>
  read<DatabaseInstance>({ exists: true, status: "available", replicaSource: SOURCE, replicationStatus: "replicating", ...fields });
const lag = (seconds: number, at = minutesAgo(1)) => read<ReplicaLag>({ measured: true, seconds, at });
const row = (instance = replica(), measured = lag(12), target = REAL_ACCOUNT) => databaseReplicaRow(warm, primary, instance, measured, target, NOW);
const head = { id: "database-replica", store: "database replica", target: "5 min" };

describe("databaseReplicaRow (a warm standby's database)", () => {
  it("met: the recovery point is when the lag was measured, less the lag", () => {
    expect(row()).toEqual({
      ...head,
      recoveryPoint: new Date("2026-11-21T11:58:48Z"),
      verdict: "met",
      state: "2026-11-21T11:58:48Z (1 min ago), lag 12 s",
      detail: `acme-us-east-2 follows ${SOURCE}: 12 s behind at 2026-11-21T11:59:00Z (CloudWatch ReplicaLag); promoting it now loses the writes after 2026-11-21T11:58:48Z`,
      fix: "",
    });
  });

  it("missed: a lag beyond the database's target, with where to look", () => {
    const late = row(replica(), lag(600));
    expect([late.verdict, late.state]).toEqual(["missed", "2026-11-21T11:49:00Z (11 min ago), lag 600 s"]);
    expect(late.fix).toBe(
      "the replica lags: the primary's write load, the replica's instance class (db.t4g.medium) or the network between the regions; aws rds describe-db-instances --region us-east-2 --db-instance-identifier acme-us-east-2",
    );
  });

  it("missed: no replica, with the deploy that makes it", () => {
    expect(row(read<DatabaseInstance>({ exists: false }))).toEqual({
      ...head,
      state: "none",
      verdict: "missed",
      detail: "no instance acme-us-east-2 in us-east-2: the warm standby has no read replica of acme-us-east-1",
      fix: "npx cdktf deploy application-us-east-2 --ignore-missing-stack-dependencies   # its aws_db_instance is the read replica of acme-us-east-1",
    });
  });

  it("missed: a replication in error, with the events that say why", () => {
    const broken = row(replica({ replicationStatus: "error" }));
    expect([broken.verdict, broken.state, broken.fix.split("\n")[0]]).toEqual([
      "missed",
      "replication error",
      "aws rds describe-events --region us-east-2 --source-type db-instance --source-identifier acme-us-east-2   # why it stopped; a replica in error is rebuilt:",
    ]);
  });

  it("met: a promoted instance no longer follows, it is the database", () => {
    expect(row(replica({ replicaSource: undefined, replicationStatus: undefined }))).toMatchObject({
      state: "promoted (standalone)",
      verdict: "met",
      detail: "acme-us-east-2 (status available) is no longer a read replica: it was promoted and takes the writes in us-east-2",
    });
  });

  it("unknown: no lag measured in the window, with the command that reads it", () => {
    const none = row(replica(), read<ReplicaLag>({ measured: false }));
    expect([none.verdict, none.state, none.detail]).toEqual([
      "unknown",
      "no lag measured",
      `acme-us-east-2 is a read replica of ${SOURCE}, but CloudWatch has no ReplicaLag for it in the last 15 min`,
    ]);
    expect(none.fix).toMatch(/^aws cloudwatch get-metric-statistics --region us-east-2 --namespace AWS\/RDS --metric-name ReplicaLag /);
  });

  it("unknown by the target's gap where it reports no ReplicaLag (the emulator), and only there", () => {
    const none = read<ReplicaLag>({ measured: false });
    expect(row(replica(), none, EMULATED)).toEqual({
      ...head,
      state: "unknown (not served by the emulator)",
      verdict: "unknown",
      detail: `acme-us-east-2 is a read replica of ${SOURCE}, with no ReplicaLag in the last 15 min; moto keeps no RDS metrics`,
      fix: "nothing to fix in the emulator; a real account serves it",
      gap: "rds-replica-lag",
    });
    // A measured lag is judged on any target.
    expect(row(replica(), lag(12), EMULATED)).toMatchObject({ verdict: "met", state: "2026-11-21T11:58:48Z (1 min ago), lag 12 s" });
  });

  it("unknown: either read failed", () => {
    const denied = failed("refused", "RDS DescribeDBInstances of acme-us-east-2", "us-east-2");
    expect(row(denied)).toMatchObject({ verdict: "unknown", state: "unknown (refused)" });
    const unreachable = failed("unreachable", "CloudWatch GetMetricStatistics AWS/RDS ReplicaLag of acme-us-east-2", "us-east-2", "TimeoutError: x");
    expect(row(replica(), unreachable)).toMatchObject({ verdict: "unknown", state: "unknown (us-east-2 did not answer)" });
  });
});
