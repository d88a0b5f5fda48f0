import { ListHealthChecksCommand, ListResourceRecordSetsCommand, ListHostedZonesCommand } from "@aws-sdk/client-route-53";
import { failoverSwitchCommand, failoverSwitchNames } from "../../../lib/naming";
import { awsCliSwitchAccess } from "../../../lib/operations/switch-access";
import { EMULATOR_CREDENTIALS } from "../../support/aws";
import { PRIMARY, RECOVERY, type Drill } from "./context";

/**
 * The failover switch (issue 25 item 5, drill 6(c)'s "the site does not return before the
 * operator's switch"): recover set it to the recovery; the primary is back and fenced; the primary's
 * record still requires the switch, which stays at the recovery until the operator flips it with
 * failback's command, a CloudWatch write in the recovery's region that the fault layer counts: no
 * Route 53 write. The emulator evaluates neither alarms nor health checks: the drill shows the
 * deployed wiring and the switch's position, Route 53's behaviour is AWS's.
 */
export function failoverSwitch(drill: Drill): void {
  const names = failoverSwitchNames("acme", RECOVERY, "example.com");
  const cli = () =>
    awsCliSwitchAccess(
      { endpoint: drill.proxy.endpoint, credentials: EMULATOR_CREDENTIALS },
      { env: { ...process.env, AWS_CA_BUNDLE: drill.emulator.caFile } },
    );
  const lastValue = async () => {
    const read = await cli().aws([
      "cloudwatch",
      "get-metric-statistics",
      "--region",
      RECOVERY,
      "--namespace",
      names.namespace,
      "--metric-name",
      names.metric,
      "--dimensions",
      `Name=${names.dimension.name},Value=${names.dimension.value}`,
      "--start-time",
      new Date(Date.now() - 6 * 3600_000).toISOString(),
      "--end-time",
      new Date(Date.now() + 60_000).toISOString(),
      "--period",
      "60",
      "--statistics",
      "Maximum",
      "--output",
      "json",
    ]);
    expect(read.status).toBe(0);
    // The CLI prints Timestamp as an ISO string or as epoch seconds, by its configuration: compare as times.
    const points = (JSON.parse(read.stdout) as { Datapoints: { Timestamp: string | number; Maximum: number }[] }).Datapoints;
    const at = (t: string | number) => (typeof t === "number" ? t * 1000 : Date.parse(t));
    return points.sort((a, b) => at(a.Timestamp) - at(b.Timestamp)).at(-1)?.Maximum;
  };

  it("the primary's record answers to a check that requires the switch's health check, and the switch still withdraws it", async () => {
    const route53 = drill.direct(PRIMARY).route53;
    const zone = (await route53.send(new ListHostedZonesCommand({}))).HostedZones!.find((z) => z.Name === "example.com.")!;
    const records = (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id }))).ResourceRecordSets!;
    const primaryRecord = records.find((r) => r.SetIdentifier === PRIMARY)!;
    const checks = (await route53.send(new ListHealthChecksCommand({}))).HealthChecks!;
    const required = checks.find((c) => c.Id === primaryRecord.HealthCheckId)!;
    expect(required.HealthCheckConfig!.Type).toBe("CALCULATED");
    const children = required.HealthCheckConfig!.ChildHealthChecks ?? [];
    expect(children.map((id) => checks.find((c) => c.Id === id)!.HealthCheckConfig!.Type).sort()).toEqual(["CLOUDWATCH_METRIC", "HTTPS"]);
    // Set by recover (its switch step), untouched by the failback so far: the site stays on us-east-2.
    expect(await lastValue()).toBe(1);
  });

  it("the operator's switch back is failback's printed command: a CloudWatch write in us-east-2, no Route 53 write", async () => {
    const before = drill.proxy.calls().length;
    const [, ...args] = failoverSwitchCommand("acme", RECOVERY, "example.com", "primary").split(" ");
    const flipped = await cli().aws(args);
    expect({ status: flipped.status, stderr: flipped.stderr }).toEqual({ status: 0, stderr: "" });
    const calls = drill.proxy.calls().slice(before);
    expect(calls.map((c) => `${c.region} ${c.service} ${c.action}`)).toEqual([`${RECOVERY} monitoring PutMetricData`]);
    expect(await lastValue()).toBe(0);
    drill.report.push(`  failover switch: flipped back with ${calls.length} call (CloudWatch in ${RECOVERY}), 0 Route 53 writes`);
  });
}
