import type { ReplicationRule } from "@aws-sdk/client-s3";
import { assetsRow } from "../../../../lib/operations/checks/status/assets";
import { REAL_ACCOUNT } from "../../../../lib/operations/checks/status/row";
import type { AssetsReplication, ReplicationState } from "../../../../lib/operations/probes/assets-replication";
import { EMULATED, failed, minutesAgo, NOW, primary, read } from "../../../support/facts";

const SOURCE = "acme-assets-us-east-1";
const REPLICA = "acme-dr-assets-us-east-1";
const ROW = { id: "assets", store: "assets", target: "15 min" };
const RULE: ReplicationRule = {
  ID: "DR Replication",
  Status: "Enabled",
  Destination: { Bucket: `arn:aws:s3:::${REPLICA}`, ReplicationTime: { Status: "Enabled", Time: { Minutes: 15 } } },
};
const RULE_TEXT = `rule "DR Replication" enabled into arn:aws:s3:::${REPLICA}, Replication Time Control on (15 min)`;
const DEPLOY_FIX = `npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # the rule "DR Replication" on ${SOURCE} replicates into ${REPLICA}`;
const BATCH_FIX =
  "npx dr-platform replicate-existing us-east-1   # S3 Batch Replication copies objects written before the rule and those whose replication failed";

/** Source objects img/a.png, img/b.png... written 40, 30, ... minutes ago, with these states; the replica holds `replicaKeys`. */
function replication(states: ReplicationState[], options: { replicaKeys?: string[]; rule?: ReplicationRule; truncated?: boolean } = {}): AssetsReplication {
  const keys = states.map((_, i) => `img/${String.fromCharCode(97 + i)}.png`);
  const objects = keys.map((Key, i) => ({ Key, LastModified: minutesAgo(40 - 10 * i) }));
  return {
    sourceBucket: SOURCE,
    replicaBucket: REPLICA,
    sourceRegion: "us-east-1",
    replicaRegion: "us-east-2",
    replica: read({ objects: (options.replicaKeys ?? keys).map((Key) => ({ Key, LastModified: minutesAgo(20) })), truncated: false }),
    source: read({
      rules: { bucket: SOURCE, configured: true, rules: options.rule ? [options.rule] : [RULE], drRule: options.rule ?? RULE },
      objects: { objects, truncated: options.truncated ?? false },
    }),
    sample: read(objects.map((o, i) => ({ key: o.Key, lastModified: o.LastModified, state: states[i] })).reverse()),
  };
}

