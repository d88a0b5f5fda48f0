import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import type { TerraformResource } from "cdktf";
import { DEFAULT_RESOURCES, jobImages, type ContainerResources } from "../backup/job-parts";
import type { ImageRegistry } from "../kubernetes/images";
import { RESTORE_TEST_METRIC_NAMESPACE, RESTORE_TEST_METRICS, RESTORE_TEST_OBJECT_PATTERNS } from "../naming";
import type { IEncryptedBucket } from "./bucket";
import type { PodIdentityRole } from "./pod-identity-role";
import { bucketKeyStatement, READ_KEY_ACTIONS, UPLOAD_KEY_ACTIONS } from "./private/bucket-key";
import { cronProblem, nameProblem, providerPodSecurityContext, providerResources, volumes, WORK_PATH, scriptStep } from "./private/backup-pod";
import type { PolicyStatement } from "./private/iam";
import { jobIdentity } from "./private/job-identity";
import { scriptCronJob, scriptsConfigMap } from "./private/script-job";

export interface RestoreTestJobProps {
  /** Namespace of the CronJob, its ConfigMap and its service account (a `restricted` one). */
  readonly namespace: string;
  /**
   * Name of the CronJob, its ConfigMap and its service account.
   * @default "restore-test"
   */
  readonly name?: string;
  /**
   * When the test runs (cron, in the cluster's time zone: UTC on EKS).
   * @default "30 3 * * 0" (weekly)
   */
  readonly schedule?: string;
  /**
   * How far back the archive chosen at random may be, in days.
   * @default 7
   */
  readonly windowDays?: number;
  /**
   * A restore (and its checks) slower than this fails the test.
   * @default 30
   */
  readonly restoreMinutesTarget?: number;
  /** The archive bucket (the HostingServicesBucket) and its key: read, plus the reports put next to the archives. */
  readonly bucket: IEncryptedBucket;
  /**
   * The region of the stack's AWS provider, where the alarms are: the metrics are published there
   * (the archives are in another region, and an alarm sees only its own region's metrics).
   */
  readonly alarmRegion: string;
  /** The cluster the job runs in: its pod identity association, and the role's trust. */
  readonly cluster: { readonly name: string; readonly arn: string; readonly accountId: string };
  /** Name of the job's own IAM role (EKS Pod Identity). */
  readonly roleName: string;
  /** Names of the alarms: a failed run, and no successful run for `overdueDays`. */
  readonly alarmNames: { readonly failed: string; readonly overdue: string };
  /** Value of the metrics' `Environment` dimension (`<project>-<region>`). */
  readonly environmentDimension: string;
  /**
   * Days without a successful run before the overdue alarm fires; CloudWatch evaluates at most 7 days.
   * @default 7
   */
  readonly overdueDays?: number;
  /**
   * SNS topic the alarms notify.
   * @default - no notification (the alarms' state only)
   */
  readonly alarmTopicArn?: string;
  /**
   * Room for the archive and for the restored database, each (emptyDir size limits).
   * @default "20Gi"
   */
  readonly space?: string;
  /** @default DEFAULT_RESOURCES */
  readonly resources?: ContainerResources;
  /** The account's registry in the cluster's region: images are pulled from it, by digest (lib/kubernetes/images.ts). */
  readonly registry: ImageRegistry;
}

/** Where the restore step runs its throwaway server (data and Unix socket): an emptyDir of the pod. */
export const RESTORE_DATA_PATH = "/restore";

/**
 * The scheduled restore test of the database archives (backup/restore-test.sh): a CronJob in the
 * primary's cluster whose pod picks an archive at random within `windowDays` (init container, aws
 * CLI, its own pod identity role: read the archives, put the reports), restores it into a
 * PostgreSQL of its own and checks every table against the manifest (init container, the pinned
 * postgres image: initdb into an emptyDir, a server on a Unix socket only, verify-archive.sh, the
 * code `verify-backup` runs), then writes a report next
 * to the archive and publishes RestoreTestSuccess and RestoreSeconds (container, aws CLI). Two
 * alarms: a failed run (which includes a restore over its target), and no successful run for
 * `overdueDays` (missing data breaches: a job that stopped running is a failure).
 */
export class RestoreTestJob extends Construct {
  public readonly resource: TerraformResource;
  public readonly configMap: ConfigMapV1;
  public readonly role: PodIdentityRole;
  public readonly failedAlarm: CloudwatchMetricAlarm;
  public readonly overdueAlarm: CloudwatchMetricAlarm;
  public readonly cronJobName: string;
  public readonly schedule: string;
  public readonly windowDays: number;
  public readonly restoreMinutesTarget: number;

