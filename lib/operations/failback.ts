import { resolvePairs, servingClusterName, type PrimaryEnvironment, type RecoveryEnvironment } from "../environment";
import {
  databaseGenerationIdentifier,
  dbSnapshotArn,
  deployStackCommand,
  drCommand,
  failbackSnapshotIdentifier,
  fenceRecordKey,
  FLUX_WAIT_COMMAND,
  failoverSwitchCommand,
  fenceLiftCommands,
  failoverSwitchNames,
  fluxSuspendCommand,
  environmentNames,
  kubeconfigCommand,
  regionalNames,
  REPLICATION_RULE_ID,
  siteHost,
  stackId,
  staleDatabaseIdentifier,
} from "../naming";
import { warmStandbyFailback, type RecoveryAddresses } from "./failback-warm-standby";

/**
 * `failback <from> <to>`: the way back from a recovery region to the original primary once the
 * latter answers again and is fenced (`fence <to>`). A generated procedure with real values,
 * like the runbook: what can be automated is a command (`npx dr-platform ...` or `aws ...`), the rest
 * an exact manual step. Writes made in the recovery during the outage are carried back, none lost:
 * the assets by `failback-copy-assets` (with its completion check), the database by a snapshot of
 * the recovered instance copied to the original region and restored there as a new generation (a
 * warm standby's: by reverse replication, failback-warm-standby.ts).
 */

export interface FailbackStep {
  readonly title: string;
  readonly commands: readonly string[];
  /** True when a person has to act or judge; false for a command that checks or does the work itself. */
  readonly manual: boolean;
  readonly note?: string;
}

export interface Failback {
  readonly from: string;
  readonly to: string;
  readonly steps: readonly FailbackStep[];
  readonly manualSteps: number;
}

export interface FailbackOptions {
  /** Suffix of the snapshots and of the stale database's new name (digits: RDS identifiers allow no other punctuation than -). */
  readonly stamp: string;
  /**
   * Generation of the database restored in the original region.
   * @default 2
   */
  readonly generation?: number;
  /** Terraform address of the database in the original region's application stack (`aws_db_instance.<id>`). */
  readonly databaseResourceAddress: string;
  /**
   * Terraform address of the replication of the database's automated backups in that stack
   * (`aws_db_instance_automated_backups_replication.<id>`): the hand-over stops it for the stale
   * instance, and the application deploy starts it for the adopted one.
   * @default - the stack replicates no backups: nothing to re-point
   */
  readonly backupReplicationAddress?: string;
  /**
   * Terraform addresses in the recovery's stacks (its database, its backups' replication): a warm
   * standby's failback stops the replication and moves its promoted instance out of the state
   * before a new read replica takes its name.
   * @default - required for a warm standby's failback only
   */
  readonly recoveryAddresses?: RecoveryAddresses;
}

/** The stamp `failback` uses when none is given: UTC minutes, digits only (YYYYMMDDHHMM). */
export function failbackStamp(now: Date): string {
  return now.toISOString().slice(0, 16).replace(/[-T:]/g, "");
}

/** Checks the pair: `from` must be the recovery of `to`. */
export function checkFailbackPair(
  from: string,
  to: string,
  environments: readonly (PrimaryEnvironment | RecoveryEnvironment)[],
): { recovery: RecoveryEnvironment; primary: PrimaryEnvironment } {
  const recoveries = resolvePairs(environments).filter((s) => s.role === "recovery");
  const side = recoveries.find((s) => s.environment.region === from && s.primary.region === to);
  if (!side) {
    const known = recoveries.map((s) => `${s.environment.region} -> ${s.primary.region}`).join(", ") || "none";
    throw new Error(`failback goes from a recovery region to the primary it recovers (got ${from} -> ${to}; known: ${known})`);
  }
  return { recovery: side.environment, primary: side.primary };
}

