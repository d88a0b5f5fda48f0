import { forceUnlockCommand, staleLockVerdict, stateLockOf, type StateLock } from "../../lib/recovery/stale-lock";
import type { StepRecord } from "../../lib/recovery/journal";

/**
 * The lock error below is what Terraform 1.11.4 printed against the emulator's state bucket after a
 * `terraform console` holding the lock was killed (test/e2e/stale-lock.test.ts makes it for real);
 * cdktf prints the same lines prefixed with the stack's name.
 */
const TERRAFORM = `Error: Error acquiring the state lock

Error message: operation error S3: PutObject, https response error
StatusCode: 412, RequestID:
EpSgc9AecpSFrRljiq0hQfEhubfTM8zjbAIqUwCnVOmWC79h0uJr, HostID:
9Gjjt1m+cjU4OPvX9O9/8RuvnG41MRb/18Oux2o5H5MY7ISNTlXN+Dz9IG62/ILVxhAGI0qyPfg=,
api error PreconditionFailed: At least one of the pre-conditions you
specified did not hold
Lock Info:
  ID:        9d180cda-84b3-3843-5af7-8f3f115fc881
  Path:      acme-state/stacks/x.tfstate
  Operation: OperationTypeApply
  Who:       root@vm
  Version:   1.11.4
  Created:   2026-12-02 11:37:42.244725381 +0000 UTC
  Info:      


Terraform acquires a state lock to protect the state from being written
by multiple users at the same time.`;

const LOCK: StateLock = {
  id: "9d180cda-84b3-3843-5af7-8f3f115fc881",
  path: "acme-state/stacks/x.tfstate",
  operation: "OperationTypeApply",
  who: "root@vm",
  created: new Date("2026-12-02T11:37:42.244Z"),
};

describe("stateLockOf", () => {
  it("reads the lock Terraform names", () => {
    expect(stateLockOf(TERRAFORM)).toEqual(LOCK);
  });

  it("reads it through cdktf's stack prefix and Terraform's diagnostic box", () => {
    const cdktf = TERRAFORM.split("\n")
      .map((line) => `replication-us-east-2  │ ${line}`)
      .join("\n");
    expect(stateLockOf(cdktf)).toEqual(LOCK);
  });

  it("reads a time in another zone and without fractions", () => {
    expect(stateLockOf(TERRAFORM.replace("2026-12-02 11:37:42.244725381 +0000 UTC", "2026-12-02 12:37:42 +0100 CET"))?.created).toEqual(
      new Date("2026-12-02T11:37:42.000Z"),
    );
  });

  it("finds nothing in another failure, or in a lock error without a lock id", () => {
    expect(stateLockOf("Error: creating RDS DB Instance: DBInstanceAlreadyExists")).toBeUndefined();
    expect(stateLockOf(TERRAFORM.replace(/ {2}ID: .*\n/, ""))).toBeUndefined();
    expect(stateLockOf(TERRAFORM.replace(/ {2}Created: .*\n/, ""))).toEqual({ ...LOCK, created: undefined });
  });
});

describe("staleLockVerdict", () => {
  const DIR = "/work/cdktf.out/stacks/replication-us-east-2";
  const interrupted: StepRecord = {
    status: "pending",
    attempts: 1,
    startedAt: "2026-12-02T11:37:30.000Z",
    endedAt: "2026-12-02T11:38:10.000Z",
    detail: "interrupted: stopped while running: npx cdktf deploy replication-us-east-2",
  };

  it("releases a lock taken during the step's interrupted attempt", () => {
    expect(staleLockVerdict(LOCK, interrupted, DIR)).toEqual({
      release: true,
      reason:
        "lock 9d180cda-84b3-3843-5af7-8f3f115fc881 was taken at 2026-12-02T11:37:42.244Z by the attempt interrupted at 2026-12-02T11:38:10.000Z, whose processes had ended",
    });
  });

  it.each<[string, StepRecord | undefined, StateLock, string]>([
    ["no previous attempt", undefined, LOCK, "the step's previous attempt was not interrupted by this executor (its processes may still run)"],
    [
      "a previous attempt that failed",
      { ...interrupted, detail: "npx cdktf deploy replication-us-east-2 exited 1" },
      LOCK,
      "the step's previous attempt was not interrupted by this executor (its processes may still run)",
    ],
    [
      // The recover process was killed: the step stayed `running`, its Terraform may live on.
      "a previous run killed with the step running",
      { ...interrupted, detail: "interrupted in run 2" },
      LOCK,
      "the step's previous attempt was not interrupted by this executor (its processes may still run)",
    ],
    ["an attempt without an end", { ...interrupted, endedAt: undefined }, LOCK, "the journal has no start and end of the interrupted attempt"],
    [
      "an end older than the start (an earlier attempt's)",
      { ...interrupted, endedAt: "2026-12-02T11:00:00.000Z" },
      LOCK,
      "the journal has no start and end of the interrupted attempt",
    ],
    ["a lock without a time", interrupted, { ...LOCK, created: undefined }, "Terraform printed no creation time for the lock"],
    [
      "a lock taken before the attempt",
      interrupted,
      { ...LOCK, created: new Date("2026-12-02T11:37:29.999Z") },
      "the lock was created at 2026-12-02T11:37:29.999Z, outside the interrupted attempt (2026-12-02T11:37:30.000Z to 2026-12-02T11:38:10.000Z)",
    ],
    [
      "a lock taken after the attempt ended",
      interrupted,
      { ...LOCK, created: new Date("2026-12-02T11:38:10.001Z") },
      "the lock was created at 2026-12-02T11:38:10.001Z, outside the interrupted attempt (2026-12-02T11:37:30.000Z to 2026-12-02T11:38:10.000Z)",
    ],
  ])("leaves it with %s, naming the lock and its release command", (_case, previous, lock, reason) => {
    const since = lock.created ? ` since ${lock.created.toISOString()}` : "";
    expect(staleLockVerdict(lock, previous, DIR)).toEqual({
      release: false,
      reason,
      advice: `the state is locked (lock ${LOCK.id}, OperationTypeApply by root@vm${since}); if no other deploy of this stack is running, release it: cd ${DIR} && terraform force-unlock ${LOCK.id}`,
    });
  });

  it("names only what Terraform printed", () => {
    expect(staleLockVerdict({ id: LOCK.id }, undefined, DIR)).toMatchObject({
      advice: `the state is locked (lock ${LOCK.id}); if no other deploy of this stack is running, release it: cd ${DIR} && terraform force-unlock ${LOCK.id}`,
    });
  });
});

it("forceUnlockCommand releases the lock in the stack's folder without a prompt", () => {
  expect(forceUnlockCommand("/tmp/out dir/stacks/x", LOCK)).toBe(
    'cd "/tmp/out dir/stacks/x" && terraform force-unlock -force 9d180cda-84b3-3843-5af7-8f3f115fc881',
  );
});
