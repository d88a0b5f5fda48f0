import { runSchedule, scheduleProblems, type StackRun } from "../../lib/tooling/deploy-scheduler";
import type { Manifest } from "../../lib/operations/stack-graph";

/** A recovery's shape: networking first, application and kubernetes beside each other, gitops after both. */
const RECOVERY: Manifest = {
  stacks: {
    "networking-x": { dependencies: [] },
    "application-x": { dependencies: ["networking-x"] },
    "kubernetes-x": { dependencies: ["networking-x", "standby-x"] },
    "gitops-x": { dependencies: ["kubernetes-x", "application-x"] },
    "standby-x": { dependencies: ["application-p"] },
    "application-p": { dependencies: [] },
  },
};
const RECOVERY_STACKS = ["networking-x", "application-x", "kubernetes-x", "gitops-x"];

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A runner whose stacks finish when the test says so, on a clock the test moves. */
function controlled() {
  const clock = { ms: 1_000_000 };
  const started: string[] = [];
  const open = new Map<string, (ok: boolean) => void>();
  return {
    clock,
    started,
    running: () => [...open.keys()].sort(),
    now: () => clock.ms,
    run: (id: string) => {
      started.push(id);
      return new Promise<StackRun>((resolve) => open.set(id, (ok) => resolve({ ok, logFile: `/logs/deploy-${id}.log` })));
    },
    /** Moves the clock by `seconds`, then ends the stack's run. */
    finish: async (id: string, seconds: number, ok = true) => {
      clock.ms += seconds * 1000;
      const end = open.get(id);
      if (!end) throw new Error(`${id} is not running (running: ${[...open.keys()].join(", ")})`);
      open.delete(id);
      end(ok);
      await flush();
    },
  };
}

describe("scheduleProblems", () => {
  it("accepts a selection whose outside dependencies are deployed", () => {
    expect(scheduleProblems(RECOVERY, RECOVERY_STACKS, (id) => id === "standby-x")).toEqual([]);
  });

  it("names a stack the manifest does not have", () => {
    expect(scheduleProblems(RECOVERY, ["networking-x", "flux-x"])).toEqual([
      "flux-x: no such stack in manifest.json (have: application-p, application-x, gitops-x, kubernetes-x, networking-x, standby-x)",
    ]);
  });

  it("names an outside dependency that is not deployed, and what to do", () => {
    expect(scheduleProblems(RECOVERY, RECOVERY_STACKS, () => false)).toEqual([
      "kubernetes-x needs standby-x, which is neither selected nor deployed: deploy standby-x first or select it too",
    ]);
  });

  it("names the stacks of a cycle", () => {
    const cyclic: Manifest = { stacks: { a: { dependencies: ["c"] }, b: { dependencies: ["a"] }, c: { dependencies: ["b"] }, d: { dependencies: [] } } };
    expect(scheduleProblems(cyclic, ["a", "b", "c", "d"])).toEqual(["dependency cycle among a, b, c"]);
  });
});

