import { SWITCH_VALUES, type FailoverSwitchNames, type SwitchPosition } from "../../naming";
import type { CommandResult } from "../kubectl";
import type { SwitchAccess } from "../switch-access";

/** Publishes the switch's position: a CloudWatch PutMetricData in the switch's region, no Route 53 write. */
export function setFailoverSwitch(access: SwitchAccess, names: FailoverSwitchNames, region: string, position: SwitchPosition): Promise<CommandResult> {
  return access.aws([
    "cloudwatch",
    "put-metric-data",
    "--region",
    region,
    "--namespace",
    names.namespace,
    "--metric-name",
    names.metric,
    "--dimensions",
    `${names.dimension.name}=${names.dimension.value}`,
    "--value",
    String(SWITCH_VALUES[position]),
  ]);
}
