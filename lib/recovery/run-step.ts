import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PLUGIN_MIRROR_VARIABLE, terraformProcessEnv } from "../tooling/terraform-cli";
import type { StepOutcome, StepRunner } from "./executor";
import { forceUnlockCommand, stateLockOf, staleLockVerdict } from "./stale-lock";
import type { PlanStep } from "./plan";

/**
 * How the steps of a plan run where the stacks are deployed: a real account, or the emulator (a
 * deployment target like any other: lib/tooling/sandbox-recover.ts). The target never changes what
 * a step does: it gives the processes their environment, may add its own flags to a printed
 * command (the emulator's output folder, a provider mirror's `--skip-provider-lock`), and says
 * which steps it cannot serve, each with the reason (the report lists them).
 */
export interface ExecutionTarget {
  /** For messages and the report: `AWS account 123456789012`, `the emulator at https://127.0.0.1:5100`. */
  readonly description: string;
  /** The project folder (cdktf.json) every command runs in. */
  readonly cwd: string;
  /** The environment of every step's processes. */
  env(): NodeJS.ProcessEnv;
  /** A printed command as this target runs it. */
  command(printed: string): string;
  /** Why this target cannot run `step`; undefined when it can. */
  unserved(step: PlanStep): string | undefined;
}

/** A real AWS account: the commands as printed, with the caller's credentials. */
export class AwsAccountExecution implements ExecutionTarget {
  public readonly description: string;

  constructor(
    public readonly cwd: string,
    accountId: string,
    private readonly base: NodeJS.ProcessEnv = process.env,
  ) {
    this.description = `AWS account ${accountId}`;
  }

  public env(): NodeJS.ProcessEnv {
    return terraformProcessEnv(this.base);
  }

  /** A machine without the Terraform registry installs providers from its mirror: cdktf's lock step would ask the registry. */
  public command(printed: string): string {
    return this.base[PLUGIN_MIRROR_VARIABLE] ? withCdktfFlags(printed, ["--skip-provider-lock"], ["deploy", "diff", "destroy"]) : printed;
  }

  public unserved(): undefined {
    return undefined;
  }
}

