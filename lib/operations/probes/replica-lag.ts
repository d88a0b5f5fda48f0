import { GetMetricStatisticsCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { reading, type Reading } from "../aws/errors";

/** The newest ReplicaLag datapoint of a read replica: seconds behind its source, and when RDS measured it. */
export type ReplicaLag = { readonly measured: false } | { readonly measured: true; readonly seconds: number; readonly at: Date };

/** Minutes of CloudWatch history looked at: RDS publishes ReplicaLag every minute. */
export const REPLICA_LAG_WINDOW_MINUTES = 15;

/** CloudWatch GetMetricStatistics of AWS/RDS ReplicaLag (Maximum per minute) of one instance, in its region. */
export async function probeReplicaLag(cloudwatch: CloudWatchClient, identifier: string, region: string, now: Date): Promise<Reading<ReplicaLag>> {
  const read = await reading(`CloudWatch GetMetricStatistics AWS/RDS ReplicaLag of ${identifier}`, region, () =>
    cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: "AWS/RDS",
        MetricName: "ReplicaLag",
        Dimensions: [{ Name: "DBInstanceIdentifier", Value: identifier }],
        StartTime: new Date(now.getTime() - REPLICA_LAG_WINDOW_MINUTES * 60_000),
        EndTime: now,
        Period: 60,
        Statistics: ["Maximum"],
      }),
    ),
  );
  if (!read.ok) return read;
  const points = (read.value.Datapoints ?? []).filter((p) => p.Timestamp !== undefined && p.Maximum !== undefined);
  if (points.length === 0) return { ok: true, value: { measured: false } };
  const newest = points.reduce((a, b) => (a.Timestamp!.getTime() >= b.Timestamp!.getTime() ? a : b));
  return { ok: true, value: { measured: true, seconds: newest.Maximum!, at: newest.Timestamp! } };
}