describe("runSchedule", () => {
  it("starts each stack when its dependencies are deployed, independent ones side by side", async () => {
    const c = controlled();
    const done = runSchedule({ manifest: RECOVERY, stacks: RECOVERY_STACKS, run: c.run, now: c.now });
    await flush();
    expect(c.running()).toEqual(["networking-x"]);
    await c.finish("networking-x", 40);
    expect(c.running()).toEqual(["application-x", "kubernetes-x"]);
    await c.finish("kubernetes-x", 100);
    // gitops needs application too.
    expect(c.running()).toEqual(["application-x"]);
    await c.finish("application-x", 20);
    expect(c.running()).toEqual(["gitops-x"]);
    await c.finish("gitops-x", 10);
    const result = await done;
    expect(result.ok).toBe(true);
    expect(result.error).toBeUndefined();
    expect(result.stacks.map((s) => [s.stackId, s.status, s.startSecond, s.finishSecond, s.seconds, s.dependencies])).toEqual([
      ["networking-x", "deployed", 0, 40, 40, []],
      ["application-x", "deployed", 40, 160, 120, ["networking-x"]],
      ["kubernetes-x", "deployed", 40, 140, 100, ["networking-x"]],
      ["gitops-x", "deployed", 160, 170, 10, ["application-x", "kubernetes-x"]],
    ]);
    expect(result.wallSeconds).toBe(170);
    expect(result.serialSeconds).toBe(270);
    expect(result.peakConcurrency).toBe(2);
    expect(result.stacks[0].run).toEqual({ ok: true, logFile: "/logs/deploy-networking-x.log" });
  });

  it("keeps to the concurrency limit, ties by stack id", async () => {
    const c = controlled();
    const done = runSchedule({ manifest: RECOVERY, stacks: RECOVERY_STACKS, run: c.run, now: c.now, concurrency: 1 });
    await flush();
    await c.finish("networking-x", 1);
    expect(c.running()).toEqual(["application-x"]);
    await c.finish("application-x", 1);
    expect(c.running()).toEqual(["kubernetes-x"]);
    await c.finish("kubernetes-x", 1);
    await c.finish("gitops-x", 1);
    const result = await done;
    expect(c.started).toEqual(["networking-x", "application-x", "kubernetes-x", "gitops-x"]);
    expect(result.peakConcurrency).toBe(1);
    expect(result.wallSeconds).toBe(result.serialSeconds);
  });

  it("stops the dependents of a failed stack, lets independent ones finish, and names the stack and its log", async () => {
    const c = controlled();
    const done = runSchedule({ manifest: RECOVERY, stacks: RECOVERY_STACKS, run: c.run, now: c.now });
    await flush();
    await c.finish("networking-x", 10);
    await c.finish("application-x", 5, false);
    expect(c.running()).toEqual(["kubernetes-x"]);
    await c.finish("kubernetes-x", 30);
    const result = await done;
    expect(c.started).toEqual(["networking-x", "application-x", "kubernetes-x"]);
    expect(result.ok).toBe(false);
    expect(result.error).toBe(
      ["application-x failed; its log: /logs/deploy-application-x.log", "not started: gitops-x (needs application-x, which failed)"].join("\n"),
    );
    expect(result.stacks.map((s) => [s.stackId, s.status])).toEqual([
      ["networking-x", "deployed"],
      ["application-x", "failed"],
      ["kubernetes-x", "deployed"],
      ["gitops-x", "not started"],
    ]);
    // kubernetes ran from 10 s to 45 s, beside the failing application.
    expect([result.wallSeconds, result.serialSeconds]).toEqual([45, 50]);
  });

  it("holds back the dependents of a failed stack's dependents too", async () => {
    const c = controlled();
    const done = runSchedule({ manifest: RECOVERY, stacks: RECOVERY_STACKS, run: c.run, now: c.now });
    await flush();
    await c.finish("networking-x", 10, false);
    const result = await done;
    expect(c.started).toEqual(["networking-x"]);
    expect(result.error).toBe(
      [
        "networking-x failed; its log: /logs/deploy-networking-x.log",
        "not started: application-x (needs networking-x, which failed), gitops-x (needs application-x, which failed), kubernetes-x (needs networking-x, which failed)",
      ].join("\n"),
    );
  });

  it("counts a run that throws as a failed stack", async () => {
    const result = await runSchedule({
      manifest: RECOVERY,
      stacks: ["networking-x", "application-x"],
      run: async (id) => {
        if (id === "networking-x") throw new Error("cdktf not found");
        return { ok: true, logFile: "unused" };
      },
    });
    expect(result.error).toBe("networking-x failed: cdktf not found\nnot started: application-x (needs networking-x, which failed)");
  });

  it("takes dependencies outside the selection as deployed when they are", async () => {
    const started: string[] = [];
    const result = await runSchedule({
      manifest: RECOVERY,
      stacks: ["kubernetes-x", "gitops-x", "application-x"],
      deployed: (id) => ["networking-x", "standby-x"].includes(id),
      run: async (id) => {
        started.push(id);
        return { ok: true, logFile: `/logs/${id}` };
      },
    });
    expect(result.ok).toBe(true);
    expect(started).toEqual(["application-x", "kubernetes-x", "gitops-x"]);
  });

  it("refuses before running anything: a missing dependency, no stacks, a bad concurrency", async () => {
    const run = jest.fn(async () => ({ ok: true, logFile: "x" }));
    await expect(runSchedule({ manifest: RECOVERY, stacks: RECOVERY_STACKS, deployed: () => false, run })).rejects.toThrow(
      "cannot deploy networking-x, application-x, kubernetes-x, gitops-x:\n  kubernetes-x needs standby-x, which is neither selected nor deployed: deploy standby-x first or select it too",
    );
    await expect(runSchedule({ manifest: RECOVERY, stacks: [], run })).rejects.toThrow("runSchedule: no stacks selected");
    await expect(runSchedule({ manifest: RECOVERY, stacks: ["networking-x"], run, concurrency: 0 })).rejects.toThrow(
      "runSchedule: concurrency must be a whole number >= 1 (got 0)",
    );
    await expect(runSchedule({ manifest: RECOVERY, stacks: ["networking-x"], run, concurrency: 1.5 })).rejects.toThrow(
      "runSchedule: concurrency must be a whole number >= 1 (got 1.5)",
    );
    expect(run).not.toHaveBeenCalled();
  });
});
