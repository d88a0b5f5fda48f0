import * as fs from "fs";
import { AwsAccountExecution, stepRunner, withCdktfFlags, type ExecutionTarget } from "../../lib/recovery/run-step";
import type { PlanStep } from "../../lib/recovery/plan";
import { tempDir } from "../support/temp";

const step = (id: string, kind: PlanStep["kind"], commands: string[]): PlanStep => ({ id, title: `the ${id} step`, kind, commands, after: [], phase: "serve" });

/** Runs commands as printed, in a temporary folder, with the caller's PATH. */
function target(unserved: (s: PlanStep) => string | undefined = () => undefined): ExecutionTarget {
  const cwd = tempDir("run-step-");
  return { description: "a test target", cwd, env: () => ({ PATH: process.env.PATH, GREETING: "hello" }), command: (c) => c, unserved };
}

const context = (signal = new AbortController().signal) => ({ attempt: 1, signal });

describe("stepRunner", () => {
  it("runs a step's commands in order with the target's environment, logging their output", async () => {
    const logDir = tempDir("logs-");
    const lines: string[] = [];
    const run = stepRunner({ target: target(), logDir, yes: false, onLine: (_s, l) => lines.push(l) });
    const outcome = await run(step("check", "check", ["echo $GREETING one", "echo two >&2"]), context());
    expect(outcome.status).toBe("done");
    expect(lines).toEqual(["hello one", "two"]);
    expect(fs.readFileSync(outcome.outputs!.log, "utf8")).toBe("$ echo $GREETING one\nhello one\n\n[exit 0]\n$ echo two >&2\ntwo\n\n[exit 0]\n");
  });

  it("fails on the first command that fails, naming it, its exit status, its log and its last lines; later commands do not run", async () => {
    const logDir = tempDir("logs-");
    const outcome = await stepRunner({ target: target(), logDir, yes: false })(step("deploy:x", "deploy", ["echo partial; exit 3", "echo never"]), context());
    expect(outcome.status).toBe("failed");
    expect(outcome.detail).toBe(`echo partial; exit 3 exited 3; its log: ${outcome.outputs!.log}\npartial`);
    expect(fs.readFileSync(outcome.outputs!.log, "utf8")).not.toContain("never");
  });

  it("skips what the target cannot serve, with the target's reason, running nothing", async () => {
    const t = target((s) => (s.id === "smoke" ? "the emulator answers no DNS" : undefined));
    const outcome = await stepRunner({ target: t, logDir: tempDir("logs-"), yes: true })(step("smoke", "check", ["exit 1"]), context());
    expect(outcome).toEqual({ status: "skipped", detail: "not served by a test target: the emulator answers no DNS" });
  });

  it("passes a gate with --yes, asks a person otherwise, and fails without either", async () => {
    const gate = step("declare", "gate", ["npx dr-platform status us-east-2"]);
    expect(await stepRunner({ target: target(), logDir: tempDir("l-"), yes: true })(gate, context())).toEqual({
      status: "done",
      detail: "confirmed with --yes",
    });
    const asked: string[] = [];
    const ask = async (s: PlanStep) => (asked.push(s.id), false);
    expect(await stepRunner({ target: target(), logDir: tempDir("l-"), yes: false, ask })(gate, context())).toEqual({
      status: "failed",
      detail: "declined at the prompt",
    });
    expect(asked).toEqual(["declare"]);
    expect(await stepRunner({ target: target(), logDir: tempDir("l-"), yes: false })(gate, context())).toEqual({
      status: "failed",
      detail: "the declare step: needs a person's decision; run in a terminal to be asked, or pass --yes",
    });
  });

  it("stops a running command when the run is interrupted (Ctrl-C reaches its process group)", async () => {
    const controller = new AbortController();
    const started = Date.now();
    // One process prints and then waits (with `echo started; sleep 30` the Ctrl-C can land between the
    // two, before sleep exists: sh exits, sleep runs on, and only the grace period's SIGKILL ends it).
    const slow = `node -e "console.log('started'); setTimeout(() => {}, 30000)"`;
    const running = stepRunner({ target: target(), logDir: tempDir("l-"), yes: false, onLine: () => controller.abort() })(
      step("deploy:slow", "deploy", [slow]),
      context(controller.signal),
    );
    const outcome = await running;
    expect(outcome).toMatchObject({ status: "failed", detail: `stopped while running: ${slow}` });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("runs the adoption hook before a deploy's command and keeps what it reports", async () => {
    const order: string[] = [];
    const run = stepRunner({
      target: target(),
      logDir: tempDir("l-"),
      yes: false,
      beforeDeploy: async (_s, command) => {
        order.push((await command("echo adopting")).output.trim());
        return { adopted: "imported acme-us-east-2" };
      },
      onLine: (_s, l) => order.push(l),
    });
    const outcome = await run(step("deploy:application", "deploy", ["echo deploying"]), context());
    expect(order).toEqual(["adopting", "adopting", "deploying"]);
    expect(outcome.outputs).toMatchObject({ adopted: "imported acme-us-east-2" });
  });
});

describe("execution targets", () => {
  it("a real account runs printed commands as they are, adding --skip-provider-lock to cdktf deploys only with a provider mirror", () => {
    const printed = "npx cdktf deploy application-us-east-2 --skip-synth --ignore-missing-stack-dependencies --auto-approve";
    expect(new AwsAccountExecution("/p", "123456789012", {}).command(printed)).toBe(printed);
    const mirror = tempDir("mirror-");
    const withMirror = new AwsAccountExecution("/p", "123456789012", { TF_PLUGIN_MIRROR: mirror });
    expect(withMirror.command(printed)).toBe(`${printed} --skip-provider-lock`);
    expect(withMirror.command("npx cdktf synth")).toBe("npx cdktf synth");
    expect(withMirror.env().TF_CLI_CONFIG_FILE).toMatch(/mirror\.tfrc$/);
    expect(withMirror.description).toBe("AWS account 123456789012");
  });

  it("withCdktfFlags adds flags to each cdktf command of a line, before a comment or a chained command", () => {
    expect(withCdktfFlags("npx cdktf synth && npx cdktf deploy a --auto-approve   # comment", ["--output", "/o"])).toBe(
      "npx cdktf synth --output /o && npx cdktf deploy a --auto-approve --output /o   # comment",
    );
    expect(withCdktfFlags("kubectl get pods", ["--x"])).toBe("kubectl get pods");
  });
});
