import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import type { TerraformResource } from "cdktf";
import { DEFAULT_RESOURCES, jobImages, type ContainerResources } from "../backup/job-parts";
import type { ImageRegistry } from "../kubernetes/images";
import { POINT_IN_TIME_RESTORE_TEST_METRICS, POINT_IN_TIME_RESTORE_TEST_OBJECT_PATTERNS, RESTORE_TEST_METRIC_NAMESPACE } from "../naming";
import type { IEncryptedBucket } from "./bucket";
import type { PodIdentityRole } from "./pod-identity-role";
import { bucketKeyStatement, READ_KEY_ACTIONS, UPLOAD_KEY_ACTIONS } from "./private/bucket-key";
import { cronProblem, nameProblem, providerPodSecurityContext, providerResources, volumes, WORK_PATH, scriptStep } from "./private/backup-pod";
import type { PolicyStatement } from "./private/iam";
import { jobIdentity } from "./private/job-identity";
import { scriptCronJob, scriptsConfigMap } from "./private/script-job";

/** The RDS instance whose automated backups the test restores, and what a restore beside it needs. */
export interface IRestorableDatabase {
  /** Its instance identifier. */
  readonly identifier: string;
  readonly region: string;
  readonly accountId: string;
  /** The subnet group the temporary instance is placed in (the source's: the job's pods reach it). */
  readonly subnetGroupName: string;
  /** The parameter group the temporary instance gets (the source's: TLS enforced). */
  readonly parameterGroupName: string;
  /** The security groups of the temporary instance (the source's: the cluster's nodes may connect). */
  readonly securityGroupIds: readonly string[];
  /** The key the instance's storage is encrypted with; the restore encrypts with it too. */
  readonly kmsKeyArn: string;
}

export interface PointInTimeRestoreTestJobProps {
  /** Namespace of the CronJob, its ConfigMap and its service account (a `restricted` one). */
  readonly namespace: string;
  /**
   * Name of the CronJob, its ConfigMap and its service account.
   * @default "pitr-restore-test"
   */
  readonly name?: string;
  /**
   * When the test runs (cron, in the cluster's time zone: UTC on EKS).
   * @default "0 5 1 * *" (monthly, the 1st at 05:00)
   */
  readonly schedule?: string;
  /**
   * How far back the archive whose snapshot time becomes the restore point may be, in days (and
   * never before the backups' earliest restorable time).
   * @default 7
   */
  readonly windowDays?: number;
  /**
   * The restore (until the temporary instance is available) and its checks slower than this fail the test.
   * @default 120
   */
  readonly restoreMinutesTarget?: number;
  /** The database whose automated backups are restored. */
  readonly database: IRestorableDatabase;
  /** Prefix of the temporary instances' identifiers (the script appends `-<YYYYMMDDHHMM>`); the role may touch nothing else. */
  readonly instancePrefix: string;
  /** Instance class of the temporary instance. */
  readonly instanceClass: string;
  /** The archive bucket: the manifests (restore points and expected tables) are read, the reports put next to them. */
  readonly bucket: IEncryptedBucket;
  /** The cluster the job runs in: its pod identity association, and the role's trust. */
  readonly cluster: { readonly name: string; readonly arn: string; readonly accountId: string };
  /** Name of the job's own IAM role (EKS Pod Identity). */
  readonly roleName: string;
  /** Name of the alarm on a failed run. */
  readonly alarmName: string;
  /** Value of the metrics' `Environment` dimension (`<project>-<region>`). */
  readonly environmentDimension: string;
  /**
   * SNS topic the alarm notifies.
   * @default - no notification (the alarm's state only)
   */
  readonly alarmTopicArn?: string;
  /** @default DEFAULT_RESOURCES */
  readonly resources?: ContainerResources;
  /** The account's registry in the cluster's region: images are pulled from it, by digest (lib/kubernetes/images.ts). */
  readonly registry: ImageRegistry;
}

/** Where the steps keep the temporary instance's password: a memory-backed volume only `start` and `check` mount. */
export const POINT_IN_TIME_SECRET_PATH = "/run/pitr-restore-test";

/**
 * The opt-in point-in-time restore test of the RDS automated backups (backup/pitr-restore-test.sh):
 * a CronJob in the primary's cluster whose pod restores the database to the snapshot time of an
 * archive chosen at random within `windowDays` into a temporary instance beside it (`start`, aws
 * CLI, its own pod identity role: the restore, a fresh master password kept in memory), compares
 * the restored tables with that archive's manifest (`check`, the pinned postgres image, TLS), then
 * deletes every temporary instance under its prefix, writes a report next to the archive and
 * publishes PointInTimeRestoreTestSuccess and PointInTimeRestoreSeconds (`finish`, aws CLI). A
 * failed run raises the alarm. Tables are compared by presence: row counts and checksums are
 * reported, not judged, since the archive's snapshot and the restore point differ by the writes
 * committed within the same second.
 */
