import type { SynthesizedResource } from "./synthesized";

/** How Terraform walks one stack: resources start when what they wait for exists, `-parallelism` at a time. */

/** Throws on a cycle among a stack's resources, naming it (Terraform would refuse the stack). */
export function assertAcyclic(stackId: string, byAddress: Map<string, SynthesizedResource>): void {
  const state = new Map<string, "visiting" | "done">();
  const visit = (address: string, trail: string[]): void => {
    if (state.get(address) === "done") return;
    if (state.get(address) === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(address)), address];
      throw new Error(`stack ${stackId}: dependency cycle among resources ${cycle.join(" -> ")}`);
    }
    state.set(address, "visiting");
    for (const dep of byAddress.get(address)!.dependsOn) if (byAddress.has(dep)) visit(dep, [...trail, address]);
    state.set(address, "done");
  };
  for (const address of [...byAddress.keys()].sort()) visit(address, []);
}

/**
 * Replays Terraform's walk of one stack: a resource's instances become ready when all it depends
 * on is created and take a free slot (ready order, then address); returns when each resource is
 * created. Dependencies outside the stack are not in `resources` (they are in deployed stacks).
 */
export function schedule(resources: readonly SynthesizedResource[], minutesOf: (r: SynthesizedResource) => number, slots: number): Map<string, number> {
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  const waiting = new Map(resources.map((r) => [r.address, r.dependsOn.filter((d) => byAddress.has(d)).length]));
  const dependents = new Map<string, string[]>();
  for (const r of resources) for (const dep of r.dependsOn) if (byAddress.has(dep)) dependents.set(dep, [...(dependents.get(dep) ?? []), r.address]);
  const unfinished = new Map(resources.map((r) => [r.address, r.instances]));
  const finished = new Map<string, number>();
  const queue: { address: string; toStart: number }[] = [];
  const running: { address: string; end: number }[] = [];

  // What is created at `now` releases its dependents; a resource with count = 0 is created at
  // once and releases its own. All that becomes ready at `now` queues together, in address order.
  const released = (created: readonly string[], now: number): string[] => {
    const ready: string[] = [];
    for (const address of created) {
      finished.set(address, now);
      for (const d of dependents.get(address) ?? []) {
        waiting.set(d, waiting.get(d)! - 1);
        if (waiting.get(d) === 0) ready.push(d);
      }
    }
    return ready;
  };
  const enqueue = (ready: readonly string[], now: number): void => {
    const toQueue: string[] = [];
    for (let batch = ready; batch.length > 0;) {
      toQueue.push(...batch.filter((a) => byAddress.get(a)!.instances > 0));
      batch = released(
        batch.filter((a) => byAddress.get(a)!.instances === 0),
        now,
      );
    }
    for (const address of toQueue.sort()) queue.push({ address, toStart: byAddress.get(address)!.instances });
  };

  let now = 0;
  enqueue(
    resources.filter((r) => waiting.get(r.address) === 0).map((r) => r.address),
    now,
  );
  while (queue.length > 0 || running.length > 0) {
    while (running.length < slots && queue.length > 0) {
      const head = queue[0];
      running.push({ address: head.address, end: now + minutesOf(byAddress.get(head.address)!) });
      if (--head.toStart === 0) queue.shift();
    }
    now = Math.min(...running.map((r) => r.end));
    const created: string[] = [];
    for (const { address } of running.filter((r) => r.end === now)) {
      unfinished.set(address, unfinished.get(address)! - 1);
      if (unfinished.get(address) === 0) created.push(address);
    }
    running.splice(0, running.length, ...running.filter((r) => r.end !== now));
    enqueue(released(created, now), now);
  }
  return finished;
}
