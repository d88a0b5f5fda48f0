import { Construct } from "constructs";
import type { TerraformResource } from "cdktf";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { AWS_CLI_IMAGE, DEFAULT_RESOURCES, POSTGRES_CLIENT_IMAGE, scriptFiles, type ContainerResources } from "../backup/job-parts";
import {
  cronProblem,
  type EnvVar,
  nameProblem,
  providerContainerSecurityContext,
  providerPodSecurityContext,
  providerResources,
  SCRIPTS_PATH,
  terraformLiteral,
  volumeMounts,
  volumes,
  WORK_PATH,
} from "./private/backup-pod";
import type { IBucket } from "./bucket";
import { CronJob } from "./private/kubernetes-workload";

export interface DatabaseArchiveJobProps {
  readonly namespace: string;
  /**
   * Name of the CronJob and its ConfigMap.
   * @default "database-archive"
   */
  readonly name?: string;
  /**
   * When to archive (cron, in the cluster's time zone: UTC on EKS).
   * @default "0 * * * *" (hourly: the archive path's recovery point is at most about an hour old)
   */
  readonly schedule?: string;
  /** Service account whose pod identity role may list the bucket and put objects into it, nothing else. */
  readonly serviceAccountName: string;
  /** Where archives go: the HostingServicesBucket. */
  readonly bucket: IBucket;
  /** Region of the bucket (another region than the database's). */
  readonly bucketRegion: string;
  /** The database to archive. */
  readonly database: {
    readonly host: string;
    /** @default 5432 */
    readonly port?: number;
    readonly name: string;
    readonly username: string;
    /** Kubernetes secret and key holding the user's password; mounted as a file, never an environment value. */
    readonly passwordSecret: { readonly name: string; readonly key: string };
  };
  /**
   * libpq sslmode.
   * @default "require"
   */
  readonly sslMode?: "require" | "verify-ca" | "verify-full";
  /**
   * Room for one archive (emptyDir size limit).
   * @default "20Gi"
   */
  readonly archiveSpace?: string;
  /** @default DEFAULT_RESOURCES */
  readonly resources?: ContainerResources;
  /**
   * Client image; its major version must be the server's or newer (pg_dump refuses a newer server).
   * @default POSTGRES_CLIENT_IMAGE
   */
  readonly postgresImage?: string;
  /** @default AWS_CLI_IMAGE */
  readonly awsCliImage?: string;
}

/**
 * A CronJob that archives one PostgreSQL database with backup/archive-database.sh: an init
 * container (postgres client) dumps it and writes the manifest, the container (aws CLI) uploads
 * both under `postgres/<database>/<stamp>/`. The script comes from a ConfigMap made of the
 * repository's file, so what runs is what the tests ran.
 */
export class DatabaseArchiveJob extends Construct {
  public readonly resource: TerraformResource;
  public readonly configMap: ConfigMapV1;
  public readonly cronJobName: string;
  public readonly schedule: string;

  constructor(scope: Construct, id: string, props: DatabaseArchiveJobProps) {
    super(scope, id);
    this.cronJobName = props.name ?? "database-archive";
    this.schedule = props.schedule ?? "0 * * * *";
    const port = props.database.port ?? 5432;
    const problems = [
      nameProblem("DatabaseArchiveJob", this.cronJobName),
      cronProblem("DatabaseArchiveJob", this.schedule),
      Number.isInteger(port) && port >= 1 && port <= 65535
        ? undefined
        : `DatabaseArchiveJob: database.port must be a whole number from 1 to 65535 (got ${port})`,
      /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(props.database.name)
        ? undefined
        : `DatabaseArchiveJob: database.name must be letters, digits, '_', '.' or '-' (it is part of the object key; got ${JSON.stringify(props.database.name)})`,
    ].filter((problem): problem is string => problem !== undefined);
    if (problems.length > 0) throw new Error(problems.join("\n"));

    const data = scriptFiles("archive-database.sh", "table-checksums.sql");
    this.configMap = new ConfigMapV1(this, "scripts", {
      metadata: { name: this.cronJobName, namespace: props.namespace },
      data: Object.fromEntries(Object.entries(data).map(([file, text]) => [file, terraformLiteral(text)])),
    });

    const resources = providerResources(props.resources ?? DEFAULT_RESOURCES);
    const container = (name: string, image: string, step: string, env: EnvVar[]) => ({
      name,
      image,
      command: ["/bin/sh", `${SCRIPTS_PATH}/archive-database.sh`, step],
      env: [{ name: "ARCHIVE_DIR", value: WORK_PATH }, { name: "HOME", value: "/tmp" }, ...env],
      volumeMount: [...volumeMounts(), ...(step === "dump" ? [{ name: "password", mountPath: "/secrets", readOnly: true }] : [])],
      resources,
      securityContext: providerContainerSecurityContext(),
    });

    this.resource = new CronJob(this, "resource", {
      metadata: { name: this.cronJobName, namespace: props.namespace },
      spec: {
        schedule: this.schedule,
        // Two dumps at once would only load the database twice.
        concurrencyPolicy: "Forbid",
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: {},
          spec: {
            backoffLimit: 2,
            template: {
              metadata: { labels: { "app.kubernetes.io/name": this.cronJobName } },
              spec: {
                serviceAccountName: props.serviceAccountName,
                restartPolicy: "Never",
                securityContext: providerPodSecurityContext(),
                initContainer: [
                  container("dump", props.postgresImage ?? POSTGRES_CLIENT_IMAGE, "dump", [
                    { name: "PGHOST", value: props.database.host },
                    { name: "PGPORT", value: String(port) },
                    { name: "PGDATABASE", value: props.database.name },
                    { name: "PGUSER", value: props.database.username },
                    { name: "PGSSLMODE", value: props.sslMode ?? "require" },
                    { name: "PGPASSWORD_FILE", value: "/secrets/password" },
                  ]),
                ],
                container: [
                  container("upload", props.awsCliImage ?? AWS_CLI_IMAGE, "upload", [
                    { name: "ARCHIVE_BUCKET", value: props.bucket.bucketName },
                    { name: "AWS_REGION", value: props.bucketRegion },
                  ]),
                ],
                volume: [
                  ...volumes(this.configMap.metadata.name, props.archiveSpace ?? "20Gi"),
                  {
                    name: "password",
                    secret: {
                      secretName: props.database.passwordSecret.name,
                      items: [{ key: props.database.passwordSecret.key, path: "password" }],
                      defaultMode: "0440",
                    },
                  },
                ],
              },
            },
          },
        },
      },
    });
  }
}