export class PointInTimeRestoreTestJob extends Construct {
  public readonly resource: TerraformResource;
  public readonly configMap: ConfigMapV1;
  public readonly role: PodIdentityRole;
  public readonly failedAlarm: CloudwatchMetricAlarm;
  public readonly cronJobName: string;
  public readonly schedule: string;
  public readonly windowDays: number;
  public readonly restoreMinutesTarget: number;

  constructor(scope: Construct, id: string, props: PointInTimeRestoreTestJobProps) {
    super(scope, id);
    this.cronJobName = props.name ?? "pitr-restore-test";
    this.schedule = props.schedule ?? "0 5 1 * *";
    this.windowDays = props.windowDays ?? 7;
    this.restoreMinutesTarget = props.restoreMinutesTarget ?? 120;
    const whole = (field: string, value: number, max: number) =>
      Number.isInteger(value) && value >= 1 && value <= max
        ? undefined
        : `PointInTimeRestoreTestJob: ${field} must be a whole number from 1 to ${max} (got ${value})`;
    const problems = [
      nameProblem("PointInTimeRestoreTestJob", this.cronJobName),
      cronProblem("PointInTimeRestoreTestJob", this.schedule),
      whole("windowDays", this.windowDays, 35),
      whole("restoreMinutesTarget", this.restoreMinutesTarget, 1440),
      // RDS identifiers: 63 characters, a letter first; the script appends 13 (-YYYYMMDDHHMM).
      /^[a-z][a-z0-9-]{0,48}[a-z0-9]$/.test(props.instancePrefix) && !props.instancePrefix.includes("--")
        ? undefined
        : `PointInTimeRestoreTestJob: instancePrefix must be an RDS identifier of at most 50 characters (got ${JSON.stringify(props.instancePrefix)})`,
      props.instancePrefix.startsWith(`${props.database.identifier}-`)
        ? undefined
        : `PointInTimeRestoreTestJob: instancePrefix must start with the database's identifier and a hyphen (${props.database.identifier}-), so that the role can touch no other instance's name`,
      props.database.securityGroupIds.length > 0 ? undefined : "PointInTimeRestoreTestJob: database.securityGroupIds must name at least one security group",
    ].filter((problem): problem is string => problem !== undefined);
    if (problems.length > 0) throw new Error(problems.join("\n"));

    const identity = jobIdentity(this, {
      name: this.cronJobName,
      namespace: props.namespace,
      cluster: props.cluster,
      roleName: props.roleName,
      purpose: "point-in-time restore test (a temporary instance restored beside the database, checked and deleted)",
      statements: pointInTimeRestoreTestStatements({ database: props.database, instancePrefix: props.instancePrefix, bucket: props.bucket }),
    });
    this.role = identity.role;
    const serviceAccount = identity.serviceAccount;

    this.configMap = scriptsConfigMap(this, { name: this.cronJobName, namespace: props.namespace }, "pitr-restore-test.sh", "table-checksums.sql");

    const resources = providerResources(props.resources ?? DEFAULT_RESOURCES);
    const images = jobImages(props.registry);
    const target = { name: "RESTORE_SECONDS_TARGET", value: String(this.restoreMinutesTarget * 60) };
    const aws = [
      { name: "ARCHIVE_BUCKET", value: props.bucket.bucketName },
      // The archives are in drRegion; RDS, the metrics and the alarm in the database's region.
      { name: "ARCHIVE_REGION", value: props.bucket.region },
      { name: "AWS_REGION", value: props.database.region },
      { name: "SOURCE_DB_IDENTIFIER", value: props.database.identifier },
      { name: "RESTORE_DB_PREFIX", value: props.instancePrefix },
    ];
    const secretMount = { name: "secret", mountPath: POINT_IN_TIME_SECRET_PATH };
    const step = (name: "start" | "check" | "finish", image: string, env: { name: string; value: string }[]) =>
      scriptStep({
        name,
        image,
        script: "pitr-restore-test.sh",
        args: [name],
        env: [{ name: "ARCHIVE_DIR", value: WORK_PATH }, { name: "HOME", value: "/tmp" }, ...env],
        mounts: name === "finish" ? [] : [secretMount],
        resources,
      });
    this.resource = scriptCronJob(this, {
      name: this.cronJobName,
      namespace: props.namespace,
      schedule: this.schedule,
      // A failed test is a finding, not a flake to retry; a second attempt would restore a second instance.
      backoffLimit: 0,
      pod: {
        serviceAccountName: serviceAccount.metadata.name,
        restartPolicy: "Never",
        securityContext: providerPodSecurityContext(),
        initContainer: [
          step("start", images.awsCli, [
            ...aws,
            target,
            { name: "SECRET_DIR", value: POINT_IN_TIME_SECRET_PATH },
            { name: "RESTORE_TEST_WINDOW_DAYS", value: String(this.windowDays) },
            { name: "DB_INSTANCE_CLASS", value: props.instanceClass },
            { name: "DB_SUBNET_GROUP", value: props.database.subnetGroupName },
            { name: "DB_PARAMETER_GROUP", value: props.database.parameterGroupName },
            { name: "DB_SECURITY_GROUP_IDS", value: props.database.securityGroupIds.join(" ") },
          ]),
          step("check", images.postgres, [target, { name: "SECRET_DIR", value: POINT_IN_TIME_SECRET_PATH }, { name: "PGSSLMODE", value: "require" }]),
        ],
        container: [
          step("finish", images.awsCli, [
            ...aws,
            target,
            { name: "RESTORE_TEST_NAMESPACE", value: RESTORE_TEST_METRIC_NAMESPACE },
            { name: "RESTORE_TEST_ENVIRONMENT", value: props.environmentDimension },
          ]),
        ],
        volume: [...volumes(this.configMap.metadata.name, "1Gi"), { name: "secret", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } }],
      },
    });

