import * as fs from "fs";
import * as path from "path";
import * as readline from "readline";
import { RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { archivesOf, type PrimarySide, type ResolvedEnvironment } from "../../lib/environment";
import { drCommand, localRecoveryDir, recoveryRunKey } from "../../lib/naming";
import { awsClient, type ClientSettings, modelRegionRto, modelTierRto, runStatus, statusClients, type StatusTarget } from "../../lib/operations";
import {
  type ExecutorEvent,
  formatPlan,
  type RecoveryPointRow,
  buildPlan,
  buildClusterPlan,
  buildDatabasePlan,
  buildAccountPlan,
  accountEdits,
  buildRehearsalPlan,
  buildRehearsalTeardownPlan,
  type DatabaseRestoreRequest,
  SCENARIO_COMMANDS,
  type Scenario,
  type PlanStep,
  recover,
  AwsAccountExecution,
  type ExecutionTarget,
} from "../../lib/recovery";
import { AwsAccountTarget } from "../../lib/targets";
import { clientSettings } from "../aws";
import { UsageError, type CliContext } from "../command";
import { sideOf } from "../environments";
import { withSynthesized } from "../synthesized";

export interface RecoverOptions {
  readonly yes: boolean;
  readonly plan: boolean;
  readonly from: string | undefined;
  readonly new: boolean;
  readonly "platform-repo": string | undefined;
}

/** Where a recovery runs: the execution target, its AWS clients' settings, and what status calls it. */
export interface RecoverWhere {
  readonly target: ExecutionTarget;
  readonly clients: ClientSettings;
  /** The synthesized stacks' folder as the target's cdktf writes it. */
  readonly outDir: string;
  /** The target as status names it (its gaps). */
  readonly statusTarget: StatusTarget;
  /**
   * The local copy of the journal, the steps' logs and the reports: the target's own, so that a
   * sandbox's recoveries never meet a real account's (`.dr-platform/recover/<region>` of the project
   * for a real account; the sandbox's folder for the emulator, removed by `sandbox down`).
   */
  readonly localDir: string;
}

/**
 * The scenarios the executor runs: `recover` (region), `rebuild-cluster` (cluster),
 * `restore-database` (database), `rehearse` (rehearsal) and `rehearse --teardown` (rehearsal-teardown).
 */
export type { Scenario } from "../../lib/recovery";

/**
 * `recover <region>` against a real account: the project in the current folder, the caller's
 * credentials. `rebuild-cluster <region>` is the same executor on the cluster scenario's plan.
 */
export async function recoverCommand(
  args: { region: string },
  options: RecoverOptions,
  context: CliContext,
  scenario: Scenario = "region",
  request: DatabaseRestoreRequest = {},
  newAccount?: string,
): Promise<number> {
  const side = sideOf(context, args.region);
  const environment = side.environment;
  const cwd = path.dirname(context.environmentsDir);
  if (!fs.existsSync(path.join(cwd, "cdktf.json"))) {
    throw new UsageError(`recover runs the stacks' cdktf deploys from the project folder (with cdktf.json); ${cwd} has none`);
  }
  return runRecover(
    side,
    options,
    context,
    {
      target: new AwsAccountExecution(cwd, environment.accountId, context.env),
      clients: clientSettings(context),
      outDir: path.join(cwd, "cdktf.out"),
      statusTarget: new AwsAccountTarget(),
      localDir: path.resolve(cwd, localRecoveryDir(recoveryRunKey(environment.region, scenario))),
    },
    scenario,
    request,
    newAccount,
  );
}

/** The recovery of an environment where `where` says: the CLI's (a real account) and the sandbox's (the emulator) alike. */
export async function runRecover(
  side: ResolvedEnvironment,
  options: RecoverOptions,
  context: CliContext,
  where: RecoverWhere,
  scenario: Scenario = "region",
  request: DatabaseRestoreRequest = {},
  newAccount?: string,
): Promise<number> {
  const environment = side.environment;
  const region = environment.region;
  const platformRepo = options["platform-repo"] === undefined ? undefined : path.resolve(options["platform-repo"]);
  if (scenario === "account") {
    // A rebuild writes only with the new account's files: never a deploy of the lost account's
    // names. Refused before the synth; --plan prints the plan, whose step 2 lists the edits.
    const request = checkAccountRequest(side, newAccount);
    const edits = options.plan ? [] : accountEdits(request.side, request.newAccount);
    if (edits.length > 0) {
      throw new UsageError(
        `edit the files for account ${request.newAccount} first (the plan's step 2), then run again: ${edits.map((e) => `${e.file}: ${e.field} ${e.to === undefined ? "removed" : JSON.stringify(e.to)}`).join("; ")}`,
      );
    }
  }
  const { plan, model } = withSynthesized(context, (outdir) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    // A recovery's model is its tier's (a warm standby's day is calls, not stacks).
    const rto = environment.role === "recovery" && scenario === "region" ? modelTierRto(outdir, environment) : modelRegionRto(outdir, environment);
    const plans: Record<Scenario, () => ReturnType<typeof buildPlan>> = {
      region: () => buildPlan(environment, manifest, { platformRepo }),
      cluster: () => buildClusterPlan(environment, manifest),
      database: () => databasePlan(environment, manifest, request),
      account: () => accountPlan(side, manifest, newAccount),
      rehearsal: () => rehearsalPlan(buildRehearsalPlan, environment, manifest),
      "rehearsal-teardown": () => rehearsalPlan(buildRehearsalTeardownPlan, environment, manifest),
    };
    return { plan: plans[scenario](), model: { criticalPathMinutes: rto.criticalPathMinutes, serialMinutes: rto.serialMinutes } };
  });
  if (options.plan) {
    console.log(formatPlan(plan, "text"));
    return 0;
  }
  if (options.from !== undefined && !plan.steps.some((s) => s.id === options.from)) {
    throw new UsageError(`--from ${options.from}: no such step; the steps are ${plan.steps.map((s) => s.id).join(", ")}`);
  }
  // A recovery's archives are its primary's, in its own region; a primary's are in its drRegion.
  const archives = archivesOf(side);
  const s3 = (r: string) => awsClient(S3Client, r, where.clients);
  const localDir = where.localDir;

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write("\nInterrupted: stopping the running steps (their state locks released), keeping the journal; Ctrl-C again to quit at once.\n");
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  try {
    const result = await recover({
      plan,
      environment,
      target: where.target,
      outDir: where.outDir,
      localDir,
      stateBucket: { bucket: environment.state.bucket, s3: s3(environment.state.region) },
      reportBucket: { bucket: archives.bucket, s3: s3(archives.region) },
      rds: awsClient(RDSClient, region, where.clients),
      sts: awsClient(STSClient, region, where.clients),
      // A rehearsal records them like the recovery it rehearses: what it restored from.
      recoveryPoints:
        side.role === "recovery" && (scenario === "region" || scenario === "rehearsal")
          ? async () =>
              recoveryPointsOf(
                await runStatus(side.environment, side.primary, statusClients(side.environment, side.primary, where.clients), {
                  outage: true,
                  target: where.statusTarget,
                }),
              )
          : undefined,
      model,
      yes: options.yes,
      ask: process.stdin.isTTY ? ask : undefined,
      from: options.from,
      fresh: options.new,
      signal: controller.signal,
      onEvent: (event) => progress(event, plan),
    });
    const report = result.report;
    const [command, ...flags] = SCENARIO_COMMANDS[scenario];
    const again = drCommand(command, region, ...flags);
    const what = {
      region: "Recovery",
      cluster: "Cluster rebuild",
      database: "Database restore",
      account: "Account rebuild",
      rehearsal: "Rehearsal",
      "rehearsal-teardown": "Rehearsal teardown",
    }[scenario];
    process.stdout.write(
      [
        "",
        `${what} ${report.recoveryId} of ${region}: ${result.outcome}.`,
        report.measuredMinutes === undefined
          ? `Not ${scenario === "rehearsal-teardown" ? "torn down" : "serving"} yet${result.outcome === "completed" ? "" : `: run ${again} again to resume (the journal keeps what is done)`}.`
          : scenario === "rehearsal-teardown"
            ? `Torn down in ${report.measuredMinutes} min.`
            : `Measured recovery time ${report.measuredMinutes} min against an objective of ${report.objectiveMinutes} min (${report.verdict}); modelled ${model.criticalPathMinutes} min.`,
        ...(report.notMeasured.length > 0 ? [`Not measured here: ${report.notMeasured.join("; ")}`] : []),
        ...(report.failed.length > 0 ? ["Failed:", ...report.failed.map((f) => `  ${f}`)] : []),
        `Report: ${result.written.join(", ")}`,
        ...result.warnings.map((w) => `warning: ${w}`),
        "",
      ].join("\n"),
    );
    return result.outcome === "completed" ? 0 : result.outcome === "interrupted" ? 3 : 1;
  } finally {
    process.off("SIGINT", onSigint);
  }
}

