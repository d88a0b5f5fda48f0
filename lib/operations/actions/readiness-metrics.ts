import { PutMetricDataCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { READINESS_METRIC_NAMESPACE } from "../../naming";
import type { ReadinessDatum } from "../readiness/metrics";

/** PutMetricData takes at most this many data points per call. */
const PER_CALL = 1000;

/** Publishes the readiness data points into READINESS_METRIC_NAMESPACE (CloudWatch PutMetricData, in batches). */
export async function putReadinessMetrics(cloudwatch: CloudWatchClient, data: readonly ReadinessDatum[]): Promise<void> {
  for (let i = 0; i < data.length; i += PER_CALL) {
    const batch = data.slice(i, i + PER_CALL).map((d) => ({ ...d, Dimensions: d.Dimensions.map((x) => ({ ...x })) }));
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: READINESS_METRIC_NAMESPACE, MetricData: batch }));
  }
}
