import { type Environment, servingDatabaseIdentifier } from "../../../environment";
import type { Reading } from "../../aws/errors";
import type { DatabaseInstance } from "../../probes/database-instance";
import type { FenceAction } from "../../probes/fence-record";
import { failedAction, type FenceDecision } from "./action";

/** States in which StopDBInstance is refused but the instance is on its way down or already down. */
const STOPPED_STATES = ["stopped", "stopping"];

function title(environment: Environment): string {
  const identifier = servingDatabaseIdentifier(environment);
  // RDS starts a stopped instance again after seven days: run the fence again (it is idempotent) until failback.
  return `Stop the database ${identifier} (RDS starts it again after 7 days: fence again if failback takes longer)`;
}

export function databaseDecision(environment: Environment, found: Reading<DatabaseInstance>, apply: boolean): FenceDecision<string> {
  const identifier = servingDatabaseIdentifier(environment);
  const action = (status: FenceAction["status"], detail: string): FenceDecision<string> => ({
    action: { id: "database", title: title(environment), status, detail },
  });
  if (!found.ok) return { action: failedAction("database", title(environment), found.failure) };
  if (!found.value.exists) return action("already done", `no instance ${identifier} in ${environment.region}`);
  const status = found.value.status;
  if (status !== undefined && STOPPED_STATES.includes(status)) return action("already done", `status ${status}`);
  if (status !== "available") return action("failed", `status ${status}: RDS stops only an available instance; run the fence again when it is available`);
  if (!apply) return action("would do", `RDS StopDBInstance ${identifier} (status available)`);
  return { act: identifier };
}

export function databaseOutcome(environment: Environment, stopped: Reading<void>): FenceAction {
  if (!stopped.ok) return failedAction("database", title(environment), stopped.failure);
  return { id: "database", title: title(environment), status: "done", detail: "status available -> stopping" };
}
