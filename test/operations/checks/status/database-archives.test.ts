import { databaseArchivesRow } from "../../../../lib/operations/checks/status/database-archives";
import { jobFix } from "../../../../lib/operations/checks/status/row";
import type { ArchiveManifest } from "../../../../lib/operations/probes/newest-archive";
import { failed, minutesAgo, NOW, primary, read, recovery } from "../../../support/facts";

const HOSTING = "acme-hosting-services-us-east-1";
const ROW = { id: "database-archives", store: "database archives", target: "65 min" };
const FOLDER = "postgres/app/20261121T113000Z/";
const manifest = (snapshotAt: Date): ArchiveManifest => ({
  format: "dr-platform/database-archive/1",
  keyPrefix: FOLDER,
  database: "app",
  serverVersion: "16.4",
  startedAt: snapshotAt.toISOString(),
  snapshotAt: snapshotAt.toISOString(),
  finishedAt: snapshotAt.toISOString(),
  archive: { file: "archive.dump", format: "custom", bytes: 4096, sha256: "ab".repeat(32) },
  tables: [{ schema: "public", table: "orders", rows: 3, checksum: "1" }],
});
const archive = (snapshotAt: Date) =>
  read({
    found: "archive" as const,
    archive: { bucket: HOSTING, folder: FOLDER, manifestKey: `${FOLDER}manifest.json`, archiveKey: `${FOLDER}archive.dump`, manifest: manifest(snapshotAt) },
  });

describe("databaseArchivesRow", () => {
  it("meets the target with the manifest's snapshot time, and describes the archive", () => {
    expect(databaseArchivesRow(recovery, primary, archive(minutesAgo(30)), NOW)).toEqual({
      ...ROW,
      recoveryPoint: minutesAgo(30),
      verdict: "met",
      state: "2026-11-21T11:30:00Z (30 min ago)",
      detail: `s3://${HOSTING}/${FOLDER}manifest.json\ndatabase app, PostgreSQL 16.4, 4096 bytes, sha256 abababababab..., 1 tables, snapshot 2026-11-21T11:30:00Z`,
      fix: "",
    });
  });

  it("misses a stale archive, with the job to look at", () => {
    expect(databaseArchivesRow(recovery, primary, archive(minutesAgo(70)), NOW)).toMatchObject({
      verdict: "missed",
      state: "2026-11-21T10:50:00Z (1 h 10 min ago)",
      fix: jobFix(primary, "database archive"),
    });
  });

  it("misses no archive, no bucket, and an unreadable manifest", () => {
    expect(databaseArchivesRow(recovery, primary, read({ found: "none" as const, prefix: "postgres/app/" }), NOW)).toEqual({
      ...ROW,
      state: "none",
      verdict: "missed",
      detail: `no archive with a manifest.json under s3://${HOSTING}/postgres/app/`,
      fix: jobFix(primary, "database archive"),
    });
    expect(databaseArchivesRow(recovery, primary, read({ found: "no-bucket" as const }), NOW)).toEqual({
      ...ROW,
      state: "none",
      verdict: "missed",
      detail: `no bucket ${HOSTING} in us-east-2`,
      fix: `npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # it creates ${HOSTING}`,
    });
    const unreadable = read({ found: "unreadable" as const, manifestKey: `${FOLDER}manifest.json`, cause: "invalid" as const, problem: "not JSON" });
    expect(databaseArchivesRow(recovery, primary, unreadable, NOW)).toEqual({
      ...ROW,
      state: "unreadable manifest",
      verdict: "missed",
      detail: `s3://${HOSTING}/${FOLDER}manifest.json: not JSON`,
      fix: `the newest archive cannot be trusted without its manifest: ${jobFix(primary, "database archive")}`,
    });
  });

  it("is unknown when the listing failed", () => {
    expect(databaseArchivesRow(recovery, primary, failed("unreachable", `S3 ListObjectsV2 of ${HOSTING}`, "us-east-2"), NOW).state).toBe(
      "unknown (us-east-2 did not answer)",
    );
  });
});
