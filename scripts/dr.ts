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
import { buildRunbook, formatRunbook } from "../lib/operations/runbook";
import { findLatestBackups, verificationSteps } from "../lib/operations/verify-backup";
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
  verify-backup <region> [--namespace <ns>]
                                  the backup-verification workflow for a recovery environment (prints; runs nothing)
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
  "verify-backup": `Usage: npm run dr -- verify-backup <region> [--namespace <ns>]

For the recovery environment in environments/<region>.ts: finds the newest database archive in
its primary's hosting-services bucket and the primary's automated backups replicated into
<region>, then prints the verification steps with those values: download and restore the
archive, deploy the production image, smoke-test, scale to zero. It only reads (S3 ListObjectsV2,
RDS DescribeDBInstanceAutomatedBackups) and runs none of the steps. --namespace names the
application namespace (default: app). Needs AWS credentials for the environment's account.`,
  graph: `Usage: npm run graph

Prints a Mermaid flowchart of every environment's stacks and their dependencies, from manifest.json.`,
};

function fail(message: string, code = 1): never {
  process.stderr.write(`dr: ${message}\n`);
  process.exit(code);
}

/** Synthesizes every environment into a temporary folder and returns its manifest. */
function synthesizedManifest(): Manifest {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dr-")), "cdktf.out");
  try {
    synthesize({ environmentsDir: ENVIRONMENTS, outdir });
    return JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  } finally {
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  }
}

/** Options each command accepts (node:util parseArgs); anything else is refused. */
const OPTIONS = {
  runbook: { markdown: { type: "boolean" } },
  "replicate-existing": { "dry-run": { type: "boolean" } },
  "verify-backup": { namespace: { type: "string", default: "app" } },
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

  if (command === "runbook") {
    console.log(formatRunbook(buildRunbook(environment, synthesizedManifest()), flag("markdown") ? "markdown" : "text"));
    return;
  }
  if (command === "verify-backup") {
    if (environment.role !== "recovery") fail(`verify-backup runs in a recovery environment; ${region} is a primary (try its recovery: ${environments.filter((e) => e.recoveryOf === region).map((e) => e.region).join(", ") || "none"})`, 2);
    const primary = environments.find((e) => e.region === environment.recoveryOf);
    if (!primary) fail(`no environment for ${environment.recoveryOf}, the primary of ${region}`, 2);
    const { S3Client } = await import("@aws-sdk/client-s3");
    const { RDSClient } = await import("@aws-sdk/client-rds");
    const latest = await findLatestBackups(environment, primary, { s3: new S3Client({ region }), rds: new RDSClient({ region }) });
    console.log(`Backup verification for ${region} (recovery of ${primary.region}); nothing is run.`);
    console.log(latest.archive ? `Newest archive: s3://${latest.archiveBucket}/${latest.archive.key} (${latest.archive.size} bytes, ${latest.archive.lastModified.toISOString()})` : `Newest archive: none in s3://${latest.archiveBucket}/`);
    console.log(latest.replicatedBackup ? `Replicated backups: ${latest.replicatedBackup.arn} (latest restorable ${latest.replicatedBackup.latestRestorableTime?.toISOString() ?? "unknown"})` : `Replicated backups: unavailable (${latest.replicatedBackupProblem})`);
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
    if ((error as Error).name === "CredentialsProviderError") fail(`no AWS credentials for account ${environment.accountId}: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or use --dry-run)`);
    throw error;
  }
}

main().catch((error) => {
  if (error instanceof ConfigurationError) fail(`invalid configuration:\n${error.problems.map((p) => `  ${p}`).join("\n")}`);
  fail(error instanceof Error ? error.message : String(error));
});
