import { REPLICATION_RULE_ID, fenceRecordKey } from "../lib/naming";
import { defineCommand, type Command } from "./command";

/**
 * Every command of `npx dr-platform`, declared once: the CLI parses, dispatches and prints its help
 * from here, and docs/cli.md is generated from it (test/cli/docs.test.ts). A command's module is
 * loaded when it runs: help stays fast, and `sops-config` loads KMS, not cdktf.
 */

const RECOVERY_REGION = { name: "region", help: "a recovery environment (environments/<region>.ts)" } as const;
const ANY_REGION = { name: "region", help: "an environment (environments/<region>.ts)" } as const;
const FAILBACK_FROM = { name: "from", help: "the recovery region the service runs in" } as const;
const FAILBACK_TO = { name: "to", help: "the primary it recovered, to go back to" } as const;
const DONE = { code: 0, meaning: "done" } as const;
const FAILED = { code: 1, meaning: "an error: invalid environment files, or a call that failed (the message says which)" } as const;

/**
 * The options of every command that runs recover's executor (recover, rebuild-cluster, rehearse,
 * restore-database, rebuild-account), spread first: a command whose help says more of one (its
 * plan's runbook, what its yes answers) replaces it after the spread, which keeps the option's place.
 */
const EXECUTOR_OPTIONS = {
  yes: { type: "boolean", help: "answer yes at the manual steps (a run without a terminal needs it)" },
  plan: { type: "boolean", help: "print the plan and run nothing" },
  from: { type: "string", value: "<step>", help: "run again from this step (and everything after it), even if done" },
  new: { type: "boolean", help: "start a new run instead of resuming the journal's (the old journal is kept)" },
} as const;

