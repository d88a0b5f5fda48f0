import { standingGenerations, type Environment } from "../../environment";
import { databaseRestoredFrom } from "../../environment/sections/database";
import { databaseIdentifier, drCommand, generationSuffix, stackId } from "../../naming";
import type { Manifest } from "../../operations/stack-graph";
import { deployCommand, deployStepId, siteSmokeCheck, type RecoveryPlan } from "../plan";
import { stepSequence } from "./sequence";

/** Where the new generation comes from, as `restore-database` is asked (`--to-time`, `--from-archive`). */
export interface DatabaseRestoreRequest {
  /**
   * ISO 8601 UTC time to restore to, from the replaced generation's automated backups.
   * @default - its latest restorable time
   */
  readonly toTime?: string;
  /**
   * Key of an archive in the hosting-services bucket, loaded into an empty instance instead.
   * @default - a point-in-time restore
   */
  readonly fromArchive?: string;
}

/** `database.restoredFrom` as the environment file holds it. */
type RestoredFrom = NonNullable<Environment["database"]["restoredFrom"]>;

/**
 * The database scenario (the seed's "Database outage: create a new one, update the services'
 * configuration with the new hostname, create the users"): generation N+1 of the region's database
 * is restored beside N (point in time from N's own automated backups, or an archive loaded into an
 * empty instance), checked, and made the one the stacks and the workloads use; N is left stopped and
 * protected, outside Terraform, until the operator retires it with `retire-database`, which lists
 * what it deletes. The cluster, the broker, the load balancer and the site's record are untouched;
 * the logs key and the IAM policies already admit generation N+1 (prepared in peacetime).
 *
 * Built from the environment before or after its file is edited (database.generation N+1,
 * restoredFrom { generation N, ... }): the steps are the same, so a run resumes across the edit.
 */
