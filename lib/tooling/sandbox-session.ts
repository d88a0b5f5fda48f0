import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EMULATOR_ENDPOINT_VARIABLE, EMULATOR_STATE_VARIABLE } from "../targets/emulator-target";
import { terraformProcessEnv } from "./terraform-cli";

/** Layers the sandbox deploys; gitops needs a real cluster and the helm/kubernetes providers. */
export const SANDBOX_LAYERS = ["networking", "application", "kubernetes"] as const;

/** Why the gitops stack is never applied in the sandbox. */
export const GITOPS_NOT_APPLIED =
  "not applied: it needs a running Kubernetes cluster and the helm/kubernetes providers, and the emulator has neither (its JSON is tested in test/stacks/gitops-stack.test.ts)";

/** Where a sandbox keeps its files, under the project (`.sandbox/`, git-ignored). */
export interface SandboxSession {
  /** Project root (where cdktf.json is). */
  readonly root: string;
  readonly endpoint: string;
  /** Certificate of the emulator's TLS endpoint. */
  readonly caFile: string;
  /** `.sandbox/` */
  readonly dir: string;
  readonly stateDir: string;
  readonly logDir: string;
  readonly outDir: string;
}

export function sandboxSession(root: string, emulator: { endpoint: string; caFile: string }, dir = path.join(root, ".sandbox")): SandboxSession {
  return {
    root,
    endpoint: emulator.endpoint,
    caFile: emulator.caFile,
    dir,
    stateDir: path.join(dir, "state"),
    logDir: path.join(dir, "logs"),
    outDir: path.join(dir, "cdktf.out"),
  };
}

/**
 * Environment for the cdktf CLI in sandbox mode: the emulator endpoint and state folder that
 * switch the app into sandbox mode, dummy credentials the emulator accepts (never real ones:
 * any AWS_* credentials of the caller are replaced), and the provider mirror when configured.
 */
export function sandboxProcessEnv(session: SandboxSession, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...terraformProcessEnv(base) };
  for (const key of Object.keys(env)) if (key.startsWith("AWS_")) delete env[key];
  return {
    ...env,
    [EMULATOR_ENDPOINT_VARIABLE]: session.endpoint,
    [EMULATOR_STATE_VARIABLE]: session.stateDir,
    AWS_CA_BUNDLE: session.caFile,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_EC2_METADATA_DISABLED: "true",
    CHECKPOINT_DISABLE: "1",
    CI: "true",
    FORCE_COLOR: "0",
  };
}

export interface CommandResult {
  readonly status: number | null;
  readonly output: string;
  readonly seconds: number;
}

const CDKTF_CLI = ["node_modules", "cdktf-cli", "bundle", "bin", "cdktf"];

/** Runs the cdktf CLI in sandbox mode; its output also goes to `.sandbox/logs/<logName>.log`. */
export function runCdktf(
  session: SandboxSession,
  args: string[],
  logName: string,
  timeoutMs = 20 * 60_000,
  onLine?: (line: string) => void,
): Promise<CommandResult> {
  fs.mkdirSync(session.logDir, { recursive: true });
  fs.mkdirSync(session.stateDir, { recursive: true });
  const logFile = path.join(session.logDir, `${logName}.log`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(session.root, ...CDKTF_CLI), ...args, "--output", session.outDir], {
      cwd: session.root,
      env: sandboxProcessEnv(session),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    let partial = "";
    const take = (c: Buffer) => {
      chunks.push(c);
      if (!onLine) return;
      const lines = (partial + c.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      lines.forEach(onLine);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.once("error", reject);
    child.once("close", (status) => {
      clearTimeout(timer);
      const output = Buffer.concat(chunks).toString("utf8");
      fs.writeFileSync(logFile, output);
      resolve({ status, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}

export interface DeployResult {
  readonly stack: string;
  readonly ok: boolean;
  readonly resources: number;
  readonly seconds: number;
  readonly output: string;
}

/** `cdktf deploy <stack>` into the emulator; counts the managed resources in its state afterwards. */
export async function deployStack(session: SandboxSession, stack: string): Promise<DeployResult> {
  const result = await runCdktf(
    session,
    ["deploy", stack, "--auto-approve", "--skip-provider-lock", "--ignore-missing-stack-dependencies"],
    `deploy-${stack}`,
  );
  return { stack, ok: result.status === 0, resources: countResources(session, stack), seconds: result.seconds, output: result.output };
}

/** Stacks deployed together: the wall time, and each stack's own time (for the serial sum beside it). */
export interface ParallelDeployResult {
  readonly ok: boolean;
  readonly stacks: readonly DeployResult[];
  /** Wall time of the whole deploy. */
  readonly seconds: number;
  /** What the same stacks would take one after another: the sum of their own times. */
  readonly serialSeconds: number;
  readonly output: string;
}

/**
 * `cdktf deploy <stacks...>` in one run: the CLI orders them by their dependencies and deploys
 * independent ones at once (`--parallelism`). A stack's own time runs from its first output line
 * to its last (the CLI prefixes every line with the stack id).
 */
export async function deployStacks(session: SandboxSession, stacks: readonly string[], parallelism = stacks.length): Promise<ParallelDeployResult> {
  const firstSeen = new Map<string, number>();
  const lastSeen = new Map<string, number>();
  const result = await runCdktf(
    session,
    ["deploy", ...stacks, "--auto-approve", "--skip-provider-lock", "--ignore-missing-stack-dependencies", "--parallelism", String(parallelism)],
    `deploy-${stacks.join("+")}`.slice(0, 200),
    20 * 60_000,
    (line) => {
      const stack = stacks.find((id) => line.trimStart().startsWith(`${id} `));
      if (!stack) return;
      const now = Date.now();
      if (!firstSeen.has(stack)) firstSeen.set(stack, now);
      lastSeen.set(stack, now);
    },
  );
  const per = stacks.map((stack) => ({
    stack,
    ok: result.status === 0,
    resources: countResources(session, stack),
    seconds: ((lastSeen.get(stack) ?? 0) - (firstSeen.get(stack) ?? 0)) / 1000,
    output: "",
  }));
  return { ok: result.status === 0, stacks: per, seconds: result.seconds, serialSeconds: per.reduce((sum, r) => sum + r.seconds, 0), output: result.output };
}

/** `cdktf diff <stack>` against the emulator. */
export function diffStack(session: SandboxSession, stack: string): Promise<CommandResult> {
  return runCdktf(session, ["diff", stack, "--skip-provider-lock"], `diff-${stack}`);
}

/** Managed resource instances in a stack's local state (0 when it has none). */
export function countResources(session: SandboxSession, stack: string): number {
  const file = path.join(session.stateDir, `${stack}.tfstate`);
  if (!fs.existsSync(file)) return 0;
  const state = JSON.parse(fs.readFileSync(file, "utf8"));
  return (state.resources ?? [])
    .filter((r: { mode: string }) => r.mode === "managed")
    .reduce((sum: number, r: { instances: unknown[] }) => sum + r.instances.length, 0);
}

/** Summary table: stack, resources, seconds. */
export function summaryTable(results: readonly DeployResult[]): string {
  const rows = results.map((r) => [r.stack, r.ok ? String(r.resources) : "FAILED", r.seconds.toFixed(1)]);
  const header = ["stack", "resources", "seconds"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
