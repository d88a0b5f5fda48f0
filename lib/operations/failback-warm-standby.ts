import { servingClusterName, type PrimaryEnvironment, type RecoveryEnvironment } from "../environment";
import { databaseArn, databaseGenerationIdentifier, deployStackCommand, regionalNames, stackId, staleDatabaseIdentifier } from "../naming";
import type { FailbackStep } from "./failback";

/**
 * The database part of a warm standby's failback: reverse replication instead of a snapshot. The
 * primary's new generation is a cross-Region read replica of the promoted database, made while the
 * recovery still serves, so that it holds nearly everything before the maintenance window; in the
 * window it catches up, is checked and promoted. Once the site is back, the warm standby is armed
 * again: its promoted instance steps aside and a new read replica of the primary takes its name.
 */

/** Terraform addresses in the recovery's stacks: its database (application) and its backups' replication (replication). */
export interface RecoveryAddresses {
  readonly database: string;
  readonly backupReplication: string;
}

/** What both parts need: the pair, the stamp, the new generation and the instances' names. */
export interface ReverseReplication {
  readonly primary: PrimaryEnvironment;
  readonly recovery: RecoveryEnvironment;
  readonly stamp: string;
  readonly generation: number;
}

const waitDb = (region: string, id: string) => `aws rds wait db-instance-available --region ${region} --db-instance-identifier ${id}`;

/** Before the maintenance window: the primary's new generation as a read replica of the promoted database. */
export function reverseReplicaStep({ primary, recovery, generation }: ReverseReplication): FailbackStep {
  const to = primary.region;
  const from = recovery.region;
  const primaryDb = regionalNames(primary.project, to).database;
  const recoveryDb = regionalNames(recovery.project, from).database;
  const newGeneration = databaseGenerationIdentifier(primaryDb, generation);
  const major = primary.database.engineVersion.split(".")[0];
  return {
    title: `Rebuild ${to}'s database as a cross-Region read replica of ${recoveryDb} (reverse replication): the new generation ${newGeneration}, catching up while ${from} still serves`,
    commands: [
      `aws rds create-db-instance-read-replica --region ${to} --source-region ${from} --db-instance-identifier ${newGeneration} ` +
        `--source-db-instance-identifier ${databaseArn(from, recovery.accountId, recoveryDb)} --kms-key-id ${regionalNames(primary.project, to).dataKeyAlias} ` +
        `--db-instance-class ${primary.database.instanceClass} --db-subnet-group-name ${primaryDb} --db-parameter-group-name ${primaryDb}-postgres${major} ` +
        `--vpc-security-group-ids $(aws ec2 describe-security-groups --region ${to} --filters Name=group-name,Values=${primaryDb}-postgres --query 'SecurityGroups[0].GroupId' --output text) ` +
        `${primary.database.multiAz ? "--multi-az" : "--no-multi-az"} --no-publicly-accessible --deletion-protection --copy-tags-to-snapshot`,
      waitDb(to, newGeneration),
    ],
    manual: false,
    note:
      `Encrypted with the primary's data key (${regionalNames(primary.project, to).dataKeyAlias}), the key its stack declares, so that the adopted instance ` +
      `plans no replacement. RDS streams ${recoveryDb}'s changes from here on: the window below waits only for the last ones. The stale ${primaryDb} keeps its name until the new generation is verified.`,
  };
}

/** In the window, the writers stopped: the replica has caught up; it is checked, then promoted with a secret of its own. */
export function promoteReverseReplicaSteps({ primary, recovery, generation }: ReverseReplication, verify: FailbackStep): FailbackStep[] {
  const to = primary.region;
  const newGeneration = databaseGenerationIdentifier(regionalNames(primary.project, to).database, generation);
  const instance = `--region ${to} --db-instance-identifier ${newGeneration}`;
  return [
    {
      title: `Wait until ${newGeneration} has replayed the last writes of ${recovery.region} (ReplicaLag 0)`,
      commands: [
        `aws cloudwatch get-metric-statistics --region ${to} --namespace AWS/RDS --metric-name ReplicaLag --dimensions Name=DBInstanceIdentifier,Value=${newGeneration} --statistics Maximum --period 60 --start-time $(date -u -d '-5 min' +%Y-%m-%dT%H:%M:%SZ) --end-time $(date -u +%Y-%m-%dT%H:%M:%SZ)`,
      ],
      manual: true,
      note: "The writers stopped at the window's start: the lag falls to 0 within a minute or two. Then the checksums below compare two databases that no longer move.",
    },
    verify,
    {
      title: `Promote ${newGeneration}: it stops following ${recovery.region} and gets a master-user secret of its own`,
      commands: [
        `aws rds promote-read-replica ${instance} --backup-retention-period ${primary.database.backupRetentionDays}`,
        waitDb(to, newGeneration),
        `aws rds modify-db-instance ${instance} --manage-master-user-password --apply-immediately`,
        waitDb(to, newGeneration),
      ],
      manual: false,
      note: `Irreversible: from here ${to}'s new generation is a database of its own; ${recovery.region}'s takes no writes (its writers are stopped).`,
    },
  ];
}

