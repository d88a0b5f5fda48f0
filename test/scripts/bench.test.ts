import * as path from "path";
import type { RtoResult, StackTiming } from "../../lib/operations/rto";
import { recoveryTimeMarkdown, recoveryTimes, shippedSynthVerdict } from "../../scripts/bench";
import { REPO } from "../support/run";

function stack(stackId: string, minutes: number): StackTiming {
  return { stackId, dependencies: [], minutes, unlimitedMinutes: minutes, startMinute: 0, finishMinute: minutes, critical: true, longestChain: [] };
}

describe("bench: modelled recovery time", () => {
  it("writes serial sum and critical path per recovery", () => {
    const result: RtoResult = {
      stacks: [stack("networking-eu-west-1", 3.4), stack("application-eu-west-1", 76.05), stack("kubernetes-eu-west-1", 23.7)],
      criticalPath: ["networking-eu-west-1", "application-eu-west-1"],
      criticalPathMinutes: 79.44,
      serialMinutes: 103.16,
      parallelism: 10,
      restores: [],
      defaultedTypes: [],
      defaultMinutes: 1,
    };
    expect(recoveryTimeMarkdown([{ region: "eu-west-1", result }])).toBe(
      [
        "Modelled recovery time of the shipped recovery environments (`npx dr-platform rto <region>`): a",
        "model from the synthesized stack graph and typical creation times per resource type (figures",
        "and sources in docs/rto.md), not a measurement. Serial sum: the stacks deployed one after",
        "another; critical path: independent stacks deployed side by side.",
        "",
        "| recovery | stacks | serial sum | critical path | critical path through |",
        "| --- | ---: | ---: | ---: | --- |",
        "| eu-west-1 | 3 | 103.2 min | 79.4 min | networking-eu-west-1 -> application-eu-west-1 |",
      ].join("\n"),
    );
  });

  it("models the shipped recovery environments only", () => {
    const recoveries = recoveryTimes(path.join(REPO, "environments"));
    expect(recoveries.map((r) => r.region)).toEqual(["us-east-2"]);
    const { result } = recoveries[0];
    expect(result.stacks.every((s) => s.stackId.endsWith("-us-east-2"))).toBe(true);
    expect(result.criticalPathMinutes).toBeGreaterThan(0);
    expect(result.criticalPathMinutes).toBeLessThanOrEqual(result.serialMinutes);
  });
});

describe("bench: npm run synth of the shipped environments against issue 22's bar", () => {
  it("says met at or below 1.00 s and 160 MB", () => {
    expect(shippedSynthVerdict(1.0, 160)).toBe("- Shipped environments, `npm run synth`: 1.00 s, 160 MB (issue 22's bar: <= 1.00 s and <= 160 MB: met).");
  });

  it("says by how much the time missed", () => {
    expect(shippedSynthVerdict(1.07, 123)).toBe(
      "- Shipped environments, `npm run synth`: 1.07 s, 123 MB (issue 22's bar: <= 1.00 s and <= 160 MB: missed, 0.07 s too slow).",
    );
  });

  it("says by how much the memory missed, and both at once", () => {
    expect(shippedSynthVerdict(0.8, 237)).toBe(
      "- Shipped environments, `npm run synth`: 0.80 s, 237 MB (issue 22's bar: <= 1.00 s and <= 160 MB: missed, 77 MB too large).",
    );
    expect(shippedSynthVerdict(2.2, 237)).toBe(
      "- Shipped environments, `npm run synth`: 2.20 s, 237 MB (issue 22's bar: <= 1.00 s and <= 160 MB: missed, 1.20 s too slow and 77 MB too large).",
    );
  });
});
