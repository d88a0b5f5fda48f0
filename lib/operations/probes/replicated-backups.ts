import { DescribeDBInstanceAutomatedBackupsCommand, type DBInstanceAutomatedBackup, type RDSClient } from "@aws-sdk/client-rds";
import { type PrimaryEnvironment, servingDatabaseIdentifier } from "../../environment";
import { reading, type Reading } from "../aws/errors";
import { paginate } from "../aws/paginate";

/** One automated backup of the primary's database, as RDS in the recovery region describes it. */
export interface ReplicatedBackup {
  readonly arn?: string;
  /** The source instance's resource id: a restore from replicated backups names them by it. */
  readonly dbiResourceId?: string;
  /** `replicating`, `retained`, `pending`... */
  readonly status?: string;
  /** The region RDS names for the backup (the source instance's). */
  readonly sourceRegion?: string;
  readonly earliestRestorableTime?: Date;
  /** The latest time a restore can reach: the recovery point of this path. */
  readonly latestRestorableTime?: Date;
}

export interface ReplicatedBackups {
  /** The primary's instance the backups are of. */
  readonly instance: string;
  /** The region read: the recovery's. */
  readonly region: string;
  /** Every automated backup of the instance in the region, in RDS's order. */
  readonly backups: readonly ReplicatedBackup[];
  /**
   * The one a restore takes: the latest restorable time, then the greatest ARN (a retained backup of a
   * deleted instance and the replicating one of its successor may both be there); undefined when there is none.
   */
  readonly newest?: ReplicatedBackup;
}

/**
 * The primary's automated backups replicated into `region` (RDS DescribeDBInstanceAutomatedBackups,
 * every page). RDS's not-found fault is no backups, not a failure.
 */
export async function probeReplicatedBackups(rds: RDSClient, primary: PrimaryEnvironment, region: string): Promise<Reading<ReplicatedBackups>> {
  const instance = servingDatabaseIdentifier(primary);
  const read = await reading(`RDS DescribeDBInstanceAutomatedBackups of ${instance}`, region, () =>
    paginate(
      (marker) => rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: instance, Marker: marker })),
      (page) => page.DBInstanceAutomatedBackups,
      (page) => page.Marker,
    ),
  );
  if (!read.ok && read.failure.kind !== "not-found") return read;
  const backups = read.ok ? read.value.map(describe) : [];
  return { ok: true, value: { instance, region, backups, newest: newestOf(backups) } };
}

function describe(backup: DBInstanceAutomatedBackup): ReplicatedBackup {
  return {
    arn: backup.DBInstanceAutomatedBackupsArn,
    dbiResourceId: backup.DbiResourceId,
    status: backup.Status,
    sourceRegion: backup.Region,
    earliestRestorableTime: backup.RestoreWindow?.EarliestTime,
    latestRestorableTime: backup.RestoreWindow?.LatestTime,
  };
}

/** The latest restorable time, then the greatest ARN; undefined for none. */
export function newestOf(backups: readonly ReplicatedBackup[]): ReplicatedBackup | undefined {
  const time = (b: ReplicatedBackup) => b.latestRestorableTime?.getTime() ?? -Infinity;
  const arn = (b: ReplicatedBackup) => b.arn ?? "";
  return [...backups].sort((a, b) => time(b) - time(a) || (arn(a) < arn(b) ? 1 : arn(a) > arn(b) ? -1 : 0))[0];
}
