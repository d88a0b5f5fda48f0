import { REAL_ACCOUNT, type StatusTarget } from "../../../../lib/operations/checks/status/row";
import { vaultBackupVaultArn, vaultSnapshotCopiesRow } from "../../../../lib/operations/checks/status/vault-snapshot-copies";
import type { CopyJob } from "../../../../lib/operations/probes/copy-jobs";
import { failed, minutesAgo, NOW, read } from "../../../support/facts";
import { BACKUP_VAULT_ARN, vaulted } from "../../../support/vault-facts";

const ROW = { id: "vault-snapshot-copies", store: "vault copy of the database snapshots", target: "26 h" };
const hoursAgo = (h: number) => minutesAgo(h * 60);
const DB = "arn:aws:rds:us-east-1:123456789012:db:acme-us-east-1";
const job = (id: string, state: string, startedHoursAgo: number, statusMessage?: string): CopyJob => ({
  id,
  state,
  createdAt: hoursAgo(startedHoursAgo),
  completedAt: state === "COMPLETED" ? minutesAgo(startedHoursAgo * 60 - 10) : undefined,
  statusMessage,
  resourceArn: DB,
});
const WHY =
  "the plan acme-vault-us-east-1 snapshots the database daily and copies each snapshot into the vault: a newest copy older than 26 h (a day and 2 h for the snapshot and its copy) means a day was missed";
const PLAN_FIX = [
  "aws backup list-backup-jobs --region us-east-1 --by-backup-vault-name acme-vault-copies-us-east-1 --by-created-after 2026-11-19T12:00:00Z   # did the plan acme-vault-us-east-1 snapshot the database?",
  `npx cdktf deploy vault-us-east-1 --ignore-missing-stack-dependencies   # it makes the plan, its copy into ${BACKUP_VAULT_ARN} and the vault's policy admitting the copies`,
].join("\n");
const failedFix = (id: string) =>
  [
    `aws backup describe-copy-job --region us-east-1 --copy-job-id ${id}   # AWS Backup's reason`,
    "npx cdktf deploy vault-us-east-1 --ignore-missing-stack-dependencies   # a refused copy: the vault's access policy and key admit 123456789012's copies",
  ].join("\n");

describe("vaultSnapshotCopiesRow", () => {
  it("names the vault account's backup vault in the vault's region", () => {
    expect(vaultBackupVaultArn(vaulted)).toBe(BACKUP_VAULT_ARN);
  });

  it("is met by a copy started within 26 h, and lists an older failed copy with AWS Backup's message", () => {
    const jobs = [job("c-old", "COMPLETED", 33), job("f-1", "FAILED", 40, "Access denied to the destination vault"), job("c-new", "COMPLETED", 9)];
    expect(vaultSnapshotCopiesRow(vaulted, read(jobs), REAL_ACCOUNT, NOW)).toEqual({
      ...ROW,
      recoveryPoint: hoursAgo(9),
      state: "2026-11-21T03:00:00Z (9 h 0 min ago)",
      verdict: "met",
      detail: [
        `copy job c-new into ${BACKUP_VAULT_ARN}: COMPLETED 2026-11-21T03:10:00Z, started 2026-11-21T03:00:00Z when its snapshot was done`,
        "copy job f-1 FAILED (started 2026-11-19T20:00:00Z): Access denied to the destination vault",
        WHY,
      ].join("\n"),
      fix: "",
    });
  });

  it("misses a newest copy older than 26 h, with the plan to look at", () => {
    expect(vaultSnapshotCopiesRow(vaulted, read([job("c-1", "COMPLETED", 27), job("r-1", "RUNNING", 1)]), REAL_ACCOUNT, NOW)).toEqual({
      ...ROW,
      recoveryPoint: hoursAgo(27),
      state: "2026-11-20T09:00:00Z (1 d 3 h ago)",
      verdict: "missed",
      detail: [`copy job c-1 into ${BACKUP_VAULT_ARN}: COMPLETED 2026-11-20T09:10:00Z, started 2026-11-20T09:00:00Z when its snapshot was done`, WHY].join(
        "\n",
      ),
      fix: PLAN_FIX,
    });
  });

  it("misses no copy in 48 h, with the plan to look at", () => {
    expect(vaultSnapshotCopiesRow(vaulted, read([]), REAL_ACCOUNT, NOW)).toEqual({
      ...ROW,
      state: "none",
      verdict: "missed",
      detail: [`no completed copy job into ${BACKUP_VAULT_ARN} since 2026-11-19T12:00:00Z`, WHY].join("\n"),
      fix: PLAN_FIX,
    });
  });

  it("misses failed copies with their messages, and a failure newer than the newest copy", () => {
    const onlyFailed = vaultSnapshotCopiesRow(vaulted, read([job("f-1", "FAILED", 30, "KMS key not accessible"), job("a-2", "ABORTED", 6)]), REAL_ACCOUNT, NOW);
    expect(onlyFailed).toEqual({
      ...ROW,
      state: "none",
      verdict: "missed",
      detail: [
        `no completed copy job into ${BACKUP_VAULT_ARN} since 2026-11-19T12:00:00Z`,
        "copy job f-1 FAILED (started 2026-11-20T06:00:00Z): KMS key not accessible",
        "copy job a-2 ABORTED (started 2026-11-21T06:00:00Z): no status message",
        WHY,
      ].join("\n"),
      fix: failedFix("a-2"),
    });
    const newer = vaultSnapshotCopiesRow(vaulted, read([job("c-1", "COMPLETED", 20), job("f-2", "FAILED", 2, "Insufficient privileges")]), REAL_ACCOUNT, NOW);
    expect([newer.state, newer.verdict, newer.recoveryPoint, newer.fix]).toEqual([
      "2026-11-20T16:00:00Z (20 h 0 min ago); a newer copy FAILED",
      "missed",
      hoursAgo(20),
      failedFix("f-2"),
    ]);
    expect(newer.detail.split("\n")[1]).toBe("copy job f-2 FAILED (started 2026-11-21T10:00:00Z): Insufficient privileges");
  });

  it("is unknown when the copy jobs cannot be read; a target without AWS Backup says so by its gap", () => {
    const refused = failed("refused", `AWS Backup ListCopyJobs into ${BACKUP_VAULT_ARN}`, "us-east-1");
    expect(vaultSnapshotCopiesRow(vaulted, refused, REAL_ACCOUNT, NOW)).toEqual({
      ...ROW,
      state: "unknown (refused)",
      verdict: "unknown",
      detail: `AWS Backup ListCopyJobs into ${BACKUP_VAULT_ARN} in us-east-1 failed: AccessDenied (HTTP 403): not authorized`,
      fix: `allow the caller AWS Backup ListCopyJobs into ${BACKUP_VAULT_ARN} in us-east-1 (read-only) and run again`,
    });
    const noBackup: StatusTarget = {
      description: "local AWS emulator",
      shortName: "the emulator",
      gaps: [{ id: "backup", resourceTypes: ["aws_backup_plan"], reason: "no AWS Backup" }],
    };
    expect(vaultSnapshotCopiesRow(vaulted, refused, noBackup, NOW)).toMatchObject({ verdict: "unknown", gap: "backup" });
    expect(vaultSnapshotCopiesRow(vaulted, read([]), noBackup, NOW)).toMatchObject({
      verdict: "unknown",
      gap: "backup",
      detail: `no copy job into ${BACKUP_VAULT_ARN} since 2026-11-19T12:00:00Z; no AWS Backup`,
    });
  });
});
