import type { RecoveryEnvironment } from "../../../../lib/environment";
import { databaseReplicaCheck } from "../../../../lib/operations/checks/preflight/database-replica";
import type { DatabaseInstance } from "../../../../lib/operations/probes/database-instance";
import { failed, primary, read, recovery } from "../../../support/facts";

const warm: RecoveryEnvironment = { ...recovery, tier: "warm-standby" };
const SOURCE = "arn:aws:rds:us-east-1:123456789012:db:acme-us-east-1";
const TITLE = "Read replica acme-us-east-2 of acme-us-east-1 in us-east-2 (the warm standby's database)";
const replica = (fields: Partial<Extract<DatabaseInstance, { exists: true }>> = {}) =>
  read<DatabaseInstance>({ exists: true, status: "available", replicaSource: SOURCE, replicationStatus: "replicating", ...fields });
const DEPLOY =
  "npx cdktf deploy application-us-east-2 --ignore-missing-stack-dependencies   # in peacetime: its aws_db_instance is the read replica of acme-us-east-1";

describe("databaseReplicaCheck (a warm standby's preflight)", () => {
  it("passes a replica that replicates", () => {
    expect(databaseReplicaCheck(warm, primary, replica(), false)).toEqual({
      id: "database-replica",
      title: TITLE,
      status: "pass",
      detail: `acme-us-east-2 (status available) follows ${SOURCE}: replication replicating`,
      fix: "",
    });
  });

  it("passes a replica whose replication state RDS does not report (an emulator's), saying so", () => {
    expect(databaseReplicaCheck(warm, primary, replica({ replicationStatus: undefined }), false)).toMatchObject({
      status: "pass",
      detail: `acme-us-east-2 (status available) follows ${SOURCE}: replication not reported`,
    });
  });

  it("fails a missing replica, with the deploy that makes it", () => {
    expect(databaseReplicaCheck(warm, primary, read<DatabaseInstance>({ exists: false }), false)).toEqual({
      id: "database-replica",
      title: TITLE,
      status: "fail",
      detail: "no instance acme-us-east-2 in us-east-2",
      fix: DEPLOY,
    });
  });

  it("fails a broken replication in peacetime, and passes it in an outage (its source is lost: the promotion ends it)", () => {
    const broken = replica({ replicationStatus: "error" });
    expect(databaseReplicaCheck(warm, primary, broken, false)).toMatchObject({
      status: "fail",
      detail: `acme-us-east-2 (status available) is a read replica of ${SOURCE}, but its replication is error`,
      fix: `aws rds describe-events --region us-east-2 --source-type db-instance --source-identifier acme-us-east-2   # why; a replica that does not recover is rebuilt: rename it aside, then\n${DEPLOY}`,
    });
    expect(databaseReplicaCheck(warm, primary, broken, true)).toMatchObject({
      status: "pass",
      detail: `acme-us-east-2 (status available) follows ${SOURCE}: replication error (its source in us-east-1 is lost: the promotion ends it)`,
    });
    expect(databaseReplicaCheck(warm, primary, replica({ replicationStatus: "terminated" }), true).status).toBe("fail");
  });

  it("passes a promoted instance (a resumed run), and reports a failed read as such", () => {
    expect(databaseReplicaCheck(warm, primary, replica({ replicaSource: undefined, replicationStatus: undefined }), true)).toMatchObject({
      status: "pass",
      detail: "acme-us-east-2 (status available) is promoted: it no longer follows acme-us-east-1",
    });
    const unreachable = failed("unreachable", "RDS DescribeDBInstances of acme-us-east-2", "us-east-2", "TimeoutError: x");
    expect(databaseReplicaCheck(warm, primary, unreachable, false).status).toBe("unreachable");
  });
});
