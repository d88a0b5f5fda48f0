import { Construct } from "constructs";
import { Fn, Op, type TerraformResource } from "cdktf";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { DEFAULT_RESOURCES, jobImages, type ContainerResources } from "../backup/job-parts";
import type { ImageRegistry } from "../kubernetes/images";
import { cronProblem, type EnvVar, nameProblem, providerPodSecurityContext, providerResources, volumes, WORK_PATH, scriptStep } from "./private/backup-pod";
import type { IBucket } from "./bucket";
import { scriptCronJob, scriptsConfigMap } from "./private/script-job";

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
  /**
   * Service account whose pod identity role may read the database secret, list the bucket and
   * put objects into it, nothing else.
   */
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
    /**
     * The Secrets Manager secret holding the user's credentials as JSON (`password`): the one RDS
     * manages for the master user. It is read when the job runs, into a memory-backed volume only
     * the dump step mounts: RDS rotates the password every 7 days, and no copy of it lives in a
     * Kubernetes secret, the pod spec or the Terraform state.
     */
    readonly secretArn: string;
    /** Region of the secret (the database's). */
    readonly secretRegion: string;
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
   * The account's registry in the cluster's region: the images are pulled from it, by digest
   * (lib/kubernetes/images.ts).
   */
  readonly registry: ImageRegistry;
  /**
   * Client image; its major version must be the server's or newer (pg_dump refuses a newer server).
   * @default - postgres from `registry`
   */
  readonly postgresImage?: string;
  /** @default - aws-cli from `registry` */
  readonly awsCliImage?: string;
  /**
   * No run while the database secret is "" (a warm standby's read replica, which has none until it
   * is promoted): the CronJob is suspended by that condition at apply time, and runs once the
   * stack is applied after the promotion.
   * @default false (always scheduled)
   */
  readonly suspendWithoutSecret?: boolean;
}

/** Where the database secret is put for the dump step: a memory-backed volume, never a disk. */
export const DATABASE_SECRET_PATH = "/run/database-secret";

/**
 * A CronJob that archives one PostgreSQL database with backup/archive-database.sh: a first init
 * container (aws CLI) reads the database secret from Secrets Manager into a memory-backed volume,
 * a second (postgres client) dumps the database and writes the manifest, and the container (aws
 * CLI) uploads both under `postgres/<database>/<stamp>/`. The script comes from a ConfigMap made
 * of the repository's file, so what runs is what the tests ran.
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

    this.configMap = scriptsConfigMap(this, { name: this.cronJobName, namespace: props.namespace }, "archive-database.sh", "table-checksums.sql");

    const resources = providerResources(props.resources ?? DEFAULT_RESOURCES);
    const images = jobImages(props.registry);
    const secretFile = { name: "DATABASE_SECRET_FILE", value: `${DATABASE_SECRET_PATH}/secret.json` };
    const container = (name: string, image: string, step: string, env: EnvVar[]) =>
      scriptStep({
        name,
        image,
        script: "archive-database.sh",
        args: [step],
        env: [{ name: "ARCHIVE_DIR", value: WORK_PATH }, { name: "HOME", value: "/tmp" }, ...env],
        mounts: step === "upload" ? [] : [{ name: "database-secret", mountPath: DATABASE_SECRET_PATH, readOnly: step === "dump" }],
        resources,
      });

    this.resource = scriptCronJob(this, {
      name: this.cronJobName,
      namespace: props.namespace,
      schedule: this.schedule,
      suspend: props.suspendWithoutSecret ? Op.lt(Fn.lengthOf(props.database.secretArn), 1) : undefined,
      // One run at a time: two dumps at once would only load the database twice.
      backoffLimit: 2,
      pod: {
        serviceAccountName: props.serviceAccountName,
        restartPolicy: "Never",
        securityContext: providerPodSecurityContext(),
        initContainer: [
          container("password", props.awsCliImage ?? images.awsCli, "password", [
            { name: "DATABASE_SECRET_ID", value: props.database.secretArn },
            { name: "AWS_REGION", value: props.database.secretRegion },
            secretFile,
          ]),
          container("dump", props.postgresImage ?? images.postgres, "dump", [
            { name: "PGHOST", value: props.database.host },
            { name: "PGPORT", value: String(port) },
            { name: "PGDATABASE", value: props.database.name },
            { name: "PGUSER", value: props.database.username },
            { name: "PGSSLMODE", value: props.sslMode ?? "require" },
            secretFile,
          ]),
        ],
        container: [
          container("upload", props.awsCliImage ?? images.awsCli, "upload", [
            { name: "ARCHIVE_BUCKET", value: props.bucket.bucketName },
            { name: "AWS_REGION", value: props.bucketRegion },
          ]),
        ],
        volume: [
          ...volumes(this.configMap.metadata.name, props.archiveSpace ?? "20Gi"),
          // tmpfs: the secret never reaches a node's disk, and goes with the pod.
          { name: "database-secret", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
        ],
      },
    });
  }
}
