import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseStackId } from "../naming";
import type { Manifest } from "../operations/stack-graph";
import { EMULATOR_ACCOUNT_ID, EMULATOR_ACCOUNT_VARIABLE, EMULATOR_ENDPOINT_VARIABLE, EMULATOR_STATE_VARIABLE } from "../targets/emulator-target";
import { runSchedule, type ScheduleResult } from "./deploy-scheduler";
import { deployedStacks, readStackState, resourceCount } from "./sandbox-state";
import { terraformProcessEnv } from "./terraform-cli";

/** Why the gitops stack is never applied in the sandbox. */
export const GITOPS_NOT_APPLIED =
  "not applied: it needs a running Kubernetes cluster and the helm/kubernetes providers, and the emulator has neither (its JSON is tested in test/stacks/gitops-stack.test.ts)";

/** Credentials the sandbox signs with (an assumed role's carry a session token). */
export interface SandboxCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** @default - none (long-term keys, like the emulator's `test`) */
  readonly sessionToken?: string;
}

/** The emulator account a sandbox acts as, and the credentials that act there. */
export interface SandboxAccount {
  /** 12 digits. */
  readonly accountId: string;
  readonly credentials: SandboxCredentials;
}

/** The emulator's own account (moto's MOTO_ACCOUNT_ID) and the dummy key that acts there. */
export const EMULATOR_ACCOUNT: SandboxAccount = { accountId: EMULATOR_ACCOUNT_ID, credentials: { accessKeyId: "test", secretAccessKey: "test" } };

/**
 * Credentials of another emulator account, named beside its id (EMULATOR_ACCOUNT_VARIABLE): the
 * sandbox never takes the caller's AWS_* variables, which may be a real account's.
 */
export const SANDBOX_CREDENTIAL_VARIABLES = {
  accessKeyId: "DR_SANDBOX_ACCESS_KEY_ID",
  secretAccessKey: "DR_SANDBOX_SECRET_ACCESS_KEY",
  sessionToken: "DR_SANDBOX_SESSION_TOKEN",
} as const;

/**
 * The account a sandbox acts as, from the process environment: the emulator's own account unless
 * EMULATOR_ACCOUNT_VARIABLE names another, whose credentials the SANDBOX_CREDENTIAL_VARIABLES give
 * (e.g. an AssumeRole into a role of that account). Throws naming every variable that is wrong.
 */
export function sandboxAccountFromEnvironment(variables: NodeJS.ProcessEnv = process.env): SandboxAccount {
  const accountId = variables[EMULATOR_ACCOUNT_VARIABLE] || EMULATOR_ACCOUNT_ID;
  const accessKeyId = variables[SANDBOX_CREDENTIAL_VARIABLES.accessKeyId];
  const secretAccessKey = variables[SANDBOX_CREDENTIAL_VARIABLES.secretAccessKey];
  const sessionToken = variables[SANDBOX_CREDENTIAL_VARIABLES.sessionToken];
  const problems: string[] = [];
  if (!/^\d{12}$/.test(accountId))
    problems.push(`${EMULATOR_ACCOUNT_VARIABLE}: must be a 12-digit account id of the emulator (got ${JSON.stringify(accountId)})`);
  const given = [accessKeyId, secretAccessKey, sessionToken].some((v) => v !== undefined && v !== "");
  if (accountId === EMULATOR_ACCOUNT_ID && !given) return EMULATOR_ACCOUNT;
  if (!accessKeyId || !secretAccessKey) {
    problems.push(
      `${SANDBOX_CREDENTIAL_VARIABLES.accessKeyId} and ${SANDBOX_CREDENTIAL_VARIABLES.secretAccessKey}: both needed to act as account ${accountId} (credentials that act there, e.g. an AssumeRole's into one of its roles)`,
    );
  }
  if (problems.length > 0) throw new Error(problems.join("; "));
  return { accountId, credentials: { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey!, ...(sessionToken ? { sessionToken } : {}) } };
}

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
  /** The emulator account its stacks and commands act in, with its credentials. */
  readonly account: SandboxAccount;
}

export function sandboxSession(
  root: string,
  emulator: { endpoint: string; caFile: string },
  dir = path.join(root, ".sandbox"),
  account: SandboxAccount = EMULATOR_ACCOUNT,
): SandboxSession {
  return {
    root,
    endpoint: emulator.endpoint,
    caFile: emulator.caFile,
    account,
    dir,
    stateDir: path.join(dir, "state"),
    logDir: path.join(dir, "logs"),
    outDir: path.join(dir, "cdktf.out"),
  };
}

