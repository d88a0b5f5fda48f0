import { servingDatabaseIdentifier, type Environment } from "../../../environment";
import { databaseIdentifier } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { DatabaseInstance } from "../../probes/database-instance";

/** What retiring a database generation comes to, judged from its instance as read. */
export interface RetireDatabaseVerdict {
  /** `refused`: nothing may be deleted; `gone`: nothing left; `would delete` / `delete`: the list below is (or is to be) deleted. */
  readonly status: "refused" | "gone" | "would delete" | "delete";
  readonly identifier: string;
  /** The final snapshot taken before the instance is deleted. */
  readonly finalSnapshot: string;
  /** What is deleted, one line each; then what is kept. */
  readonly deletes: readonly string[];
  readonly keeps: readonly string[];
  readonly detail: string;
  readonly fix: string;
}

/**
 * Whether database generation `generation` of the environment may be retired: only a replaced one
 * (lower than database.generation), only when it is available (RDS modifies and deletes an
 * available instance; a stopped one is started first), and only with `apply`.
 */
export function retireDatabaseVerdict(environment: Environment, generation: number, found: Reading<DatabaseInstance>, apply: boolean): RetireDatabaseVerdict {
  const region = environment.region;
  const identifier = databaseIdentifier(environment.project, region, generation);
  const finalSnapshot = `${identifier}-final`;
  const base = { identifier, finalSnapshot, deletes: [] as string[], keeps: [] as string[], fix: "" };
  const serving = environment.database.generation;
  if (generation >= serving) {
    return {
      ...base,
      status: "refused",
      detail: `generation ${generation} is not a replaced one: database.generation of environments/${region}.ts is ${serving} (${servingDatabaseIdentifier(environment)} serves)`,
      fix: `retire a generation lower than ${serving}; a generation is replaced by restore-database ${region}`,
    };
  }
  if (!found.ok)
    return { ...base, status: "refused", detail: `${found.failure.call} failed: ${found.failure.description}`, fix: "run it again when RDS answers" };
  if (!found.value.exists) return { ...base, status: "gone", detail: `no instance ${identifier} in ${region}: nothing to delete` };
  const status = found.value.status ?? "unknown";
  const deletes = [
    `the RDS instance ${identifier} (status ${status}${found.value.resourceId ? `, ${found.value.resourceId}` : ""}), after its deletion protection is turned off`,
  ];
  const keeps = [
    `a final snapshot ${finalSnapshot} (taken by the deletion)`,
    `its automated backups, until their retention (${environment.database.backupRetentionDays} days) ends`,
    `its log groups /aws/rds/instance/${identifier}/*, until their retention ends`,
  ];
  if (status !== "available") {
    return {
      ...base,
      deletes,
      keeps,
      status: "refused",
      detail: `${identifier} is ${status}: RDS modifies and deletes an available instance only`,
      fix:
        status === "stopped"
          ? `aws rds start-db-instance --region ${region} --db-instance-identifier ${identifier} && aws rds wait db-instance-available --region ${region} --db-instance-identifier ${identifier}   # then run it again`
          : "wait until it is available and run it again",
    };
  }
  return { ...base, deletes, keeps, status: apply ? "delete" : "would delete", detail: apply ? "deleting" : "run it again with --yes to delete" };
}
