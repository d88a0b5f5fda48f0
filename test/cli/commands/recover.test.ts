import { runStartedLine } from "../../../cli/commands/recover";

const journal = (runs: number, statuses: string[]) => ({
  region: "us-east-2",
  recoveryId: "20261203T163639Z",
  runs: Array.from({ length: runs }, () => ({})),
  steps: Object.fromEntries(statuses.map((status, i) => [`s${i}`, { status }])),
});
const plan = (scenario: Parameters<typeof runStartedLine>[0]["scenario"]) => ({ scenario, steps: [] as never[] });

describe("runStartedLine", () => {
  it("names each scenario's command as typed and what one run of it is", () => {
    const fresh = journal(1, []);
    expect(runStartedLine(plan("region"), fresh, false)).toBe("recover us-east-2: recovery 20261203T163639Z, run 1");
    expect(runStartedLine(plan("rehearsal"), fresh, false)).toBe("rehearse us-east-2: rehearsal 20261203T163639Z, run 1");
    expect(runStartedLine(plan("rehearsal-teardown"), fresh, false)).toBe("rehearse us-east-2 --teardown: rehearsal teardown 20261203T163639Z, run 1");
    expect(runStartedLine(plan("cluster"), fresh, false)).toBe("rebuild-cluster us-east-2: cluster rebuild 20261203T163639Z, run 1");
    expect(runStartedLine(plan("database"), fresh, false)).toBe("restore-database us-east-2: database restore 20261203T163639Z, run 1");
  });

  it("says how much a resumed run found done (skipped steps count as done)", () => {
    const resumed = journal(2, ["done", "skipped", "failed", "pending"]);
    const steps = [{}, {}, {}, {}] as never[];
    expect(runStartedLine({ scenario: "region", steps }, resumed, true)).toBe(
      "recover us-east-2: recovery 20261203T163639Z, run 2 (resumed: 2 of 4 steps done before)",
    );
  });
});
