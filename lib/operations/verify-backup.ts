import { DescribeDBInstanceAutomatedBackupsCommand, type RDSClient } from "@aws-sdk/client-rds";
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { Environment } from "../environment";
import { globalNames, kubeconfigCommand, regionalNames, siteHost } from "../naming";

/** The newest production backups a verification restores from. */
export interface LatestBackups {
  readonly archiveBucket: string;
  /** Newest database archive uploaded by the backup user, if any. */
  readonly archive?: { readonly key: string; readonly size: number; readonly lastModified: Date };
  /** Latest restorable time of the primary's automated backups replicated into this region. */
  readonly replicatedBackup?: { readonly arn: string; readonly latestRestorableTime?: Date };
  /** Why the replicated backup could not be read, when it could not. */
  readonly replicatedBackupProblem?: string;
}

/**
 * Finds the newest archive in the primary's hosting-services bucket (which lives in this
 * recovery region) and the primary's automated backups replicated here.
 */
export async function findLatestBackups(recovery: Environment, primary: Environment, clients: { s3: S3Client; rds: RDSClient }): Promise<LatestBackups> {
  const archiveBucket = globalNames(primary.project, primary.region).hostingServicesBucket;
  let archive: LatestBackups["archive"];
  let token: string | undefined;
  do {
    const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: archiveBucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      if (!object.Key || !object.LastModified || object.Key.endsWith("/")) continue;
      if (!archive || object.LastModified > archive.lastModified) archive = { key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);

  const source = regionalNames(primary.project, primary.region).database;
  try {
    const backups = await clients.rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: source }));
    const replicated = (backups.DBInstanceAutomatedBackups ?? []).find((b) => b.Region === primary.region || b.DBInstanceIdentifier === source);
    if (!replicated?.DBInstanceAutomatedBackupsArn) return { archiveBucket, archive, replicatedBackupProblem: `no automated backups of ${source} in ${recovery.region}` };
    return {
      archiveBucket,
      archive,
      replicatedBackup: { arn: replicated.DBInstanceAutomatedBackupsArn, latestRestorableTime: replicated.RestoreWindow?.LatestTime },
    };
  } catch (error) {
    return { archiveBucket, archive, replicatedBackupProblem: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/**
 * The second seed's backup-verification workflow for a dedicated recovery environment, with the
 * values found: download the newest archive, restore it into the recovery database, deploy the
 * production image, smoke-test, and scale to zero at the end.
 */
export function verificationSteps(recovery: Environment, latest: LatestBackups, namespace: string): string[] {
  const names = regionalNames(recovery.project, recovery.region);
  const file = latest.archive ? latest.archive.key.split("/").pop()! : "<archive>";
  const site = siteHost(recovery.dns);
  return [
    latest.archive
      ? `aws s3 cp s3://${latest.archiveBucket}/${latest.archive.key} ./${file} --region ${recovery.region}`
      : `# no archive in s3://${latest.archiveBucket}/: check the backup job before verifying`,
    `DB_HOST=$(aws rds describe-db-instances --region ${recovery.region} --db-instance-identifier ${names.database} --query 'DBInstances[0].Endpoint.Address' --output text)`,
    `pg_restore --clean --if-exists --no-owner -h "$DB_HOST" -U ${recovery.database.username} -d ${recovery.database.databaseName} ./${file}   # from a host inside the VPC; password: the RDS-managed secret`,
    `kubectl --context <production> -n ${namespace} get deployments -o wide   # the image tag in production`,
    `${kubeconfigCommand(recovery.region, names.cluster)} && kubectl -n ${namespace} set image deployment --all '*=<image>:<tag>'`,
    `curl -fsS -o /dev/null -w '%{http_code}\\n' https://${site}/   # then log in, create a page, upload an image`,
    `kubectl -n ${namespace} scale deployments --replicas=0 --all   # when done: the recovery environment costs nothing idle`,
  ];
}
