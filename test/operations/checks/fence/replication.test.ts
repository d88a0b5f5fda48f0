import { replicationDecision, replicationOutcome } from "../../../../lib/operations/checks/fence/replication";
import type { ReplicationRules } from "../../../../lib/operations/probes/replication-rule";
import { failed, primary, read } from "../../../support/facts";

const TITLE = 'Disable the replication rule "DR Replication" of acme-assets-us-east-1 (the rule is kept)';
const rules = (fields: Partial<ReplicationRules>): ReplicationRules => ({ bucket: "acme-assets-us-east-1", configured: true, rules: [], ...fields });
const enabled = { ID: "DR Replication", Status: "Enabled" as const, Destination: { Bucket: "arn:aws:s3:::r" } };

describe("the fence's replication decision", () => {
  it("is already done without a configuration, without the rule, or with it disabled", () => {
    const done = (detail: string) => ({ action: { id: "replication", title: TITLE, status: "already done", detail } });
    expect(replicationDecision(primary, read(rules({ configured: false })), true)).toEqual(done("acme-assets-us-east-1 has no replication configuration"));
    expect(replicationDecision(primary, read(rules({})), true)).toEqual(done('acme-assets-us-east-1 has no rule "DR Replication"'));
    expect(replicationDecision(primary, read(rules({ drRule: { ...enabled, Status: "Disabled" } })), true)).toEqual(done('rule "DR Replication" is Disabled'));
  });

  it("would disable an enabled rule in a dry run, and acts with --apply", () => {
    const found = rules({ rules: [enabled], drRule: enabled });
    expect(replicationDecision(primary, read(found), false)).toEqual({
      action: {
        id: "replication",
        title: TITLE,
        status: "would do",
        detail: 'S3 PutBucketReplication on acme-assets-us-east-1: rule "DR Replication" Enabled -> Disabled',
      },
    });
    expect(replicationDecision(primary, read(found), true)).toEqual({ act: found });
    expect(replicationOutcome(primary, read(undefined))).toEqual({
      id: "replication",
      title: TITLE,
      status: "done",
      detail: 'rule "DR Replication" Enabled -> Disabled',
    });
  });

  it("reports a dark region not reachable and a refused call failed", () => {
    const dark = failed("unreachable", "S3 GetBucketReplication of acme-assets-us-east-1", "us-east-1", "TimeoutError: late");
    expect(replicationDecision(primary, dark, true)).toEqual({
      action: { id: "replication", title: TITLE, status: "not reachable", detail: "TimeoutError: late" },
    });
    expect(replicationOutcome(primary, failed("refused", "S3 PutBucketReplication of acme-assets-us-east-1", "us-east-1"))).toEqual({
      id: "replication",
      title: TITLE,
      status: "failed",
      detail: "AccessDenied (HTTP 403): not authorized",
    });
  });
});
