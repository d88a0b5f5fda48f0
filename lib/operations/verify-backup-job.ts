import { containerSecurityContext, DEFAULT_RESOURCES, jobImages, podSecurityContext, scriptFiles, type ContainerResources } from "../backup/job-parts";
import type { ImageRegistry } from "../kubernetes/images";

export interface VerifyBackupJobOptions {
  readonly namespace: string;
  /** Bucket holding the archives: the primary's hosting-services bucket. */
  readonly bucket: string;
  /** Region of that bucket. */
  readonly region: string;
  /** The account's registry in the cluster's region: the Job's images are pulled from it, by digest. */
  readonly registry: ImageRegistry;
  /** Service account whose pod identity role may list the bucket and get its objects. */
  readonly serviceAccountName: string;
  /** Secret with key `url`: `postgresql://...` of the EMPTY database to restore into. */
  readonly targetSecretName: string;
  /**
   * Archive to verify (its folder, archive.dump or manifest.json key).
   * @default - the newest archive
   */
  readonly archiveKey?: string;
  /**
   * Only this database's archives when looking for the newest.
   * @default - archives of any database
   */
  readonly database?: string;
  /**
   * Room for the downloaded archive (emptyDir size limit).
   * @default "20Gi"
   */
  readonly archiveSpace?: string;
  /** @default DEFAULT_RESOURCES */
  readonly resources?: ContainerResources;
  /** @default "verify-backup" */
  readonly name?: string;
}

const SCRIPTS = "/scripts";
const WORK = "/work";

/**
 * What `npx dr-platform verify-backup --print-job` prints: a ConfigMap with backup/verify-archive.sh
 * and backup/table-checksums.sql, and a Job that runs them in the recovery cluster (fetch with
 * the aws CLI, then restore and compare with the postgres client). `kubectl apply -f -` takes
 * the List; the Job's exit status is the verdict and its log names every difference.
 */
export function verifyBackupJob(options: VerifyBackupJobOptions) {
  const name = options.name ?? "verify-backup";
  const problems: string[] = [];
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 52)
    problems.push(`name must be a DNS label of at most 52 characters (got ${JSON.stringify(name)})`);
  if (options.archiveKey !== undefined && options.database !== undefined)
    problems.push("archiveKey and database exclude each other: a key names one archive already");
  for (const field of ["namespace", "bucket", "region", "serviceAccountName", "targetSecretName"] as const) {
    if (!options[field]) problems.push(`${field} must not be empty`);
  }
  if (problems.length > 0) throw new Error(`verifyBackupJob: ${problems.join("; ")}`);

  const resources = options.resources ?? DEFAULT_RESOURCES;
  const mounts = [
    { name: "scripts", mountPath: SCRIPTS, readOnly: true },
    { name: "work", mountPath: WORK },
    { name: "tmp", mountPath: "/tmp" },
  ];
  const selection = options.archiveKey
    ? [{ name: "ARCHIVE_KEY", value: options.archiveKey }]
    : options.database
      ? [{ name: "ARCHIVE_DATABASE", value: options.database }]
      : [];
  const container = (containerName: string, image: string, step: string, env: object[]) => ({
    name: containerName,
    image,
    command: ["/bin/sh", `${SCRIPTS}/verify-archive.sh`, step],
    // The images have no home for this user; the CLIs write their caches under HOME.
    env: [{ name: "ARCHIVE_DIR", value: WORK }, { name: "HOME", value: "/tmp" }, ...env],
    volumeMounts: mounts,
    resources,
    securityContext: containerSecurityContext(),
  });

  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace: options.namespace },
    data: scriptFiles("verify-archive.sh", "table-checksums.sql"),
  };
  const job = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace: options.namespace, labels: { "app.kubernetes.io/name": name } },
    spec: {
      // A verification that fails must be looked at, not retried into a pass.
      backoffLimit: 0,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels: { "app.kubernetes.io/name": name } },
        spec: {
          serviceAccountName: options.serviceAccountName,
          restartPolicy: "Never",
          securityContext: podSecurityContext(),
          initContainers: [
            container("fetch", jobImages(options.registry).awsCli, "fetch", [
              { name: "ARCHIVE_BUCKET", value: options.bucket },
              { name: "AWS_REGION", value: options.region },
              ...selection,
            ]),
          ],
          containers: [
            container("restore", jobImages(options.registry).postgres, "restore", [
              { name: "TARGET_URL", valueFrom: { secretKeyRef: { name: options.targetSecretName, key: "url" } } },
            ]),
          ],
          volumes: [
            { name: "scripts", configMap: { name, defaultMode: 0o555 } },
            { name: "work", emptyDir: { sizeLimit: options.archiveSpace ?? "20Gi" } },
            { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
          ],
        },
      },
    },
  };
  return { apiVersion: "v1", kind: "List", items: [configMap, job] };
}
