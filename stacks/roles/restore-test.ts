import type { Construct } from "constructs";
import { PointInTimeRestoreTestJob, RestoreTestJob, type IEncryptedBucket, type PostgresDatabase } from "../../lib/constructs";
import type { Environment } from "../../lib/environment";
import type { ImageRegistry } from "../../lib/kubernetes";
import { clusterArn, clusterName, environmentNames, pointInTimeRestoreTestNames, restoreTestNames } from "../../lib/naming";

/** CloudWatch evaluates an alarm over 7 days at most. */
const MAX_ALARM_DAYS = 7;

/**
 * The scheduled restore tests (`backups.restoreTest`) of a primary, in its workloads stack beside
 * the archive job: the archives' (always) and the RDS backups' (`pointInTime`, opt-in). The
 * backups are tested where they are made; a recovery restores them for real, so it gets none.
 */
export function addRestoreTest(
  scope: Construct,
  env: Environment,
  context: {
    readonly namespace: string;
    readonly registry: ImageRegistry;
    /** The application stack's archive bucket and database. */
    readonly application: { readonly hostingServices: IEncryptedBucket; readonly database: PostgresDatabase };
    readonly generation: number;
  },
): { readonly archives: RestoreTestJob; readonly pointInTime?: PointInTimeRestoreTestJob } | undefined {
  if (env.role !== "primary") return undefined;
  const { pointInTime: pitr, ...restoreTest } = env.backups.restoreTest;
  const names = restoreTestNames(env.project, env.region, context.generation);
  const cluster = clusterName(env.project, env.region, context.generation);
  const common = {
    namespace: context.namespace,
    bucket: context.application.hostingServices,
    cluster: { name: cluster, arn: clusterArn(env.region, env.accountId, cluster), accountId: env.accountId },
    environmentDimension: names.dimension.Environment,
    registry: context.registry,
  };
  const roles = environmentNames(env, context.generation);
  const archives = new RestoreTestJob(scope, "restore-test", {
    ...common,
    name: names.cronJob,
    ...restoreTest,
    roleName: roles.restoreTestRole,
    alarmRegion: env.region,
    alarmNames: { failed: names.failedAlarm, overdue: names.overdueAlarm },
    overdueDays: Math.min(MAX_ALARM_DAYS, env.recoveryObjectives.restoreTestDays),
  });
  if (pitr === undefined) return { archives };
  const database = context.application.database;
  const pitrNames = pointInTimeRestoreTestNames(env.project, env.region, database.identifier, context.generation);
  const pointInTime = new PointInTimeRestoreTestJob(scope, "pitr-restore-test", {
    ...common,
    name: pitrNames.cronJob,
    schedule: pitr.schedule,
    restoreMinutesTarget: pitr.restoreMinutesTarget,
    // No restore point before the backups' retention.
    windowDays: Math.min(restoreTest.windowDays, env.database.backupRetentionDays),
    instanceClass: pitr.instanceClass ?? env.database.instanceClass,
    database: {
      identifier: database.identifier,
      region: env.region,
      accountId: env.accountId,
      subnetGroupName: database.subnetGroupName,
      parameterGroupName: database.parameterGroupName,
      securityGroupIds: [database.securityGroup.id],
      kmsKeyArn: database.kmsKeyArn,
    },
    instancePrefix: pitrNames.instancePrefix,
    roleName: roles.pointInTimeRestoreTestRole,
    alarmName: pitrNames.failedAlarm,
  });
  return { archives, pointInTime };
}
