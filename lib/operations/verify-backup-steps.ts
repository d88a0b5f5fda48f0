import type { RDSClient } from "@aws-sdk/client-rds";
import type { S3Client } from "@aws-sdk/client-s3";
import { servingClusterName, type Environment, type PrimaryEnvironment, type RecoveryEnvironment } from "../environment";
import { environmentNames, kubeconfigCommand, regionalNames, siteHost } from "../naming";
import type { Reading } from "./aws/errors";
import { probeNewestArchive, type ArchiveFound } from "./probes/newest-archive";
import { probeReplicatedBackups, type ReplicatedBackups } from "./probes/replicated-backups";

/**
 * `verify-backup <region>` without `--target`: finds the newest backups a verification restores
 * from and prints the second seed's backup-verification workflow with their values. Reads only.
 */

/** The newest production backups a verification restores from. */
export interface LatestBackups {
  /** The primary's hosting-services bucket (it lives in the recovery region). */
  readonly archiveBucket: string;
  /** The newest archive of the primary's database, by its manifest. */
  readonly archive: Reading<ArchiveFound>;
  /** The dump of that archive, when there is one. */
  readonly archiveKey?: string;
  /** The primary's automated backups replicated into the recovery region. */
  readonly replicatedBackups: Reading<ReplicatedBackups>;
}

/** The newest archive (by its manifest, as every command finds it) and the replicated automated backups. */
export async function findLatestBackups(
  recovery: RecoveryEnvironment,
  primary: PrimaryEnvironment,
  clients: { readonly s3: S3Client; readonly rds: RDSClient },
): Promise<LatestBackups> {
  const archiveBucket = environmentNames(primary).hostingServicesBucket;
  const [archive, replicatedBackups] = await Promise.all([
    probeNewestArchive(clients.s3, archiveBucket, recovery.region, { database: primary.database.databaseName }),
    probeReplicatedBackups(clients.rds, primary, recovery.region),
  ]);
  const archiveKey = archive.ok && archive.value.found === "archive" ? archive.value.archive.archiveKey : undefined;
  return { archiveBucket, archive, archiveKey, replicatedBackups };
}

/**
 * The second seed's backup-verification workflow for a dedicated recovery environment, with the
 * values found: download the newest archive's dump, restore it into the recovery database, deploy
 * the production image, smoke-test, and scale to zero at the end.
 */
export function verificationSteps(
  recovery: Environment,
  latest: { readonly archiveBucket: string; readonly archiveKey?: string },
  namespace: string,
): string[] {
  const names = regionalNames(recovery.project, recovery.region);
  const file = latest.archiveKey ? latest.archiveKey.split("/").pop()! : "<archive>";
  const site = siteHost(recovery.dns);
  return [
    latest.archiveKey
      ? `aws s3 cp s3://${latest.archiveBucket}/${latest.archiveKey} ./${file} --region ${recovery.region}`
      : `# no archive in s3://${latest.archiveBucket}/: check the backup job before verifying`,
    `DB_HOST=$(aws rds describe-db-instances --region ${recovery.region} --db-instance-identifier ${names.database} --query 'DBInstances[0].Endpoint.Address' --output text)`,
    `pg_restore --clean --if-exists --no-owner -h "$DB_HOST" -U ${recovery.database.username} -d ${recovery.database.databaseName} ./${file}   # from a host inside the VPC; password: the RDS-managed secret`,
    `kubectl --context <production> -n ${namespace} get deployments -o wide   # the image tag in production`,
    `${kubeconfigCommand(recovery.region, servingClusterName(recovery))} && kubectl -n ${namespace} set image deployment --all '*=<image>:<tag>'`,
    `curl -fsS -o /dev/null -w '%{http_code}\\n' https://${site}/   # then log in, create a page, upload an image`,
    `kubectl -n ${namespace} scale deployments --replicas=0 --all   # when done: the recovery environment costs nothing idle`,
  ];
}

function archiveLine(latest: LatestBackups): string {
  const bucket = latest.archiveBucket;
  if (!latest.archive.ok) return `Newest archive: unavailable (${latest.archive.failure.description})`;
  const found = latest.archive.value;
  switch (found.found) {
    case "archive":
      return `Newest archive: s3://${bucket}/${found.archive.archiveKey} (${found.archive.manifest.archive.bytes} bytes, snapshot ${found.archive.manifest.snapshotAt})`;
    case "none":
      return `Newest archive: none with a manifest in s3://${bucket}/${found.prefix}`;
    case "no-bucket":
      return `Newest archive: none (no bucket ${bucket})`;
    case "unreadable":
      return `Newest archive: s3://${bucket}/${found.manifestKey} cannot be used: ${found.problem}`;
  }
}

function backupsLine(latest: LatestBackups): string {
  if (!latest.replicatedBackups.ok) return `Replicated backups: unavailable (${latest.replicatedBackups.failure.description})`;
  const { newest, instance, region } = latest.replicatedBackups.value;
  if (!newest?.arn) return `Replicated backups: unavailable (no automated backups of ${instance} in ${region})`;
  return `Replicated backups: ${newest.arn} (latest restorable ${newest.latestRestorableTime?.toISOString() ?? "unknown"})`;
}

/** What the step-printing mode prints: what was found, then the numbered steps. */
export function formatVerificationPlan(recovery: RecoveryEnvironment, latest: LatestBackups, namespace: string): string {
  return [
    `Backup verification for ${recovery.region} (recovery of ${recovery.recoveryOf}); nothing is run.`,
    archiveLine(latest),
    backupsLine(latest),
    "",
    "Steps:",
    ...verificationSteps(recovery, latest, namespace).map((step, i) => `${i + 1}. ${step}`),
  ].join("\n");
}
