import * as fs from "fs";
import * as path from "path";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../../lib/environment";
import {
  READINESS_BUNDLE_DIR,
  ReadinessCheck,
  readinessReadsRoute53,
  readinessStatements,
  type ReadinessCheckProps,
} from "../../lib/constructs/readiness-check";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { ref, resourceAt, synthJson, testStack } from "../support/synth";
import { REPO } from "../support/run";
import { tempDir } from "../support/temp";

const primary = environment(primaryInput()) as PrimaryEnvironment;
const recovery = environment(recoveryInput({ standby: { alarmTopicArn: "arn:aws:sns:us-east-2:123456789012:on-call" } })) as RecoveryEnvironment;
const LOGS_KEY = "arn:aws:kms:us-east-2:123456789012:key/logs";

/** A bundle folder as `npm run build` leaves it (the construct only copies its package; any bytes do here). */
function bundle(): string {
  const dir = tempDir("readiness-bundle-");
  fs.writeFileSync(path.join(dir, "function.zip"), "package of exports.handler = async () => ({});\n");
  return dir;
}
const BUNDLE = bundle();

function synth(props: Partial<ReadinessCheckProps> = {}) {
  const stack = testStack();
  const check = new ReadinessCheck(stack, "readiness", { recovery, primary, logsKmsKeyArn: LOGS_KEY, bundleDir: BUNDLE, ...props });
  return { json: synthJson(stack), check };
}

