import { jobFix, REAL_ACCOUNT } from "../../../../lib/operations/checks/status/row";
import { vaultArchiveCopyRow } from "../../../../lib/operations/checks/status/vault-archive-copy";
import type { ArchiveManifest } from "../../../../lib/operations/probes/newest-archive";
import type { ObjectReplication } from "../../../../lib/operations/probes/object-replication";
import { EMULATED, failed, minutesAgo, NOW, read } from "../../../support/facts";
import { HOSTING, VAULT_ARCHIVES, vaulted } from "../../../support/vault-facts";

const ROW = { id: "vault-archive-copy", store: "vault copy of the newest archive", target: "65 min" };
const FOLDER = "postgres/app/20261121T113000Z/";
const DUMP = `${FOLDER}archive.dump`;
const MANIFEST = `${FOLDER}manifest.json`;
const manifest = (snapshotAt: Date): ArchiveManifest => ({
  format: "dr-platform/database-archive/1",
  keyPrefix: FOLDER,
  database: "app",
  serverVersion: "16.4",
  startedAt: snapshotAt.toISOString(),
  snapshotAt: snapshotAt.toISOString(),
  finishedAt: snapshotAt.toISOString(),
  archive: { file: "archive.dump", format: "custom", bytes: 4096, sha256: "ab".repeat(32) },
  tables: [],
});
const archive = (snapshotAt: Date) =>
  read({ found: "archive" as const, archive: { bucket: HOSTING, folder: FOLDER, manifestKey: MANIFEST, archiveKey: DUMP, manifest: manifest(snapshotAt) } });
/** The dump and the manifest, written `writtenMinutesAgo`, with these ReplicationStatus headers. */
const copies = (dump: string | undefined, manifestStatus: string | undefined, writtenMinutesAgo: number) =>
  read<ObjectReplication[]>(
    [
      [DUMP, dump],
      [MANIFEST, manifestStatus],
    ].map(([key, status]) => ({
      key: key!,
      lastModified: minutesAgo(writtenMinutesAgo),
      status,
      state: status === undefined ? "NONE" : status === "COMPLETED" || status === "PENDING" || status === "FAILED" ? status : "OTHER",
    })),
  );
const HEAD = `newest archive s3://${HOSTING}/${FOLDER} (snapshot 2026-11-21T11:30:00Z), copied by the rule "Vault" into ${VAULT_ARCHIVES} (account 210987654321)`;
const lines = (dump: string, manifestStatus: string, written: string) =>
  [HEAD, `${DUMP}: ReplicationStatus ${dump}, written ${written}`, `${MANIFEST}: ReplicationStatus ${manifestStatus}, written ${written}`].join("\n");
const COPY_AGAIN = `npx dr-platform replicate-existing us-east-1   # then S3 Batch Replication copies ${HOSTING}'s objects that failed or predate the rule`;
const METRICS =
  "aws cloudwatch get-metric-statistics --namespace AWS/S3 --metric-name OperationsPendingReplication " +
  `--dimensions Name=SourceBucket,Value=${HOSTING} Name=DestinationBucket,Value=${VAULT_ARCHIVES} Name=RuleId,Value=Vault --region us-east-2 ...`;

