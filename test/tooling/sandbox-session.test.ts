import { parallelSummary, sandboxStacks, type DeployResult, type ParallelDeployResult, type SandboxApp } from "../../lib/tooling/sandbox-session";

const APP: SandboxApp = {
  manifest: {
    stacks: {
      "state-acme-terraform-state": { dependencies: [] },
      "networking-us-east-1": { dependencies: [] },
      "gitops-us-east-1": { dependencies: ["networking-us-east-1"] },
      "networking-us-east-2": { dependencies: [] },
      "kubernetes-us-east-2": { dependencies: ["networking-us-east-2", "standby-us-east-2"] },
      "standby-us-east-2": { dependencies: [] },
    },
  },
  providers: {
    "state-acme-terraform-state": ["aws"],
    "networking-us-east-1": ["aws"],
    "gitops-us-east-1": ["aws", "helm", "kubernetes"],
    "networking-us-east-2": ["aws"],
    "kubernetes-us-east-2": ["aws"],
    "standby-us-east-2": ["aws"],
  },
};

describe("sandboxStacks", () => {
  it("selects the regions' stacks the emulator serves, from the manifest, and names the others with their providers", () => {
    expect(sandboxStacks(APP, ["us-east-1", "us-east-2"])).toEqual({
      stacks: ["kubernetes-us-east-2", "networking-us-east-1", "networking-us-east-2", "standby-us-east-2"],
      skipped: [{ stack: "gitops-us-east-1", providers: ["helm", "kubernetes"] }],
    });
  });

  it("leaves out other regions and the state bootstrap", () => {
    expect(sandboxStacks(APP, ["us-east-1"]).stacks).toEqual(["networking-us-east-1"]);
  });
});

describe("parallelSummary", () => {
  const run = (stack: string, resources: number): DeployResult => ({ stack, ok: true, resources, seconds: 0, output: "", logFile: "" });
  it("prints each stack's start, finish and own time, then the wall time beside the serial sum", () => {
    const result: ParallelDeployResult = {
      ok: false,
      stacks: [
        {
          stackId: "networking-us-east-2",
          dependencies: [],
          status: "deployed",
          startSecond: 0,
          finishSecond: 40.04,
          seconds: 40.04,
          run: run("networking-us-east-2", 23),
        },
        { stackId: "kubernetes-us-east-2", dependencies: ["networking-us-east-2"], status: "failed", startSecond: 40.04, finishSecond: 70, seconds: 29.96 },
        {
          stackId: "gitops-us-east-2",
          dependencies: ["kubernetes-us-east-2", "networking-us-east-2"],
          status: "not started",
          seconds: 0,
          reason: "needs kubernetes-us-east-2, which failed",
        },
      ],
      wallSeconds: 70,
      serialSeconds: 70,
      peakConcurrency: 1,
      error: "x",
    };
    expect(parallelSummary("recovery of us-east-2", result)).toBe(
      [
        "recovery of us-east-2:",
        "stack                   resources  start s  finish s  own s  after",
        "--------------------  -----------  -------  --------  -----  ------------------------------------------",
        "networking-us-east-2           23      0.0      40.0   40.0  -",
        "kubernetes-us-east-2       FAILED     40.0      70.0   30.0  networking-us-east-2",
        "gitops-us-east-2      NOT STARTED        -         -    0.0  kubernetes-us-east-2, networking-us-east-2",
        "wall 70.0 s; serial sum of the same stacks 70.0 s; at most 1 at once",
      ].join("\n"),
    );
  });
});
