import { strictObject, wholeNumber } from "../fields";

/** The longest target accepted: a recovery point older than a week is a lost week, not an objective. */
export const MAX_RECOVERY_POINT_MINUTES = 10080;

const minutes = () => wholeNumber(1, MAX_RECOVERY_POINT_MINUTES, `must be a whole number of minutes from 1 to ${MAX_RECOVERY_POINT_MINUTES} (one week)`);

/**
 * Recovery objectives. Recovery points: per data store, how old its newest copy in `drRegion` may be.
 * `npm run dr -- status <recovery region>` compares what AWS reports with these targets (it reads
 * the primary's file: the targets belong to the data) and exits 1 when one is missed. The defaults
 * follow what the platform ships: RDS replicates backups continuously, the archive and definitions
 * jobs run hourly (60 minutes plus 5 for the job to finish), Replication Time Control promises 15.
 */
export const recoveryObjectives = strictObject({
  /** Replicated automated backups: their latest restorable time. @default 5 */
  databaseBackupsMinutes: minutes().default(5),
  /** Database archives (`pg_dump`): the newest manifest's snapshot time. @default 65 */
  databaseArchivesMinutes: minutes().default(65),
  /** Assets: the oldest object the replica does not hold yet. @default 15 */
  assetsMinutes: minutes().default(15),
  /** Broker definitions: the newest export. @default 65 */
  brokerDefinitionsMinutes: minutes().default(65),
  /**
   * Recovery time objective of this environment's recovery: minutes from the declared outage to
   * the site's smoke check passing. `npx dr-platform recover` measures every run against it (and
   * `dr rto` models it). @default 240
   */
  rtoMinutes: minutes().default(240),
  /**
   * Days since the last successful scheduled restore test (`backups.restoreTest`) that
   * `dr status` accepts: a weekly test plus a day for it to run. @default 8
   */
  restoreTestDays: wholeNumber(1, 366, "must be a whole number of days from 1 to 366").default(8),
  /**
   * Days since the last successful point-in-time restore test of the RDS backups
   * (`backups.restoreTest.pointInTime`) that `dr status` accepts, when the primary runs one: a
   * monthly test plus a day. @default 32
   */
  pointInTimeRestoreTestDays: wholeNumber(1, 366, "must be a whole number of days from 1 to 366").default(32),
  /**
   * Days since the last passed rehearsal (`npx dr-platform rehearse`) that `dr status` accepts, when
   * the recovery's file sets `rehearsal: true`; read from the recovery's file (a rehearsal is the
   * recovery's own exercise): a quarterly rehearsal plus a day. @default 92
   */
  rehearsalDays: wholeNumber(1, 366, "must be a whole number of days from 1 to 366").default(92),
});
