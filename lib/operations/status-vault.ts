import type { BackupClient } from "@aws-sdk/client-backup";
import type { S3Client } from "@aws-sdk/client-s3";
import type { AwsFailure, Reading } from "./aws/errors";
import type { StatusRow, StatusTarget } from "./checks/status/row";
import { vaultArchiveCopyRow } from "./checks/status/vault-archive-copy";
import { vaultReplicationRow, vaultSources, type VaultedPrimary, type VaultRules, type VaultSource } from "./checks/status/vault-replication";
import { VAULT_COPY_JOBS_WINDOW_MINUTES, vaultBackupVaultArn, vaultSnapshotCopiesRow } from "./checks/status/vault-snapshot-copies";
import { probeCopyJobs, type CopyJob } from "./probes/copy-jobs";
import type { ArchiveFound } from "./probes/newest-archive";
import { probeObjectReplication, type ObjectReplication } from "./probes/object-replication";
import { probeReplicationRule, type ReplicationRules } from "./probes/replication-rule";

/**
 * The rows of a primary's vault copies in `status`: every read is the workload account's own, in
 * its regions (the buckets' replication, the source objects' ReplicationStatus, AWS Backup's copy
 * jobs); the vault account is never called.
 */

/** The clients the vault rows read with, each bound to its bucket's or service's region. */
export interface VaultStatusClients {
  /** S3 in the primary's drRegion: the hosting-services bucket. */
  readonly s3: S3Client;
  /** S3 in the primary's region: the assets bucket. */
  readonly primaryS3: S3Client;
  /** S3 in the state bucket's region. */
  readonly stateS3: S3Client;
  /** AWS Backup in the primary's region: the copy jobs into the vault. */
  readonly backup: BackupClient;
}

export interface VaultFacts {
  readonly rules: VaultRules;
  readonly archive: Reading<ArchiveFound>;
  /** The newest archive's dump and manifest; undefined when there is no archive. */
  readonly copies?: Reading<ObjectReplication[]>;
  readonly jobs: Reading<CopyJob[]>;
}

/**
 * Reads the vault's facts concurrently; `archive` is the newest-archive reading the status makes
 * anyway. With `lostRegion` (a recovery under way), nothing in that region is called.
 */
export async function probeVaultCopies(
  clients: VaultStatusClients,
  primary: VaultedPrimary,
  archive: Promise<Reading<ArchiveFound>>,
  now: Date,
  lostRegion?: string,
): Promise<VaultFacts> {
  const s3 = { state: clients.stateS3, archives: clients.s3, assets: clients.primaryS3 };
  const notCalled = (call: string, region: string): { ok: false; failure: AwsFailure } => ({
    ok: false,
    failure: { kind: "unreachable", name: "NotCalled", description: `not called: ${region} is declared lost`, call, region },
  });
  const rule = (source: VaultSource): Promise<Reading<ReplicationRules>> =>
    source.region === lostRegion
      ? Promise.resolve(notCalled(`S3 GetBucketReplication of ${source.bucket}`, source.region))
      : probeReplicationRule(s3[source.copy], source.bucket, source.region);
  const since = new Date(now.getTime() - VAULT_COPY_JOBS_WINDOW_MINUTES * 60_000);
  const arn = vaultBackupVaultArn(primary);
  const [state, archives, assets] = vaultSources(primary);
  const [rules, jobs, found] = await Promise.all([
    Promise.all([rule(state), rule(archives), rule(assets)]).then(([s, ar, as]) => ({ state: s, archives: ar, assets: as })),
    primary.region === lostRegion
      ? notCalled(`AWS Backup ListCopyJobs into ${arn}`, primary.region)
      : probeCopyJobs(clients.backup, arn, since, primary.region),
    archive,
  ]);
  if (!found.ok || found.value.found !== "archive") return { rules, archive: found, jobs };
  const { bucket, archiveKey, manifestKey } = found.value.archive;
  const copies = await probeObjectReplication(clients.s3, bucket, [archiveKey, manifestKey], primary.drRegion);
  return { rules, archive: found, copies, jobs };
}

/** The three vault rows, in this order: the rules, the newest archive's copy, the snapshots' copies. */
export function vaultRows(primary: VaultedPrimary, facts: VaultFacts, target: StatusTarget, now: Date): StatusRow[] {
  return [
    vaultReplicationRow(primary, facts.rules),
    vaultArchiveCopyRow(primary, facts.archive, facts.copies, target, now),
    vaultSnapshotCopiesRow(primary, facts.jobs, target, now),
  ];
}
