import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { loadEnvironments, type PrimaryEnvironment, type RecoveryEnvironment } from "../../../lib/environment";
import { globalNames, recoveryReportPrefix } from "../../../lib/naming";
import type { StatusRow } from "../../../lib/operations/checks/status/row";
import { runStatus, statusClients, type StatusResult } from "../../../lib/operations/status";
import type { RecoveryReport } from "../../../lib/recovery/report";
import { EMULATOR_ACCOUNT_ID, EmulatorTarget } from "../../../lib/targets/emulator-target";
import { startFaultProxy, type FaultProxy } from "../../../lib/tooling/fault-proxy";
import {
  deployInParallel,
  parallelSummary,
  sandboxProcessEnv,
  sandboxSession,
  synthesizeSandbox,
  type ParallelDeployResult,
  type SandboxApp,
  type SandboxSession,
} from "../../../lib/tooling/sandbox-session";
import { stateStacksOf } from "../../../lib/tooling/sandbox-state";
import { awsClients, EMULATOR_CREDENTIALS } from "../../support/aws";
import { useEmulator } from "../../support/emulator";
import { startPostgres, type PostgresServer } from "../../support/postgres";
import { REPO } from "../../support/run";
import { tempDir } from "../../support/temp";

/**
 * The drill's shared world: one emulator behind the fault layer, one sandbox session, one real
 * PostgreSQL, and the peacetime deployment every scenario starts from (test/e2e/drill/peacetime.ts).
 * Scenarios run one after another on it, in the order test/e2e/dr-drill.test.ts gives, the way a
 * game day runs them: no scenario deploys the primary again.
 */

export const PRIMARY = "us-east-1";
export const RECOVERY = "us-east-2";
export const primaryNames = globalNames("acme", PRIMARY);
export const recoveryNames = globalNames("acme", RECOVERY);
export const ASSETS = primaryNames.assetsBucket;
export const REPLICA = primaryNames.drAssetsBucket;
export const ARCHIVES = primaryNames.hostingServicesBucket;
export const ARCHIVE_SCRIPT = path.join(REPO, "backup/archive-database.sh");

export type Aws = ReturnType<typeof awsClients>;

export interface Drill {
  /** The emulator (direct: the drill's own checks, not the recovery's calls). */
  readonly emulator: ReturnType<ReturnType<typeof useEmulator>["current"]>;
  /** The fault layer every Terraform and library call goes through. */
  readonly proxy: FaultProxy;
  readonly session: SandboxSession;
  /** A real PostgreSQL standing in for RDS's data (moto's RDS holds none). */
  readonly pg: PostgresServer;
  /** Lines of the drill's evidence, printed (and kept) when it ends. */
  readonly report: string[];
  /** When the last row before the peacetime archive was written (the recovery point must reach it). */
  lastWriteBeforeArchive: Date;
  /** Clients straight to the emulator. */
  direct(region: string): Aws;
  /** Clients through the fault layer. */
  through(region: string): Aws;
  /** The shipped environments in the emulator's account. */
  environments(): (PrimaryEnvironment | RecoveryEnvironment)[];
  primaryEnvironment(): PrimaryEnvironment;
  recoveryEnvironment(): RecoveryEnvironment;
  timed<T>(phase: string, work: () => Promise<T>): Promise<T>;
  deploy(title: string, select: (app: SandboxApp) => string[]): Promise<ParallelDeployResult>;
  /** `status` of the recovery (the shipped file, or `recovery` given: another version of it). */
  status(recovery?: RecoveryEnvironment): Promise<StatusResult>;
  sandboxRecover(
    args: readonly string[],
    options?: { readonly interruptAt?: string; readonly command?: readonly [string, string]; readonly env?: NodeJS.ProcessEnv },
  ): Promise<{ status: number | null; stderr: string }>;
  runInStack(stack: string, args: readonly string[]): Promise<{ status: number | null; output: string }>;
  /**
   * A command line a procedure printed (failback's, a runbook's), run by sh as printed: in the
   * sandbox's folder (where its cdktf.out is), `npx dr-platform` in the repository as the package's
   * bin (dist/cli/main.js), every `aws` of the line (nested ones included) at the emulator behind
   * the fault layer.
   */
  runPrinted(line: string): Promise<{ status: number | null; output: string }>;
  stateObject<T>(key: string): Promise<T>;
  /** The newest report of `region`'s executor runs (default us-east-2) in the primary's archive bucket (in us-east-2). */
  newestReport(region?: string): Promise<RecoveryReport>;
  read(aws: Aws, bucket: string, key: string): Promise<string>;
  /** The real archive script against `database` of the drill's PostgreSQL, uploading to `bucket` in `region`. */
  archive(database: string, bucket: string, region: string): { status: number | null; stderr: string };
}

