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
const restoreTest = strictObject({
  /** When the test runs: five cron fields (UTC on EKS) or a macro. @default "30 3 * * 0" (weekly, Sunday 03:30) */
  schedule: cronSchedule("30 3 * * 0"),
  /** How far back the archive chosen at random may be, in days. @default 7 */
  windowDays: wholeNumber(1, 365, "must be a whole number of days from 1 to 365").default(7),
  /** Restore time target: a restore (pg_restore) slower than this fails the test and raises the alarm. @default 30 */
  restoreMinutesTarget: wholeNumber(1, 1440, "must be a whole number of minutes from 1 to 1440 (one day)").default(30),
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
