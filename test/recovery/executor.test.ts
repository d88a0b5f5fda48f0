import { execute, type JournalStore, type StepOutcome } from "../../lib/recovery/executor";
import type { Journal } from "../../lib/recovery/journal";
import type { PlanStep, RecoveryPlan } from "../../lib/recovery/plan";

/** A plan of plain steps: a gate, a check, two deploys side by side, one after both, one after serving. */
function plan(): RecoveryPlan {
  const s = (id: string, kind: PlanStep["kind"], after: string[], phase: PlanStep["phase"] = "serve"): PlanStep => ({
    id,
    title: id,
    kind,
    commands: [id],
    after,
    phase,
  });
  return {
    region: "us-east-2",
    scenario: "region",
    preparation: [],
    steps: [
      s("declare", "gate", []),
      s("preflight", "check", ["declare"]),
      s("deploy:a", "deploy", ["preflight"]),
      s("deploy:b", "deploy", ["preflight"]),
      s("deploy:c", "deploy", ["deploy:a", "deploy:b"]),
      s("smoke", "check", ["deploy:c"]),
      s("deploy:later", "deploy", ["smoke"], "after-serving"),
    ],
    manualSteps: 1,
    notNeeded: [],
  };
}

function memoryStore(initial?: Journal): JournalStore & { writes: Journal[] } {
  const writes: Journal[] = [];
  let kept = initial;
  return {
    writes,
    read: async () => kept,
    write: async (journal) => {
      kept = journal;
      writes.push(journal);
    },
  };
}

/** A clock that moves one second per call. */
function clock() {
  let t = Date.parse("2026-12-02T03:00:00Z");
  return () => new Date((t += 1000));
}