export const rowsById = (result: StatusResult): Record<string, StatusRow> => Object.fromEntries(result.rows.map((r) => [r.id, r]));

/**
 * Runs a program to its end and collects what it printed (stdout and stderr, interleaved as they
 * came). Never spawnSync in a drill: the fault layer runs in the test's process and must keep
 * answering the program's calls.
 */
export function runCollecting(
  program: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv },
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, [...args], { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, output }));
  });
}

export interface DrillOptions {
  /**
   * The first port the drill's emulator tries (each suite its own range).
   * @default 5100
   */
  readonly firstPort?: number;
  /**
   * The environment files every synth, deploy and command of the drill reads (DR_ENVIRONMENTS_DIR),
   * a folder beside the repository's environments/ (their `../lib` imports resolve).
   * @default - the repository's environments/
   */
  readonly environmentsDir?: string;
  /**
   * The drill's name, which titles its evidence and names the file it is kept in.
   * @default "DR drill" (kept in DR_DRILL_EVIDENCE, or dr-drill-evidence.txt in the temporary folder)
   */
  readonly name?: string;
}

/** Registers the drill's set-up and tear-down with jest; call once, at the top of the drill's suite. */
export function useDrill(options: DrillOptions = {}): Drill {
  const emulatorOf = useEmulator({ firstPort: options.firstPort ?? 5100 });
  const name = options.name ?? "DR drill";
  const timings: [string, number][] = [];
  let proxy: FaultProxy | undefined;
  let session: SandboxSession | undefined;
  let pg: PostgresServer | undefined;
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the drill's ${what} is not started (useDrill's beforeAll did not run)`);
    return value;
  };
  const report: string[] = [];

  const drill: Drill = {
    get emulator() {
      return emulatorOf.current();
    },
    get proxy() {
      return need(proxy, "fault layer");
    },
    get session() {
      return need(session, "sandbox session");
    },
    get pg() {
      return need(pg, "PostgreSQL");
    },
    report,
    lastWriteBeforeArchive: new Date(0),
    direct: (region) => awsClients(emulatorOf.current(), region),
    through: (region) => awsClients({ endpoint: drill.proxy.endpoint, caFile: emulatorOf.current().caFile }, region),
    environments: () =>
      loadEnvironments(options.environmentsDir ?? path.join(REPO, "environments")).map((l) => ({ ...l.environment, accountId: EMULATOR_ACCOUNT_ID })) as (
        PrimaryEnvironment | RecoveryEnvironment
      )[],
    primaryEnvironment: () => drill.environments().find((e) => e.region === PRIMARY) as PrimaryEnvironment,
    recoveryEnvironment: () => drill.environments().find((e) => e.region === RECOVERY) as RecoveryEnvironment,

    async timed(phase, work) {
      const started = Date.now();
      try {
        return await work();
      } finally {
        timings.push([phase, (Date.now() - started) / 1000]);
      }
    },

    /**
     * Deploys the stacks `select` picks from the session's synthesized app (manifest.json, never a
     * fixed list), independent ones side by side, each in its own cdktf run; reports the wall time
     * beside the serial sum; fails with the failed stacks' errors and where their logs are kept.
     */
    async deploy(title, select) {
      const app = await synthesizeSandbox(drill.session);
      const stacks = select(app);
      // Step zero, as in a real account: the state bucket every stack keeps its state in.
      const stateStacks = stateStacksOf(drill.session, app.manifest, stacks).filter((id) => !fs.existsSync(path.join(drill.session.stateDir, `${id}.tfstate`)));
      if (stateStacks.length > 0) {
        const bootstrap = await deployInParallel(drill.session, stateStacks, { app });
        report.push(parallelSummary("step zero", bootstrap));
        if (!bootstrap.ok) throw new Error(`step zero failed:\n${bootstrap.error}`);
      }
      const result = await deployInParallel(drill.session, stacks, { app });
      report.push(parallelSummary(title, result));
      if (!result.ok) {
        // The session's folder goes with the test; keep each failed stack's whole output where it can be read.
        const failed = result.stacks.filter((s) => s.status === "failed" && s.run);
        const errors = failed.flatMap((s) => {
          const kept = path.join(os.tmpdir(), `dr-drill-${s.stackId}.log`);
          fs.writeFileSync(kept, s.run!.output);
          const lines = s.run!.output.split("\n");
          return [
            `${s.stackId} (whole output: ${kept}):`,
            ...lines.flatMap((line, i) => (/Error|error:/i.test(line) ? lines.slice(i, i + 8) : [])).slice(0, 60),
            ...lines.slice(-15),
          ];
        });
        throw new Error(`${title} failed:\n${result.error}\n${errors.join("\n")}`);
      }
      return result;
    },

    /** `npx dr-platform status us-east-2` as the library runs it, through the fault layer, as the emulator target. */
    async status(recovery) {
      const primaryEnv = drill.primaryEnvironment();
      const recoveryEnv = recovery ?? drill.recoveryEnvironment();
      const clients = statusClients(recoveryEnv, primaryEnv, {
        endpoint: drill.proxy.endpoint,
        credentials: EMULATOR_CREDENTIALS,
        httpsAgent: new https.Agent({ ca: fs.readFileSync(emulatorOf.current().caFile) }),
      });
      return runStatus(recoveryEnv, primaryEnv, clients, { target: new EmulatorTarget(drill.proxy.endpoint, drill.session.stateDir) });
    },

    /**
     * `npm run sandbox -- recover us-east-2 <args>` as a child process, in this drill's sandbox (its
     * emulator behind the fault layer): the command package.json's `sandbox` script names, run without
     * npm in between so that its exit status is the recovery's (npm dies of a Ctrl-C itself). With
     * `interruptAt`, Ctrl-C as a terminal sends it (SIGINT to the process group) once that progress line
     * is printed and a few seconds have passed (the stack is then being applied). With `command`,
     * another of the sandbox's executor commands and its region (`["restore-database", "us-east-1"]`).
     */
    sandboxRecover(args, options = {}) {
      const emulator = emulatorOf.current();
      fs.writeFileSync(
        path.join(drill.session.dir, "emulator.json"),
        JSON.stringify({ endpoint: drill.proxy.endpoint, pid: emulator.pid, port: new URL(drill.proxy.endpoint).port, caFile: emulator.caFile }),
      );
      const [program, ...scriptArgs] = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).scripts.sandbox.split(" ");
      return new Promise((resolve, reject) => {
        const child = spawn(program === "node" ? process.execPath : program, [...scriptArgs, ...(options.command ?? ["recover", RECOVERY]), ...args], {
          cwd: REPO,
          env: { ...process.env, ...options.env, DR_SANDBOX_DIR: drill.session.dir },
          stdio: ["ignore", "pipe", "pipe"],
          detached: true,
        });
        let stderr = "";
        let interrupted = false;
        child.stdout.on("data", (c: Buffer) => (stderr += c.toString()));
        child.stderr.on("data", (c: Buffer) => {
          stderr += c.toString();
          if (options.interruptAt && !interrupted && stderr.includes(options.interruptAt)) {
            interrupted = true;
            setTimeout(() => process.kill(-child.pid!, "SIGINT"), 4000);
          }
        });
        child.once("error", reject);
        child.once("close", (status) => resolve({ status, stderr }));
      });
    },

    /** Terraform in a synthesized stack's folder of this sandbox (the emulator's state bucket behind the fault layer). */
    async runInStack(stack, args) {
      const cwd = path.join(drill.session.outDir, "stacks", stack);
      const env = sandboxProcessEnv(drill.session);
      const terraform = (argv: readonly string[]) => runCollecting("terraform", argv, { cwd, env });
      const init = await terraform(["init", "-input=false", "-no-color"]);
      return init.status === 0 ? terraform(args) : init;
    },

    runPrinted(line) {
      const bin = `node ${JSON.stringify(path.join(REPO, "dist", "cli", "main.js"))}`;
      // aws CLI v1 sends RDS calls of us-east-1 to https://rds.amazonaws.com unless --endpoint-url is on the
      // command line (AWS_ENDPOINT_URL is not enough): every aws of the line, nested ones included, gets it.
      const endpoint = 'aws() { command aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"; }';
      return runCollecting("sh", ["-c", `${endpoint}\n${line.replace(/^npx dr-platform /, `${bin} `)}`], {
        cwd: line.startsWith("npx dr-platform ") ? REPO : drill.session.dir,
        env: {
          ...sandboxProcessEnv(drill.session),
          AWS_ENDPOINT_URL: drill.session.endpoint,
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        },
      });
    },

    /** An object of the state bucket, as JSON. */
    async stateObject<T>(key: string) {
      return JSON.parse(await drill.read(drill.direct("us-west-2"), "acme-terraform-state", key)) as T;
    },

    async newestReport(region = RECOVERY) {
      const s3 = drill.direct(RECOVERY).s3;
      const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: ARCHIVES, Prefix: recoveryReportPrefix(region) }))).Contents ?? [])
        .map((o) => o.Key!)
        .filter((k) => k.endsWith("/report.json"))
        .sort();
      if (keys.length === 0) throw new Error(`no recovery report under s3://${ARCHIVES}/${recoveryReportPrefix(region)}`);
      return JSON.parse(await drill.read(drill.direct(RECOVERY), ARCHIVES, keys[keys.length - 1])) as RecoveryReport;
    },

    read: async (aws, bucket, key) => (await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString(),

    archive(database, bucket, region) {
      const { PGPASSWORD, ...connection } = drill.pg.env(database);
      const dir = tempDir("drill-archive-");
      const passwordFile = path.join(dir, "password");
      fs.writeFileSync(passwordFile, PGPASSWORD!, { mode: 0o600 });
      // Straight to the emulator: the upload is the archive job's, not a recovery's call.
      const result = spawnSync("sh", [ARCHIVE_SCRIPT, "all"], {
        encoding: "utf8",
        timeout: 120_000,
        env: {
          ...connection,
          PGPASSWORD_FILE: passwordFile,
          ARCHIVE_DIR: path.join(dir, "work"),
          ARCHIVE_BUCKET: bucket,
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
          AWS_DEFAULT_REGION: region,
          AWS_ENDPOINT_URL: emulatorOf.current().endpoint,
          AWS_CA_BUNDLE: emulatorOf.current().caFile,
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        },
      });
      return { status: result.status, stderr: result.stderr };
    },
  };

  beforeAll(async () => {
    if (options.environmentsDir) process.env.DR_ENVIRONMENTS_DIR = options.environmentsDir;
    const emulator = emulatorOf.current();
    proxy = await startFaultProxy({ upstream: { endpoint: emulator.endpoint, caFile: emulator.caFile }, tls: emulatorOf.tls() });
    // Terraform talks to the emulator through the fault layer only.
    session = sandboxSession(REPO, { endpoint: proxy.endpoint, caFile: emulator.caFile }, emulatorOf.dir());
    pg = await startPostgres();
  });

  afterAll(async () => {
    if (options.environmentsDir) delete process.env.DR_ENVIRONMENTS_DIR;
    await proxy?.close();
    await pg?.stop();
    const total = timings.reduce((sum, [, s]) => sum + s, 0);
    const table = [...timings, ["total", total] as [string, number]].map(([phase, s]) => `  ${phase.padEnd(52)} ${s.toFixed(1).padStart(7)} s`).join("\n");
    const evidence = `${name} on this machine (sandbox RTO):\n${table}\nDeploys and evidence:\n${report.join("\n")}\n`;
    console.log(evidence);
    // The drill's evidence outlives the run: where DR_DRILL_EVIDENCE names a file, or beside the sandbox.
    const file = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-evidence.txt`;
    fs.writeFileSync((options.name === undefined && process.env.DR_DRILL_EVIDENCE) || path.join(os.tmpdir(), file), evidence);
  });

  return drill;
}