export const COMMANDS: readonly Command[] = [
  defineCommand({
    name: "runbook",
    summary: "the ordered recovery procedure of an environment, with its manual steps",
    description: `Prints the recovery procedure of the environment in environments/<region>.ts: step zero (the state
bucket), each cdktf deploy in dependency order from the synthesized manifest.json, and every manual
step left with its exact command. Ends with the number of manual steps.`,
    arguments: [ANY_REGION],
    options: {
      markdown: { type: "boolean", help: "Markdown (for a ticket or a wiki) instead of plain text" },
      scenario: {
        type: "string",
        value: "<scenario>",
        default: "region",
        help: "region (the default: the region is lost, recover executes it), cluster (its cluster is rebuilt side by side, rebuild-cluster executes it), database (its database is restored as a new generation, restore-database executes it) or account (a primary is rebuilt in a new account from its vault, rebuild-account executes it)",
      },
      "to-time": { type: "string", value: "<iso>", help: "database scenario: the time to restore to (default: the latest restorable time)" },
      "from-archive": { type: "string", value: "<key>", help: "database scenario: load this archive into an empty instance instead" },
      "new-account": { type: "string", value: "<id>", help: "account scenario (needed): the 12-digit id of the account the environment is rebuilt in" },
    },
    exitCodes: [DONE, FAILED],
    run: async ({ args, options, context }) => (await import("./commands/runbook")).runbook(args, options, context),
  }),
  defineCommand({
    name: "recover",
    summary: "execute the runbook of <region>: one command, resumable, with an evidence report",
    description: `Executes the plan that runbook prints for the environment in environments/<region>.ts, from the
project folder (cdktf.json): the manual steps as questions (--yes answers them), the preflight in
outage mode (a recovery calls only its own region; Route 53 only advises), one synth, every stack's
cdktf deploy as soon as the stacks it reads are deployed (independent ones side by side), the Flux
wait, the smoke check, then what is deployed once the site serves. A database restore that outlived
Terraform's wait is adopted (terraform import or untaint) before its stack is deployed again.
A journal of every step is kept in s3://<state bucket>/dr/recover/<region>/journal.json and in
.dr-platform/recover/<region>/: a rerun resumes where the last one stopped, a failed step is
retried, Ctrl-C stops the running steps and keeps the journal. Every run writes a report (JSON and
Markdown: the plan, who ran it, each step with its times, attempts and outputs, each store's
recovery point when it started, the measured recovery time against recoveryObjectives.rtoMinutes and
the rto model, what failed) into the archive bucket under reports/<region>/ (Object Lock keeps it) and
locally. Needs AWS credentials for the environment's account, Terraform and the cdktf CLI.`,
    arguments: [ANY_REGION],
    options: {
      ...EXECUTOR_OPTIONS,
      plan: { type: "boolean", help: "print the plan (the runbook) and run nothing" },
      new: { type: "boolean", help: "start a new recovery instead of resuming the journal's (the old journal is kept)" },
      "platform-repo": { type: "string", value: "<path>", help: "the preflight also checks every SOPS file of this platform-k8s checkout" },
    },
    exitCodes: [
      { code: 0, meaning: "every step is done (or not served by the deployment target): the region serves" },
      { code: 1, meaning: "a step failed: the report and the journal say which; run again to retry it" },
      { code: 3, meaning: "interrupted (Ctrl-C): run again to resume" },
    ],
    run: async ({ args, options, context }) => (await import("./commands/recover")).recoverCommand(args, options, context),
  }),
  defineCommand({
    name: "rebuild-cluster",
    summary: "rebuild the cluster of <region> side by side: generation N+1, the site's binding moved, N retired on your word",
    description: `Executes the cluster scenario's plan (runbook <region> --scenario cluster) with recover's executor,
journal and report: the generation raised in environments/<region>.ts (kubernetes.generation N+1,
kubernetes.retiringGeneration N: a question), one synth, the kubernetes, gitops and workloads stacks of
generation N+1 (named <project>-<region>-g<N+1>, with pod identity roles trusting that cluster only),
the wait for its pods, then generation N's workloads stack without the site's TargetGroupBinding (the
binding moves: each cluster deregisters only its own pods), the smoke check, and, on the operator's
word, generation N's stacks destroyed. The datastores, the load balancer and the site's record are not
touched. Needs what recover needs, and the cluster API reachable (kubernetes.publicAccessCidrs or
privateAccessCidrs).`,
    arguments: [ANY_REGION],
    options: {
      ...EXECUTOR_OPTIONS,
      yes: { type: "boolean", help: "answer yes at the manual steps, the retirement of generation N included" },
      plan: { type: "boolean", help: "print the plan (runbook --scenario cluster) and run nothing" },
    },
    exitCodes: [
      { code: 0, meaning: "every step is done: generation N+1 serves and generation N is retired" },
      { code: 1, meaning: "a step failed (or a question was declined): the report and the journal say which; run again to retry it" },
      { code: 3, meaning: "interrupted (Ctrl-C): run again to resume" },
    ],
    run: async ({ args, options, context }) =>
      (await import("./commands/recover")).recoverCommand(args, { ...options, "platform-repo": undefined }, context, "cluster"),
  }),
  defineCommand({
    name: "rehearse",
    summary: "rehearse the recovery of <region> in its rehearsal generation (no traffic moved); --teardown removes it",
    description: `Executes the rehearsal plan with recover's executor, journal and report, for a recovery whose file
sets rehearsal: true: the preflight in outage mode, one synth, the recovery's layers deployed as its
rehearsal generation (stack ids <layer>-<region>-rehearsal, names <project>-rehearsal-..., its own
keys and roles, the database restored from the primary's newest replicated backups, the broker
definitions imported), the Flux wait, and a smoke check of the site's host against the rehearsal's
own load balancer. No failover record, switch or primary resource is written: the site stays where
it is. The report (measured time, each store's recovery point) goes to reports/<region>-rehearsal/
in the archive bucket (Object Lock keeps it) and its journal to dr/recover/<region>-rehearsal/, never
a real recovery's. --teardown lists every resource of the rehearsal generation's stacks, asks, and
destroys them (their stateful protection is lifted in those stacks only); the report stays.
Needs what recover needs.`,
    arguments: [RECOVERY_REGION],
    options: {
      teardown: { type: "boolean", help: "remove the rehearsal generation (listed first, then destroyed) instead of building it" },
      ...EXECUTOR_OPTIONS,
      yes: { type: "boolean", help: "answer yes at the manual steps (a scheduled run needs it)" },
    },
    exitCodes: [
      { code: 0, meaning: "every step is done (or skipped by the target, as the report says)" },
      { code: 1, meaning: "a step failed (or a question was declined): the report and the journal say which; run again to retry it" },
      { code: 3, meaning: "interrupted (Ctrl-C): run again to resume" },
    ],
    run: async ({ args, options, context }) =>
      (await import("./commands/recover")).recoverCommand(
        args,
        { yes: options.yes, plan: options.plan, from: options.from, new: options.new, "platform-repo": undefined },
        context,
        options.teardown ? "rehearsal-teardown" : "rehearsal",
      ),
  }),
  defineCommand({
    name: "restore-database",
    summary: "restore the database of <region> as a new generation beside the old one, check it and switch to it",
    description: `Executes the database scenario's plan (runbook <region> --scenario database) with recover's executor,
journal and report: the generation raised in environments/<region>.ts (database.generation N+1,
database.restoredFrom: a question), one synth, generation N taken out of the application stack's
state (kept, never destroyed), the application stack deployed (generation N+1, named
<project>-<region>-g<N+1>, restored point in time from generation N's automated backups, or created
empty and loaded from --from-archive; the backup replication is replaced with it), the new
generation checked (every table's rows and checksum; an archive against its manifest), the
workloads stack(s) deployed (cluster-vars, credentials, users), generation N stopped, the smoke
check, and, on the operator's word, generation N deleted by retire-database. The cluster, the broker
and the site's record are not touched; no IAM or key policy is written. Needs what recover needs,
and a host that reaches the database for the check (psql, or verify-backup's pg_restore).`,
    arguments: [ANY_REGION],
    options: {
      "to-time": { type: "string", value: "<iso>", help: "restore to this ISO 8601 UTC time (default: the latest restorable time)" },
      "from-archive": { type: "string", value: "<key>", help: "load this archive of the hosting-services bucket into an empty instance instead" },
      ...EXECUTOR_OPTIONS,
      yes: { type: "boolean", help: "answer yes at the manual steps, the deletion of generation N included" },
      plan: { type: "boolean", help: "print the plan (runbook --scenario database) and run nothing" },
    },
    exitCodes: [
      { code: 0, meaning: "every step is done: generation N+1 serves and generation N is deleted" },
      { code: 1, meaning: "a step failed (or a question was declined): the report and the journal say which; run again to retry it" },
      { code: 3, meaning: "interrupted (Ctrl-C): run again to resume" },
    ],
    run: async ({ args, options, context }) =>
      (await import("./commands/recover")).recoverCommand(args, { ...options, "platform-repo": undefined }, context, "database", {
        toTime: options["to-time"],
        fromArchive: options["from-archive"],
      }),
  }),
  defineCommand({
    name: "rebuild-account",
    summary: "rebuild a primary in a new AWS account from its vault: state, stacks, database, Git credentials, broker definitions",
    description: `Executes the account scenario's plan (runbook <region> --scenario account --new-account <id>) with
recover's executor, journal and report, in the new account (the caller's credentials must be the
new account's; environments/<region>.ts and its recovery's file edited first, as the plan's edit
step lists: accountId, bucketSuffix, state.bucket, the admin roles, broker.importDefinitions; it
refuses to run before). One synth, the new state bucket, the vault stack's state copied
out of the vault (from-vault state: the vault's resources only), the vault stack deployed (it
adopts the vault's buckets, key, secret and backup vault and admits the new account), the
primary's stacks, the newest archive copied from the vault and loaded and checked (verify-backup),
the Git credentials copied from the vault's secret, the broker definitions imported, the smoke
check, then the recovery's peacetime stacks. Needs AWS credentials for the new account that may
assume the vault role, Terraform and the cdktf CLI.`,
    arguments: [ANY_REGION],
    options: {
      "new-account": { type: "string", value: "<id>", help: "the 12-digit id of the account the environment is rebuilt in" },
      ...EXECUTOR_OPTIONS,
      plan: { type: "boolean", help: "print the plan (runbook --scenario account) and run nothing" },
    },
    exitCodes: [
      { code: 0, meaning: "every step is done: the environment serves from the new account" },
      { code: 1, meaning: "a step failed (or a question was declined): the report and the journal say which; run again to retry it" },
      { code: 3, meaning: "interrupted (Ctrl-C): run again to resume" },
    ],
    run: async ({ args, options, context }) =>
      (await import("./commands/recover")).recoverCommand(
        args,
        { yes: options.yes, plan: options.plan, from: options.from, new: options.new, "platform-repo": undefined },
        context,
        "account",
        {},
        options["new-account"],
      ),
  }),
  defineCommand({
    name: "from-vault",
    summary:
      "copy what a rebuild in a new account needs out of the vault: the vault stack's state, the newest archive, the Git credentials, the assets, the images",
    description: `Copies one thing out of the vault account of the primary in environments/<region>.ts (its file as
edited for the new account) into the new account, assuming vault.roleName in the vault account for
the reads and writing with the caller's credentials. state: the newest vault-<region>.tfstate of
the vault's state copy, keeping only the vault account's resources (the lost account's are dropped
and made again by the deploy), into the new state bucket. archive: the newest database archive
(dump and manifest) and broker definitions export of the vault's archive copy into the new
hosting-services bucket; prints the archive's key for verify-backup. git-credentials: the vault's
secret value into the new account's secret (never printed). assets: every object of the vault's
assets copy into the new assets bucket. images: the tagged images of the vault's registry under
registry.replicatedPrefixes into the new account's registry, by digest, with crane (not shipped:
without it the command lists what it would copy and writes nothing). A copy already in place is
left as it is. check: reads every copy through the vault role and writes nothing, one line each:
what a rebuild would find today (run it on a schedule or a game day with the identity that would
run the rebuild).`,
    arguments: [ANY_REGION, { name: "copy", help: "state, archive, git-credentials, assets, images, or check (read them all, write nothing)" }],
    options: {
      key: { type: "string", value: "<key>", help: "archive: copy this archive (postgres/<database>/<stamp>/archive.dump) instead of the newest" },
    },
    exitCodes: [DONE, FAILED],
    run: async ({ args, options, context }) => (await import("./commands/from-vault")).fromVault(args, options, context),
  }),
  defineCommand({
    name: "retire-database",
    summary: "delete a replaced database generation of <region>, after listing what it deletes",
    description: `Lists what retiring database generation <n> of the environment in environments/<region>.ts deletes:
the instance <project>-<region>[-g<n>] (deletion protection turned off, a final snapshot
<identifier>-final taken first); its automated backups are kept for their retention, its log groups
until theirs. Refuses the serving generation (database.generation). With --yes it deletes; without,
it only reads.`,
    arguments: [ANY_REGION],
    options: {
      generation: { type: "string", value: "<n>", help: "the database generation to retire (lower than database.generation)" },
      yes: { type: "boolean", help: "delete (otherwise only list what would be deleted)" },
    },
    exitCodes: [
      { code: 0, meaning: "listed (without --yes), or deleted, or already gone" },
      { code: 1, meaning: "refused (the serving generation, an instance not stopped) or a call failed: the message says which" },
    ],
    run: async ({ args, options, context }) => (await import("./commands/retire-database")).retireDatabase(args, options, context),
  }),
  defineCommand({
    name: "report",
    summary: "the recoveries of <region> and their evidence reports (from the archive bucket)",
    description: `Lists the recoveries of <region> that recover reported (from the archive bucket's reports/<region>/,
or the local .dr-platform/recover/<region>/reports/ when the bucket cannot be read): id, verdict,
measured time against the objective, target. --last prints the newest report (Markdown), --id a
given one; --json prints JSON instead. Reads only.`,
    arguments: [ANY_REGION],
    options: {
      last: { type: "boolean", help: "print the newest report" },
      id: { type: "string", value: "<recovery id>", help: "print this recovery's report" },
      json: { type: "boolean", help: "JSON instead of Markdown or the list" },
      rehearsal: { type: "boolean", help: "the rehearsals of <region> instead (reports/<region>-rehearsal/, written by rehearse)" },
    },
    exitCodes: [
      { code: 0, meaning: "printed" },
      { code: 1, meaning: "no report of the region, or a read failed" },
    ],
    run: async ({ args, options, context }) => (await import("./commands/report")).report(args, options, context),
  }),
  defineCommand({
    name: "preflight",
    summary: "check that peacetime prepared everything a recovery into <region> needs (reads only)",
    description: `Checks that everything peacetime must provide for recovering into <region> is there, and prints a
pass/fail table with the fix under each failure. It only reads, and only from <region> and the state
bucket's region (never the primary's region, which is dark during an outage):
  standby-stack      the standby stack's state object (S3 HeadObject)
  git-credentials    Flux's Git credentials secret replica, non-empty (Secrets Manager; the value is never printed)
  sops-key           the SOPS key's replica enabled (KMS DescribeKey on the alias)
  database-backups   the primary's automated backups replicated here, with their latest restorable time
  registry-images    repositories here for every registry.replicatedPrefixes entry (ECR DescribeRepositories)
  cluster-access     kubernetes.publicAccessCidrs or privateAccessCidrs declared (from the file)
  health-checks      the site's Route 53 health checks in both regions, as the checkers see them (GetHealthCheckStatus)
  site-region        which region's load balancer the site host resolves to (a DNS lookup)
A row is "advisory" during an outage (--outage: Route 53 is never fatal on the day), and "not
served" when the deployment target cannot serve what it checks (the sandbox's emulator).
Needs AWS credentials for the environment's account.`,
    arguments: [RECOVERY_REGION],
    options: {
      "platform-repo": {
        type: "string",
        value: "<path>",
        help: "also check that every SOPS file of this platform-k8s checkout lists the replica key's ARN (see sops-config)",
      },
      peacetime: { type: "boolean", help: "also read the ECR replication rule in the primary's region (DescribeRegistry)" },
      outage: {
        type: "boolean",
        help: "the day of a recovery: the primary's region is lost, so a global control plane it hosts (Route 53's, in us-east-1) is not called and its rows only advise",
      },
    },
    exitCodes: [
      { code: 0, meaning: "every check passed (or only advises, or is not served by the deployment target)" },
      { code: 1, meaning: "a check failed or got no answer (nothing is proved then)" },
    ],
    run: async ({ args, options, context }) => (await import("./commands/preflight")).preflight(args, options, context),
  }),
  defineCommand({
    name: "sops-config",
    summary: "the .sops.yaml for the platform-k8s repository, with the primary's and the replica's key ARNs",
    description: `Prints the .sops.yaml for the platform-k8s repository of the recovery environment in
environments/<region>.ts (redirect it: npx dr-platform sops-config <region> > .sops.yaml). Its
creation rule encrypts data and stringData of clusters/**/*.sops.yaml for two KMS keys: the primary's
SOPS key and its multi-Region replica in <region>. SOPS calls KMS in the region written in each file's
key ARN, so without the replica's ARN nothing decrypts in <region> while the primary's region is down.
Reads one thing (KMS DescribeKey on the SOPS alias in <region>); writes nothing. Then, while the
primary's region is up, run sops updatekeys -y <file> on every encrypted file. When the primary's
file lists flux.breakGlassAgeRecipients, every rule also lists those age keys (their private keys,
kept offline, decrypt the files without the account). Needs AWS credentials for the environment's
account.`,
    arguments: [RECOVERY_REGION],
    options: {},
    exitCodes: [
      { code: 0, meaning: "the file was printed" },
      { code: 1, meaning: "KMS did not name a replica of the primary's SOPS key (the message says what to deploy), or the call failed" },
    ],
    run: async ({ args, context }) => (await import("./commands/sops-config")).sopsConfig(args, context),
  }),
  defineCommand({
    name: "status",
    summary: "each data store's recovery point in <region> against the primary's recoveryObjectives (reads only)",
    description: `For the recovery environment in environments/<region>.ts: how much data a recovery would lose now.
Per data store of its primary, the newest copy in <region>, its age and the primary's target
(recoveryObjectives in environments/<primary>.ts), with the fix under every row that misses it:
  database-backups    latest restorable time of the automated backups replicated into <region> (RDS)
  database-archives   the newest archive's manifest (snapshot time, size, tables) in the hosting-services bucket
  assets              the replication rule (enabled, Replication Time Control), the ReplicationStatus of the
                      newest source objects (HeadObject), source and replica keys compared for small buckets;
                      reads the primary's region (reported unknown when it is dark)
  broker-definitions  the newest RabbitMQ definitions export
  sops-key            the SOPS key's replica in <region> enabled (KMS DescribeKey)
It only reads (S3, RDS, KMS; never IAM or Route 53). Needs AWS credentials for the account; with
DR_SANDBOX_ENDPOINT it reads the sandbox's emulator and its gaps explain what it cannot serve.`,
    arguments: [RECOVERY_REGION],
    options: { json: { type: "boolean", help: "the rows as JSON instead of the table" } },
    exitCodes: [
      { code: 0, meaning: "every target is met (or a row is unknown only because the deployment target cannot serve it)" },
      { code: 1, meaning: "a target is missed or a row could not be read" },
    ],
    run: async ({ args, options, context }) => (await import("./commands/status")).status(args, options, context),
  }),
  defineCommand({
    name: "verify-backup",
    summary: "restore the newest archive into an empty PostgreSQL and check every table",
    description: `For the recovery environment in environments/<region>.ts, with the primary's hosting-services
bucket (it lives in <region>); the newest archive is the newest folder with a manifest.json, of the
primary's database:
  --target <url>   (or DR_VERIFY_TARGET_URL) restores the newest archive (or --archive <key>) into
                   that EMPTY PostgreSQL (postgresql://user:password@host:port/database), verifies
                   its sha256 against the manifest, compares every table's rows and checksum, and
                   prints the recovery point (the archive's age), the restore time and PASS/FAIL.
                   Needs pg_restore and psql on PATH (or PG_BINDIR).
  --print-job      prints the Kubernetes Job that runs the same check inside the recovery cluster.
  otherwise        finds the newest archive and the primary's replicated automated backups and
                   prints the verification steps (reads only).
Needs AWS credentials for the environment's account.`,
    arguments: [RECOVERY_REGION],
    options: {
      namespace: { type: "string", value: "<ns>", default: "app", help: "the application namespace in the printed steps and Job" },
      target: { type: "string", value: "<url>", help: "the EMPTY PostgreSQL to restore into (postgresql://...)" },
      archive: { type: "string", value: "<key>", help: "the archive to verify: its folder, archive.dump or manifest.json key" },
      "print-job": { type: "boolean", help: "print the Kubernetes Job (ConfigMap and Job, a List) instead of running anything" },
    },
    exitCodes: [
      { code: 0, meaning: "the archive matches its manifest (--target), or the Job or the steps were printed" },
      { code: 1, meaning: "a difference (--target), or nothing could be verified (no archive, a target that is not empty...)" },
    ],
    run: async ({ args, options, context }) => (await import("./commands/verify-backup")).verifyBackup(args, options, context),
  }),
  defineCommand({
    name: "rotate-git-credentials",
    summary: "put a new value into Flux's Git credentials secret and wait until its replicas follow",
    description: `Rotates the Flux Git credentials of the environment in environments/<region>.ts: the secret named by
flux.gitCredentialsSecretName lives in the primary's region (the primary's application stack makes
it with a replica in its drRegion). The new value is read from --from-file (a file, or - for stdin;
never from the command line) and must be the JSON Flux reads: {"username", "password"} (HTTPS) or
{"identity", ...} (SSH). Before writing it checks the value's shape, that the secret exists there
and that it has a replica in every recovery region using it; then it puts the value (AWSCURRENT; the
old one stays AWSPREVIOUS) and waits up to --wait seconds until every replica's AWSCURRENT is the new
version and the primary reports it InSync. It prints the value's version, each replica's verdict and
what comes next: in every region whose Flux reads the secret, the commands that run its cluster's
Git credentials job now (it copies the secret into Flux's namespace; hourly otherwise), then
revoking the old credential at the Git host. The value is never printed. With the primary's region down, promote the replica instead (preflight's fix says
how). Needs AWS credentials for the environment's account.`,
    arguments: [ANY_REGION],
    options: {
      "from-file": { type: "string", value: "<file>", help: "the new credentials JSON: a file, or - for stdin (required)" },
      wait: { type: "string", value: "<seconds>", default: "120", help: "how long the replicas may take to follow" },
    },
    exitCodes: [
      { code: 0, meaning: "the value was put and every replica follows" },
      { code: 1, meaning: "nothing was written (a value Flux cannot use, no secret or replica, a call refused), or a replica's replication failed" },
      { code: 3, meaning: "the value was put, but a replica did not follow within --wait: check with preflight <recovery region>" },
    ],
    run: async ({ args, options, context }) => (await import("./commands/rotate-git-credentials")).rotateGitCredentialsCommand(args, options, context),
  }),
  defineCommand({
    name: "rto",
    summary: "the modelled recovery time: each stack, the critical path and the serial sum",
    description: `Prints the modelled recovery time of the environment in environments/<region>.ts: every stack
of the region from the synthesized manifest.json with its modelled duration, start and finish
(a stack starts when all of its dependencies are deployed), the critical path and, beside it,
the serial sum of the same stacks. Durations come from typical creation times per resource type
(lib/operations/creation-times.ts, sources in docs/rto.md); the database restore is scaled by the
environment's database.allocatedStorageGb. For a recovery, the model is of its file's tier
(docs/tiers.md), or of the tier --tier names: backup-and-restore and pilot-light deploy stacks on
the day; warm-standby's day is a few calls on what peacetime prepared (promote the read replica,
scale the node groups, point the workloads at it), modelled from the figures in docs/rto.md. It
is a model: nothing is deployed and no AWS account is needed.`,
    arguments: [ANY_REGION],
    options: {
      mermaid: { type: "boolean", help: "a Mermaid gantt chart instead of the table" },
      tier: {
        type: "string",
        value: "<tier>",
        help: "model this tier instead of the file's: backup-and-restore, pilot-light or warm-standby (recovery environments only)",
      },
    },
    exitCodes: [DONE, FAILED],
    run: async ({ args, options, context }) => (await import("./commands/rto")).rto(args, options, context),
  }),
  defineCommand({
    name: "replicate-existing",
    summary: "start the S3 Batch Replication jobs for objects older than the replication rules",
    description: `Creates the S3 Batch Replication jobs (S3 Control CreateJob, operation S3ReplicateObject, in
each source bucket's region) that copy the objects that existed before the replication rules: the
primary's assets bucket (its DR and vault rules; report in s3://<replica bucket>/replication-reports/)
and, with a vault account (docs/vault.md), the archive bucket in drRegion and the Terraform state
bucket when this primary's vault stack copies it (their vault rule; report in
s3://<source bucket>/replication-reports/, as the vault bucket refuses the workload account's
writes). S3 generates each manifest from the source bucket. The first failure stops the rest and
names the jobs already started. Needs AWS credentials for the environment's account (not with
--dry-run).`,
    arguments: [{ name: "region", help: "a primary environment (it owns the buckets)" }],
    options: { "dry-run": { type: "boolean", help: "print every exact request and send nothing" } },
    exitCodes: [{ code: 0, meaning: "every job was started (or, with --dry-run, every request printed)" }, FAILED],
    run: async ({ args, options, context }) => (await import("./commands/replicate-existing")).replicateExisting(args, options, context),
  }),
  defineCommand({
    name: "fence",
    summary: "make a returning old primary harmless (Flux, workloads, replication, database); dry run by default",
    description: `Makes a returning old primary harmless, in this order: sets each recovery's failover switch to the
recovery (CloudWatch in the recovery's region through the AWS CLI, no Route 53 write: the site does
not return by itself), suspends every Flux Kustomization and HelmRelease (the root first), scales
every workload outside the system namespaces to zero and suspends the library's CronJobs (through
kubectl, logged in with aws eks update-kubeconfig; "not reachable" when the cluster does not
answer), disables the assets
bucket's replication rule "${REPLICATION_RULE_ID}" (kept, only Disabled), stops the database, and
records what it did in s3://<state bucket>/${fenceRecordKey("<region>")}.
Without --apply it only reads and prints what it would do. Safe to run again: each action is
reported as done, already done, would do, not reachable or failed.
Needs AWS credentials for the environment's account, kubectl and the aws CLI.`,
    arguments: [ANY_REGION],
    options: { apply: { type: "boolean", help: "act (without it: read only and print what would be done)" } },
    exitCodes: [
      { code: 0, meaning: "every action is done or already done (a dry run: nothing failed or was unreachable)" },
      { code: 1, meaning: "an action failed" },
      { code: 3, meaning: "something was not reachable (the rest was done): run it again when it answers" },
    ],
    run: async ({ args, options, context }) => (await import("./commands/fence")).fence(args, options, context),
  }),
  defineCommand({
    name: "failback",
    summary: "the ordered failback procedure from a recovery region back to its primary",
    description: `Prints the ordered failback procedure from the recovery region <from> to the primary <to> it
recovered, with real values: fence check, assets copied back (failback-copy-assets), the recovered
database snapshotted, copied to <to> and restored there as generation <n> (default 2) of its
identifier, verified, handed the identifier and adopted by Terraform, broker definitions
re-imported, fences lifted, DNS returned, <from> stood down, and the environment files.
Reads nothing from AWS.`,
    arguments: [FAILBACK_FROM, FAILBACK_TO],
    options: {
      markdown: { type: "boolean", help: "Markdown instead of plain text" },
      stamp: { type: "string", value: "<digits>", help: "names the snapshots and the stale database (default: now, YYYYMMDDHHMM UTC)" },
      generation: { type: "string", value: "<n>", help: "the generation of the database restored in <to> (default 2)" },
    },
    exitCodes: [DONE, FAILED],
    run: async ({ args, options, context }) => (await import("./commands/failback")).failback(args, options, context),
  }),
  defineCommand({
    name: "plan-gate",
    summary: "plan a stack and refuse when a stateful resource would be deleted or replaced",
    description: `Synthesizes the environments, plans <stack> against its state and judges the plan: every bucket,
database, broker, KMS key and hosted zone (the resources prevent_destroy protects) must be kept.
The failback runs it after adopting the restored database and before lifting the fences: a plan that
would replace the adopted instance (its kms_key_id, its username) stops the procedure there. The plan
runs on a copy of the stack without prevent_destroy, so that Terraform says what forces each
replacement; it takes no state lock and is never applied. Needs what a cdktf deploy of the stack
needs (credentials, Terraform, the state bucket).`,
    arguments: [{ name: "stack", help: "a synthesized stack (application-<region>, ...)" }],
    options: {},
    exitCodes: [
      { code: 0, meaning: "the plan keeps every stateful resource (its changes are listed)" },
      { code: 1, meaning: "refused (a stateful resource would be deleted or replaced: listed with what forces it), or no plan could be made" },
    ],
    run: async ({ args, context }) => (await import("./commands/plan-gate")).planGate(args, context),
  }),
  defineCommand({
    name: "failback-copy-assets",
    summary: "copy the assets written in the recovery back to the primary, with a completion check",
    description: `Compares the recovery's assets bucket (the replica of <to>'s assets, in <from>) with <to>'s assets
bucket by listing (key, size, ETag). Without --apply it prints what it would copy; with --apply it
copies (S3 CopyObject into <to>) every object missing in <to> or older there, then lists again.
A newer different version in <to> is a conflict: kept and listed.`,
    arguments: [FAILBACK_FROM, FAILBACK_TO],
    options: {
      apply: { type: "boolean", help: "copy (without it: only compare and print what would be copied)" },
      since: { type: "string", value: "<time>", help: "only source objects written from this ISO 8601 time (the outage's start)" },
    },
    exitCodes: [
      { code: 0, meaning: "every object of the source is in <to> identically (the completion check)" },
      { code: 1, meaning: "some are not (or a listing failed)" },
    ],
    run: async ({ args, options, context }) => (await import("./commands/failback-copy-assets")).failbackCopyAssets(args, options, context),
  }),
  defineCommand({
    name: "graph",
    summary: "a Mermaid diagram of environments, stacks and dependencies",
    description: "Prints a Mermaid flowchart of every environment's stacks and their dependencies, from the synthesized manifest.json.",
    arguments: [],
    options: {},
    exitCodes: [DONE, FAILED],
    run: async ({ context }) => (await import("./commands/graph")).graph(context),
  }),
];

/** The command of that name, if any. */
export function commandNamed(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