    const actions = props.alarmTopicArn ? { alarmActions: [props.alarmTopicArn], okActions: [props.alarmTopicArn] } : {};
    this.failedAlarm = new CloudwatchMetricAlarm(this, "failed", {
      alarmName: props.alarmName,
      alarmDescription: `A point-in-time restore test of ${props.database.identifier}'s automated backups failed or took longer than ${this.restoreMinutesTarget} minutes: read the report next to the archive (pitr-test-<stamp>.json) and the job's log (docs/backups.md)`,
      namespace: RESTORE_TEST_METRIC_NAMESPACE,
      dimensions: { Environment: props.environmentDimension },
      period: 86400,
      metricName: POINT_IN_TIME_RESTORE_TEST_METRICS.success,
      statistic: "Minimum",
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "notBreaching",
      ...actions,
    });
  }
}

/**
 * The point-in-time restore test's permissions: describe the account's DB instances in the
 * region (the source's restorable window; the leftovers under the prefix); restore the source's
 * backups into an instance under the prefix, in the source's subnet, parameter and (default)
 * option groups, tagged; change (its master password) and delete only instances under the prefix;
 * let RDS use the database's key for the restored storage (a grant for an AWS resource, through
 * RDS only); read the archives' manifests, put its reports next to them, with the archive key for
 * that bucket only; publish its metrics.
 */
export function pointInTimeRestoreTestStatements(props: {
  readonly database: IRestorableDatabase;
  readonly instancePrefix: string;
  readonly bucket: IEncryptedBucket;
}): PolicyStatement[] {
  const { database, bucket } = props;
  const rds = (resource: string) => `arn:aws:rds:${database.region}:${database.accountId}:${resource}`;
  const temporary = rds(`db:${props.instancePrefix}-*`);
  const objects = (pattern: string) => `${bucket.bucketArn}/${pattern}`;
  return [
    { Sid: "DescribeInstances", Effect: "Allow", Action: "rds:DescribeDBInstances", Resource: rds("db:*") },
    {
      Sid: "RestoreIntoTemporaryInstance",
      Effect: "Allow",
      Action: "rds:RestoreDBInstanceToPointInTime",
      Resource: [
        rds(`db:${database.identifier}`),
        temporary,
        rds(`subgrp:${database.subnetGroupName}`),
        rds(`pg:${database.parameterGroupName}`),
        rds("og:default:postgres-*"),
      ],
    },
    {
      Sid: "ChangeAndDeleteTemporaryInstances",
      Effect: "Allow",
      Action: ["rds:AddTagsToResource", "rds:ModifyDBInstance", "rds:DeleteDBInstance"],
      Resource: temporary,
    },
    {
      Sid: "EncryptRestoredStorage",
      Effect: "Allow",
      Action: ["kms:CreateGrant", "kms:DescribeKey"],
      Resource: database.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `rds.${database.region}.amazonaws.com` } },
    },
    { Sid: "ListArchives", Effect: "Allow", Action: "s3:ListBucket", Resource: bucket.bucketArn },
    { Sid: "ReadManifests", Effect: "Allow", Action: "s3:GetObject", Resource: objects(POINT_IN_TIME_RESTORE_TEST_OBJECT_PATTERNS.manifests) },
    { Sid: "PutPointInTimeReports", Effect: "Allow", Action: "s3:PutObject", Resource: objects(POINT_IN_TIME_RESTORE_TEST_OBJECT_PATTERNS.reports) },
    bucketKeyStatement("UseArchiveKey", bucket, [...new Set([...READ_KEY_ACTIONS, ...UPLOAD_KEY_ACTIONS])]),
    {
      Sid: "PublishPointInTimeMetrics",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": RESTORE_TEST_METRIC_NAMESPACE } },
    },
  ];
}
