import { z } from "zod";
import { parseArchiveKey } from "../../naming";
import { crossFieldRule, fail, strictObject, wholeNumber } from "../fields";

/** Restore from a DB snapshot in this region (name or ARN): a recovery's, or a primary rebuilt from a copy. */
const snapshotRestore = strictObject({
  from: z.literal("snapshot"),
  /** The snapshot's name, or its ARN (a snapshot shared by another account, e.g. the vault account). */
  snapshotIdentifier: z.string().regex(/^(arn:aws:rds:[a-z0-9-]+:\d{12}:snapshot:)?[a-zA-Z][a-zA-Z0-9-:]{0,254}$/, {
    error: "must be a DB snapshot identifier or ARN",
  }),
});

/** Key of an archive in the hosting-services bucket (`postgres/<database>/<stamp>/<file>`). */
const archiveKey = z.string().refine((key) => parseArchiveKey(key) !== undefined, {
  error: "must be the key of an archive file like postgres/app/20261121T030000Z/archive.dump (postgres/<database>/<stamp>/<file>)",
});

/**
 * A primary's generation 1 restored instead of created empty: the primary rebuilt in a new account
 * (docs/vault.md, "Rebuilding in a new account"). From a DB snapshot copied or shared into the
 * account (restored by RDS: docs/database-scenario.md, "A primary rebuilt from a snapshot"), or
 * from an archive of the vault: the instance is created empty and the account scenario's `load`
 * step loads the archive (`from-vault <region> archive`, then `verify-backup --archive --target`).
 * Restored once; later changes of the field replace nothing.
 */
export const primaryDatabaseRestore = z.discriminatedUnion(
  "from",
  [
    snapshotRestore,
    strictObject({
      /** An empty instance, into which the account scenario loads this archive. */
      from: z.literal("archive"),
      /** Key of the archive's dump in the hosting-services bucket (copied there from the vault). */
      archiveKey,
    }),
  ],
  {
    error:
      'must be { from: "snapshot", snapshotIdentifier } or { from: "archive", archiveKey }: a primary restores from a DB snapshot copied or shared into its account, or from an archive ("primary-backups" is a recovery\'s source)',
  },
);

export const databaseRestore = z.discriminatedUnion(
  "from",
  [
    strictObject({
      /** Point-in-time restore from the primary's automated backups replicated into this region. */
      from: z.literal("primary-backups"),
      /** ISO 8601 time to restore to. @default - the latest restorable time */
      restoreTime: z.iso.datetime({ error: "must be an ISO 8601 UTC time like 2026-11-20T03:00:00Z" }).optional(),
      /**
       * ARN of the primary's automated backups replicated into this region.
       * @default - read from the primary's application state (its `database_replicated_backups_arn` output)
       */
      automatedBackupsArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:auto-backup:ab-[a-z0-9]+$/, {
          error: "must be an RDS automated backups ARN like arn:aws:rds:us-east-2:123456789012:auto-backup:ab-abc123",
        })
        .optional(),
    }),
    snapshotRestore,
  ],
  { error: 'must be { from: "primary-backups", restoreTime? } or { from: "snapshot", snapshotIdentifier }' },
);

/**
 * Where a database generation of 2 or more came from (`npx dr-platform restore-database`): a
 * point-in-time restore from the automated backups of the generation it replaced (in the same
 * region), or an archive of the hosting-services bucket loaded into an empty instance.
 */
export const databaseRestoredFrom = z.discriminatedUnion(
  "from",
  [
    strictObject({
      /** RestoreDBInstanceToPointInTime from the replaced generation's own automated backups. */
      from: z.literal("point-in-time"),
      /** The generation restored from (it stays, stopped and protected, until `retire-database`). */
      generation: wholeNumber(1, 98),
      /** ISO 8601 UTC time to restore to. @default - the replaced generation's latest restorable time */
      restoreTime: z.iso.datetime({ error: "must be an ISO 8601 UTC time like 2026-11-20T03:00:00Z" }).optional(),
    }),
    strictObject({
      /** An empty instance into which `restore-database --from-archive` loads one archive. */
      from: z.literal("archive"),
      /** The generation replaced (it stays, stopped and protected, until `retire-database`). */
      generation: wholeNumber(1, 98),
      /** Key of the archive in the hosting-services bucket, e.g. postgres/app/20261121T030000Z/archive.dump. */
      archiveKey,
    }),
  ],
  { error: 'must be { from: "point-in-time", generation, restoreTime? } or { from: "archive", generation, archiveKey }' },
);

/** Intervals RDS enhanced monitoring accepts; 0 turns it off. */
export const MONITORING_INTERVALS_SECONDS = [0, 1, 5, 10, 15, 30, 60] as const;

