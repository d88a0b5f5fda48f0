import { z } from "zod";
import { strictObject, wholeNumber } from "../fields";

/** S3 Object Lock modes: who may shorten a retention or delete a locked archive version. */
export const OBJECT_LOCK_MODES = ["GOVERNANCE", "COMPLIANCE"] as const;

/**
 * Object Lock of the archive bucket: every archive version is locked for `retentionDays` from
 * the moment it is written, so neither an operator nor stolen admin credentials (ransomware)
 * can delete the archives inside their retention.
 */
const objectLock = strictObject({
  /**
   * `GOVERNANCE`: a principal granted s3:BypassGovernanceRetention (none the library creates) can
   * still delete with the bypass header; `COMPLIANCE`: nobody can, not even the account root,
   * until the retention ends, and the retention cannot be shortened. An explicit choice.
   * @default "GOVERNANCE"
   */
  mode: z.enum(OBJECT_LOCK_MODES, { error: `must be one of ${OBJECT_LOCK_MODES.map((m) => `"${m}"`).join(", ")}` }).default("GOVERNANCE"),
  /**
   * Days each archive version stays locked after it is written.
   * @default - backups.noncurrentVersionRetentionDays (the archives' retention)
   */
  retentionDays: wholeNumber(1, 3650, "must be a whole number of days from 1 to 3650").optional(),
});

/** Five cron fields (UTC on EKS) or a macro such as `@hourly`; `fallback` when not given. */
const cronSchedule = (fallback: string) =>
  z
    .string()
    .refine((value) => /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(value) || /^[\d*,\-/A-Za-z?]+( [\d*,\-/A-Za-z?]+){4}$/.test(value), {
      error: 'must be five cron fields separated by single spaces, like "0 * * * *", or a macro such as "@hourly"',
    })
    .default(fallback);

/**
 * The scheduled restore test (backup/restore-test.sh, `RestoreTestJob` in the primary's cluster):
 * it restores an archive chosen at random within the last `windowDays` into a PostgreSQL of its
 * own, checks every table against the manifest and alarms on a failure or a slow restore.
 */
/**
 * The opt-in point-in-time restore test of the RDS automated backups (backup/pitr-restore-test.sh,
 * `PointInTimeRestoreTestJob` in the primary's cluster): the database restored into a temporary
 * instance beside it, to the snapshot time of an archive chosen within `windowDays`, its tables
 * compared with that archive's manifest, the instance deleted. It costs the temporary instance for
 * the length of the restore (docs/backups.md).
 */
const pointInTime = strictObject({
  /** When it runs: five cron fields (UTC on EKS) or a macro. @default "0 5 1 * *" (monthly, the 1st at 05:00) */
  schedule: cronSchedule("0 5 1 * *"),
  /** The restore (until the instance is available) and its checks slower than this fail the test. @default 120 */
  restoreMinutesTarget: wholeNumber(1, 1440, "must be a whole number of minutes from 1 to 1440 (one day)").default(120),
  /** Instance class of the temporary instance. @default - the database's own class */
  instanceClass: z
    .string()
    .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an RDS instance class like "db.t4g.medium"' })
    .optional(),
});

const restoreTest = strictObject({
  /** When the test runs: five cron fields (UTC on EKS) or a macro. @default "30 3 * * 0" (weekly, Sunday 03:30) */
  schedule: cronSchedule("30 3 * * 0"),
  /** How far back the archive chosen at random may be, in days. @default 7 */
  windowDays: wholeNumber(1, 365, "must be a whole number of days from 1 to 365").default(7),
  /** Restore time target: a restore (pg_restore) slower than this fails the test and raises the alarm. @default 30 */
  restoreMinutesTarget: wholeNumber(1, 1440, "must be a whole number of minutes from 1 to 1440 (one day)").default(30),
  /**
   * The point-in-time restore test of the RDS backups, opt-in (`{}` for its defaults).
   * @default - none: only the archives are restore-tested
   */
  pointInTime: pointInTime.optional(),
});

/** The database-archive bucket and the backup user. */
export const backups = strictObject({
  /** Days to keep non-current versions of database archives. @default 90 */
  noncurrentVersionRetentionDays: wholeNumber(1, 3650, "must be a whole number of days from 1 to 3650").default(90),
  /**
   * Create an access key for the backup user and keep it in Secrets Manager. The secret then also
   * sits in the Terraform state (encrypted in the state bucket). @default false
   */
  accessKey: z.boolean().default(false),
  /** Object Lock of the archive bucket. @default { mode: "GOVERNANCE", retentionDays: noncurrentVersionRetentionDays } */
  objectLock: objectLock.prefault({}),
  /**
   * When the in-cluster jobs archive the database and export the broker's definitions: five cron
   * fields (UTC on EKS) or a macro such as `@hourly`. The archive path's recovery point is at most
   * this interval old. @default "0 * * * *" (hourly)
   */
  schedule: cronSchedule("0 * * * *"),
  /** The scheduled restore test of the archives. @default { schedule: "30 3 * * 0", windowDays: 7, restoreMinutesTarget: 30 } */
  restoreTest: restoreTest.prefault({}),
}).transform((b) => ({ ...b, objectLock: { mode: b.objectLock.mode, retentionDays: b.objectLock.retentionDays ?? b.noncurrentVersionRetentionDays } }));
