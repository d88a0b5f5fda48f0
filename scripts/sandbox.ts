/**
 * npm run sandbox -- <command>: try the platform without an AWS account. Deploys the stacks of
 * environments into moto_server, a local AWS emulator on 127.0.0.1.
 */
import * as fs from "fs";
import * as path from "path";
import { loadEnvironments, ConfigurationError, resolvePairs } from "../lib/environment";
import { parseStackId, recoveryRunKey, stateKey } from "../lib/naming";
import { EMULATOR_ACCOUNT_VARIABLE, EMULATOR_GAPS, EmulatorTarget } from "../lib/targets";
import { runRecover } from "../cli/commands/recover";
import {
  isMoto,
  startEmulator,
  stopProcess,
  createLocalCertificate,
  deployedStacks,
  emulatorClientSettings,
  EmulatorExecution,
  stateStacksOf,
  deployInParallel,
  diffStack,
  GITOPS_NOT_APPLIED,
  parallelSummary,
  SANDBOX_CREDENTIAL_VARIABLES,
  sandboxAccountFromEnvironment,
  sandboxProcessEnv,
  sandboxSession,
  sandboxStacks,
  synthesizeSandbox,
} from "../lib/tooling";

const ROOT = path.resolve(__dirname, "..");
const DEFAULT_PORT = 5055;

const HELP = `Usage: npm run sandbox -- <command> [options]

Commands:
  up [region...]   start the emulator on 127.0.0.1 and deploy every stack of each environment
                   (default: every environment) that the emulator can serve; independent stacks
                   deploy side by side, each as soon as its dependencies are deployed; prints
                   the wall time beside the serial sum of the same stacks
  recover <region> [--yes] [--from <step>] [--new] [--plan]
                   npx dr-platform recover against the emulator: the same plan, executor, journal
                   and report, with the emulator as the deployment target (its gaps skip what it
                   cannot serve, each with the reason). Needs the primary's stacks up first.
                   Its local journal, logs and reports are the sandbox's (.sandbox/recover/<region>/).
  restore-database <region> [--to-time <iso>] [--from-archive <key>] [--yes] [--from <step>] [--new] [--plan]
                   npx dr-platform restore-database against the emulator, as recover above: the
                   database scenario's plan (generation N+1 restored beside N). The check of the
                   new generation is skipped: the emulator's RDS holds no data.
  rehearse <region> [--teardown] [--yes] [--from <step>] [--new] [--plan]
                   npx dr-platform rehearse against the emulator, as recover above: the recovery's
                   rehearsal generation built beside it (its file must set rehearsal: true), or
                   removed with --teardown. Its folder is .sandbox/recover/<region>-rehearsal/.
  rebuild-account <region> --new-account <id> [--yes] [--from <step>] [--new] [--plan]
                   npx dr-platform rebuild-account against the emulator, as recover above: the
                   primary rebuilt from its vault in the emulator account <id>, acting as it
                   (${EMULATOR_ACCOUNT_VARIABLE}=<id> and its credentials in ${Object.values(SANDBOX_CREDENTIAL_VARIABLES).join(", ")}).
                   The archive's load and the images' copy are skipped: the emulator's RDS holds
                   no data and its ECR serves no registry.
  diff <stack>     cdktf diff of one stack against the emulator
  down             stop the emulator and delete the sandbox's local state (.sandbox/)
  status           say whether the sandbox runs and where

Options:
  --port <n>       emulator port (default ${DEFAULT_PORT}, or DR_SANDBOX_PORT); refused if another process uses it
  --parallelism <n>  up: at most n stacks deploying at once (default: no limit)
  DR_SANDBOX_DIR   the sandbox's folder (default .sandbox/ of the project): a test's own session
  ${EMULATOR_ACCOUNT_VARIABLE}  the emulator account to act as (default: the emulator's own), with
                   ${Object.values(SANDBOX_CREDENTIAL_VARIABLES).join(", ")}: credentials that act there
  --help           this text

Left out in the sandbox because the emulator cannot serve them:
${EMULATOR_GAPS.map((g) => `  - ${g.resourceTypes.join(", ")}: ${g.reason}`).join("\n")}
The gitops stacks are never applied here: ${GITOPS_NOT_APPLIED}.`;

interface Recorded {
  readonly endpoint: string;
  readonly pid: number;
  readonly port: number;
  readonly caFile: string;
}

const sandboxDir = process.env.DR_SANDBOX_DIR ? path.resolve(process.env.DR_SANDBOX_DIR) : path.join(ROOT, ".sandbox");
const recordFile = path.join(sandboxDir, "emulator.json");

function recorded(): Recorded | undefined {
  return fs.existsSync(recordFile) ? JSON.parse(fs.readFileSync(recordFile, "utf8")) : undefined;
}

function fail(message: string): never {
  process.stderr.write(`sandbox: ${message}\n`);
  process.exit(1);
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith("--")) fail(`${name} needs a value`);
  args.splice(index, 2);
  return value;
}

