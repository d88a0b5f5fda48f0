import * as fs from "fs";
import * as path from "path";
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { HostingServicesBucket } from "../../lib/constructs/hosting-services-bucket";
import { RestoreTestJob, type RestoreTestJobProps } from "../../lib/constructs/restore-test-job";
import { DR_POLICY_PACK } from "../../lib/policy/pack";
import { toSynthesizedStack } from "../../lib/policy/aspect";
import { ARCHIVE_KEY, JOB_CONTAINER_SECURITY_CONTEXT, JOB_POD_SECURITY_CONTEXT } from "../support/expected";
import { onlyResource, ref, synthJson } from "../support/synth";
import { REPO } from "../support/run";
import { PINNED, REGISTRY_US_EAST_2 } from "../support/images";

type Props = Omit<RestoreTestJobProps, "bucket">;
const CLUSTER_ARN = "arn:aws:eks:us-east-1:123456789012:cluster/acme-us-east-1";
const PROPS: Props = {
  namespace: "dr-backups",
  registry: REGISTRY_US_EAST_2,
  cluster: { name: "acme-us-east-1", arn: CLUSTER_ARN, accountId: "123456789012" },
  roleName: "acme-restore-test-us-east-1",
  alarmRegion: "us-east-1",
  alarmNames: { failed: "acme-us-east-1-restore-test-failed", overdue: "acme-us-east-1-restore-test-overdue" },
  environmentDimension: "acme-us-east-1",
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
  const job = new RestoreTestJob(stack, "restore-test", { ...PROPS, ...props, bucket });
  return { job, json: synthJson(stack) };
}

const { json, job } = build();
const cron = onlyResource(json, "kubernetes_cron_job_v1").config;
const pod = cron.spec.job_template.spec.template.spec;
const configMapId = onlyResource(json, "kubernetes_config_map_v1").id;
const bucketId = onlyResource(json, "aws_s3_bucket").id;
const roleId = onlyResource(json, "aws_iam_role").id;
const serviceAccountId = onlyResource(json, "kubernetes_service_account_v1").id;
const alarms = Object.fromEntries(Object.values(json.resource!.aws_cloudwatch_metric_alarm as Record<string, any>).map((a) => [a.alarm_name, a]));
const terraformValue = (text: string) => text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
const BUCKET_ARN = ref("aws_s3_bucket", bucketId, "arn");

