import * as fs from "fs";
import * as path from "path";
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HostingServicesBucket } from "../../lib/constructs/hosting-services-bucket";
import { PointInTimeRestoreTestJob, type PointInTimeRestoreTestJobProps } from "../../lib/constructs/point-in-time-restore-test-job";
import { ARCHIVE_KEY, JOB_CONTAINER_SECURITY_CONTEXT, JOB_POD_SECURITY_CONTEXT } from "../support/expected";
import { onlyResource, ref, synthJson } from "../support/synth";
import { REPO } from "../support/run";
import { PINNED, REGISTRY_US_EAST_2 } from "../support/images";

type Props = Omit<PointInTimeRestoreTestJobProps, "bucket">;
const CLUSTER_ARN = "arn:aws:eks:us-east-1:123456789012:cluster/acme-us-east-1";
const DATA_KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const PROPS: Props = {
  namespace: "dr-backups",
  registry: REGISTRY_US_EAST_2,
  cluster: { name: "acme-us-east-1", arn: CLUSTER_ARN, accountId: "123456789012" },
  roleName: "acme-pitr-test-us-east-1",
  alarmName: "acme-us-east-1-pitr-test-failed",
  environmentDimension: "acme-us-east-1",
  database: {
    identifier: "acme-use1-postgres",
    region: "us-east-1",
    accountId: "123456789012",
    subnetGroupName: "acme-use1-postgres",
    parameterGroupName: "acme-use1-postgres-postgres16",
    securityGroupIds: ["sg-0123456789abcdef0"],
    kmsKeyArn: DATA_KEY,
  },
  instancePrefix: "acme-use1-postgres-pitr",
  instanceClass: "db.t4g.medium",
};

function build(props: Partial<Props> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const provider = new AwsProvider(stack, "aws", { region: "us-east-2" });
  new KubernetesProvider(stack, "kubernetes", {});
  const bucket = new HostingServicesBucket(stack, "hosting-services", {
    bucketName: "acme-hosting-services-us-east-1",
    provider,
    region: "us-east-2",
    kmsKeyArn: ARCHIVE_KEY,
  });
  const job = new PointInTimeRestoreTestJob(stack, "pitr", { ...PROPS, ...props, bucket });
  return { job, json: synthJson(stack) };
}

const { json, job } = build();
const cron = onlyResource(json, "kubernetes_cron_job_v1").config;
const pod = cron.spec.job_template.spec.template.spec;
const configMapId = onlyResource(json, "kubernetes_config_map_v1").id;
const bucketId = onlyResource(json, "aws_s3_bucket").id;
const roleId = onlyResource(json, "aws_iam_role").id;
const serviceAccountId = onlyResource(json, "kubernetes_service_account_v1").id;
const terraformValue = (text: string) => text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
const BUCKET_ARN = ref("aws_s3_bucket", bucketId, "arn");
const RDS = "arn:aws:rds:us-east-1:123456789012";