/** The running emulator recorded by `up`, if it still answers. */
async function runningEmulator(): Promise<Recorded | undefined> {
  const record = recorded();
  return record && fs.existsSync(record.caFile) && (await isMoto(record.endpoint, record.caFile)) ? record : undefined;
}

async function up(regions: string[], port: number, concurrency: number | undefined): Promise<void> {
  const environments = loadEnvironments(path.join(ROOT, "environments")).map((l) => l.environment);
  const known = environments.map((e) => e.region);
  const unknown = regions.filter((r) => !known.includes(r));
  if (unknown.length > 0) fail(`no environment file for ${unknown.join(", ")} (have: ${known.join(", ")})`);
  const selected = regions.length > 0 ? regions : known;

  let emulator = await runningEmulator();
  if (emulator && emulator.port !== port) fail(`the sandbox already runs on port ${emulator.port}; use --port ${emulator.port} or run down first`);
  if (!emulator) {
    fs.mkdirSync(sandboxDir, { recursive: true });
    const tls = createLocalCertificate(path.join(sandboxDir, "tls"));
    const started = await startEmulator({ port, tls, logFile: path.join(sandboxDir, "emulator.log") });
    emulator = { endpoint: started.endpoint, pid: started.pid, port, caFile: started.caFile };
    fs.writeFileSync(recordFile, JSON.stringify(emulator, null, 2));
    console.log(`Emulator started: moto_server on ${emulator.endpoint} (pid ${emulator.pid}, log .sandbox/emulator.log)`);
  } else {
    console.log(`Emulator already running on ${emulator.endpoint}`);
  }

  const session = sandboxSession(ROOT, emulator, sandboxDir, sandboxAccountFromEnvironment());
  console.log("-> cdktf synth (once; every deploy below runs with --skip-synth)");
  const app = await synthesizeSandbox(session);
  const { stacks, skipped } = sandboxStacks(app, selected);
  // Step zero, as in a real account: the state buckets the stacks keep their state in.
  const stateStacks = stateStacksOf(session, app.manifest, stacks);
  const absent = stateStacks.filter((id) => !fs.existsSync(path.join(session.stateDir, stateKey(id))));
  if (absent.length > 0) {
    console.log(`-> deploying ${absent.join(", ")} first (the state buckets every other stack keeps its state in)`);
    const buckets = await deployInParallel(session, absent, { app });
    if (!buckets.ok) fail(`deploy of the state bucket failed:\n${buckets.error}`);
  }
  // A stack of another region (the standby layer needs its primary's application stack) that
  // this sandbox has not deployed: say which regions to bring up together.
  const outside = [...new Set(stacks.flatMap((id) => app.manifest.stacks[id].dependencies))].filter((dep) => !stacks.includes(dep));
  const deployed = await deployedStacks(session, outside);
  const missing = outside.filter((dep) => !deployed.has(dep)).sort();
  if (missing.length > 0) {
    const regions = [...new Set([...selected, ...missing.map((dep) => parseStackId(dep)?.region ?? dep)])];
    fail(
      `the selected stacks need ${missing.join(", ")}, which this sandbox has not deployed; bring the regions up together: npm run sandbox -- up ${regions.join(" ")}`,
    );
  }
  console.log(
    `-> deploying ${stacks.join(", ")}: each stack starts when its dependencies are deployed${concurrency ? `, at most ${concurrency} at once` : ""}`,
  );
  const result = await deployInParallel(session, stacks, {
    app,
    concurrency,
    onStart: (stack) => console.log(`   ${stack}: started (log .sandbox/logs/deploy-${stack}.log)`),
    onDone: (r) => console.log(`   ${r.stack}: ${r.ok ? `${r.resources} resources in ${r.seconds.toFixed(1)} s` : `FAILED after ${r.seconds.toFixed(1)} s`}`),
  });
  for (const { stack, providers } of skipped)
    console.log(
      `   ${stack}: not applied: it needs the ${providers.join(", ")} provider(s), which the emulator cannot serve (${GITOPS_NOT_APPLIED.replace(/^not applied: /, "")})`,
    );
  console.log(`\n${parallelSummary("Sandbox deploy", result)}`);
  if (!result.ok) {
    const failed = result.stacks.filter((s) => s.status === "failed" && s.run);
    for (const s of failed)
      console.log(`\n${s.stackId} (last 40 lines of ${path.relative(ROOT, s.run!.logFile)}):\n${s.run!.output.split("\n").slice(-40).join("\n")}`);
    fail(`deploy failed:\n${result.error}`);
  }
  console.log(`\nLeft out in the sandbox: ${EMULATOR_GAPS.map((g) => g.resourceTypes.join(", ")).join("; ")} (npm run sandbox -- --help says why).`);
  console.log("Next: npm run sandbox -- diff <stack>   |   npm run sandbox -- down");
}

/**
 * `recover <region>` (and `restore-database <region>`): the CLI's executor, with the emulator as the
 * deployment target; the environment files of DR_ENVIRONMENTS_DIR when it is set, as the CLI reads them.
 */
