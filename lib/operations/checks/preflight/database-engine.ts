import type { RecoveryEnvironment } from "../../../environment";
import type { Reading } from "../../aws/errors";
import type { DatabaseEngineOffer } from "../../probes/database-engine";
import { failedRead, type PreflightCheck } from "./check";

/** RDS in the recovery region creates PostgreSQL of the pinned major on the pinned instance class. */
export function databaseEngineCheck(recovery: RecoveryEnvironment, found: Reading<DatabaseEngineOffer>): PreflightCheck {
  const { engineVersion: major, instanceClass, multiAz } = recovery.database;
  const id = "database-engine";
  const title = `PostgreSQL ${major} on ${instanceClass} creatable by RDS in ${recovery.region}`;
  if (!found.ok) return failedRead(id, title, found.failure);
  const offer = found.value;
  const file = `environments/${recovery.region}.ts`;
  if (offer.versions.length === 0 || offer.defaultVersion === undefined) {
    return {
      id,
      title,
      status: "fail",
      detail: `RDS in ${recovery.region} offers no PostgreSQL ${major} version to create`,
      fix: `in ${file} and environments/${recovery.recoveryOf}.ts set database.engineVersion to a major RDS offers (aws rds describe-db-engine-versions --region ${recovery.region} --engine postgres --default-only); upgrade the primary's major first`,
    };
  }
  if (!offer.orderable) {
    return {
      id,
      title,
      status: "fail",
      detail: `${instanceClass} is not orderable with PostgreSQL ${offer.defaultVersion}${multiAz ? " (Multi-AZ)" : ""} in ${recovery.region}`,
      fix: `in ${file} set database.instanceClass to a class RDS offers there: aws rds describe-orderable-db-instance-options --region ${recovery.region} --engine postgres --engine-version ${offer.defaultVersion} --query 'OrderableDBInstanceOptions[].DBInstanceClass'`,
    };
  }
  return {
    id,
    title,
    status: "pass",
    detail: `PostgreSQL ${offer.defaultVersion} (default of ${major}; ${offer.versions.length} ${major}.x versions offered) on ${instanceClass}${multiAz ? ", Multi-AZ" : ""}`,
    fix: "",
  };
}
