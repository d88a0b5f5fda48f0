import type { Construct } from "constructs";
import { RestoreTestJob, type IEncryptedBucket } from "../../lib/constructs";
import type { Environment } from "../../lib/environment";
import type { ImageRegistry } from "../../lib/kubernetes";
import { clusterArn, clusterName, globalNames, restoreTestNames } from "../../lib/naming";

/** CloudWatch evaluates an alarm over 7 days at most. */
const MAX_ALARM_DAYS = 7;

/**
 * The scheduled restore test (`backups.restoreTest`) of a primary's archives, in its workloads
 * stack beside the archive job: the archives are tested where they are made; a recovery restores
 * them for real, so it gets none (undefined).
 */
export function addRestoreTest(
  scope: Construct,
  env: Environment,
  context: { readonly namespace: string; readonly registry: ImageRegistry; readonly bucket: IEncryptedBucket; readonly generation: number },
): RestoreTestJob | undefined {
  if (env.role !== "primary") return undefined;
  const names = restoreTestNames(env.project, env.region, context.generation);
  const cluster = clusterName(env.project, env.region, context.generation);
  return new RestoreTestJob(scope, "restore-test", {
    namespace: context.namespace,
    name: names.cronJob,
    ...env.backups.restoreTest,
    bucket: context.bucket,
    cluster: { name: cluster, arn: clusterArn(env.region, env.accountId, cluster), accountId: env.accountId },
    roleName: globalNames(env.project, env.region, context.generation).restoreTestRole,
    alarmNames: { failed: names.failedAlarm, overdue: names.overdueAlarm },
    environmentDimension: names.dimension.Environment,
    overdueDays: Math.min(MAX_ALARM_DAYS, env.recoveryObjectives.restoreTestDays),
    registry: context.registry,
  });
}