describe("ReadinessCheck", () => {
  const { json, check } = synth();
  const fn = resourceAt(json, "aws_lambda_function", "readiness/function");

  it("runs the package's bundled handler as a Lambda function of the recovery region, logging to an encrypted log group", () => {
    expect(check.functionName).toBe("acme-readiness-us-east-2");
    expect(fn.config).toMatchObject({
      function_name: "acme-readiness-us-east-2",
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      memory_size: 512,
      timeout: 180,
      role: ref("aws_iam_role", resourceAt(json, "aws_iam_role", "readiness/role").id, "arn"),
      filename: expect.stringMatching(/^assets\/readiness_code_[0-9A-F]{8}\/[0-9A-F]{32}\/function\.zip$/),
      source_code_hash: expect.stringMatching(/^[0-9A-F]{32}$/),
    });
    expect(resourceAt(json, "aws_cloudwatch_log_group", "readiness/logs").config).toEqual({
      name: "/aws/lambda/acme-readiness-us-east-2",
      retention_in_days: 90,
      kms_key_id: LOGS_KEY,
    });
    // The package's own build, resolved from where this module is (dist/readiness once compiled).
    expect(READINESS_BUNDLE_DIR).toBe(path.join(REPO, "dist/readiness"));
  });

  it("deploys new code when the bundle changes: the archive's folder and source_code_hash follow the bundle's content", () => {
    const changed = tempDir("readiness-bundle-");
    fs.writeFileSync(path.join(changed, "function.zip"), "package of exports.handler = async () => ({ changed: true });\n");
    const same = tempDir("readiness-bundle-");
    fs.copyFileSync(path.join(BUNDLE, "function.zip"), path.join(same, "function.zip"));
    const hashOf = (bundleDir: string) => {
      const config = resourceAt(synth({ bundleDir }).json, "aws_lambda_function", "readiness/function").config;
      expect(config.filename).toContain(`/${config.source_code_hash}/`);
      return config.source_code_hash;
    };
    expect(hashOf(same)).toBe(fn.config.source_code_hash);
    expect(hashOf(changed)).not.toBe(fn.config.source_code_hash);
  });

  it("is invoked every readinessCheckMinutes by EventBridge Scheduler with the environments pair as its input, never retried", () => {
    const schedule = resourceAt(json, "aws_scheduler_schedule", "readiness/schedule").config;
    expect(schedule).toMatchObject({
      name: "acme-readiness-us-east-2",
      schedule_expression: "rate(30 minutes)",
      flexible_time_window: { mode: "OFF" },
      target: {
        arn: ref("aws_lambda_function", fn.id, "arn"),
        role_arn: ref("aws_iam_role", resourceAt(json, "aws_iam_role", "readiness/scheduler-role").id, "arn"),
        retry_policy: { maximum_retry_attempts: 0 },
      },
    });
    expect(JSON.parse(schedule.target.input)).toEqual(JSON.parse(JSON.stringify({ recovery, primary })));
    expect(JSON.parse(resourceAt(json, "aws_iam_role", "readiness/scheduler-role").config.assume_role_policy).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "scheduler.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
    expect(JSON.parse(resourceAt(json, "aws_iam_role_policy", "readiness/scheduler-policy").config.policy).Statement).toEqual([
      { Sid: "InvokePreflight", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: ref("aws_lambda_function", fn.id, "arn") },
    ]);
    const every15 = synth({ recovery: { ...recovery, standby: { ...recovery.standby, readinessCheckMinutes: 15 } } }).json;
    expect(resourceAt(every15, "aws_scheduler_schedule", "readiness/schedule").config.schedule_expression).toBe("rate(15 minutes)");
  });

  it("alarms on any failed check, and on missing runs, into the environment's topic", () => {
    expect(resourceAt(json, "aws_cloudwatch_metric_alarm", "readiness/alarm").config).toEqual({
      alarm_name: "acme-readiness-us-east-2-failed",
      alarm_description:
        "A check of the scheduled preflight of us-east-2 failed, or the preflight stopped reporting: run npx dr-platform preflight us-east-2 and follow each fix (docs/readiness.md)",
      namespace: "DrPlatform/Readiness",
      metric_name: "Failures",
      dimensions: { Region: "us-east-2" },
      statistic: "Maximum",
      // Two intervals: every evaluation period holds at least one run.
      period: 3600,
      evaluation_periods: 1,
      threshold: 1,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      treat_missing_data: "breaching",
      alarm_actions: ["arn:aws:sns:us-east-2:123456789012:on-call"],
      ok_actions: ["arn:aws:sns:us-east-2:123456789012:on-call"],
    });
    const silent = synth({ recovery: { ...recovery, standby: { ...recovery.standby, alarmTopicArn: undefined, readinessCheckMinutes: 1000 } } }).json;
    const alarm = resourceAt(silent, "aws_cloudwatch_metric_alarm", "readiness/alarm").config;
    expect([alarm.alarm_actions, alarm.ok_actions, alarm.period]).toEqual([undefined, undefined, 86400]);
  });

  it("may read exactly what the preflight reads, in the recovery region and the state bucket, and publish its metrics", () => {
    expect(JSON.parse(resourceAt(json, "aws_iam_role_policy", "readiness/policy").config.policy).Statement).toEqual(readinessStatements(recovery, primary));
    expect(readinessStatements(recovery, primary)).toEqual([
      {
        Sid: "WriteItsLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: "arn:aws:logs:us-east-2:123456789012:log-group:/aws/lambda/acme-readiness-us-east-2:*",
      },
      { Sid: "ListStates", Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::acme-terraform-state" },
      {
        Sid: "ReadStates",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: [
          "standby-us-east-2",
          "networking-us-east-2",
          "application-us-east-2",
          "kubernetes-us-east-2",
          "gitops-us-east-2",
          "workloads-us-east-2",
          "replication-us-east-2",
          "application-us-east-1",
          "networking-us-east-1",
        ].map((stack) => `arn:aws:s3:::acme-terraform-state/${stack}.tfstate`),
      },
      {
        Sid: "ReadGitCredentials",
        Effect: "Allow",
        Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
        Resource: "arn:aws:secretsmanager:us-east-2:123456789012:secret:acme/flux/git-??????",
      },
      {
        Sid: "DescribeSopsReplica",
        Effect: "Allow",
        Action: "kms:DescribeKey",
        Resource: "arn:aws:kms:us-east-2:123456789012:key/*",
        Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/acme-sops-us-east-1" } },
      },
      {
        Sid: "ReadReplicatedBackups",
        Effect: "Allow",
        Action: "rds:DescribeDBInstanceAutomatedBackups",
        // The primary's serving database generation and the next (its restore-database needs no deploy here).
        Resource: [
          "arn:aws:rds:us-east-2:123456789012:auto-backup:*",
          "arn:aws:rds:us-east-2:123456789012:db:acme-us-east-1",
          "arn:aws:rds:us-east-2:123456789012:db:acme-us-east-1-g2",
        ],
      },
      {
        Sid: "ReadImages",
        Effect: "Allow",
        Action: ["ecr:DescribeRepositories", "ecr:DescribeImages"],
        Resource: "arn:aws:ecr:us-east-2:123456789012:repository/*",
      },
      {
        Sid: "ReadServiceQuotas",
        Effect: "Allow",
        Action: ["servicequotas:GetServiceQuota", "servicequotas:GetAWSDefaultServiceQuota"],
        Resource: ["ec2", "eks", "rds"].map((service) => `arn:aws:servicequotas:us-east-2:123456789012:${service}/*`),
      },
      {
        Sid: "ReadCatalogues",
        Effect: "Allow",
        Action: [
          "ec2:DescribeInstanceTypes",
          "ecr:DescribePullThroughCacheRules",
          "ecr:ValidatePullThroughCacheRule",
          "eks:DescribeAddonVersions",
          "eks:DescribeClusterVersions",
          "mq:DescribeBrokerEngineTypes",
          "mq:DescribeBrokerInstanceOptions",
          "rds:DescribeDBEngineVersions",
          "rds:DescribeOrderableDBInstanceOptions",
        ],
        Resource: "*",
      },
      {
        Sid: "PublishReadiness",
        Effect: "Allow",
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": "DrPlatform/Readiness" } },
      },
    ]);
    expect(JSON.parse(resourceAt(json, "aws_iam_role", "readiness/role").config.assume_role_policy).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
  });

  it("describes a warm standby's read replica, that instance only (the preflight's database-replica row)", () => {
    const warm: RecoveryEnvironment = { ...recovery, tier: "warm-standby" };
    const statements = readinessStatements(warm, primary);
    expect(statements.filter((s) => s.Sid === "DescribeReplica")).toEqual([
      { Sid: "DescribeReplica", Effect: "Allow", Action: "rds:DescribeDBInstances", Resource: "arn:aws:rds:us-east-2:123456789012:db:acme-us-east-2" },
    ]);
    expect(statements.filter((s) => s.Sid !== "DescribeReplica")).toEqual(readinessStatements(recovery, primary));
  });

  it("reads Route 53's health checks only when its control plane (us-east-1) is not the primary's region", () => {
    expect(readinessReadsRoute53(primary)).toBe(false);
    const euPrimary = { ...primary, region: "eu-west-1" } as PrimaryEnvironment;
    const euRecovery = { ...recovery, recoveryOf: "eu-west-1" } as RecoveryEnvironment;
    expect(readinessReadsRoute53(euPrimary)).toBe(true);
    expect(readinessStatements(euRecovery, euPrimary)).toContainEqual({
      Sid: "ReadHealthChecks",
      Effect: "Allow",
      Action: "route53:GetHealthCheckStatus",
      Resource: "arn:aws:route53:::healthcheck/*",
    });
    expect(readinessStatements(recovery, primary).map((s) => s.Sid)).not.toContain("ReadHealthChecks");
  });

  it("refuses a pair that does not belong together, an interval out of range and a missing bundle, all at once", () => {
    const other = { ...primary, region: "eu-west-1" } as PrimaryEnvironment;
    expect(() =>
      synth({ primary: other, recovery: { ...recovery, standby: { ...recovery.standby, readinessCheckMinutes: 2 } }, bundleDir: path.join(BUNDLE, "missing") }),
    ).toThrow(
      `ReadinessCheck: recovery must recover primary (us-east-2 recovers us-east-1, not eu-west-1); recovery.standby.readinessCheckMinutes must be a whole number from 5 to 1440 (got 2); bundleDir has no function.zip (${path.join(BUNDLE, "missing")}): run npm run build`,
    );
  });
});