describe("assetsRow", () => {
  it("is current when every sampled object is replicated and the replica holds every key", () => {
    expect(assetsRow(primary, replication(["COMPLETED", "COMPLETED"]), REAL_ACCOUNT, NOW, 1000)).toEqual({
      ...ROW,
      recoveryPoint: NOW,
      state: "current (2 sampled replicated)",
      verdict: "met",
      detail: `${RULE_TEXT}\nnewest 2 of 2 source objects: 2 COMPLETED\nsource 2 keys, replica 2 keys`,
      fix: "",
    });
  });

  it("measures pending objects by the oldest, and says to turn Replication Time Control on when it is off", () => {
    const late = assetsRow(primary, replication(["COMPLETED", "PENDING", "PENDING"], { replicaKeys: ["img/a.png"] }), REAL_ACCOUNT, NOW, 1000);
    expect([late.verdict, late.state, late.recoveryPoint]).toEqual(["missed", "2026-11-21T11:30:00Z (30 min ago), oldest of 2 pending", minutesAgo(30)]);
    expect(late.fix).toBe(
      `check the rule's metrics: aws cloudwatch get-metric-statistics --namespace AWS/S3 --metric-name OperationsPendingReplication --dimensions Name=SourceBucket,Value=${SOURCE} Name=DestinationBucket,Value=${REPLICA} Name=RuleId,Value="DR Replication" --region us-east-1 ...`,
    );
    const noRtc = { ...RULE, Destination: { Bucket: `arn:aws:s3:::${REPLICA}` } };
    const off = assetsRow(primary, replication(["PENDING", "COMPLETED"], { rule: noRtc }), REAL_ACCOUNT, NOW, 1000);
    expect(off.detail.split("\n")[0]).toBe(
      `rule "DR Replication" enabled into arn:aws:s3:::${REPLICA}, Replication Time Control off (no replication time promised)`,
    );
    expect(off.fix).toMatch(
      /^turn Replication Time Control on \(assets\.replicationTimeControl in environments\/us-east-1\.ts, then npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies\); check the rule's metrics: /,
    );
    const lenient = { ...primary, recoveryObjectives: { ...primary.recoveryObjectives, assetsMinutes: 30 } };
    const met = assetsRow(lenient, replication(["COMPLETED", "PENDING", "PENDING"], { replicaKeys: ["img/a.png"] }), REAL_ACCOUNT, NOW, 1000);
    expect([met.verdict, met.fix]).toEqual(["met", ""]);
  });

  it("misses objects never replicated (failed, without a status) with S3 Batch Replication", () => {
    expect(assetsRow(primary, replication(["COMPLETED", "FAILED"]), REAL_ACCOUNT, NOW, 1000)).toMatchObject({
      recoveryPoint: minutesAgo(30),
      state: "1 of 2 sampled never replicated (oldest 2026-11-21T11:30:00Z)",
      verdict: "missed",
      fix: BATCH_FIX,
    });
    expect(assetsRow(primary, replication(["NONE", "OTHER"]), REAL_ACCOUNT, NOW, 1000).state).toBe(
      "2 of 2 sampled never replicated (oldest 2026-11-21T11:20:00Z)",
    );
  });

  it("says unknown with the deployment target's gap when nothing carries a replication status", () => {
    expect(assetsRow(primary, replication(["NONE", "NONE"], { replicaKeys: [] }), EMULATED, NOW, 1000)).toMatchObject({
      state: "unknown (not served by the emulator)",
      verdict: "unknown",
      detail: `${RULE_TEXT}\nnewest 2 of 2 source objects: 2 without a status\nsource 2 keys, replica 0 keys; not in the replica: img/a.png, img/b.png; copies no object`,
      gap: "s3-object-replication",
    });
  });

  it("misses keys the replica lacks (small buckets), and does not compare keys of large ones", () => {
    const lacking = assetsRow(primary, replication(["COMPLETED", "COMPLETED"], { replicaKeys: ["img/a.png"] }), REAL_ACCOUNT, NOW, 1000);
    expect([lacking.verdict, lacking.state, lacking.fix]).toEqual(["missed", "1 keys missing in the replica", BATCH_FIX]);
    expect(lacking.detail.split("\n")[2]).toBe("source 2 keys, replica 1 keys; not in the replica: img/b.png");
    const many = replication(["COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED"], { replicaKeys: [] });
    expect(assetsRow(primary, many, REAL_ACCOUNT, NOW, 1000).detail.split("\n")[2]).toBe(
      "source 7 keys, replica 0 keys; not in the replica: img/a.png, img/b.png, img/c.png, img/d.png, img/e.png, and 2 more",
    );
    const large = assetsRow(primary, replication(["COMPLETED", "COMPLETED"], { truncated: true, replicaKeys: [] }), REAL_ACCOUNT, NOW, 2);
    expect([large.verdict, large.detail.split("\n").slice(1)]).toEqual([
      "met",
      ["newest 2 of 2+ source objects: 2 COMPLETED", "source 2+ keys, replica 0 keys (more than 2: keys not compared)"],
    ]);
  });

  it("misses a source without the enabled DR rule into the replica, with the deploy", () => {
    const noRule = {
      ...replication(["COMPLETED"]),
      source: read({ rules: { bucket: SOURCE, configured: false, rules: [] }, objects: { objects: [], truncated: false } }),
    };
    expect(assetsRow(primary, noRule, REAL_ACCOUNT, NOW, 1000)).toEqual({
      ...ROW,
      state: "not replicating",
      verdict: "missed",
      detail: `no rule "DR Replication" on ${SOURCE}`,
      fix: DEPLOY_FIX,
    });
    expect(assetsRow(primary, replication(["COMPLETED"], { rule: { ...RULE, Status: "Disabled" } }), REAL_ACCOUNT, NOW, 1000)).toMatchObject({
      state: "not replicating",
      detail: `rule "DR Replication" DISABLED into arn:aws:s3:::${REPLICA}, Replication Time Control on (15 min)`,
    });
    expect(
      assetsRow(primary, replication(["COMPLETED"], { rule: { ...RULE, Destination: { Bucket: "arn:aws:s3:::elsewhere" } } }), REAL_ACCOUNT, NOW, 1000).state,
    ).toBe("not replicating");
  });

  it("is current when the source is empty", () => {
    expect(assetsRow(primary, replication([]), REAL_ACCOUNT, NOW, 1000)).toEqual({
      ...ROW,
      state: "current (the bucket is empty)",
      recoveryPoint: NOW,
      verdict: "met",
      detail: `${RULE_TEXT}\n${SOURCE} holds no object`,
      fix: "",
    });
  });

  it("misses a missing replica bucket, and is unknown when the replica cannot be read", () => {
    const noReplica = {
      ...replication(["COMPLETED"]),
      replica: failed("not-found", `S3 ListObjectsV2 of ${REPLICA}`, "us-east-2", "NoSuchBucket (HTTP 404): gone"),
    };
    expect(assetsRow(primary, noReplica, REAL_ACCOUNT, NOW, 1000)).toEqual({
      ...ROW,
      state: "no replica",
      verdict: "missed",
      detail: `no bucket ${REPLICA} in us-east-2`,
      fix: DEPLOY_FIX,
    });
    const refused = { ...replication(["COMPLETED"]), replica: failed("refused", `S3 ListObjectsV2 of ${REPLICA}`, "us-east-2") };
    expect(assetsRow(primary, refused, REAL_ACCOUNT, NOW, 1000).state).toBe("unknown (refused)");
  });

  it("is unknown when the primary's region is dark, saying what the replica holds", () => {
    const dark = {
      ...replication(["COMPLETED", "COMPLETED"]),
      source: failed("unreachable", `S3 GetBucketReplication and ListObjectsV2 of ${SOURCE}`, "us-east-1", "TimeoutError: connect ETIMEDOUT"),
    };
    expect(assetsRow(primary, dark, REAL_ACCOUNT, NOW, 1000)).toMatchObject({
      state: "unknown (us-east-1 did not answer)",
      verdict: "unknown",
      detail: `S3 GetBucketReplication and ListObjectsV2 of ${SOURCE} in us-east-1 got no answer: TimeoutError: connect ETIMEDOUT\nthe replica ${REPLICA} holds 2 objects, the newest replicated 2026-11-21T11:40:00Z: a recovery has those`,
    });
  });

  it("is unknown when the sampled heads fail", () => {
    const heads = { ...replication(["COMPLETED"]), sample: failed("refused", `S3 HeadObject in ${SOURCE}`, "us-east-1") };
    expect(assetsRow(primary, heads, REAL_ACCOUNT, NOW, 1000)).toMatchObject({
      state: "unknown (refused)",
      detail: `S3 HeadObject in ${SOURCE} in us-east-1 failed: AccessDenied (HTTP 403): not authorized`,
    });
  });
});