async function recoverIn(args: string[], kind: "region" | "database" | "rehearsal" | "account"): Promise<void> {
  const name = { region: "recover", database: "restore-database", rehearsal: "rehearse", account: "rebuild-account" }[kind];
  const teardown = kind === "rehearsal" && args.includes("--teardown");
  const scenario = kind === "rehearsal" ? (teardown ? "rehearsal-teardown" : "rehearsal") : kind;
  // option() takes each option and its value out of args.
  const from = option(args, "--from");
  const newAccount = kind === "account" ? option(args, "--new-account") : undefined;
  const request = scenario === "database" ? { toTime: option(args, "--to-time"), fromArchive: option(args, "--from-archive") } : {};
  const flags = new Set(args.filter((a) => a.startsWith("--")));
  const unknown = [...flags].filter((f) => !["--yes", "--new", "--plan", ...(kind === "rehearsal" ? ["--teardown"] : [])].includes(f));
  if (unknown.length > 0) fail(`${name}: unknown option ${unknown.join(", ")}; see npm run sandbox -- --help`);
  const [region, ...extra] = args.filter((a) => !a.startsWith("--"));
  if (!region || extra.length > 0)
    fail(`${name} needs one region, e.g. npm run sandbox -- ${name} ${kind === "database" || kind === "account" ? "us-east-1" : "us-east-2"}`);
  const emulator = await runningEmulator();
  if (!emulator) fail("the sandbox is not running; start it and bring the primary up first: npm run sandbox -- up us-east-1");
  const session = sandboxSession(ROOT, emulator, sandboxDir, sandboxAccountFromEnvironment());
  const env = sandboxProcessEnv(session);
  const context = { environmentsDir: process.env.DR_ENVIRONMENTS_DIR ?? path.join(ROOT, "environments"), env };
  const side = resolvePairs(loadEnvironments(context.environmentsDir).map((l) => l.environment)).find((s) => s.environment.region === region);
  if (!side) fail(`no environment file for ${region}`);
  const code = await runRecover(
    side,
    { yes: flags.has("--yes"), plan: flags.has("--plan"), from, new: flags.has("--new"), "platform-repo": undefined },
    context,
    {
      target: new EmulatorExecution(session),
      clients: emulatorClientSettings(session),
      outDir: session.outDir,
      statusTarget: new EmulatorTarget(session.endpoint, session.stateDir, session.account.accountId),
      localDir: path.join(sandboxDir, "recover", recoveryRunKey(region, scenario)),
    },
    scenario,
    request,
    newAccount,
  );
  process.exitCode = code;
}

async function diff(stack: string | undefined): Promise<void> {
  if (!stack) fail("diff needs a stack, e.g. npm run sandbox -- diff networking-us-east-1");
  const emulator = await runningEmulator();
  if (!emulator) fail("the sandbox is not running; start it with npm run sandbox -- up");
  const result = await diffStack(sandboxSession(ROOT, emulator, sandboxDir, sandboxAccountFromEnvironment()), stack);
  process.stdout.write(result.output);
  process.exit(result.status ?? 1);
}

function down(): void {
  const record = recorded();
  if (record) {
    stopProcess(record.pid);
    console.log(`Emulator stopped (pid ${record.pid}).`);
  } else {
    console.log("No emulator recorded.");
  }
  fs.rmSync(sandboxDir, { recursive: true, force: true });
  console.log("Removed .sandbox/ (local state, logs, synthesized stacks).");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    process.exit(args.length === 0 ? 1 : 0);
  }
  const portText = option(args, "--port") ?? process.env.DR_SANDBOX_PORT ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1024 || port > 65535) fail(`--port must be a whole number from 1024 to 65535 (got ${portText})`);
  const parallelismText = option(args, "--parallelism");
  const concurrency = parallelismText === undefined ? undefined : Number(parallelismText);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1))
    fail(`--parallelism must be a whole number >= 1 (got ${parallelismText})`);
  const [command, ...rest] = args;
  console.log("SANDBOX: local AWS emulator on 127.0.0.1; nothing here touches an AWS account.");
  switch (command) {
    case "up":
      return up(rest, port, concurrency);
    case "recover":
      return recoverIn(rest, "region");
    case "restore-database":
      return recoverIn(rest, "database");
    case "rehearse":
      return recoverIn(rest, "rehearsal");
    case "rebuild-account":
      return recoverIn(rest, "account");
    case "diff":
      return diff(rest[0]);
    case "down":
      return down();
    case "status": {
      const emulator = await runningEmulator();
      console.log(emulator ? `running on ${emulator.endpoint} (pid ${emulator.pid})` : "not running");
      return;
    }
    default:
      fail(`unknown command ${JSON.stringify(command)}; see npm run sandbox -- --help`);
  }
}

main().catch((error) => {
  if (error instanceof ConfigurationError) fail(`invalid configuration:\n${error.problems.map((p) => `  ${p}`).join("\n")}`);
  fail(error instanceof Error ? error.message : String(error));
});
