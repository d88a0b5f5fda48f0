import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../../lib/environment";
import { findLatestBackups, formatVerificationPlan } from "../../lib/operations/verify-backup-steps";
import { awsClients } from "../support/aws";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { useEmulator } from "../support/emulator";

/** verify-backup's discovery against the emulator's S3 and RDS APIs, in the layout backup/archive-database.sh writes. */
jest.setTimeout(120_000);

const emulator = useEmulator({ firstPort: 5400 });
const recovery = environment(recoveryInput()) as RecoveryEnvironment;
const primary = environment(primaryInput()) as PrimaryEnvironment;
const BUCKET = "acme-hosting-services-us-east-1";

/** One archive as the job uploads it: the dump, then its manifest last. */
async function archive(s3: ReturnType<typeof awsClients>["s3"], database: string, stamp: string, withManifest = true): Promise<void> {
  const folder = `postgres/${database}/${stamp}/`;
  const dump = `PGDMP ${database} ${stamp}`;
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${folder}archive.dump`, Body: dump }));
  if (!withManifest) return;
  const manifest = {
    format: "dr-platform/database-archive/1",
    keyPrefix: folder,
    database,
    serverVersion: "16.4",
    startedAt: "2026-11-20T03:00:00Z",
    snapshotAt: "2026-11-20T03:00:01.000Z",
    finishedAt: "2026-11-20T03:00:02Z",
    archive: { file: "archive.dump", format: "custom", bytes: dump.length, sha256: "ab".repeat(32) },
    tables: [],
  };
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${folder}manifest.json`, Body: JSON.stringify(manifest) }));
}

it("finds the newest archive of the primary's database by its manifest, and reports missing replicated backups", async () => {
  const aws = awsClients(emulator.current(), "us-east-2");
  await aws.s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: "us-east-2" } }));
  await archive(aws.s3, "app", "20261120T030000Z");
  await archive(aws.s3, "app", "20261121T030000Z");
  // Written later, but not the newest archive of app: another database's, and an upload without its manifest yet.
  await archive(aws.s3, "other", "20261122T030000Z");
  await archive(aws.s3, "app", "20261122T030000Z", false);

  const latest = await findLatestBackups(recovery, primary, aws);
  expect(latest.archiveBucket).toBe(BUCKET);
  expect(latest.archiveKey).toBe("postgres/app/20261121T030000Z/archive.dump");
  // The emulator cannot replicate backups (see SANDBOX_GAPS), so there are none to find.
  expect(latest.replicatedBackups).toEqual({ ok: true, value: { instance: "acme-us-east-1", region: "us-east-2", backups: [], newest: undefined } });
  expect(formatVerificationPlan(recovery, latest, "app").split("\n").slice(0, 6)).toEqual([
    "Backup verification for us-east-2 (recovery of us-east-1); nothing is run.",
    `Newest archive: s3://${BUCKET}/postgres/app/20261121T030000Z/archive.dump (${"PGDMP app 20261121T030000Z".length} bytes, snapshot 2026-11-20T03:00:01.000Z)`,
    "Replicated backups: unavailable (no automated backups of acme-us-east-1 in us-east-2)",
    "",
    "Steps:",
    `1. aws s3 cp s3://${BUCKET}/postgres/app/20261121T030000Z/archive.dump ./archive.dump --region us-east-2`,
  ]);
});