describe("vaultArchiveCopyRow", () => {
  it("is met when the newest archive is copied and within the archives' target, its snapshot the recovery point", () => {
    expect(vaultArchiveCopyRow(vaulted, archive(minutesAgo(30)), copies("COMPLETED", "COMPLETED", 29), REAL_ACCOUNT, NOW)).toEqual({
      ...ROW,
      recoveryPoint: minutesAgo(30),
      state: "2026-11-21T11:30:00Z (30 min ago), copied",
      verdict: "met",
      detail: lines("COMPLETED", "COMPLETED", "2026-11-21T11:31:00Z"),
      fix: "",
    });
  });

  it("misses a copied archive older than the target, with the archive job to look at", () => {
    const row = vaultArchiveCopyRow(vaulted, archive(minutesAgo(70)), copies("COMPLETED", "COMPLETED", 69), REAL_ACCOUNT, NOW);
    expect([row.verdict, row.state, row.fix]).toEqual(["missed", "2026-11-21T10:50:00Z (1 h 10 min ago), copied", jobFix(vaulted, "database archive")]);
  });

  it("judges a copy pending less than an hour like a copied one (replication takes minutes)", () => {
    expect(vaultArchiveCopyRow(vaulted, archive(minutesAgo(30)), copies("PENDING", "COMPLETED", 29), REAL_ACCOUNT, NOW)).toEqual({
      ...ROW,
      state: "2026-11-21T11:30:00Z (30 min ago), copy pending 29 min",
      verdict: "met",
      detail: lines("PENDING", "COMPLETED", "2026-11-21T11:31:00Z"),
      fix: "",
    });
  });

  it("warns of a copy pending an hour or more, with the rule's metrics to read", () => {
    const lenient = { ...vaulted, recoveryObjectives: { ...vaulted.recoveryObjectives, databaseArchivesMinutes: 180 } };
    expect(vaultArchiveCopyRow(lenient, archive(minutesAgo(100)), copies("PENDING", "PENDING", 99), REAL_ACCOUNT, NOW)).toEqual({
      ...ROW,
      target: "3 h",
      state: "2026-11-21T10:20:00Z (1 h 40 min ago), copy pending 99 min (warning)",
      verdict: "met",
      detail: `${lines("PENDING", "PENDING", "2026-11-21T10:21:00Z").replace("2026-11-21T11:30:00Z", "2026-11-21T10:20:00Z")}\nwarning: pending 60 min or more (S3 replicates most objects within 15 min): ${METRICS}`,
      fix: "",
    });
    const late = vaultArchiveCopyRow(vaulted, archive(minutesAgo(100)), copies("PENDING", "PENDING", 99), REAL_ACCOUNT, NOW);
    expect([late.verdict, late.fix]).toEqual(["missed", `${jobFix(vaulted, "database archive")}\n${METRICS}`]);
  });

  it("misses a failed copy, with the vault deploy and the copy again", () => {
    expect(vaultArchiveCopyRow(vaulted, archive(minutesAgo(30)), copies("FAILED", "COMPLETED", 29), REAL_ACCOUNT, NOW)).toEqual({
      ...ROW,
      state: "copy FAILED",
      verdict: "missed",
      detail: lines("FAILED", "COMPLETED", "2026-11-21T11:31:00Z"),
      fix: `npx cdktf deploy vault-us-east-1 --ignore-missing-stack-dependencies   # the vault bucket's policy and key admit the replication role: a refused write fails the copy\n${COPY_AGAIN}`,
    });
  });

  it("misses an archive S3 never started copying; the emulator, which copies nothing, leaves it unknown by its gap", () => {
    const row = vaultArchiveCopyRow(vaulted, archive(minutesAgo(30)), copies(undefined, undefined, 29), REAL_ACCOUNT, NOW);
    expect([row.state, row.verdict, row.fix]).toEqual([
      "not copied",
      "missed",
      `npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # the rule "Vault" on ${HOSTING} copies every new object into ${VAULT_ARCHIVES}\n${COPY_AGAIN}`,
    ]);
    expect(row.detail.split("\n")[1]).toBe(`${DUMP}: no ReplicationStatus, written 2026-11-21T11:31:00Z`);
    expect(vaultArchiveCopyRow(vaulted, archive(minutesAgo(30)), copies(undefined, undefined, 29), EMULATED, NOW)).toMatchObject({
      state: "unknown (not served by the emulator)",
      verdict: "unknown",
      gap: "s3-object-replication",
    });
    expect(vaultArchiveCopyRow(vaulted, archive(minutesAgo(30)), copies("REPLICA", "COMPLETED", 29), REAL_ACCOUNT, NOW).state).toBe("not copied");
  });

  it("has nothing to judge without an archive, and says which row says why", () => {
    expect(vaultArchiveCopyRow(vaulted, read({ found: "none" as const, prefix: "postgres/app/" }), undefined, REAL_ACCOUNT, NOW)).toEqual({
      ...ROW,
      state: "no archive",
      verdict: "missed",
      detail: `no archive of ${HOSTING} to judge the copy of (the database-archives row says why)`,
      fix: "the database-archives row's fix: the vault copies the archives the job writes",
    });
    const unreadable = read({ found: "unreadable" as const, manifestKey: MANIFEST, cause: "invalid" as const, problem: "not JSON" });
    expect(vaultArchiveCopyRow(vaulted, unreadable, undefined, REAL_ACCOUNT, NOW)).toMatchObject({
      state: "unknown (unreadable manifest)",
      verdict: "unknown",
    });
  });

  it("is unknown when the archive or its ReplicationStatus cannot be read", () => {
    const refused = failed("refused", `S3 HeadObject in ${HOSTING}`, "us-east-2");
    expect(vaultArchiveCopyRow(vaulted, archive(minutesAgo(30)), refused, REAL_ACCOUNT, NOW)).toEqual({
      ...ROW,
      state: "unknown (refused)",
      verdict: "unknown",
      detail: `S3 HeadObject in ${HOSTING} in us-east-2 failed: AccessDenied (HTTP 403): not authorized`,
      fix: `allow the caller S3 HeadObject in ${HOSTING} in us-east-2 (read-only) and run again`,
    });
    expect(vaultArchiveCopyRow(vaulted, failed("refused", `S3 ListObjectsV2 of ${HOSTING}`, "us-east-2"), undefined, REAL_ACCOUNT, NOW).state).toBe(
      "unknown (refused)",
    );
  });
});