describe("RestoreTestJob", () => {
  it("runs weekly by default, one at a time, without retries, as its own service account", () => {
    expect([job.schedule, job.windowDays, job.restoreMinutesTarget]).toEqual(["30 3 * * 0", 7, 30]);
    expect(cron.metadata).toEqual({ name: "restore-test", namespace: "dr-backups" });
    expect(cron.spec.schedule).toBe("30 3 * * 0");
    expect(cron.spec.concurrency_policy).toBe("Forbid");
    expect(cron.spec.job_template.spec.backoff_limit).toBe(0);
    expect(pod.restart_policy).toBe("Never");
    expect(pod.service_account_name).toBe(ref("kubernetes_service_account_v1", serviceAccountId, "metadata[0].name"));
    expect(onlyResource(json, "kubernetes_service_account_v1").config).toEqual({
      metadata: { name: "restore-test", namespace: "dr-backups" },
      automount_service_account_token: false,
    });
    expect(onlyResource(json, "aws_eks_pod_identity_association").config).toEqual({
      cluster_name: "acme-us-east-1",
      namespace: "dr-backups",
      service_account: ref("kubernetes_service_account_v1", serviceAccountId, "metadata[0].name"),
      role_arn: ref("aws_iam_role", roleId, "arn"),
    });
  });

  it("mounts the repository's restore-test, verify-archive and checksum scripts, escaped for Terraform", () => {
    const data = onlyResource(json, "kubernetes_config_map_v1").config.data;
    expect(Object.keys(data).sort()).toEqual(["restore-test.sh", "script-common.sh", "table-checksums.sql", "verify-archive.sh"]);
    for (const file of Object.keys(data)) expect(terraformValue(data[file])).toBe(fs.readFileSync(path.join(REPO, "backup", file), "utf8"));
  });

  it("picks and reports with the pinned aws CLI and restores with the pinned postgres image into an emptyDir, from the region's registry", () => {
    expect(pod.init_container.map((c: any) => [c.name, c.image, c.command])).toEqual([
      ["pick", PINNED.awsCli(), ["/bin/sh", "/scripts/restore-test.sh", "pick"]],
      ["restore", PINNED.postgres(), ["/bin/sh", "/scripts/restore-test.sh", "restore"]],
    ]);
    expect(pod.container.map((c: any) => [c.name, c.image, c.command])).toEqual([
      ["report", PINNED.awsCli(), ["/bin/sh", "/scripts/restore-test.sh", "report"]],
    ]);
    const common = [
      { name: "ARCHIVE_DIR", value: "/work" },
      { name: "HOME", value: "/tmp" },
    ];
    const bucket = [
      { name: "ARCHIVE_BUCKET", value: ref("aws_s3_bucket", bucketId, "bucket") },
      { name: "AWS_REGION", value: "us-east-2" },
    ];
    expect(pod.init_container[0].env).toEqual([...common, ...bucket, { name: "RESTORE_TEST_WINDOW_DAYS", value: "7" }]);
    expect(pod.init_container[1].env).toEqual([...common, { name: "RESTORE_DATA_DIR", value: "/restore" }, { name: "RESTORE_SECONDS_TARGET", value: "1800" }]);
    expect(pod.container[0].env).toEqual([
      ...common,
      ...bucket,
      { name: "RESTORE_SECONDS_TARGET", value: "1800" },
      { name: "RESTORE_TEST_NAMESPACE", value: "DrPlatform/RestoreTest" },
      { name: "RESTORE_TEST_ENVIRONMENT", value: "acme-us-east-1" },
      // The alarms' region (the cluster's), not the archives'.
      { name: "METRICS_REGION", value: "us-east-1" },
    ]);
    expect(pod.volume).toEqual([
      { name: "scripts", config_map: { name: ref("kubernetes_config_map_v1", configMapId, "metadata[0].name"), default_mode: "0555" } },
      { name: "work", empty_dir: { size_limit: "20Gi" } },
      { name: "tmp", empty_dir: { size_limit: "1Gi" } },
      { name: "database", empty_dir: { size_limit: "20Gi" } },
    ]);
    expect(pod.init_container[1].volume_mount.map((m: any) => m.name)).toEqual(["scripts", "work", "tmp", "database"]);
    expect(pod.init_container[0].volume_mount.map((m: any) => m.name)).toEqual(["scripts", "work", "tmp"]);
  });

  it("runs every container restricted: numeric non-root user, read-only root, no capabilities, RuntimeDefault seccomp", () => {
    expect(pod.security_context).toEqual(JOB_POD_SECURITY_CONTEXT);
    for (const container of [...pod.init_container, ...pod.container]) {
      expect(container.security_context).toEqual(JOB_CONTAINER_SECURITY_CONTEXT);
    }
  });

  it("grants reading the archives, putting reports next to them, the archive key for that bucket, and its metrics' namespace only", () => {
    const role = onlyResource(json, "aws_iam_role").config;
    expect(role.name).toBe("acme-restore-test-us-east-1");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnEquals: { "aws:SourceArn": CLUSTER_ARN },
    });
    expect(JSON.parse(onlyResource(json, "aws_iam_role_policy").config.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ListArchives", Effect: "Allow", Action: "s3:ListBucket", Resource: BUCKET_ARN },
        { Sid: "ReadArchives", Effect: "Allow", Action: "s3:GetObject", Resource: `${BUCKET_ARN}/postgres/*` },
        { Sid: "PutRestoreTestReports", Effect: "Allow", Action: "s3:PutObject", Resource: `${BUCKET_ARN}/postgres/*/restore-test-*.json` },
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
          Sid: "PublishRestoreTestMetrics",
          Effect: "Allow",
          Action: "cloudwatch:PutMetricData",
          Resource: "*",
          Condition: { StringEquals: { "cloudwatch:namespace": "DrPlatform/RestoreTest" } },
        },
      ],
    });
  });

  it("alarms on a failed run, and on no successful run for 7 days with missing data breaching", () => {
    const metric = { namespace: "DrPlatform/RestoreTest", metric_name: "RestoreTestSuccess", dimensions: { Environment: "acme-us-east-1" }, period: 86400 };
    expect(alarms["acme-us-east-1-restore-test-failed"]).toEqual({
      alarm_name: "acme-us-east-1-restore-test-failed",
      alarm_description: expect.stringContaining("failed or took longer than 30 minutes"),
      ...metric,
      statistic: "Minimum",
      evaluation_periods: 1,
      threshold: 1,
      comparison_operator: "LessThanThreshold",
      treat_missing_data: "notBreaching",
    });
    expect(alarms["acme-us-east-1-restore-test-overdue"]).toEqual({
      alarm_name: "acme-us-east-1-restore-test-overdue",
      alarm_description: expect.stringContaining("succeeded in 7 days"),
      ...metric,
      statistic: "Maximum",
      evaluation_periods: 7,
      datapoints_to_alarm: 7,
      threshold: 1,
      comparison_operator: "LessThanThreshold",
      treat_missing_data: "breaching",
    });
  });

  it("takes a schedule, a window, a target, overdue days and an alarm topic", () => {
    const topic = "arn:aws:sns:us-east-1:123456789012:alerts";
    const { json: custom } = build({ schedule: "@daily", windowDays: 30, restoreMinutesTarget: 90, overdueDays: 2, alarmTopicArn: topic });
    const spec = onlyResource(custom, "kubernetes_cron_job_v1").config.spec;
    expect(spec.schedule).toBe("@daily");
    const env = [...spec.job_template.spec.template.spec.init_container, ...spec.job_template.spec.template.spec.container].flatMap((c: any) => c.env);
    expect(env).toEqual(
      expect.arrayContaining([
        { name: "RESTORE_TEST_WINDOW_DAYS", value: "30" },
        { name: "RESTORE_SECONDS_TARGET", value: "5400" },
      ]),
    );
    const overdue = Object.values(custom.resource!.aws_cloudwatch_metric_alarm as Record<string, any>).find((a) => a.alarm_name.endsWith("overdue"));
    expect([overdue.evaluation_periods, overdue.datapoints_to_alarm, overdue.alarm_actions, overdue.ok_actions]).toEqual([2, 2, [topic], [topic]]);
  });

  it("names every invalid prop at once", () => {
    expect(() => build({ name: "Restore", schedule: "weekly", windowDays: 0, restoreMinutesTarget: 1.5, overdueDays: 8 })).toThrow(
      [
        'RestoreTestJob: name must be a DNS label of at most 52 characters (got "Restore")',
        'RestoreTestJob: schedule must be five cron fields or a macro such as @hourly (got "weekly")',
        "RestoreTestJob: windowDays must be a whole number from 1 to 365 (got 0)",
        "RestoreTestJob: restoreMinutesTarget must be a whole number from 1 to 1440 (got 1.5)",
        "RestoreTestJob: overdueDays must be a whole number from 1 to 7 (got 8)",
      ].join("\n"),
    );
  });

  it("passes every rule of the policy pack with no suppression", () => {
    const stack = toSynthesizedStack(json);
    const ours = stack.resources.filter((r) => r.type !== "aws_s3_bucket" && !r.type.startsWith("aws_s3_bucket_"));
    const failures = ours.flatMap((resource) =>
      DR_POLICY_PACK.rules
        .filter(({ rule }) => rule.evaluate(resource, stack) === "non-compliant")
        .map(({ rule }) => `${rule.id} ${resource.type}.${resource.id}`),
    );
    expect(failures).toEqual([]);
    const applicable = (id: string) =>
      ours.filter((resource) => DR_POLICY_PACK.rules.find((r) => r.rule.id === id)!.rule.evaluate(resource, stack) === "compliant");
    expect(applicable("DR-IAM-1").map((r) => r.type)).toEqual(["aws_iam_role_policy"]);
    // The pod rules judged the CronJob (compliant, not "not applicable").
    expect(applicable("DR-K8S-1").map((r) => r.type)).toEqual(["kubernetes_cron_job_v1"]);
    expect(applicable("DR-K8S-3").map((r) => r.type)).toEqual(["kubernetes_cron_job_v1"]);
  });
});