  constructor(scope: Construct, id: string, props: RestoreTestJobProps) {
    super(scope, id);
    this.cronJobName = props.name ?? "restore-test";
    this.schedule = props.schedule ?? "30 3 * * 0";
    this.windowDays = props.windowDays ?? 7;
    this.restoreMinutesTarget = props.restoreMinutesTarget ?? 30;
    const overdueDays = props.overdueDays ?? 7;
    const whole = (field: string, value: number, max: number) =>
      Number.isInteger(value) && value >= 1 && value <= max ? undefined : `RestoreTestJob: ${field} must be a whole number from 1 to ${max} (got ${value})`;
    const problems = [
      nameProblem("RestoreTestJob", this.cronJobName),
      cronProblem("RestoreTestJob", this.schedule),
      whole("windowDays", this.windowDays, 365),
      whole("restoreMinutesTarget", this.restoreMinutesTarget, 1440),
      whole("overdueDays", overdueDays, 7),
    ].filter((problem): problem is string => problem !== undefined);
    if (problems.length > 0) throw new Error(problems.join("\n"));

    const identity = jobIdentity(this, {
      name: this.cronJobName,
      namespace: props.namespace,
      cluster: props.cluster,
      roleName: props.roleName,
      purpose: "scheduled restore test (read the archives, put its reports)",
      statements: restoreTestStatements(props.bucket),
    });
    this.role = identity.role;
    const serviceAccount = identity.serviceAccount;

    this.configMap = scriptsConfigMap(
      this,
      { name: this.cronJobName, namespace: props.namespace },
      "restore-test.sh",
      "verify-archive.sh",
      "table-checksums.sql",
    );

    const resources = providerResources(props.resources ?? DEFAULT_RESOURCES);
    const images = jobImages(props.registry);
    const space = props.space ?? "20Gi";
    const bucket = [
      { name: "ARCHIVE_BUCKET", value: props.bucket.bucketName },
      { name: "AWS_REGION", value: props.bucket.region },
    ];
    const step = (name: string, image: string, env: { name: string; value: string }[]) =>
      scriptStep({
        name,
        image,
        script: "restore-test.sh",
        args: [name],
        env: [{ name: "ARCHIVE_DIR", value: WORK_PATH }, { name: "HOME", value: "/tmp" }, ...env],
        mounts: name === "restore" ? [{ name: "database", mountPath: RESTORE_DATA_PATH }] : [],
        resources,
      });
    this.resource = scriptCronJob(this, {
      name: this.cronJobName,
      namespace: props.namespace,
      schedule: this.schedule,
      // A failed test is a finding, not a flake to retry: the alarm and the report say so.
      backoffLimit: 0,
      pod: {
        serviceAccountName: serviceAccount.metadata.name,
        restartPolicy: "Never",
        securityContext: providerPodSecurityContext(),
        initContainer: [
          step("pick", images.awsCli, [...bucket, { name: "RESTORE_TEST_WINDOW_DAYS", value: String(this.windowDays) }]),
          step("restore", images.postgres, [
            { name: "RESTORE_DATA_DIR", value: RESTORE_DATA_PATH },
            { name: "RESTORE_SECONDS_TARGET", value: String(this.restoreMinutesTarget * 60) },
          ]),
        ],
        container: [
          step("report", images.awsCli, [
            ...bucket,
            { name: "RESTORE_SECONDS_TARGET", value: String(this.restoreMinutesTarget * 60) },
            { name: "RESTORE_TEST_NAMESPACE", value: RESTORE_TEST_METRIC_NAMESPACE },
            { name: "RESTORE_TEST_ENVIRONMENT", value: props.environmentDimension },
            { name: "METRICS_REGION", value: props.alarmRegion },
          ]),
        ],
        volume: [...volumes(this.configMap.metadata.name, space), { name: "database", emptyDir: { sizeLimit: space } }],
      },
    });

    const metric = { namespace: RESTORE_TEST_METRIC_NAMESPACE, dimensions: { Environment: props.environmentDimension }, period: 86400 };
    const actions = props.alarmTopicArn ? { alarmActions: [props.alarmTopicArn], okActions: [props.alarmTopicArn] } : {};
    this.failedAlarm = new CloudwatchMetricAlarm(this, "failed", {
      alarmName: props.alarmNames.failed,
      alarmDescription: `A scheduled restore test of the database archives failed or took longer than ${this.restoreMinutesTarget} minutes: read the report next to the archive (restore-test-<stamp>.json) and the job's log (docs/backups.md)`,
      ...metric,
      metricName: RESTORE_TEST_METRICS.success,
      statistic: "Minimum",
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "notBreaching",
      ...actions,
    });
    this.overdueAlarm = new CloudwatchMetricAlarm(this, "overdue", {
      alarmName: props.alarmNames.overdue,
      alarmDescription: `No scheduled restore test of the database archives succeeded in ${overdueDays} days (a missing run counts as a failure): kubectl -n ${props.namespace} get cronjob/${this.cronJobName},jobs (docs/backups.md)`,
      ...metric,
      metricName: RESTORE_TEST_METRICS.success,
      statistic: "Maximum",
      evaluationPeriods: overdueDays,
      datapointsToAlarm: overdueDays,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
      ...actions,
    });
  }
}

/**
 * The restore test's permissions: list the archive bucket, read the archives, put its reports
 * (`restore-test-*.json` inside an archive folder, nothing else), publish its metrics, and use
 * the archive key for that bucket only, as the backup jobs' grants do.
 */
export function restoreTestStatements(bucket: IEncryptedBucket): PolicyStatement[] {
  const objects = (pattern: string) => `${bucket.bucketArn}/${pattern}`;
  return [
    { Sid: "ListArchives", Effect: "Allow", Action: "s3:ListBucket", Resource: bucket.bucketArn },
    { Sid: "ReadArchives", Effect: "Allow", Action: "s3:GetObject", Resource: objects(RESTORE_TEST_OBJECT_PATTERNS.archives) },
    { Sid: "PutRestoreTestReports", Effect: "Allow", Action: "s3:PutObject", Resource: objects(RESTORE_TEST_OBJECT_PATTERNS.reports) },
    bucketKeyStatement("UseArchiveKey", bucket, [...new Set([...READ_KEY_ACTIONS, ...UPLOAD_KEY_ACTIONS])]),
    {
      Sid: "PublishRestoreTestMetrics",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": RESTORE_TEST_METRIC_NAMESPACE } },
    },
  ];
}
