/**
 * npm run dr -- <command>: operations for a disaster recovery, derived from the environment
 * files and the synthesized stack graph (never from a hand-kept list).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs, type ParseArgsConfig } from "util";
import { ConfigurationError, loadEnvironments } from "../lib/environment";
import { replicateExistingRequest, startReplicateExisting } from "../lib/operations/replicate-existing";
import { fenceClients, fenceExitCode, FENCE_USAGE, formatFence, runFence } from "../lib/operations/fence";
import {
  buildFailback,
  checkFailbackPair,
  copyAssetsBack,
  databaseResourceAddress,
  FAILBACK_COPY_ASSETS_USAGE,
  FAILBACK_USAGE,
  failbackStamp,
  formatAssetCopy,
  formatFailback,
} from "../lib/operations/failback";
import { buildRunbook, formatRunbook } from "../lib/operations/runbook";
import { globalNames, stackId } from "../lib/naming";
import { formatPreflight, preflightClients, preflightExitCode, PREFLIGHT_USAGE, runPreflight } from "../lib/operations/preflight";
import { formatRto, modelRegionRto, RTO_USAGE } from "../lib/operations/rto";
import { SOPS_CONFIG_USAGE, sopsConfigFor } from "../lib/operations/sops-config";
import { formatStatus, runStatus, statusClients, statusExitCode, STATUS_USAGE } from "../lib/operations/status";
import { AwsAccountTarget } from "../lib/targets";
import { emulatorTargetFromEnvironment } from "../lib/targets/emulator-target";
import { findLatestBackups, verificationSteps, verifyArchive } from "../lib/operations/verify-backup";
import { verifyBackupJob } from "../lib/operations/verify-backup-job";
import { mermaidGraph, type Manifest } from "../lib/operations/stack-graph";
import { synthesize } from "../app/synthesize";

const ROOT = path.resolve(__dirname, "..");
const ENVIRONMENTS = process.env.DR_ENVIRONMENTS_DIR ?? path.join(ROOT, "environments");

const HELP: Record<string, string> = {
  main: `Usage: npm run dr -- <command> [options]

Commands:
  runbook <region> [--markdown]   the ordered recovery procedure of an environment, with its manual steps
  replicate-existing <region> [--dry-run]
                                  start the S3 Batch Replication job for objects older than the replication rule
  verify-backup <region> [--namespace <ns>] [--target <url>] [--archive <key>] [--print-job]
                                  restore the newest archive into an empty PostgreSQL and check every table
  rto <region> [--mermaid]        the modelled recovery time: each stack, the critical path and the serial sum
  preflight <region> [--platform-repo <path>] [--peacetime]
                                  check that peacetime prepared everything a recovery into <region> needs (reads only)
  sops-config <region>            the .sops.yaml for the platform-k8s repository, with the primary's and the replica's key ARNs
  status <region> [--json]        each data store's recovery point in <region> against the primary's recoveryObjectives (reads only)
  fence <region> [--apply]        make a returning old primary harmless (Flux, workloads, replication, database); dry run by default
  failback <from> <to> [--markdown]
                                  the ordered failback procedure from a recovery region back to its primary
  failback-copy-assets <from> <to> [--apply] [--since <time>]
                                  copy the assets written in the recovery back to the primary, with a completion check
  graph                           a Mermaid diagram of environments, stacks and dependencies (also: npm run graph)

Run npm run dr -- <command> --help for one command.`,
  runbook: `Usage: npm run dr -- runbook <region> [--markdown]

Prints the recovery procedure of the environment in environments/<region>.ts: step zero (the state
bucket), each cdktf deploy in dependency order from the synthesized manifest.json, and every manual
step left with its exact command. Ends with the number of manual steps.`,
  "replicate-existing": `Usage: npm run dr -- replicate-existing <region> [--dry-run]

Creates the S3 Batch Replication job (S3 Control CreateJob, operation S3ReplicateObject) that
copies the objects of the primary's assets bucket that existed before the replication rule. S3
generates the manifest from the source bucket; the completion report goes to
s3://<replica bucket>/replication-reports/. --dry-run prints the exact request and sends nothing.
Needs AWS credentials for the environment's account (not with --dry-run).`,
  "verify-backup": `Usage: npm run dr -- verify-backup <region> [--namespace <ns>] [--target <url>] [--archive <key>] [--print-job]

For the recovery environment in environments/<region>.ts, with the primary's hosting-services
bucket (it lives in <region>):
  --target <url>   (or DR_VERIFY_TARGET_URL) restores the newest archive (or --archive <key>) into
                   that EMPTY PostgreSQL (postgresql://user:password@host:port/database), verifies
                   its sha256 against the manifest, compares every table's rows and checksum, and
                   prints the recovery point (the archive's age), the restore time and PASS/FAIL;
                   exits 1 on any difference. Needs pg_restore and psql on PATH (or PG_BINDIR).
  --print-job      prints the Kubernetes Job that runs the same check inside the recovery cluster.
  otherwise        finds the newest archive and the primary's replicated automated backups and
                   prints the verification steps (reads only). --namespace names the application
                   namespace (default: app).
Needs AWS credentials for the environment's account.`,
  rto: RTO_USAGE,
  preflight: PREFLIGHT_USAGE,
  "sops-config": SOPS_CONFIG_USAGE,
  status: STATUS_USAGE,
  fence: FENCE_USAGE,
  failback: FAILBACK_USAGE,
  "failback-copy-assets": FAILBACK_COPY_ASSETS_USAGE,
  graph: `Usage: npm run graph

Prints a Mermaid flowchart of every environment's stacks and their dependencies, from manifest.json.`,
};

function fail(message: string, code = 1): never {
  process.stderr.write(`dr: ${message}\n`);
  process.exit(code);
}

/** Synthesizes every environment into a temporary folder, reads it, and removes the folder. */
function withSynthesized<T>(read: (outdir: string) => T): T {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dr-")), "cdktf.out");
  try {
    synthesize({ environmentsDir: ENVIRONMENTS, outdir });
    return read(outdir);
  } finally {
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  }
}