export function buildDatabasePlan(environment: Environment, manifest: Manifest, request: DatabaseRestoreRequest = {}): RecoveryPlan {
  const region = environment.region;
  const problems: string[] = [];
  if (request.toTime !== undefined && request.fromArchive !== undefined) problems.push("give --to-time or --from-archive, not both");
  if (request.toTime !== undefined && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(request.toTime)) {
    problems.push(`--to-time must be an ISO 8601 UTC time like 2026-11-20T03:00:00Z (got ${request.toTime})`);
  }
  // The key as the environment file will hold it: the schema's rule is the one rule.
  const archive =
    request.fromArchive === undefined ? undefined : databaseRestoredFrom.safeParse({ from: "archive", generation: 1, archiveKey: request.fromArchive });
  if (archive !== undefined && !archive.success) {
    problems.push(`--from-archive ${archive.error.issues.map((i) => i.message).join("; ")} (got ${request.fromArchive})`);
  }
  if (problems.length > 0) throw new Error(problems.join("; "));

  // While a restore is under way the file says where the serving generation comes from.
  const underWay = environment.database.restoredFrom;
  const requested: RestoredFrom | undefined =
    request.fromArchive !== undefined ? { from: "archive", generation: environment.database.generation, archiveKey: request.fromArchive } : undefined;
  let source: RestoredFrom;
  if (underWay !== undefined) {
    const asked = request.fromArchive !== undefined ? "archive" : request.toTime !== undefined ? "point-in-time" : undefined;
    const differs =
      (asked !== undefined && asked !== underWay.from) ||
      (underWay.from === "point-in-time" && request.toTime !== undefined && Date.parse(request.toTime) !== Date.parse(underWay.restoreTime ?? "")) ||
      (underWay.from === "archive" && request.fromArchive !== undefined && request.fromArchive !== underWay.archiveKey);
    if (differs) {
      throw new Error(
        `environments/${region}.ts already restores database generation ${environment.database.generation} from ${describe(underWay)}: run without --to-time and --from-archive to go on with it, or finish it (retire-database, then remove database.restoredFrom) first`,
      );
    }
    source = underWay;
  } else {
    source = requested ?? { from: "point-in-time", generation: environment.database.generation, restoreTime: request.toTime };
  }
  const old = source.generation;
  const next = underWay !== undefined ? environment.database.generation : environment.database.generation + 1;
  const oldName = databaseIdentifier(environment.project, region, old);
  const newName = databaseIdentifier(environment.project, region, next);
  const application = stackId("application", region);
  const workloads = standingGenerations(environment.kubernetes).map((g) => stackId("workloads", region, g));
  const replication = environment.role === "recovery" ? stackId("replication", region) : undefined;
  for (const id of [application, ...workloads, ...(replication ? [replication] : [])]) {
    if (!(id in manifest.stacks)) throw new Error(`manifest.json has no stack ${id}; synthesize again`);
  }
  const file = `environments/${region}.ts`;
  const describeRds = (identifier: string, query: string) =>
    `aws rds describe-db-instances --region ${region} --db-instance-identifier ${identifier} --query '${query}' --output text`;

  const { steps, step } = stepSequence();
  step({
    id: "declare",
    title: `Declare the database ${oldName} unusable: generation ${next} (${newName}) is restored beside it from ${describe(source)}`,
    kind: "gate",
    commands: [`${describeRds(oldName, "DBInstances[0].[DBInstanceStatus,LatestRestorableTime]")}   # what it says, if it answers`],
    note: "A person decides, and decides the time: writes after it are not in the new generation. The cluster, the broker and the site's record stay as they are.",
  });
  step({
    id: "generation",
    title: `Raise the database generation in ${file}: database.generation ${next}, database.restoredFrom ${restoredFromText(source)}`,
    kind: "gate",
    commands: [`grep -n -A1 "generation\\|restoredFrom" ${file}   # generation: ${next}, restoredFrom: ${restoredFromText(source)}`],
    note: `Already done when the file says so. The logs key and the IAM policies admit ${newName} already: the restore writes no IAM and no key policy.`,
  });
  step({ id: "synth", title: `Synthesize every stack (${application} now holds ${newName})`, kind: "check", commands: ["npx cdktf synth"] });
  const tf = (args: string) => `terraform -chdir=cdktf.out/stacks/${application} ${args}`;
  const oldAddresses = addressPattern(old);
  step({
    id: "release",
    title: `Take ${oldName} out of ${application}'s state: it stays, stopped and protected, outside Terraform (nothing is destroyed)`,
    kind: "check",
    commands: [`${tf("init -input=false")} && ${tf("state list")} | grep -E '${oldAddresses}' | xargs -r ${tf("state rm")}`],
    note: `Only generation ${old}'s addresses (its instance and log groups): a rerun finds nothing to remove. Without it the deploy below would have to destroy ${oldName}, which prevent_destroy refuses.`,
  });
  step({
    id: "gate",
    title: `Gate: ${application}'s plan keeps every stateful resource (${oldName} is out of its state, ${newName} is only created)`,
    kind: "check",
    commands: [drCommand("plan-gate", application)],
    note: `Fails, and nothing is applied, when the plan would delete or replace a database, bucket, broker or key (for example ${oldName}, had the release above not run): stop there.`,
  });
  step({
    id: deployStepId(application),
    title:
      source.from === "archive"
        ? `Deploy ${application}: ${newName} is created empty (the archive is loaded next); the backup replication follows it`
        : `Deploy ${application}: ${newName} is restored from ${oldName}'s automated backups ${source.restoreTime ? `to ${source.restoreTime}` : "to its latest restorable time"}; the backup replication follows it`,
    kind: "deploy",
    stack: application,
    commands: [deployCommand(application)],
    note: "The replication of the automated backups is replaced with the instance (replace_triggered_by its resource id): the next recovery restores the new generation's backups.",
  });
  const url = connectionUrl(environment, newName, describeRds);
  if (source.from === "archive") {
    // verify-backup reads the primary's archives in the region its recovery lives in (a recovery's own region).
    const archiveRegion = environment.role === "recovery" ? region : environment.drRegion;
    step({
      id: "check",
      title: `Load ${source.archiveKey} into ${newName} and check it: its sha256, every table's rows and checksum against the archive's manifest`,
      kind: "check",
      commands: [`${drCommand("verify-backup", archiveRegion, "--archive", source.archiveKey)} --target "${url}"`],
      note: "From a host that reaches the database (inside the VPC or peered): it is private.",
    });
  } else {
    step({
      id: "check",
      title: `Check ${newName}: every table's rows and checksum (the verify-backup checks) are read and kept as the restore's evidence`,
      kind: "check",
      commands: [
        `psql "${url}" -X -A -t -v ON_ERROR_STOP=1 -f backup/table-checksums.sql > ${newName}-tables.txt && test -s ${newName}-tables.txt && cat ${newName}-tables.txt`,
      ],
      note: "From a host that reaches the database (inside the VPC or peered): it is private. No table, or no answer, fails the step: stop there.",
    });
  }
  for (const stack of workloads) {
    step({
      id: deployStepId(stack),
      title: `Deploy ${stack}: cluster-vars name ${newName}'s host and master secret, the database credentials and users follow`,
      kind: "deploy",
      stack,
      commands: [deployCommand(stack)],
    });
  }
  step({
    id: "stop-old",
    title: `Stop ${oldName} (kept, deletion protection on, until retire-database)`,
    kind: "check",
    commands: [
      `[ "$(${describeRds(oldName, "DBInstances[0].DBInstanceStatus")})" != available ] || aws rds stop-db-instance --region ${region} --db-instance-identifier ${oldName} --query DBInstance.DBInstanceStatus --output text`,
    ],
    note: "RDS starts a stopped instance again after seven days: stop it again if it is kept longer.",
  });
  step({ ...siteSmokeCheck(environment), after: ["stop-old"] });
  if (replication) {
    step({
      id: deployStepId(replication),
      title: `Deploy ${replication} (not needed to serve: ${newName}'s backups replicated into ${environment.drRegion}, for the next outage)`,
      kind: "deploy",
      stack: replication,
      commands: [deployCommand(replication)],
      phase: "after-serving",
      after: ["smoke"],
      note: `It names ${newName}'s ARN: its replication of ${oldName} is replaced.`,
    });
  }
  const retire = step({
    id: "retire",
    title: `Retire generation ${old} (${oldName}): retire-database lists what it deletes`,
    kind: "gate",
    commands: [drCommand("retire-database", region, "--generation", String(old))],
    phase: "after-serving",
    after: ["smoke"],
    note: "The operator's word: once the new generation has served for as long as they want to keep the old one to go back to.",
  });
  step({
    id: "delete",
    title: `Delete ${oldName}: deletion protection off, a final snapshot ${oldName}-final, then the instance`,
    kind: "check",
    commands: [
      `[ "$(${describeRds(oldName, "DBInstances[0].DBInstanceStatus")})" != stopped ] || (aws rds start-db-instance --region ${region} --db-instance-identifier ${oldName} --query DBInstance.DBInstanceStatus --output text && aws rds wait db-instance-available --region ${region} --db-instance-identifier ${oldName})`,
      drCommand("retire-database", region, "--generation", String(old), "--yes"),
    ],
    note: "RDS modifies and deletes an available instance only: a stopped one is started first.",
    after: [retire.id],
    phase: "after-serving",
  });
  step({
    id: "forget",
    title: `Remove database.restoredFrom from ${file}`,
    kind: "gate",
    commands: [`grep -n "restoredFrom" ${file}   # no line: generation ${next} stands alone`],
    phase: "after-serving",
    note: `Then synthesize: ${application} plans no change for ${newName} (its restore arguments are ignored).`,
  });
  return {
    region,
    scenario: "database",
    preparation: [],
    steps,
    manualSteps: steps.filter((s) => s.kind === "gate").length,
    // Once the file says where the generation comes from, the command needs nothing more.
    runOptions:
      underWay !== undefined
        ? []
        : source.from === "archive"
          ? ["--from-archive", source.archiveKey]
          : source.restoreTime
            ? ["--to-time", source.restoreTime]
            : [],
    notNeeded: [
      `Creating the users by hand: ${workloads.join(", ")} apply the database credentials and users from the new generation's master secret.`,
      `A DNS or load balancer change: only the database's host name changes, and the workloads read it from cluster-vars.`,
      `An IAM or key policy change: the logs key and the pod identity roles admit generation ${next} already (prepared in peacetime).`,
    ],
  };
}