/** The database scenario's plan; what the operator asked for that cannot be done is a usage error. */
export function databasePlan(
  environment: ResolvedEnvironment["environment"],
  manifest: Parameters<typeof buildDatabasePlan>[1],
  request: DatabaseRestoreRequest,
) {
  return usagePlan(() => buildDatabasePlan(environment, manifest, request));
}

/** What a plan's builder refuses is a usage error, but for an error that says to synthesize again (it passes through). */
function usagePlan<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    const message = (error as Error).message;
    if (/synthesize again/.test(message)) throw error;
    throw new UsageError(message);
  }
}

/** What the account scenario is asked (a primary with a vault, a new account's id), checked before anything is synthesized: a usage error otherwise. */
export function checkAccountRequest(side: ResolvedEnvironment, newAccount: string | undefined): { side: PrimarySide; newAccount: string } {
  if (side.role !== "primary") {
    throw new UsageError(`the account scenario rebuilds a primary from its vault; ${side.environment.region} is a recovery: run it for ${side.primary.region}`);
  }
  if (newAccount === undefined)
    throw new UsageError("the account scenario needs --new-account <id>: the 12-digit id of the account the environment is rebuilt in");
  try {
    accountEdits(side, newAccount);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { side, newAccount };
}

/** The account scenario's plan: a primary with a vault, rebuilt in `newAccount`; anything else is a usage error. */
export function accountPlan(resolved: ResolvedEnvironment, manifest: Parameters<typeof buildAccountPlan>[1], requested: string | undefined) {
  const { side, newAccount } = checkAccountRequest(resolved, requested);
  return usagePlan(() => buildAccountPlan(side, manifest, newAccount));
}

/** A rehearsal's plan; a file that asks for none (or a primary) is a usage error. */
function rehearsalPlan(
  build: typeof buildRehearsalPlan,
  environment: ResolvedEnvironment["environment"],
  manifest: Parameters<typeof buildRehearsalPlan>[1],
): ReturnType<typeof buildRehearsalPlan> {
  return usagePlan(() => build(environment, manifest));
}

/** `status`'s rows as the journal keeps them. */
function recoveryPointsOf(result: Awaited<ReturnType<typeof runStatus>>): RecoveryPointRow[] {
  return result.rows.map((r) => ({ store: r.store, recoveryPoint: r.recoveryPoint?.toISOString(), state: r.state, target: r.target, verdict: r.verdict }));
}

/** A gate's question at the terminal. */
function ask(step: PlanStep): Promise<boolean> {
  const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    process.stderr.write(`\n${step.title}\n${step.commands.map((c) => `  $ ${c}`).join("\n")}\n${step.note ? `${step.note}\n` : ""}`);
    prompt.question("Go on? Type yes to confirm: ", (answer) => {
      prompt.close();
      resolve(answer.trim().toLowerCase() === "yes");
    });
  });
}

