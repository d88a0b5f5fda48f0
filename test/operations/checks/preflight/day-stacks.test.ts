import type { RecoveryEnvironment } from "../../../../lib/environment";
import { dayStacksCheck, recoveryDayStacks } from "../../../../lib/operations/checks/preflight/day-stacks";
import { failed, read, recovery } from "../../../support/facts";

const absent = (stack: string) => ({ stack, state: read({ exists: false as const }) });
const present = (stack: string, at = "2026-11-20T08:00:00Z") => ({ stack, state: read({ exists: true as const, lastModified: new Date(at) }) });
const warm: RecoveryEnvironment = { ...recovery, tier: "warm-standby" };

describe("recoveryDayStacks", () => {
  it("are the stacks a recovery deploys on the day: a pilot light's networking is peacetime, a backup-and-restore's is not", () => {
    expect(recoveryDayStacks(recovery)).toEqual([
      "application-us-east-2",
      "kubernetes-us-east-2",
      "gitops-us-east-2",
      "workloads-us-east-2",
      "replication-us-east-2",
    ]);
    const cold: RecoveryEnvironment = { ...recovery, tier: "backup-and-restore" };
    expect(recoveryDayStacks(cold)[0]).toBe("networking-us-east-2");
  });

  it("of a warm standby: only the replication of the promoted database's backups (every other stack stands since peacetime)", () => {
    expect(recoveryDayStacks(warm)).toEqual(["replication-us-east-2"]);
  });
});

describe("dayStacksCheck", () => {
  const stacks = recoveryDayStacks(recovery);

  it("passes when no day stack has state", () => {
    expect(dayStacksCheck(recovery, stacks.map(absent))).toEqual({
      id: "day-stacks",
      title: "Day stacks of us-east-2 without state (a recovery starts them fresh)",
      status: "pass",
      detail: `no state for ${stacks.join(", ")}`,
      fix: "",
    });
  });

  it("fails a day stack with state (a rehearsal's leftover the recovery would reuse), naming each", () => {
    const states = [present("application-us-east-2"), absent("kubernetes-us-east-2"), { stack: "gitops-us-east-2", state: read({ exists: true as const }) }];
    expect(dayStacksCheck(recovery, states)).toEqual({
      id: "day-stacks",
      title: "Day stacks of us-east-2 without state (a recovery starts them fresh)",
      status: "fail",
      detail: [
        "2 day stacks have state, which a recovery would reuse as it is:",
        "  application-us-east-2 (s3://acme-terraform-state/application-us-east-2.tfstate, last written 2026-11-20T08:00:00.000Z)",
        "  gitops-us-east-2 (s3://acme-terraform-state/gitops-us-east-2.tfstate, last written at an unknown time)",
      ].join("\n"),
      fix: [
        "# a rehearsal's leftover: remove what it made and its state (docs/readiness.md, Leftover day stacks), then run the preflight again",
        '# a recovery kept applied on purpose: in environments/us-east-2.ts set tier: "warm-standby" (docs/tiers.md)',
      ].join("\n"),
    });
    expect(dayStacksCheck(recovery, [present("application-us-east-2")]).detail.split("\n")[0]).toBe(
      "1 day stack has state, which a recovery would reuse as it is:",
    );
  });

  it("of a warm standby, checks its replication stack alone, whose state (its key) an earlier promotion and failback leave", () => {
    expect(dayStacksCheck(warm, recoveryDayStacks(warm).map(absent))).toMatchObject({ status: "pass", detail: "no state for replication-us-east-2" });
    expect(dayStacksCheck(warm, [present("replication-us-east-2")])).toEqual({
      id: "day-stacks",
      title: "Day stacks of us-east-2 without state (a recovery starts them fresh)",
      status: "pass",
      detail:
        "kept from an earlier promotion (its key; the day deploys it again for the promoted instance): replication-us-east-2 (s3://acme-terraform-state/replication-us-east-2.tfstate, last written 2026-11-20T08:00:00.000Z)",
      fix: "",
    });
    // A pilot light's is a leftover.
    expect(dayStacksCheck(recovery, [present("replication-us-east-2")]).status).toBe("fail");
  });

  it("reports the first failed read as such", () => {
    const check = dayStacksCheck(recovery, [
      absent("application-us-east-2"),
      {
        stack: "kubernetes-us-east-2",
        state: failed("unreachable", "S3 HeadObject of s3://acme-terraform-state/kubernetes-us-east-2.tfstate", "us-west-2", "TimeoutError: x"),
      },
    ]);
    expect(check).toMatchObject({
      status: "unreachable",
      detail: "S3 HeadObject of s3://acme-terraform-state/kubernetes-us-east-2.tfstate in us-west-2 got no answer: TimeoutError: x",
    });
  });
});