/**
 * After the site is back: the warm standby armed again. The promoted instance of the recovery is
 * renamed aside and leaves its stack's state; the application deploy makes a new read replica of
 * the primary under the standing name; the workloads go back to zero and the node groups to one node.
 */
export function rearmWarmStandbyStep({ recovery, stamp }: ReverseReplication, addresses: RecoveryAddresses): FailbackStep {
  const from = recovery.region;
  const recoveryDb = regionalNames(recovery.project, from).database;
  const stale = staleDatabaseIdentifier(recoveryDb, stamp);
  const application = stackId("application", from);
  const replication = stackId("replication", from);
  const cluster = servingClusterName(recovery);
  const chdir = (stack: string) => `terraform -chdir=cdktf.out/stacks/${stack}`;
  return {
    title: `Arm the warm standby again: ${recoveryDb} steps aside as ${stale}, and a new read replica of ${recovery.recoveryOf}'s database takes its name`,
    commands: [
      // The promoted instance's backups stop being replicated (a replica's cannot be): that resource only, the stack's key stays for the next promotion.
      `${chdir(replication)} init -input=false && ${chdir(replication)} apply -destroy -auto-approve -input=false -target=${addresses.backupReplication}`,
      `aws rds modify-db-instance --region ${from} --db-instance-identifier ${recoveryDb} --new-db-instance-identifier ${stale} --apply-immediately`,
      waitDb(from, stale),
      // -chdir, not cd: the deploys below run from the project folder.
      `${chdir(application)} init -input=false && ${chdir(application)} state rm ${addresses.database}`,
      deployStackCommand(application),
      deployStackCommand(stackId("workloads", from, recovery.kubernetes.generation)),
      ...recovery.kubernetes.nodeGroups.map(
        (group) =>
          `aws eks update-nodegroup-config --region ${from} --cluster-name ${cluster} --nodegroup-name ${group.name} --scaling-config minSize=1,maxSize=${group.maxSize},desiredSize=1`,
      ),
      `aws rds stop-db-instance --region ${from} --db-instance-identifier ${stale}`,
    ],
    manual: true,
    note:
      `The first line leaves ${replication} its key (prevent_destroy): the day of the next outage deploys it again for the promoted instance. The application deploy creates the replica (its configuration never changed: a read replica of ${recovery.recoveryOf}'s serving instance, whose identifier the new generation took back); ` +
      `the workloads deploy puts WORKLOAD_REPLICAS back to "0" (the new replica has no secret). ${stale} is outside Terraform from here: keep it stopped until the failback has held a week, then delete it by hand.`,
  };
}

/**
 * A warm standby's failback from the snapshot-based one's steps (failback.ts, in its order): the
 * snapshot, its copy and its restore give way to a replica made before the window and promoted in
 * it, and the stand-down arms the warm standby again.
 */
export function warmStandbyFailback(steps: readonly FailbackStep[], reverse: ReverseReplication, addresses: RecoveryAddresses | undefined): FailbackStep[] {
  if (steps.length !== 16) throw new Error(`warmStandbyFailback: expected the 16 steps of failback.ts (got ${steps.length})`);
  if (addresses === undefined) throw new Error("failback: a warm standby's failback needs recoveryAddresses (its database and its backups' replication)");
  const [fence, copyFirst, window, copyLast, , , , verify, handOver, gate, broker, lift, site, smoke, , files] = steps;
  return [
    ...[fence, copyFirst, reverseReplicaStep(reverse), window, copyLast, ...promoteReverseReplicaSteps(reverse, verify)],
    ...[handOver, gate, broker, lift, site, smoke, rearmWarmStandbyStep(reverse, addresses), files],
  ];
}