/**
 * Environment for the cdktf CLI in sandbox mode: the emulator endpoint, state folder and account
 * that switch the app into sandbox mode, the session account's emulator credentials (never real
 * ones: any AWS_* credentials of the caller are replaced), and the provider mirror when configured.
 */
export function sandboxProcessEnv(session: SandboxSession, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...terraformProcessEnv(base) };
  const credentialVariables: readonly string[] = Object.values(SANDBOX_CREDENTIAL_VARIABLES);
  for (const key of Object.keys(env)) if (key.startsWith("AWS_") || credentialVariables.includes(key)) delete env[key];
  const { credentials } = session.account;
  return {
    ...env,
    [EMULATOR_ENDPOINT_VARIABLE]: session.endpoint,
    [EMULATOR_STATE_VARIABLE]: session.stateDir,
    [EMULATOR_ACCOUNT_VARIABLE]: session.account.accountId,
    AWS_CA_BUNDLE: session.caFile,
    // Node's SDK (the dr-platform commands a recovery runs) trusts the emulator's certificate through this.
    NODE_EXTRA_CA_CERTS: session.caFile,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
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
  /** The whole output of its cdktf run. */
  readonly logFile: string;
}

/** `cdktf deploy <stack>` into the emulator; counts the managed resources in its state afterwards (in the emulator's state bucket). */
export async function deployStack(session: SandboxSession, stack: string, options: { readonly skipSynth?: boolean } = {}): Promise<DeployResult> {
  const result = await runCdktf(
    session,
    ["deploy", stack, "--auto-approve", "--skip-provider-lock", "--ignore-missing-stack-dependencies", ...(options.skipSynth ? ["--skip-synth"] : [])],
    deployLogName(stack),
  );
  return {
    stack,
    ok: result.status === 0,
    resources: resourceCount(await readStackState(session, stack).catch(() => undefined)),
    seconds: result.seconds,
    output: result.output,
    logFile: path.join(session.logDir, `${deployLogName(stack)}.log`),
  };
}

const deployLogName = (stack: string) => `deploy-${stack}`;

/** Providers the emulator serves; a stack that needs another (helm, kubernetes) is never applied here. */
export const SANDBOX_PROVIDERS: readonly string[] = ["aws"];

/** The app as the sandbox synthesized it: its manifest and each stack's required providers. */
export interface SandboxApp {
  readonly manifest: Manifest;
  readonly providers: Readonly<Record<string, readonly string[]>>;
}