export function buildFailback(primary: PrimaryEnvironment, recovery: RecoveryEnvironment, options: FailbackOptions): Failback {
  if (!/^[0-9]{1,20}$/.test(options.stamp)) throw new Error(`failback: stamp must be 1 to 20 digits, e.g. 202611211530 (got ${JSON.stringify(options.stamp)})`);
  const generation = options.generation ?? 2;
  if (!Number.isInteger(generation) || generation < 2) throw new Error(`failback: generation must be a whole number >= 2 (got ${generation})`);
  const to = primary.region;
  const from = recovery.region;
  const assets = environmentNames({ ...primary, region: to });
  const primaryDb = regionalNames(primary.project, to).database;
  const recoveryDb = regionalNames(recovery.project, from).database;
  const newGeneration = databaseGenerationIdentifier(primaryDb, generation);
  const stale = staleDatabaseIdentifier(primaryDb, options.stamp);
  const recoverySnapshot = failbackSnapshotIdentifier(recoveryDb, options.stamp);
  const copiedSnapshot = failbackSnapshotIdentifier(primaryDb, options.stamp);
  const major = primary.database.engineVersion.split(".")[0];
  const archives = environmentNames({ ...recovery, region: from }).hostingServicesBucket;
  const recoveryLogin = kubeconfigCommand(from, servingClusterName(recovery));
  const primaryLogin = kubeconfigCommand(to, servingClusterName(primary));
  const workloads = stackId("workloads", to, primary.kubernetes.generation);
  const copyAssets = drCommand("failback-copy-assets", from, to);
  const waitDb = (region: string, id: string) => `aws rds wait db-instance-available --region ${region} --db-instance-identifier ${id}`;
  const rename = (id: string, next: string) =>
    `aws rds modify-db-instance --region ${to} --db-instance-identifier ${id} --new-db-instance-identifier ${next} --apply-immediately`;
  const restoreTime = recovery.database.restore.from === "primary-backups" ? recovery.database.restore.restoreTime : undefined;
  const pinned =
    recovery.database.restore.from === "snapshot"
      ? `{ from: "snapshot", snapshotIdentifier: "${recovery.database.restore.snapshotIdentifier}" }`
      : restoreTime
        ? `restoreTime "${restoreTime}"`
        : undefined;

  const steps: FailbackStep[] = [
    {
      title: `Check that ${to} is fenced: every action "already done" (else run it with --apply)`,
      commands: [drCommand("fence", to)],
      manual: false,
      note: `Its record is s3://${primary.state.bucket}/${fenceRecordKey(to)}. Nothing in ${to} writes from here until the fences are lifted.`,
    },
    {
      title: `Copy the assets written in ${from} during the outage back to ${assets.assetsBucket} (first pass, while ${from} still serves)`,
      commands: [`${copyAssets} --apply`],
      manual: false,
      note: `Copies from ${assets.drAssetsBucket} (the recovery's assets bucket, in ${from}) every object missing in ${to} or newer there; most of the data moves before the maintenance window.`,
    },
    {
      title: `Maintenance window: stop the writers in ${from} (drain the broker's queues first: messages in flight are not carried back)`,
      commands: [recoveryLogin, fluxSuspendCommand(true), "kubectl scale deployment,statefulset --all --replicas=0 -n <each application namespace>"],
      manual: true,
      note: `From here until DNS points at ${to}, the site is down; the writes below are final.`,
    },
    {
      title: `Copy the last assets and check that every object of ${assets.drAssetsBucket} is in ${assets.assetsBucket}`,
      commands: [`${copyAssets} --apply`, copyAssets],
      manual: false,
      note: "The second command only compares the listings (key, size, ETag) and exits 0 when nothing is left to copy.",
    },
    {
      title: `Snapshot the recovered database ${recoveryDb} in ${from}`,
      commands: [
        `aws rds create-db-snapshot --region ${from} --db-instance-identifier ${recoveryDb} --db-snapshot-identifier ${recoverySnapshot}`,
        `aws rds wait db-snapshot-available --region ${from} --db-snapshot-identifier ${recoverySnapshot}`,
      ],
      manual: false,
    },
    {
      title: `Copy the snapshot to ${to}`,
      commands: [
        `aws rds copy-db-snapshot --region ${to} --source-region ${from} --source-db-snapshot-identifier ${dbSnapshotArn(from, recovery.accountId, recoverySnapshot)} --target-db-snapshot-identifier ${copiedSnapshot} --kms-key-id ${regionalNames(primary.project, to).dataKeyAlias} --copy-tags`,
        `aws rds wait db-snapshot-available --region ${to} --db-snapshot-identifier ${copiedSnapshot}`,
      ],
      manual: false,
      note: `The instance is encrypted: a copy into another region is re-encrypted with a key of ${to}: the primary's data key (${regionalNames(primary.project, to).dataKeyAlias}), the key its stack declares, so that the adopted instance plans no replacement (kms_key_id forces one, which prevent_destroy refuses).`,
    },
    {
      title: `Restore it in ${to} as the new generation ${newGeneration}, beside the stale ${primaryDb}`,
      commands: [
        `aws rds restore-db-instance-from-db-snapshot --region ${to} --db-instance-identifier ${newGeneration} --db-snapshot-identifier ${copiedSnapshot} ` +
          `--db-instance-class ${primary.database.instanceClass} --db-subnet-group-name ${primaryDb} --db-parameter-group-name ${primaryDb}-postgres${major} ` +
          `--vpc-security-group-ids $(aws ec2 describe-security-groups --region ${to} --filters Name=group-name,Values=${primaryDb}-postgres --query 'SecurityGroups[0].GroupId' --output text) ` +
          `${primary.database.multiAz ? "--multi-az" : "--no-multi-az"} --no-publicly-accessible --deletion-protection --copy-tags-to-snapshot --manage-master-user-password`,
        waitDb(to, newGeneration),
      ],
      manual: false,
      note: "The stale instance keeps its name until the new generation is verified: going back is deleting the new one.",
    },
    {
      title: `Verify: every table of ${newGeneration} equals ${recoveryDb} (row count and checksum)`,
      commands: [
        `psql "host=$(aws rds describe-db-instances --region ${from} --db-instance-identifier ${recoveryDb} --query 'DBInstances[0].Endpoint.Address' --output text) dbname=${primary.database.databaseName} user=${primary.database.username} sslmode=verify-full" -X -A -t -f backup/table-checksums.sql > recovered.txt`,
        `psql "host=$(aws rds describe-db-instances --region ${to} --db-instance-identifier ${newGeneration} --query 'DBInstances[0].Endpoint.Address' --output text) dbname=${primary.database.databaseName} user=${primary.database.username} sslmode=verify-full" -X -A -t -f backup/table-checksums.sql > restored.txt`,
        "diff recovered.txt restored.txt && echo SAME",
      ],
      manual: true,
      note: `From a host inside the VPCs (the databases are private); PGPASSWORD from the master user secret (aws rds describe-db-instances ... --query 'DBInstances[0].MasterUserSecret.SecretArn'). Any difference: stop here.`,
    },
    {
      title: `Hand the identifier ${primaryDb} to the new generation and adopt it in ${stackId("application", to)}`,
      commands: [
        // Before the rename, while the replication's source ARN still names the stale instance: stopped by Terraform, the state follows.
        ...(options.backupReplicationAddress === undefined
          ? []
          : [
              `cd cdktf.out/stacks/${stackId("application", to)} && terraform init -input=false && terraform apply -destroy -auto-approve -input=false -target=${options.backupReplicationAddress}`,
            ]),
        `aws rds start-db-instance --region ${to} --db-instance-identifier ${primaryDb}`,
        waitDb(to, primaryDb),
        rename(primaryDb, stale),
        waitDb(to, stale),
        rename(newGeneration, primaryDb),
        waitDb(to, primaryDb),
        `cd cdktf.out/stacks/${stackId("application", to)} && terraform init && terraform state rm ${options.databaseResourceAddress} && terraform import ${options.databaseResourceAddress} ${primaryDb}`,
      ],
      manual: true,
      note:
        `RDS renames only an available instance, so the stale one starts for a moment (its workloads are at zero). The endpoint follows the identifier: ` +
        `the cluster's configuration stays right. ${stale} is outside Terraform from here: keep it stopped until the new generation has served a week, then delete it by hand.` +
        (options.backupReplicationAddress === undefined
          ? ""
          : ` The first line stops the replication of ${primaryDb}'s automated backups into ${primary.drRegion} (only ${options.backupReplicationAddress}: ` +
            `nothing else is planned, the replicated backups are kept for their retention period), while the name still means the stale instance; ` +
            `the application deploy below starts it for the adopted one (an import does not trigger replace_triggered_by).`),
    },
    {
      title: `Gate: ${stackId("application", to)}'s plan keeps every stateful resource (the adopted database is not replaced)`,
      commands: [drCommand("plan-gate", stackId("application", to))],
      manual: false,
      note:
        `Exit 1 lists each bucket, database, broker or key the plan would delete or replace, and what forces it (kms_key_id when the snapshot copy was not on ` +
        `${regionalNames(primary.project, to).dataKeyAlias}). Refused: stop here, the fences stay; nothing was applied. Its other changes are listed: ` +
        `the automated-backups replication is created for the adopted instance.`,
    },
    {
      title: `Re-import the broker definitions of ${from} (the newest export) into ${to}'s broker`,
      commands: [
        `DEFINITIONS_DIR=failback-definitions ARCHIVE_BUCKET=${archives} AWS_REGION=${recovery.drRegion} sh backup/broker-definitions.sh fetch`,
        `(umask 077; aws secretsmanager get-secret-value --region ${to} --secret-id ${regionalNames(primary.project, to).brokerUserSecret(primary.broker.adminUsername)} --query SecretString --output text > admin-password)`,
        `MANAGEMENT_URL=$(aws mq describe-broker --region ${to} --broker-id $(aws mq list-brokers --region ${to} --query "BrokerSummaries[?BrokerName=='${regionalNames(primary.project, to).broker}'].BrokerId" --output text) --query 'BrokerInstances[0].ConsoleURL' --output text) ` +
          `ADMIN_USERNAME=${primary.broker.adminUsername} ADMIN_PASSWORD_FILE=admin-password node backup/broker-definitions.js import failback-definitions/definitions.json; rm -f admin-password`,
      ],
      manual: true,
      note: `From inside ${to}'s VPC (the broker is private). The users keep ${to}'s passwords; the import replaces queues, exchanges, bindings and policies with the ones ${from} used.`,
    },
    {
      title: `Lift the fences of ${to}: the replication rule and the adopted database's configuration in the cluster, then Flux (it scales the workloads back from Git)`,
      commands: [deployStackCommand(stackId("application", to)), deployStackCommand(workloads), primaryLogin, ...fenceLiftCommands(), FLUX_WAIT_COMMAND],
      manual: false,
      note:
        `The application deploy re-enables "${REPLICATION_RULE_ID}" (its configuration says Enabled), finds the adopted database and re-points its backups ` +
        `replication to it (preflight proves it by DbiResourceId). ${workloads} is applied while Flux is still suspended: cluster-vars, the database ` +
        `credentials and the users carry the adopted instance's master secret before anything scales up. Workloads Git does not size: their replicas ` +
        `before the fence are in s3://${primary.state.bucket}/${fenceRecordKey(to)} (scaledWorkloads).`,
    },
    {
      title: `Return the site to ${to}: the operator sets the failover switch in ${from} back to the primary; Route 53 answers with ${to} once its health checks pass`,
      commands: [
        failoverSwitchCommand(primary.project, from, siteHost(primary.dns), "primary"),
        `aws cloudwatch describe-alarms --region ${from} --alarm-names ${failoverSwitchNames(primary.project, from, siteHost(primary.dns)).alarm} --query 'MetricAlarms[0].StateValue' --output text   # OK within a minute or two`,
        `dig +short ${siteHost(primary.dns)}`,
      ],
      manual: true,
      note: `Until this switch, the site stays on ${from} even while ${to}'s load balancer is healthy (its record requires the switch). A CloudWatch write in ${from}, no Route 53 write; the TTL passes before every client follows.`,
    },
    {
      title: "Smoke checks: the site answers from the original region, the workloads run",
      commands: [`curl -fsS -o /dev/null -w '%{http_code}\\n' https://${siteHost(primary.dns)}/`, "kubectl get deployments --all-namespaces"],
      manual: true,
    },
    {
      title: `Stand ${from} down: fence it (its database stops, its Flux stays suspended); its standby layer stays for the next outage`,
      commands: [drCommand("fence", from, "--apply")],
      manual: false,
      note: `Its stacks hold stateful resources (prevent_destroy): retire them by hand once the failback has held, never '*-${from}'.`,
    },
    {
      title: `Environment files: ${to} is the primary again`,
      commands: [
        `# environments/${to}.ts: no change: it never stopped being role "primary" (the failover deployed environments/${from}.ts) and its database keeps the identifier ${primaryDb}`,
        pinned
          ? `# environments/${from}.ts: remove database.restore (${pinned} was pinned for this outage) so the next recovery restores ${to}'s latest state`
          : `# environments/${from}.ts: no change: database.restore is the default (the latest state of ${to}'s replicated backups)`,
        drCommand("preflight", from, "--peacetime"),
      ],
      manual: !!pinned,
      note: `Preflight proves the recovery is armed again: the new generation's backups replicated into ${from}, the standby layer, the keys.`,
    },
  ];
  const ordered =
    recovery.tier === "warm-standby" ? warmStandbyFailback(steps, { primary, recovery, stamp: options.stamp, generation }, options.recoveryAddresses) : steps;
  return { from, to, steps: ordered, manualSteps: ordered.filter((s) => s.manual).length };
}

export function formatFailback(failback: Failback, format: "text" | "markdown"): string {
  const md = format === "markdown";
  const lines = [md ? `## Failback: ${failback.from} -> ${failback.to}` : `Failback: ${failback.from} -> ${failback.to}`, ""];
  failback.steps.forEach((step, i) => {
    const tag = step.manual ? "MANUAL" : "command";
    lines.push(md ? `${i}. **${step.title}** (${tag})` : `${i}. [${tag}] ${step.title}`);
    if (md) lines.push("   ```bash", ...step.commands.map((c) => `   ${c}`), "   ```");
    else lines.push(...step.commands.map((c) => `     $ ${c}`));
    if (step.note) lines.push(md ? `   ${step.note}` : `     ${step.note}`);
  });
  lines.push("", `${md ? "**" : ""}Manual steps remaining: ${failback.manualSteps}${md ? "**" : ""}`);
  return lines.join("\n");
}