describe("PointInTimeRestoreTestJob", () => {
  it("runs monthly by default, one at a time, without retries, as its own service account", () => {
    expect([job.schedule, job.windowDays, job.restoreMinutesTarget, job.cronJobName]).toEqual(["0 5 1 * *", 7, 120, "pitr-restore-test"]);
    expect(cron.metadata).toEqual({ name: "pitr-restore-test", namespace: "dr-backups" });
    expect(cron.spec.schedule).toBe("0 5 1 * *");
    expect(cron.spec.concurrency_policy).toBe("Forbid");
    expect(cron.spec.job_template.spec.backoff_limit).toBe(0);
    expect(pod.restart_policy).toBe("Never");
    expect(pod.service_account_name).toBe(ref("kubernetes_service_account_v1", serviceAccountId, "metadata[0].name"));
    expect(onlyResource(json, "kubernetes_service_account_v1").config).toEqual({
      metadata: { name: "pitr-restore-test", namespace: "dr-backups" },
      automount_service_account_token: false,
    });
    expect(onlyResource(json, "aws_eks_pod_identity_association").config).toEqual({
      cluster_name: "acme-us-east-1",
      namespace: "dr-backups",
      service_account: ref("kubernetes_service_account_v1", serviceAccountId, "metadata[0].name"),
      role_arn: ref("aws_iam_role", roleId, "arn"),
    });
  });

  it("mounts the repository's point-in-time test and checksum scripts, escaped for Terraform", () => {
    const data = onlyResource(json, "kubernetes_config_map_v1").config.data;
    expect(Object.keys(data).sort()).toEqual(["pitr-restore-test.sh", "script-common.sh", "table-checksums.sql"]);
    for (const file of Object.keys(data)) expect(terraformValue(data[file])).toBe(fs.readFileSync(path.join(REPO, "backup", file), "utf8"));
  });

  it("starts and finishes with the pinned aws CLI, checks with the pinned postgres image; the password volume is in memory and not the finishing step's", () => {
    expect(pod.init_container.map((c: any) => [c.name, c.image, c.command])).toEqual([
      ["start", PINNED.awsCli(), ["/bin/sh", "/scripts/pitr-restore-test.sh", "start"]],
      ["check", PINNED.postgres(), ["/bin/sh", "/scripts/pitr-restore-test.sh", "check"]],
    ]);
    expect(pod.container.map((c: any) => [c.name, c.image, c.command])).toEqual([
      ["finish", PINNED.awsCli(), ["/bin/sh", "/scripts/pitr-restore-test.sh", "finish"]],
    ]);
    const common = [
      { name: "ARCHIVE_DIR", value: "/work" },
      { name: "HOME", value: "/tmp" },
    ];
    const aws = [
      { name: "ARCHIVE_BUCKET", value: ref("aws_s3_bucket", bucketId, "bucket") },
      { name: "ARCHIVE_REGION", value: "us-east-2" },
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "SOURCE_DB_IDENTIFIER", value: "acme-use1-postgres" },
      { name: "RESTORE_DB_PREFIX", value: "acme-use1-postgres-pitr" },
    ];
    const target = { name: "RESTORE_SECONDS_TARGET", value: "7200" };
    const secret = { name: "SECRET_DIR", value: "/run/pitr-restore-test" };
    expect(pod.init_container[0].env).toEqual([
      ...common,
      ...aws,
      target,
      secret,
      { name: "RESTORE_TEST_WINDOW_DAYS", value: "7" },
      { name: "DB_INSTANCE_CLASS", value: "db.t4g.medium" },
      { name: "DB_SUBNET_GROUP", value: "acme-use1-postgres" },
      { name: "DB_PARAMETER_GROUP", value: "acme-use1-postgres-postgres16" },
      { name: "DB_SECURITY_GROUP_IDS", value: "sg-0123456789abcdef0" },
    ]);
    expect(pod.init_container[1].env).toEqual([...common, target, secret, { name: "PGSSLMODE", value: "require" }]);
    expect(pod.container[0].env).toEqual([
      ...common,
      ...aws,
      target,
      { name: "RESTORE_TEST_NAMESPACE", value: "DrPlatform/RestoreTest" },
      { name: "RESTORE_TEST_ENVIRONMENT", value: "acme-us-east-1" },
    ]);
    expect(pod.volume).toEqual([
      { name: "scripts", config_map: { name: ref("kubernetes_config_map_v1", configMapId, "metadata[0].name"), default_mode: "0555" } },
      { name: "work", empty_dir: { size_limit: "1Gi" } },
      { name: "tmp", empty_dir: { size_limit: "1Gi" } },
      { name: "secret", empty_dir: { medium: "Memory", size_limit: "1Mi" } },
    ]);
    expect([...pod.init_container, ...pod.container].map((c: any) => c.volume_mount.map((m: any) => m.name))).toEqual([
      ["scripts", "work", "tmp", "secret"],
      ["scripts", "work", "tmp", "secret"],
      ["scripts", "work", "tmp"],
    ]);
  });

  it("runs every container restricted: numeric non-root user, read-only root, no capabilities, RuntimeDefault seccomp", () => {
    expect(pod.security_context).toEqual(JOB_POD_SECURITY_CONTEXT);
    for (const container of [...pod.init_container, ...pod.container]) expect(container.security_context).toEqual(JOB_CONTAINER_SECURITY_CONTEXT);
  });

  it("may restore the database's backups only into instances under its prefix, change and delete only those, and read manifests, not archives", () => {
    const role = onlyResource(json, "aws_iam_role").config;
    expect(role.name).toBe("acme-pitr-test-us-east-1");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnEquals: { "aws:SourceArn": CLUSTER_ARN },
    });
    expect(JSON.parse(onlyResource(json, "aws_iam_role_policy").config.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "DescribeInstances", Effect: "Allow", Action: "rds:DescribeDBInstances", Resource: `${RDS}:db:*` },
        {
          Sid: "RestoreIntoTemporaryInstance",
          Effect: "Allow",
          Action: "rds:RestoreDBInstanceToPointInTime",
          Resource: [
            `${RDS}:db:acme-use1-postgres`,
            `${RDS}:db:acme-use1-postgres-pitr-*`,
            `${RDS}:subgrp:acme-use1-postgres`,
            `${RDS}:pg:acme-use1-postgres-postgres16`,
            `${RDS}:og:default:postgres-*`,
          ],
        },
        {
          Sid: "ChangeAndDeleteTemporaryInstances",
          Effect: "Allow",
          Action: ["rds:AddTagsToResource", "rds:ModifyDBInstance", "rds:DeleteDBInstance"],
          Resource: `${RDS}:db:acme-use1-postgres-pitr-*`,
        },
        {
          Sid: "EncryptRestoredStorage",
          Effect: "Allow",
          Action: ["kms:CreateGrant", "kms:DescribeKey"],
          Resource: DATA_KEY,
          Condition: { StringEquals: { "kms:ViaService": "rds.us-east-1.amazonaws.com" } },
        },
        { Sid: "ListArchives", Effect: "Allow", Action: "s3:ListBucket", Resource: BUCKET_ARN },
        { Sid: "ReadManifests", Effect: "Allow", Action: "s3:GetObject", Resource: `${BUCKET_ARN}/postgres/*/manifest.json` },
        { Sid: "PutPointInTimeReports", Effect: "Allow", Action: "s3:PutObject", Resource: `${BUCKET_ARN}/postgres/*/pitr-test-*.json` },
        {
          Sid: "UseArchiveKey",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: ARCHIVE_KEY,
          Condition: {
            StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com" },
            StringLike: { "kms:EncryptionContext:aws:s3:arn": [BUCKET_ARN, `${BUCKET_ARN}/*`] },
          },
        },
        {
          Sid: "PublishPointInTimeMetrics",
          Effect: "Allow",
          Action: "cloudwatch:PutMetricData",
          Resource: "*",
          Condition: { StringEquals: { "cloudwatch:namespace": "DrPlatform/RestoreTest" } },
        },
      ],
    });
  });

  it("alarms on a failed run in the database's region; no run is not a failure (a monthly job leaves most days empty)", () => {
    expect(onlyResource(json, "aws_cloudwatch_metric_alarm").config).toEqual({
      alarm_name: "acme-us-east-1-pitr-test-failed",
      alarm_description:
        "A point-in-time restore test of acme-use1-postgres's automated backups failed or took longer than 120 minutes: read the report next to the archive (pitr-test-<stamp>.json) and the job's log (docs/backups.md)",
      namespace: "DrPlatform/RestoreTest",
      dimensions: { Environment: "acme-us-east-1" },
      period: 86400,
      metric_name: "PointInTimeRestoreTestSuccess",
      statistic: "Minimum",
      evaluation_periods: 1,
      threshold: 1,
      comparison_operator: "LessThanThreshold",
      treat_missing_data: "notBreaching",
    });
  });

  it("takes its schedule, window, target and alarm topic", () => {
    const { json: custom, job: made } = build({
      schedule: "@monthly",
      windowDays: 35,
      restoreMinutesTarget: 30,
      alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:dr",
    });
    expect([made.schedule, made.windowDays, made.restoreMinutesTarget]).toEqual(["@monthly", 35, 30]);
    const env = onlyResource(custom, "kubernetes_cron_job_v1").config.spec.job_template.spec.template.spec.init_container[0].env;
    expect(env).toEqual(
      expect.arrayContaining([
        { name: "RESTORE_TEST_WINDOW_DAYS", value: "35" },
        { name: "RESTORE_SECONDS_TARGET", value: "1800" },
      ]),
    );
    expect(onlyResource(custom, "aws_cloudwatch_metric_alarm").config).toMatchObject({
      alarm_actions: ["arn:aws:sns:us-east-1:123456789012:dr"],
      ok_actions: ["arn:aws:sns:us-east-1:123456789012:dr"],
    });
  });

  it("refuses bad props with every problem listed", () => {
    expect(() =>
      build({
        schedule: "monthly",
        windowDays: 36,
        restoreMinutesTarget: 0,
        name: "PITR",
        instancePrefix: "other-db-pitr",
        database: { ...PROPS.database, securityGroupIds: [] },
      }),
    ).toThrow(
      [
        'PointInTimeRestoreTestJob: name must be a DNS label of at most 52 characters (got "PITR")',
        'PointInTimeRestoreTestJob: schedule must be five cron fields or a macro such as @hourly (got "monthly")',
        "PointInTimeRestoreTestJob: windowDays must be a whole number from 1 to 35 (got 36)",
        "PointInTimeRestoreTestJob: restoreMinutesTarget must be a whole number from 1 to 1440 (got 0)",
        "PointInTimeRestoreTestJob: instancePrefix must start with the database's identifier and a hyphen (acme-use1-postgres-), so that the role can touch no other instance's name",
        "PointInTimeRestoreTestJob: database.securityGroupIds must name at least one security group",
      ].join("\n"),
    );
    for (const prefix of ["acme-use1-postgres-", "acme-use1-postgres--pitr", `acme-use1-postgres-${"x".repeat(32)}`, "Acme-use1-postgres-pitr"]) {
      expect(() => build({ instancePrefix: prefix })).toThrow(/instancePrefix must be an RDS identifier of at most 50 characters/);
    }
    expect(() => build({ instancePrefix: `acme-use1-postgres-${"x".repeat(31)}` })).not.toThrow();
  });
});