const databaseShape = {
  /**
   * PostgreSQL major version, e.g. "16". A major only: RDS upgrades the minor itself
   * (`auto_minor_version_upgrade` is on), and a pinned minor would then plan a downgrade that
   * ModifyDBInstance refuses, and stop being creatable once RDS retires it. RDS creates (and
   * restores into) the major's current default minor.
   */
  engineVersion: z.string().regex(/^\d+$/, {
    error:
      'must be a PostgreSQL major version like "16": RDS upgrades minors itself (auto_minor_version_upgrade), so a pinned minor plans a downgrade once it does',
  }),
  /** RDS instance class, e.g. "db.t4g.medium". */
  instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an RDS instance class like "db.t4g.medium"' }),
  /** Initial storage in GiB. @default 50 */
  allocatedStorageGb: wholeNumber(20, 65536).default(50),
  /** Storage autoscaling ceiling in GiB. @default 200 */
  maxAllocatedStorageGb: wholeNumber(20, 65536).default(200),
  /** Standby in a second zone. @default true */
  multiAz: z.boolean().default(true),
  /** Days of automated backups (and of their replica in drRegion). @default 14 */
  backupRetentionDays: wholeNumber(7, 35).default(14),
  /** Database created in a new (not restored) instance. @default "app" */
  databaseName: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "must be a lowercase identifier of at most 63 characters" })
    .default("app"),
  /** Master user; its password is generated and kept by AWS (Secrets Manager). @default "dbadmin" */
  username: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "must be a lowercase identifier of at most 63 characters" })
    .refine((name) => !["postgres", "rdsadmin", "admin", "root"].includes(name), { error: "must not be a reserved name (postgres, rdsadmin, admin, root)" })
    .default("dbadmin"),
  /**
   * Seconds between the OS metrics of RDS enhanced monitoring (1, 5, 10, 15, 30 or 60; 0 turns it
   * off, which the policy pack refuses unless suppressed with a reason). @default 60
   */
  monitoringIntervalSeconds: z
    .number()
    .refine((value) => (MONITORING_INTERVALS_SECONDS as readonly number[]).includes(value), {
      error: `must be one of ${MONITORING_INTERVALS_SECONDS.join(", ")} (seconds; 0 turns enhanced monitoring off)`,
    })
    .default(60),
  /**
   * Minutes Terraform waits for the instance: created (a point-in-time restore included) and
   * modified. The provider's own waits (40 and 80 minutes) are shorter than the restore of a large
   * database; `npx dr-platform recover` adopts an instance that still outlives them.
   * @default { createMinutes: 180, updateMinutes: 120 }
   */
  timeouts: strictObject({ createMinutes: wholeNumber(10, 1440).default(180), updateMinutes: wholeNumber(10, 1440).default(120) }).prefault({}),
  /**
   * The database's generation: the instance the stacks and the workloads use. Generation 1 is
   * named `<project>-<region>`, a later one `<project>-<region>-g<n>`, restored beside the one it
   * replaces (`npx dr-platform restore-database <region>` raises it and sets `restoredFrom`).
   * @default 1
   */
  generation: wholeNumber(1, 99).default(1),
  /**
   * While a database generation (2 or more) is restored beside the one it replaces: where it comes
   * from. Set with generation by `restore-database`'s second step; removed once the replaced
   * generation is retired (its last step; the restore settings are then ignored, nothing is
   * replaced). Refused at generation 1. @default - no restore under way
   */
  restoredFrom: databaseRestoredFrom.optional(),
};

/** Only a later generation comes from another one, and from an earlier one. */
const generationSource = crossFieldRule(z.object({ generation: databaseShape.generation, restoredFrom: databaseRestoredFrom.optional() }), (db, ctx) => {
  if (db.generation === 1 && db.restoredFrom !== undefined) {
    fail(ctx, ["restoredFrom"], "is only allowed when generation is 2 or more: generation 1 is the database the environment starts with", db.restoredFrom);
  }
  if (db.generation >= 2 && db.restoredFrom !== undefined && db.restoredFrom.generation >= db.generation) {
    fail(
      ctx,
      ["restoredFrom", "generation"],
      `must be lower than generation (${db.generation}): it names the generation the new one replaces`,
      db.restoredFrom.generation,
    );
  }
});

/** Storage autoscaling never goes below the initial storage. */
const storageRange = crossFieldRule(
  z.object({ allocatedStorageGb: databaseShape.allocatedStorageGb, maxAllocatedStorageGb: databaseShape.maxAllocatedStorageGb }),
  (db, ctx) => {
    if (db.maxAllocatedStorageGb < db.allocatedStorageGb) {
      fail(ctx, ["maxAllocatedStorageGb"], `must be at least allocatedStorageGb (${db.allocatedStorageGb})`, db.maxAllocatedStorageGb);
    }
  },
);

/** RDS PostgreSQL of a primary: a new, empty database. */
export const primaryDatabase = strictObject({
  ...databaseShape,
  /**
   * Where generation 1 comes from when not empty (a primary rebuilt in a new account): a DB
   * snapshot copied or shared into the account, or an archive loaded into the empty instance.
   * @default - an empty database
   */
  restore: primaryDatabaseRestore.optional(),
})
  .superRefine(...storageRange)
  .superRefine(...generationSource);

/** RDS PostgreSQL of a recovery: restored, by default from the primary's replicated backups. */
export const recoveryDatabase = strictObject({
  ...databaseShape,
  /**
   * Where the database (its generation 1; a later one's source is `restoredFrom`) comes from.
   * @default { from: "primary-backups" } (the latest restorable time)
   */
  restore: databaseRestore.default({ from: "primary-backups" }),
})
  .superRefine(...storageRange)
  .superRefine(...generationSource);