/** Where a generation comes from, in words. */
function describe(source: RestoredFrom): string {
  return source.from === "archive"
    ? `the archive ${source.archiveKey}`
    : `generation ${source.generation}'s automated backups (${source.restoreTime ?? "latest restorable time"})`;
}

/** `database.restoredFrom` as it is written in the environment file. */
function restoredFromText(source: RestoredFrom): string {
  return source.from === "archive"
    ? `{ from: "archive", generation: ${source.generation}, archiveKey: "${source.archiveKey}" }`
    : `{ from: "point-in-time", generation: ${source.generation}${source.restoreTime ? `, restoreTime: "${source.restoreTime}"` : ""} }`;
}

/** The state addresses of one generation's instance and log groups (PostgresDatabase's ids, `database` in the application stack). */
function addressPattern(generation: number): string {
  const suffix = generationSuffix(generation);
  return `^(aws_db_instance\\.database_resource${suffix}_|aws_cloudwatch_log_group\\.database_log-(postgresql|upgrade)${suffix}_)`;
}

/**
 * A connection URL of a generation for psql and verify-backup, read when the step runs: its host,
 * and its master password from the secret RDS keeps (URL-encoded; never printed or stored).
 */
export function connectionUrl(environment: Environment, identifier: string, describeRds: (identifier: string, query: string) => string): string {
  const secret = `$(${describeRds(identifier, "DBInstances[0].MasterUserSecret.SecretArn")})`;
  const password = `$(aws secretsmanager get-secret-value --region ${environment.region} --secret-id ${secret} --query SecretString --output text | node -e 'process.stdout.write(encodeURIComponent(JSON.parse(require("fs").readFileSync(0, "utf8")).password))')`;
  const host = `$(${describeRds(identifier, "DBInstances[0].Endpoint.Address")})`;
  return `postgresql://${environment.database.username}:${password}@${host}:5432/${environment.database.databaseName}?sslmode=verify-full`;
}
