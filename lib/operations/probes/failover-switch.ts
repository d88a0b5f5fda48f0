import type { FailoverSwitchNames } from "../../naming";
import { lastLine } from "../kubectl";
import type { SwitchAccess } from "../switch-access";

/** The switch's alarm state (`ALARM`: the primary is withdrawn); `problem` when CloudWatch did not answer. */
export type SwitchState = { readonly read: false; readonly problem: string } | { readonly read: true; readonly state: string };

/** CloudWatch DescribeAlarms of the switch's alarm, in its region. */
export async function probeFailoverSwitch(access: SwitchAccess, names: FailoverSwitchNames, region: string): Promise<SwitchState> {
  const read = await access.aws([
    "cloudwatch",
    "describe-alarms",
    "--region",
    region,
    "--alarm-names",
    names.alarm,
    "--query",
    "MetricAlarms[0].StateValue",
    "--output",
    "text",
  ]);
  if (read.status !== 0) return { read: false, problem: lastLine(read.stderr) || `aws exited ${read.status}` };
  return { read: true, state: read.stdout.trim() };
}
