import { lastLine, runCommand } from "../../lib/operations/kubectl";

describe("runCommand", () => {
  it("returns the status and both outputs", async () => {
    expect(await runCommand("sh", ["-c", "echo out; echo err >&2; exit 3"], 5000)).toEqual({ status: 3, stdout: "out\n", stderr: "err\n" });
  });

  it("reports a missing binary as a failed run, not an exception", async () => {
    const result = await runCommand("no-such-binary-dr-platform", [], 5000);
    expect(result.status).toBeNull();
    expect(result.stderr).toMatch(/ENOENT/);
  });

  it("kills a command past its deadline and says so", async () => {
    const started = Date.now();
    const result = await runCommand("sleep", ["10"], 200);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toEqual({ status: null, stdout: "", stderr: "killed by SIGTERM after 200 ms" });
  });
});

describe("lastLine", () => {
  it("is the last non-empty line of an error output (what went wrong)", () => {
    expect(lastLine("warning: x\nerror: forbidden\n\n")).toBe("error: forbidden");
    expect(lastLine("")).toBe("");
  });
});