/** Adds `flags` to every `npx cdktf <verb>` of a printed command line whose verb is in `verbs` (all when omitted). */
export function withCdktfFlags(line: string, flags: readonly string[], verbs?: readonly string[]): string {
  return line.replace(/npx cdktf ([a-z]+)((?: [^&|;#]*)?)/g, (whole, verb: string, rest: string) => {
    if (verbs && !verbs.includes(verb)) return whole;
    const args = rest.trimEnd();
    return `npx cdktf ${verb}${args} ${flags.join(" ")}${rest.slice(args.length)}`;
  });
}

export interface StepRunnerOptions {
  readonly target: ExecutionTarget;
  /** Where each step's output is written (`<step>.log`). */
  readonly logDir: string;
  /** Gates pass without asking (`--yes`). */
  readonly yes: boolean;
  /**
   * Asks a person a gate's question; true to go on.
   * @default - no person: a gate without --yes fails, saying so
   */
  readonly ask?: (step: PlanStep) => Promise<boolean>;
  /** Runs before a deploy step's command (adopting a database restore that outlived Terraform's wait). */
  readonly beforeDeploy?: (step: PlanStep, run: CommandRun) => Promise<Record<string, string> | undefined>;
  /**
   * The synthesized folder of a deploy step's stack (`<cdktf.out>/stacks/<stack>`), where a state
   * lock left by the step's interrupted attempt is released (stale-lock.ts).
   * @default - no folder: a state lock fails the step, naming the lock
   */
  readonly stackDir?: (step: PlanStep) => string | undefined;
  /** Every line a step's processes print. */
  readonly onLine?: (step: PlanStep, line: string) => void;
}

/** Runs one command line of a step, logged; resolves with its exit status. */
export type CommandRun = (commandLine: string) => Promise<{ readonly status: number | null; readonly output: string }>;

/** The runner of every step kind, for `execute`. */
export function stepRunner(options: StepRunnerOptions): StepRunner {
  const { target } = options;
  return async (step, { signal, previous }) => {
    const unserved = target.unserved(step);
    if (unserved !== undefined) return { status: "skipped", detail: `not served by ${target.description}: ${unserved}` };
    if (step.kind === "gate") return gate(step, options);
    fs.mkdirSync(options.logDir, { recursive: true });
    const logFile = path.join(options.logDir, `${step.id.replace(/[^A-Za-z0-9_.-]/g, "_")}.log`);
    fs.writeFileSync(logFile, "");
    const run: CommandRun = (line) => runLogged(line, target, logFile, signal, (l) => options.onLine?.(step, l));
    const outputs: Record<string, string> = { log: logFile };
    if (step.kind === "deploy" && options.beforeDeploy) Object.assign(outputs, (await options.beforeDeploy(step, run)) ?? {});
    for (const printed of step.commands) {
      const command = target.command(printed);
      let result = await run(command);
      if (signal.aborted) return { status: "failed", detail: `stopped while running: ${command}`, outputs };
      // A lock the step's own interrupted attempt left is released, and the command runs again.
      const lock = result.status !== 0 && step.kind === "deploy" ? stateLockOf(result.output) : undefined;
      let lockAdvice = "";
      if (lock) {
        const dir = options.stackDir?.(step);
        const verdict = dir ? staleLockVerdict(lock, previous, dir) : undefined;
        if (dir && verdict?.release) {
          const unlocked = await run(forceUnlockCommand(dir, lock));
          if (signal.aborted) return { status: "failed", detail: `stopped while running: ${command}`, outputs };
          if (unlocked.status === 0) {
            outputs.released = `state lock ${verdict.reason}`;
            result = await run(command);
            if (signal.aborted) return { status: "failed", detail: `stopped while running: ${command}`, outputs };
          } else {
            lockAdvice = `\nreleasing the interrupted attempt's state lock ${lock.id} failed (exit ${unlocked.status}; its log: ${logFile})`;
          }
        } else if (verdict && !verdict.release) {
          lockAdvice = `\nnot released: ${verdict.reason}; ${verdict.advice}`;
        }
      }
      if (result.status !== 0) {
        const tail = result.output.trimEnd().split("\n").slice(-8).join("\n");
        return { status: "failed", detail: `${command} exited ${result.status}; its log: ${logFile}${lockAdvice}\n${tail}`, outputs };
      }
    }
    return { status: "done", outputs };
  };
}

async function gate(step: PlanStep, options: StepRunnerOptions): Promise<StepOutcome> {
  if (options.yes) return { status: "done", detail: "confirmed with --yes" };
  if (!options.ask) return { status: "failed", detail: `${step.title}: needs a person's decision; run in a terminal to be asked, or pass --yes` };
  return (await options.ask(step)) ? { status: "done", detail: "confirmed at the prompt" } : { status: "failed", detail: "declined at the prompt" };
}

/** How long a stopped command gets to release its state lock before it is killed. */
const STOP_GRACE_MS = 30_000;

function runLogged(
  commandLine: string,
  target: ExecutionTarget,
  logFile: string,
  signal: AbortSignal,
  onLine: (line: string) => void,
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    fs.appendFileSync(logFile, `$ ${commandLine}\n`);
    // Its own process group: Ctrl-C reaches Terraform through cdktf, which then releases its lock.
    const child = spawn("sh", ["-c", commandLine], { cwd: target.cwd, env: target.env(), stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    let partial = "";
    const take = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output += text;
      fs.appendFileSync(logFile, text);
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      lines.forEach(onLine);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    let killer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGINT");
      } catch {
        return;
      }
      killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      }, STOP_GRACE_MS);
    };
    if (signal.aborted) stop();
    signal.addEventListener("abort", stop, { once: true });
    child.once("error", reject);
    child.once("close", (status) => {
      signal.removeEventListener("abort", stop);
      if (killer) clearTimeout(killer);
      if (partial) onLine(partial);
      fs.appendFileSync(logFile, `\n[exit ${status}]\n`);
      resolve({ status, output });
    });
  });
}