/** What one run of each scenario is called in the progress line. */
const RUN_NOUNS: Readonly<Record<Scenario, string>> = {
  region: "recovery",
  cluster: "cluster rebuild",
  database: "database restore",
  account: "account rebuild",
  rehearsal: "rehearsal",
  "rehearsal-teardown": "rehearsal teardown",
};

/** The first progress line of a run: the command as typed, what it runs (its noun and id), which run, what was done before. */
export function runStartedLine(
  plan: { readonly scenario: Scenario; readonly steps: readonly PlanStep[] },
  journal: {
    readonly region: string;
    readonly recoveryId: string;
    readonly runs: readonly unknown[];
    readonly steps: Readonly<Record<string, { readonly status: string }>>;
  },
  resumed: boolean,
): string {
  const done = Object.values(journal.steps).filter((s) => s.status === "done" || s.status === "skipped").length;
  const [command, ...flags] = SCENARIO_COMMANDS[plan.scenario];
  const before = resumed ? ` (resumed: ${done} of ${plan.steps.length} steps done before)` : "";
  return `${[command, journal.region, ...flags].join(" ")}: ${RUN_NOUNS[plan.scenario]} ${journal.recoveryId}, run ${journal.runs.length}${before}`;
}

/** One line per step started and finished, on stderr (stdout keeps the summary). */
function progress(event: ExecutorEvent, plan: { readonly scenario: Scenario; readonly steps: readonly PlanStep[] }): void {
  const steps = plan.steps;
  const time = new Date().toISOString().slice(11, 19);
  const number = (step: PlanStep) => steps.indexOf(step) + 1;
  switch (event.type) {
    case "run-started":
      process.stderr.write(`${runStartedLine(plan, event.journal, event.resumed)}\n`);
      return;
    case "step-started":
      process.stderr.write(`[${time}] start  ${number(event.step)}. ${event.step.id}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ""}\n`);
      return;
    case "step-finished": {
      const label = { done: "done", failed: "FAILED", skipped: "skipped" }[event.outcome.status];
      const detail = event.outcome.outputs?.adopted ?? event.outcome.detail;
      process.stderr.write(
        `[${time}] ${label.padEnd(6)} ${number(event.step)}. ${event.step.id} (${event.seconds.toFixed(1)} s)${detail ? `: ${detail.split("\n")[0]}` : ""}\n`,
      );
      return;
    }
    case "warning":
      process.stderr.write(`warning: ${event.message}\n`);
      return;
    case "run-finished":
      return;
  }
}
