import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import type { FailoverSwitchNames } from "../naming";

export interface FailoverSwitchProps {
  /** The alarm, its metric and the health check's Name tag (`failoverSwitchNames`). */
  readonly names: FailoverSwitchNames;
  /** The region the alarm and its metric live in: one that survives the primary's outage (the recovery's). */
  readonly region: string;
  /**
   * Provider of `region` (the alarm is regional; the health check is global).
   * @default - the stack's default provider, which must then be in `region`
   */
  readonly alarmProvider?: TerraformProvider;
}

/**
 * The operator's failover decision, made in peacetime and flipped without a Route 53 write: a
 * CloudWatch alarm on a metric published in a surviving region, and a Route 53 health check that
 * follows the alarm (unhealthy while it is in ALARM). The primary's failover record requires this
 * health check beside its load balancer's, so once the switch is set to the recovery the site does
 * not move back by itself when the primary's load balancer answers again.
 */
export class FailoverSwitch extends Construct {
  public readonly alarm: CloudwatchMetricAlarm;
  public readonly healthCheck: Route53HealthCheck;
  public readonly healthCheckId: string;

  constructor(scope: Construct, id: string, props: FailoverSwitchProps) {
    super(scope, id);
    const { names } = props;
    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      provider: props.alarmProvider,
      alarmName: names.alarm,
      alarmDescription: `Failover switch of ${names.dimension.value}: in ALARM the primary is withdrawn (publish ${names.metric}=0 to give the site back)`,
      namespace: names.namespace,
      metricName: names.metric,
      dimensions: { [names.dimension.name]: names.dimension.value },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      // The switch holds its position between two flips: no data keeps the alarm's state.
      treatMissingData: "ignore",
    });
    this.healthCheck = new Route53HealthCheck(this, "health-check", {
      type: "CLOUDWATCH_METRIC",
      cloudwatchAlarmName: this.alarm.alarmName,
      cloudwatchAlarmRegion: props.region,
      // Never flipped (or its region dark): the last position holds; a new switch starts healthy.
      insufficientDataHealthStatus: "LastKnownStatus",
      tags: { Name: names.alarm },
    });
    this.healthCheckId = this.healthCheck.id;
  }
}