describe("execute", () => {
  it("runs every step once, in an order that respects `after`, two independent deploys side by side", async () => {
    const store = memoryStore();
    const running = new Set<string>();
    let together = 0;
    const order: string[] = [];
    const result = await execute({
      plan: plan(),
      store,
      now: clock(),
      run: async (step) => {
        order.push(step.id);
        running.add(step.id);
        together = Math.max(together, running.size);
        await new Promise((r) => setImmediate(r));
        running.delete(step.id);
        return { status: "done" };
      },
    });
    expect(result.outcome).toBe("completed");
    expect(order).toEqual(["declare", "preflight", "deploy:a", "deploy:b", "deploy:c", "smoke", "deploy:later"]);
    expect(together).toBe(2);
    expect(Object.values(result.journal.steps).map((s) => `${s.status} ${s.attempts}`)).toEqual(Array(7).fill("done 1"));
    expect(result.journal.runs).toEqual([expect.objectContaining({ outcome: "completed", started: order })]);
    // Written after every change, the last write is the final journal.
    expect(store.writes.length).toBeGreaterThan(14);
    expect(store.writes[store.writes.length - 1]).toEqual(result.journal);
  });

  it("a failed step holds back what waits for it, not its independent sibling; the next run retries it and nothing done", async () => {
    const store = memoryStore();
    const first: string[] = [];
    const failing = await execute({
      plan: plan(),
      store,
      now: clock(),
      run: async (step) => {
        first.push(step.id);
        return step.id === "deploy:a" ? { status: "failed", detail: "terraform apply failed" } : { status: "done" };
      },
    });
    expect(failing.outcome).toBe("failed");
    expect(first).toEqual(["declare", "preflight", "deploy:a", "deploy:b"]);
    expect(failing.journal.steps["deploy:a"]).toMatchObject({ status: "failed", detail: "terraform apply failed", attempts: 1 });
    expect(failing.journal.steps["deploy:c"]).toMatchObject({ status: "pending", detail: "waits for deploy:a" });

    const second: string[] = [];
    const retried = await execute({ plan: plan(), store, now: clock(), run: async (step) => (second.push(step.id), { status: "done" }) });
    expect(retried.outcome).toBe("completed");
    expect(second).toEqual(["deploy:a", "deploy:c", "smoke", "deploy:later"]);
    expect(retried.journal.steps["deploy:a"].attempts).toBe(2);
    expect(retried.journal.steps["deploy:b"].attempts).toBe(1);
    expect(retried.journal.runs.map((r) => r.outcome)).toEqual(["failed", "completed"]);
  });

  it("an interrupted run leaves its running step to be repeated by the next, and nothing done before it", async () => {
    const store = memoryStore();
    const controller = new AbortController();
    const interrupted = await execute({
      plan: plan(),
      store,
      now: clock(),
      signal: controller.signal,
      run: (step, { signal }) =>
        step.id === "deploy:c"
          ? new Promise<StepOutcome>((resolve) => {
              signal.addEventListener("abort", () => resolve({ status: "failed", detail: "cdktf stopped by SIGINT" }));
              controller.abort();
            })
          : Promise.resolve({ status: "done" }),
    });
    expect(interrupted.outcome).toBe("interrupted");
    expect(interrupted.journal.steps["deploy:c"]).toMatchObject({ status: "failed", detail: "interrupted: cdktf stopped by SIGINT" });
    const resumed: string[] = [];
    const previous: Record<string, unknown> = {};
    const result = await execute({
      plan: plan(),
      store,
      now: clock(),
      run: async (step, context) => (resumed.push(step.id), (previous[step.id] = context.previous), { status: "done" }),
    });
    expect(resumed).toEqual(["deploy:c", "smoke", "deploy:later"]);
    // The runner learns how the repeated step's last attempt ended (a state lock it left may be released); a first attempt has no previous.
    const c = interrupted.journal.steps["deploy:c"];
    expect(previous).toEqual({
      "deploy:c": { status: "pending", attempts: 1, startedAt: c.startedAt, endedAt: c.endedAt, detail: "interrupted: cdktf stopped by SIGINT", run: 1 },
      smoke: undefined,
      "deploy:later": undefined,
    });
    expect(result.journal.runs.map((r) => `${r.outcome} ${r.started.join(",")}`)).toEqual([
      "interrupted declare,preflight,deploy:a,deploy:b,deploy:c",
      "completed deploy:c,smoke,deploy:later",
    ]);
  });

  it("--from restarts that step and everything after it; after a complete journal the next run is a new recovery", async () => {
    const store = memoryStore();
    const now = clock();
    const first = await execute({ plan: plan(), store, now, run: async () => ({ status: "done" }) });
    const again: string[] = [];
    const from = await execute({ plan: plan(), store, now, from: "deploy:b", run: async (step) => (again.push(step.id), { status: "done" }) });
    expect(from.outcome).toBe("completed");
    expect(from.journal.recoveryId).toBe(first.journal.recoveryId);
    expect(again).toEqual(["deploy:b", "deploy:c", "smoke", "deploy:later"]);
    // A finished recovery never makes the next one do nothing (a drill's leftover, last year's outage).
    again.length = 0;
    const warnings: string[] = [];
    const next = await execute({
      plan: plan(),
      store,
      now,
      onEvent: (e) => (e.type === "warning" ? warnings.push(e.message) : undefined),
      run: async (step) => (again.push(step.id), { status: "done" }),
    });
    expect(next.outcome).toBe("completed");
    expect(next.journal.recoveryId).not.toBe(first.journal.recoveryId);
    expect(next.journal.runs).toHaveLength(1);
    expect(again).toEqual(["declare", "preflight", "deploy:a", "deploy:b", "deploy:c", "smoke", "deploy:later"]);
    expect(warnings).toEqual([
      `recovery ${first.journal.recoveryId} completed (${from.journal.updatedAt}); this is a new recovery (the finished journal is kept under its id; --from <step> re-runs steps of it instead)`,
    ]);
    await expect(execute({ plan: plan(), store, from: "deploy:x", run: async () => ({ status: "done" }) })).rejects.toThrow(
      "--from deploy:x: no such step; the steps are declare, preflight, deploy:a, deploy:b, deploy:c, smoke, deploy:later",
    );
  });

  it("a new recovery started in the same second as the finished one still gets its own id", async () => {
    const store = memoryStore();
    const fixed = () => new Date("2026-12-02T03:00:00Z");
    const first = await execute({ plan: plan(), store, now: fixed, run: async () => ({ status: "done" }) });
    const next = await execute({ plan: plan(), store, now: fixed, run: async () => ({ status: "done" }) });
    expect([first.journal.recoveryId, next.journal.recoveryId]).toEqual(["20261202T030000Z", "20261202T030000Z-2"]);
  });

  it("refuses to resume a journal of another plan, naming what changed", async () => {
    const store = memoryStore();
    await execute({ plan: plan(), store, now: clock(), run: async (step) => ({ status: step.id === "smoke" ? "failed" : "done" }) });
    const changed = { ...plan(), steps: plan().steps.filter((s) => s.id !== "deploy:later") };
    await expect(execute({ plan: changed, store, run: async () => ({ status: "done" }) })).rejects.toThrow(
      /^cannot resume recovery \d{8}T\d{6}Z: the plan changed since recovery \d{8}T\d{6}Z started \(-deploy:later\); start a new one with --new$/,
    );
    const fresh = await execute({ plan: changed, store, fresh: true, now: clock(), run: async () => ({ status: "done" }) });
    expect(fresh.outcome).toBe("completed");
  });

  it("runs a gate alone, and records a skipped step as finished without holding anything back", async () => {
    const store = memoryStore();
    const started: string[] = [];
    const result = await execute({
      plan: plan(),
      store,
      now: clock(),
      run: async (step) => (started.push(step.id), step.id === "smoke" ? { status: "skipped", detail: "the emulator answers no DNS" } : { status: "done" }),
    });
    expect(result.outcome).toBe("completed");
    expect(result.journal.steps.smoke).toMatchObject({ status: "skipped", detail: "the emulator answers no DNS" });
    // Nothing ran beside the gate: the preflight started after it finished.
    expect(started.slice(0, 2)).toEqual(["declare", "preflight"]);
  });

  it("a thrown runner is a failed step, and a store that cannot write is a warning, not a crash", async () => {
    const warnings: string[] = [];
    const store: JournalStore = { read: async () => undefined, write: async () => Promise.reject(new Error("AccessDenied")) };
    const result = await execute({
      plan: plan(),
      store,
      now: clock(),
      onEvent: (e) => e.type === "warning" && warnings.push(e.message),
      run: async (step) => {
        if (step.id === "preflight") throw new Error("boom");
        return { status: "done" };
      },
    });
    expect(result.outcome).toBe("failed");
    expect(result.journal.steps.preflight).toMatchObject({ status: "failed", detail: "boom" });
    expect(warnings[0]).toBe("journal not written: AccessDenied");
  });
});
