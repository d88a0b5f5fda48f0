import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { FailoverRecord } from "../../lib/constructs/failover-record";
import { FailoverSwitch } from "../../lib/constructs/failover-switch";
import { failoverSwitchCommand, failoverSwitchNames } from "../../lib/naming";
import { onlyResource, ref, resourceAt, resources, testStack, type StackJson } from "../support/synth";

const names = failoverSwitchNames("acme", "us-east-2", "www.example.com");

describe("FailoverSwitch", () => {
  const stack = testStack();
  const provider = new AwsProvider(stack, "recovery", { region: "us-east-2", alias: "recovery" });
  new FailoverSwitch(stack, "switch", { names, region: "us-east-2", alarmProvider: provider });
  const json: StackJson = JSON.parse(Testing.synth(stack));

  it("is an alarm in the recovery's region on the metric the operator publishes there, holding its state without data", () => {
    const alarm = onlyResource(json, "aws_cloudwatch_metric_alarm").config;
    expect(alarm).toEqual({
      provider: "aws.recovery",
      alarm_name: "acme-us-east-2-failover-switch",
      alarm_description: "Failover switch of www.example.com: in ALARM the primary is withdrawn (publish PrimaryWithdrawn=0 to give the site back)",
      namespace: "DR/Failover",
      metric_name: "PrimaryWithdrawn",
      dimensions: { Site: "www.example.com" },
      statistic: "Maximum",
      period: 60,
      evaluation_periods: 1,
      threshold: 1,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      treat_missing_data: "ignore",
    });
  });

  it("is followed by a Route 53 health check of that alarm, keeping its last status while the alarm has no data", () => {
    const alarm = onlyResource(json, "aws_cloudwatch_metric_alarm");
    expect(onlyResource(json, "aws_route53_health_check").config).toEqual({
      type: "CLOUDWATCH_METRIC",
      cloudwatch_alarm_name: ref("aws_cloudwatch_metric_alarm", alarm.id, "alarm_name"),
      cloudwatch_alarm_region: "us-east-2",
      insufficient_data_health_status: "LastKnownStatus",
      tags: { Name: "acme-us-east-2-failover-switch" },
    });
  });

  it("is flipped by a put-metric-data in the recovery's region: 1 withdraws the primary, 0 gives it back", () => {
    expect(failoverSwitchCommand("acme", "us-east-2", "www.example.com", "recovery")).toBe(
      "aws cloudwatch put-metric-data --region us-east-2 --namespace DR/Failover --metric-name PrimaryWithdrawn --dimensions Site=www.example.com --value 1",
    );
    expect(failoverSwitchCommand("acme", "us-east-2", "www.example.com", "primary")).toMatch(/ --value 0$/);
  });
});

describe("FailoverRecord with alsoRequires", () => {
  const target = { dnsName: "lb.example.com", zoneId: "Z1" };
  const base = { zoneId: "Z0", name: "www.example.com", failover: "PRIMARY" as const, setIdentifier: "us-east-1", target };

  it("answers to a calculated health check that requires the load balancer's check and every switch", () => {
    const stack = testStack();
    new FailoverRecord(stack, "record", { ...base, healthCheck: { path: "/healthz", name: "acme-us-east-1-site" }, alsoRequires: ["hc-switch"] });
    const json: StackJson = JSON.parse(Testing.synth(stack));
    const lb = resourceAt(json, "aws_route53_health_check", "record/health-check");
    const required = resourceAt(json, "aws_route53_health_check", "record/required");
    expect(required.config).toEqual({
      type: "CALCULATED",
      child_healthchecks: [ref("aws_route53_health_check", lb.id, "id"), "hc-switch"],
      child_health_threshold: 2,
      tags: { Name: "acme-us-east-1-site-required" },
    });
    expect(onlyResource(json, "aws_route53_record").config.health_check_id).toBe(ref("aws_route53_health_check", required.id, "id"));
  });

  it("answers to the load balancer's check alone without alsoRequires", () => {
    const stack = testStack();
    new FailoverRecord(stack, "record", { ...base, healthCheck: { path: "/healthz", name: "acme-us-east-1-site" } });
    const json: StackJson = JSON.parse(Testing.synth(stack));
    expect(Object.keys(resources(json, "aws_route53_health_check"))).toHaveLength(1);
    const lb = onlyResource(json, "aws_route53_health_check");
    expect(onlyResource(json, "aws_route53_record").config.health_check_id).toBe(ref("aws_route53_health_check", lb.id, "id"));
  });

  it("refuses alsoRequires without the load balancer's health check", () => {
    expect(() => new FailoverRecord(testStack(), "record", { ...base, alsoRequires: ["hc-switch"] })).toThrow(/FailoverRecord: alsoRequires needs healthCheck/);
  });
});