/** `cdktf synth` once into the session's cdktf.out; every deploy after it runs with `--skip-synth`. */
export async function synthesizeSandbox(session: SandboxSession): Promise<SandboxApp> {
  const result = await runCdktf(session, ["synth"], "synth");
  if (result.status !== 0)
    throw new Error(`cdktf synth failed; its log: ${path.join(session.logDir, "synth.log")}\n${result.output.split("\n").slice(-30).join("\n")}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(session.outDir, "manifest.json"), "utf8")) as Manifest & {
    stacks: Record<string, { synthesizedStackPath?: string }>;
  };
  const providers: Record<string, string[]> = {};
  for (const [id, stack] of Object.entries(manifest.stacks)) {
    const json = JSON.parse(fs.readFileSync(path.join(session.outDir, stack.synthesizedStackPath ?? path.join("stacks", id, "cdk.tf.json")), "utf8"));
    providers[id] = Object.keys(json.terraform?.required_providers ?? {}).sort();
  }
  return { manifest, providers };
}

/**
 * The stacks of `regions` the sandbox applies, from the manifest (never a fixed list: stack kinds
 * come and go): every stack of those regions whose providers the emulator serves. `skipped` names
 * the others with the providers that keep them out.
 */
export function sandboxStacks(
  app: SandboxApp,
  regions: readonly string[],
  options: { readonly rehearsal?: boolean } = {},
): { readonly stacks: string[]; readonly skipped: { readonly stack: string; readonly providers: string[] }[] } {
  const ofRegions = Object.keys(app.manifest.stacks)
    .filter((id) => {
      const parsed = parseStackId(id);
      // A rehearsal generation's stacks only when asked for (`options.rehearsal`: those alone).
      return regions.includes(parsed?.region ?? "") && parsed?.rehearsal === (options.rehearsal === true);
    })
    .sort();
  const missing = (id: string) => (app.providers[id] ?? []).filter((p) => !SANDBOX_PROVIDERS.includes(p));
  return {
    stacks: ofRegions.filter((id) => missing(id).length === 0),
    skipped: ofRegions.filter((id) => missing(id).length > 0).map((stack) => ({ stack, providers: missing(stack) })),
  };
}

/**
 * Installs the providers of the given stacks into Terraform's plugin cache with one
 * `terraform init`, before stacks are initialized side by side: Terraform does not make
 * concurrent installs into one plugin cache safe, and the cdktf CLI initializes its stacks one
 * after another for that reason. Once a provider is in the cache, every init only links it.
 */
export async function warmProviderCache(session: SandboxSession, app: SandboxApp, stacks: readonly string[]): Promise<void> {
  const required: Record<string, unknown> = {};
  for (const id of stacks) {
    const stack = (app.manifest.stacks as Record<string, { synthesizedStackPath?: string }>)[id];
    const json = JSON.parse(fs.readFileSync(path.join(session.outDir, stack.synthesizedStackPath ?? path.join("stacks", id, "cdk.tf.json")), "utf8"));
    Object.assign(required, json.terraform?.required_providers ?? {});
  }
  const dir = path.join(session.dir, "provider-cache");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: required } }, null, 2));
  fs.mkdirSync(session.logDir, { recursive: true });
  const logFile = path.join(session.logDir, "provider-cache.log");
  const result = spawnSync("terraform", ["init", "-backend=false", "-input=false", "-no-color"], {
    cwd: dir,
    env: sandboxProcessEnv(session),
    encoding: "utf8",
  });
  fs.writeFileSync(logFile, `${result.stdout ?? ""}${result.stderr ?? ""}`);
  if (result.status !== 0) throw new Error(`terraform init of the providers failed (${result.error?.message ?? `exit ${result.status}`}); its log: ${logFile}`);
}

/** One deploy of several stacks side by side: each stack's run, the wall time and the serial sum. */
export type ParallelDeployResult = ScheduleResult<DeployResult>;

/**
 * Deploys `stacks` into the emulator, independent ones side by side (lib/tooling/deploy-scheduler.ts):
 * one shared synth, then one `cdktf deploy <stack> --skip-synth` per stack, started when its
 * dependencies are deployed, each with its own log (`.sandbox/logs/deploy-<stack>.log`).
 * Dependencies outside `stacks` must have a state in the session (deployed earlier).
 */
export async function deployInParallel(
  session: SandboxSession,
  stacks: readonly string[],
  options: {
    /** @default - no limit */
    readonly concurrency?: number;
    /** The app synthesized already. @default - synthesizeSandbox */
    readonly app?: SandboxApp;
    /** Called as each stack's run starts and ends (progress lines). */
    readonly onStart?: (stack: string) => void;
    readonly onDone?: (result: DeployResult) => void;
  } = {},
): Promise<ParallelDeployResult> {
  const app = options.app ?? (await synthesizeSandbox(session));
  await warmProviderCache(session, app, stacks);
  const outside = [...new Set(stacks.flatMap((id) => app.manifest.stacks[id]?.dependencies ?? []))].filter((id) => !stacks.includes(id));
  const deployed = await deployedStacks(session, outside);
  return runSchedule({
    manifest: app.manifest,
    stacks,
    concurrency: options.concurrency,
    deployed: (id) => deployed.has(id),
    run: async (id) => {
      options.onStart?.(id);
      const result = await deployStack(session, id, { skipSynth: true });
      options.onDone?.(result);
      return result;
    },
  });
}

/**
 * The table printed after a parallel deploy: each stack's resources, start, finish and own time,
 * then the wall time beside the serial sum of the same stacks.
 */
export function parallelSummary(title: string, result: ParallelDeployResult): string {
  const fixed = (n: number | undefined) => (n === undefined ? "-" : n.toFixed(1));
  const rows = result.stacks.map((s) => [
    s.stackId,
    s.status === "deployed" ? String(s.run?.resources ?? 0) : s.status.toUpperCase(),
    fixed(s.startSecond),
    fixed(s.finishSecond),
    fixed(s.seconds),
    s.dependencies.join(", ") || "-",
  ]);
  const header = ["stack", "resources", "start s", "finish s", "own s", "after"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  return [
    `${title}:`,
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    `wall ${fixed(result.wallSeconds)} s; serial sum of the same stacks ${fixed(result.serialSeconds)} s; at most ${result.peakConcurrency} at once`,
  ].join("\n");
}

/** `cdktf diff <stack>` against the emulator. */
export function diffStack(session: SandboxSession, stack: string): Promise<CommandResult> {
  return runCdktf(session, ["diff", stack, "--skip-provider-lock"], `diff-${stack}`);
}
