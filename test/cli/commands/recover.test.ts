import * as path from "path";
import { runStartedLine } from "../../../cli/commands/recover";
import { main } from "../../../cli/main";
import { withSynthesized } from "../../../cli/synthesized";
import { REPO } from "../../support/run";

// The synth is the seam: recorded, never run (a test that reaches it fails on its error).
jest.mock("../../../cli/synthesized", () => ({
  ...jest.requireActual("../../../cli/synthesized"),
  withSynthesized: jest.fn(() => {
    throw new Error("synthesized");
  }),
}));

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

describe("rebuild-account with files not edited for the new account", () => {
  /** main() in this process on the repository's files (the lost account's), with what it wrote on stderr. */
  async function rebuildAccount(...flags: string[]): Promise<{ status: number; stderr: string }> {
    let stderr = "";
    const out = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
    try {
      const status = await main(
        ["rebuild-account", "us-east-1", "--new-account", "345678901234", ...flags],
        { DR_ENVIRONMENTS_DIR: path.join(REPO, "environments") },
        REPO,
      );
      return { status, stderr };
    } finally {
      out.mockRestore();
      log.mockRestore();
      err.mockRestore();
    }
  }

  beforeEach(() => jest.mocked(withSynthesized).mockClear());

  it("refuses before the synth, listing each edit (a usage mistake)", async () => {
    const result = await rebuildAccount("--yes");
    expect(result.stderr.split("\n")[0]).toBe(
      'dr-platform: edit the files for account 345678901234 first (the plan\'s step 2), then run again: environments/us-east-1.ts: accountId "345678901234"; environments/us-east-1.ts: bucketSuffix "345678901234"; environments/us-east-1.ts: state.bucket "acme-terraform-state-345678901234"; environments/us-east-1.ts: kubernetes.adminRoleArns ["arn:aws:iam::345678901234:role/platform-admin"]; environments/us-east-1.ts: broker.importDefinitions true; environments/us-east-2.ts: accountId "345678901234"; environments/us-east-2.ts: bucketSuffix "345678901234"; environments/us-east-2.ts: state.bucket "acme-terraform-state-345678901234"; environments/us-east-2.ts: kubernetes.adminRoleArns ["arn:aws:iam::345678901234:role/platform-admin"]; environments/us-east-2.ts: standby.alarmTopicArn "arn:aws:sns:us-east-2:345678901234:acme-platform-alerts"',
    );
    expect(result.status).toBe(2);
    expect(withSynthesized).not.toHaveBeenCalled();
  });

  it("--plan is not refused: it synthesizes to print the plan (whose step 2 lists the edits)", async () => {
    await rebuildAccount("--plan");
    expect(withSynthesized).toHaveBeenCalledTimes(1);
  });
});
