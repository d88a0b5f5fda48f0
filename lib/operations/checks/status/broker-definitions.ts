import type { PrimaryEnvironment, RecoveryEnvironment } from "../../../environment";
import { deployStackCommand, environmentNames, stackId } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { DefinitionsFound } from "../../probes/broker-definitions";
import { formatMinutes, judgeRecoveryPoint } from "../recovery-point";
import { failedRead, jobFix, type StatusRow } from "./row";

/** The newest broker definitions export's stamp against `brokerDefinitionsMinutes`. */
export function brokerDefinitionsRow(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, found: Reading<DefinitionsFound>, now: Date): StatusRow {
  const bucket = environmentNames(primary).hostingServicesBucket;
  const minutes = primary.recoveryObjectives.brokerDefinitionsMinutes;
  const row = { id: "broker-definitions", store: "broker definitions", target: formatMinutes(minutes) };
  if (!found.ok) return failedRead(row, found.failure);
  const definitions = found.value;
  if (definitions.found === "no-bucket") {
    return {
      ...row,
      state: "none",
      verdict: "missed",
      detail: `no bucket ${bucket} in ${recovery.region}`,
      fix: `${deployStackCommand(stackId("application", primary.region))}   # it creates ${bucket}`,
    };
  }
  if (definitions.found === "none") {
    return {
      ...row,
      state: "none",
      verdict: "missed",
      detail: `no export under s3://${bucket}/${definitions.prefix}`,
      fix: jobFix(primary, "broker definitions"),
    };
  }
  const judged = judgeRecoveryPoint(definitions.exportedAt, minutes, now);
  return {
    ...row,
    recoveryPoint: definitions.exportedAt,
    ...judged,
    detail: `s3://${bucket}/${definitions.key} (${definitions.bytes} bytes); queues, exchanges, bindings and policies created after it are not in it`,
    fix: judged.verdict === "met" ? "" : jobFix(primary, "broker definitions"),
  };
}