/** The synthesized stack graph. */
function synthesizedManifest(): Manifest {
  return withSynthesized((outdir) => JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")));
}

/** Options each command accepts (node:util parseArgs); anything else is refused. */
const OPTIONS = {
  runbook: { markdown: { type: "boolean" } },
  "replicate-existing": { "dry-run": { type: "boolean" } },
  "verify-backup": { namespace: { type: "string", default: "app" }, target: { type: "string" }, archive: { type: "string" }, "print-job": { type: "boolean" } },
  rto: { mermaid: { type: "boolean" } },
  preflight: { "platform-repo": { type: "string" }, peacetime: { type: "boolean" } },
  "sops-config": {},
  status: { json: { type: "boolean" } },
  fence: { apply: { type: "boolean" } },
  failback: { markdown: { type: "boolean" }, stamp: { type: "string" }, generation: { type: "string" } },
  "failback-copy-assets": { apply: { type: "boolean" }, since: { type: "string" } },
  graph: {},
} as const satisfies Record<string, ParseArgsConfig["options"]>;

type Command = keyof typeof OPTIONS;

/** Parses one command's arguments; usage mistakes exit 2 with the reason. */
function parseCommand(command: Command, args: string[]) {
  try {
    return parseArgs({ args, options: { ...OPTIONS[command], help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (error) {
    fail(`${(error as Error).message}; see npm run dr -- ${command} --help`, 2);
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === "--help" || command === "-h") {
    console.log(HELP.main);
    process.exit(command ? 0 : 2);
  }
  if (!(command in OPTIONS)) fail(`unknown command ${JSON.stringify(command)}; see npm run dr -- --help`, 2);
  const { values, positionals } = parseCommand(command as Command, rest);
  if (values.help) {
    console.log(HELP[command]);
    return;
  }
  if (command === "graph") {
    console.log(mermaidGraph(synthesizedManifest()));
    return;
  }
  const region = positionals[0];
  if (!region) fail(`${command} needs a region, e.g. npm run dr -- ${command} us-east-1`, 2);
  const environments = loadEnvironments(ENVIRONMENTS).map((l) => l.environment);
  const environment = environments.find((e) => e.region === region);
  if (!environment) fail(`no environment for ${region}; known: ${environments.map((e) => e.region).join(", ")}`, 2);
  const flag = (name: string) => (values as Record<string, unknown>)[name];

  if (command === "fence") {
    const result = await runFence(environment, fenceClients(environment), { apply: Boolean(flag("apply")) });
    process.stdout.write(formatFence(result));
    process.exit(fenceExitCode(result));
  }
  if (command === "failback" || command === "failback-copy-assets") {
    const to = positionals[1];
    if (!to) fail(`${command} needs the recovery region and the primary it goes back to, e.g. npm run dr -- ${command} us-east-2 us-east-1`, 2);
    let pair;
    try {
      pair = checkFailbackPair(region, to, environments);
    } catch (error) {
      fail((error as Error).message, 2);
    }
    if (command === "failback") {
      const generation = flag("generation") === undefined ? undefined : Number(flag("generation"));
      const address = withSynthesized((outdir) =>
        databaseResourceAddress(JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stackId("application", to), "cdk.tf.json"), "utf8"))),
      );
      const failback = buildFailback(pair.primary, pair.recovery, {
        stamp: (flag("stamp") as string | undefined) ?? failbackStamp(new Date()),
        generation,
        databaseResourceAddress: address,
      });
      console.log(formatFailback(failback, flag("markdown") ? "markdown" : "text"));
      return;
    }
    const since = flag("since") === undefined ? undefined : new Date(String(flag("since")));
    if (since && Number.isNaN(since.getTime())) fail(`--since must be an ISO 8601 time like 2026-11-21T03:00:00Z (got ${JSON.stringify(flag("since"))})`, 2);
    const { S3Client } = await import("@aws-sdk/client-s3");
    const result = await copyAssetsBack(
      pair.primary,
      { source: new S3Client({ region }), target: new S3Client({ region: to }) },
      { apply: Boolean(flag("apply")), since },
    );
    process.stdout.write(formatAssetCopy(result));
    process.exit(result.complete ? 0 : 1);
  }
  if (command === "runbook") {
    console.log(formatRunbook(buildRunbook(environment, synthesizedManifest()), flag("markdown") ? "markdown" : "text"));
    return;
  }
  if (command === "preflight" || command === "sops-config") {
    if (environment.role !== "recovery") {
      fail(
        `${command} runs for a recovery environment; ${region} is a primary (its recovery: ${
          environments
            .filter((e) => e.role === "recovery" && e.recoveryOf === region)
            .map((e) => e.region)
            .join(", ") || "none"
        })`,
        2,
      );
    }
    const primary = environments.find((e) => e.region === environment.recoveryOf);
    if (primary?.role !== "primary") fail(`no primary environment for ${environment.recoveryOf}, the primary of ${region}`, 2);
    const peacetime = Boolean(flag("peacetime"));
    const clients = preflightClients(environment, primary, { peacetime });
    if (command === "sops-config") {
      process.stdout.write(await sopsConfigFor(environment, primary, clients.kms));
      return;
    }
    const platformRepo = flag("platform-repo") as string | undefined;
    const result = await runPreflight(environment, primary, clients, {
      peacetime,
      platformRepo: platformRepo === undefined ? undefined : path.resolve(platformRepo),
    });
    process.stdout.write(formatPreflight(result));
    process.exit(preflightExitCode(result));
  }
  if (command === "status") {
    if (environment.role !== "recovery") {
      fail(
        `status runs for a recovery environment (where the copies are); ${region} is a primary (its recovery: ${
          environments
            .filter((e) => e.role === "recovery" && e.recoveryOf === region)
            .map((e) => e.region)
            .join(", ") || "none"
        })`,
        2,
      );
    }
    const primary = environments.find((e) => e.region === environment.recoveryOf);
    if (primary?.role !== "primary") fail(`no primary environment for ${environment.recoveryOf}, the primary of ${region}`, 2);
    // The sandbox's emulator when DR_SANDBOX_ENDPOINT names one: its gaps explain what it cannot serve.
    const emulator = emulatorTargetFromEnvironment();
    const clients = statusClients(environment, primary, emulator ? { endpoint: emulator.endpoint } : {});
    const result = await runStatus(environment, primary, clients, { target: emulator ?? new AwsAccountTarget() });
    process.stdout.write(flag("json") ? `${JSON.stringify(result, null, 2)}\n` : formatStatus(result));
    process.exit(statusExitCode(result));
  }
  if (command === "rto") {
    const result = withSynthesized((outdir) => modelRegionRto(outdir, environment));
    console.log(formatRto(result, flag("mermaid") ? "mermaid" : "text"));
    return;
  }
  if (command === "verify-backup") {
    if (environment.role !== "recovery")
      fail(
        `verify-backup runs in a recovery environment; ${region} is a primary (try its recovery: ${
          environments
            .filter((e) => e.recoveryOf === region)
            .map((e) => e.region)
            .join(", ") || "none"
        })`,
        2,
      );
    const primary = environments.find((e) => e.region === environment.recoveryOf);
    if (!primary) fail(`no environment for ${environment.recoveryOf}, the primary of ${region}`, 2);
    const bucket = globalNames(primary.project, primary.region).hostingServicesBucket;
    if (flag("print-job")) {
      const job = verifyBackupJob({
        namespace: String(flag("namespace")),
        bucket,
        region,
        serviceAccountName: "verify-backup",
        targetSecretName: "verify-backup-target",
        archiveKey: flag("archive") as string | undefined,
        database: flag("archive") ? undefined : primary.database.databaseName,
      });
      console.log(JSON.stringify(job, null, 2));
      return;
    }
    const { S3Client } = await import("@aws-sdk/client-s3");
    const target = (flag("target") as string | undefined) ?? process.env.DR_VERIFY_TARGET_URL;
    if (target) {
      const result = await verifyArchive(
        {
          bucket,
          archiveKey: flag("archive") as string | undefined,
          database: flag("archive") ? undefined : primary.database.databaseName,
          targetUrl: target,
          pgBinDir: process.env.PG_BINDIR,
        },
        { s3: new S3Client({ region }) },
      );
      console.log(result.lines.join("\n"));
      process.exitCode = result.passed ? 0 : 1;
      return;
    }
    const { RDSClient } = await import("@aws-sdk/client-rds");
    const latest = await findLatestBackups(environment, primary, { s3: new S3Client({ region }), rds: new RDSClient({ region }) });
    console.log(`Backup verification for ${region} (recovery of ${primary.region}); nothing is run.`);
    console.log(
      latest.archive
        ? `Newest archive: s3://${latest.archiveBucket}/${latest.archive.key} (${latest.archive.size} bytes, ${latest.archive.lastModified.toISOString()})`
        : `Newest archive: none in s3://${latest.archiveBucket}/`,
    );
    console.log(
      latest.replicatedBackup
        ? `Replicated backups: ${latest.replicatedBackup.arn} (latest restorable ${latest.replicatedBackup.latestRestorableTime?.toISOString() ?? "unknown"})`
        : `Replicated backups: unavailable (${latest.replicatedBackupProblem})`,
    );
    console.log("\nSteps:");
    verificationSteps(environment, latest, String(flag("namespace"))).forEach((step, i) => console.log(`${i + 1}. ${step}`));
    return;
  }
  const request = replicateExistingRequest(environment);
  if (flag("dry-run")) {
    console.log(`Dry run: S3 Control CreateJob in ${environment.region}, not sent:\n${JSON.stringify(request, null, 2)}`);
    return;
  }
  const { S3ControlClient } = await import("@aws-sdk/client-s3-control");
  try {
    const jobId = await startReplicateExisting(new S3ControlClient({ region: environment.region }), request);
    console.log(`Started S3 Batch Replication job ${jobId}; report: s3://${request.Report!.Bucket!.replace("arn:aws:s3:::", "")}/${request.Report!.Prefix}/`);
    console.log(`Follow it: aws s3control describe-job --region ${environment.region} --account-id ${environment.accountId} --job-id ${jobId}`);
  } catch (error) {
    if ((error as Error).name === "CredentialsProviderError")
      fail(`no AWS credentials for account ${environment.accountId}: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or use --dry-run)`);
    throw error;
  }
}

main().catch((error) => {
  if (error instanceof ConfigurationError) fail(`invalid configuration:\n${error.problems.map((p) => `  ${p}`).join("\n")}`);
  fail(error instanceof Error ? error.message : String(error));
});
