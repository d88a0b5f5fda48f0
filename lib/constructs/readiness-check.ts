import * as fs from "fs";
import * as path from "path";
import { Construct } from "constructs";
import { AssetType, TerraformAsset } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../environment";
import { preparedDatabaseGenerations, servingDatabaseIdentifier } from "../environment/generations";
import { READINESS_INTERVAL_MINUTES } from "../environment/sections/standby";
import {
  databaseIdentifier,
  environmentNames,
  lambdaLogGroup,
  logGroupArn,
  READINESS_FAILURES_METRIC,
  READINESS_METRIC_NAMESPACE,
  readinessNames,
  regionalNames,
  ROLE_STACK_KINDS,
  ROUTE53_CONTROL_REGION,
  secretArnPattern,
  stackId,
  stateKey,
} from "../naming";
import { policyDocument, type PolicyStatement } from "./private/iam";

/** This module runs as TypeScript in the tests and `synth:dev`; the bundle is then the repository's build. */
const RUNNING_AS_TYPESCRIPT = __filename.endsWith(".ts");

/** The deployment package in the bundle folder (scripts/readiness-bundle.mjs writes it). */
export const READINESS_PACKAGE = "function.zip";

/**
 * The folder of the handler's bundle (`index.js`, built by `npm run build` from
 * lib/operations/readiness/handler.ts, and its deployment package `function.zip`): `dist/readiness`
 * of the package this module belongs to.
 */
export const READINESS_BUNDLE_DIR = RUNNING_AS_TYPESCRIPT ? path.resolve(__dirname, "../../dist/readiness") : path.resolve(__dirname, "../../readiness");

export interface ReadinessCheckProps {
  /** The recovery whose region is checked (the function, schedule and alarm are in its region). */
  readonly recovery: RecoveryEnvironment;
  /** The primary it recovers: the preflight compares the replicated backups with its state, never calling its region. */
  readonly primary: PrimaryEnvironment;
  /** Key of the function's log group (the recovery region's logs key). */
  readonly logsKmsKeyArn: string;
  /**
   * Days the function's log group keeps a run's output.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * Folder holding the function's deployment package (`function.zip`: `index.js`, exporting `handler`).
   * @default READINESS_BUNDLE_DIR (the package's build)
   */
  readonly bundleDir?: string;
}

/** Whether the scheduled run reads Route 53 (its control plane is us-east-1: left out when that is the primary's region). */
export function readinessReadsRoute53(primary: PrimaryEnvironment): boolean {
  return primary.region !== ROUTE53_CONTROL_REGION;
}

/**
 * The function's permissions: exactly what the preflight reads in the recovery region and the
 * state bucket, plus its metrics. Calls that take no resource (the catalogues of EKS, RDS, Amazon
 * MQ and EC2, the registry's cache rules, PutMetricData) are on `*`; the rest are scoped.
 */
export function readinessStatements(recovery: RecoveryEnvironment, primary: PrimaryEnvironment): PolicyStatement[] {
  const { region: r, accountId: a } = recovery;
  const bucket = recovery.state.bucket;
  const stacks = [...ROLE_STACK_KINDS.recovery.map((kind) => stackId(kind, r)), stackId("application", primary.region), stackId("networking", primary.region)];
  const logGroup = logGroupArn(r, a, lambdaLogGroup(readinessNames(recovery.project, r).function));
  const sopsAlias = regionalNames(primary.project, primary.region).sopsKeyAlias;
  return [
    { Sid: "WriteItsLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroup}:*` },
    // ListBucket: a missing state object then answers 404 (never applied), not 403.
    { Sid: "ListStates", Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:aws:s3:::${bucket}` },
    { Sid: "ReadStates", Effect: "Allow", Action: "s3:GetObject", Resource: stacks.map((s) => `arn:aws:s3:::${bucket}/${stateKey(s)}`) },
    {
      Sid: "ReadGitCredentials",
      Effect: "Allow",
      Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
      Resource: secretArnPattern(r, a, recovery.flux.gitCredentialsSecretName),
    },
    {
      Sid: "DescribeSopsReplica",
      Effect: "Allow",
      Action: "kms:DescribeKey",
      Resource: `arn:aws:kms:${r}:${a}:key/*`,
      Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": sopsAlias } },
    },
    {
      Sid: "ReadReplicatedBackups",
      Effect: "Allow",
      Action: "rds:DescribeDBInstanceAutomatedBackups",
      // The primary's prepared database generations: its restore-database needs no deploy here.
      Resource: [
        `arn:aws:rds:${r}:${a}:auto-backup:*`,
        ...preparedDatabaseGenerations(primary.database).map((g) => `arn:aws:rds:${r}:${a}:db:${databaseIdentifier(primary.project, primary.region, g)}`),
      ],
    },
    // A warm standby's read replica (the preflight's database-replica row).
    ...(recovery.tier === "warm-standby"
      ? [
          {
            Sid: "DescribeReplica",
            Effect: "Allow" as const,
            Action: "rds:DescribeDBInstances",
            Resource: `arn:aws:rds:${r}:${a}:db:${servingDatabaseIdentifier(recovery)}`,
          },
        ]
      : []),
    { Sid: "ReadImages", Effect: "Allow", Action: ["ecr:DescribeRepositories", "ecr:DescribeImages"], Resource: `arn:aws:ecr:${r}:${a}:repository/*` },
    {
      Sid: "ReadServiceQuotas",
      Effect: "Allow",
      Action: ["servicequotas:GetServiceQuota", "servicequotas:GetAWSDefaultServiceQuota"],
      Resource: ["ec2", "eks", "rds"].map((service) => `arn:aws:servicequotas:${r}:${a}:${service}/*`),
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
    ...(readinessReadsRoute53(primary)
      ? [{ Sid: "ReadHealthChecks", Effect: "Allow" as const, Action: "route53:GetHealthCheckStatus", Resource: "arn:aws:route53:::healthcheck/*" }]
      : []),
    {
      Sid: "PublishReadiness",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": READINESS_METRIC_NAMESPACE } },
    },
  ];
}

/**
 * The recovery's preflight on a schedule, in the recovery region, from peacetime infrastructure
 * (a recovery's standby layer): EventBridge Scheduler invokes a Lambda function every
 * `standby.readinessCheckMinutes` with the environments pair as its input; the function runs the
 * preflight (lib/operations/readiness/handler.ts, bundled from the package) and publishes one
 * CloudWatch metric per check and the number of failed checks, which an alarm watches. The alarm
 * also fires when the runs stop reporting (missing data is breaching). It notifies
 * `standby.alarmTopicArn`. Lambda over a container task: a run is a minute of API reads, with no
 * image to build, pin and replicate, no cluster, VPC or task definition to keep.
 */
export class ReadinessCheck extends Construct {
  public readonly function: LambdaFunction;
  public readonly schedule: SchedulerSchedule;
  public readonly alarm: CloudwatchMetricAlarm;
  public readonly functionName: string;

  constructor(scope: Construct, id: string, props: ReadinessCheckProps) {
    super(scope, id);
    const { recovery, primary } = props;
    const interval = recovery.standby.readinessCheckMinutes;
    const bundleDir = props.bundleDir ?? READINESS_BUNDLE_DIR;
    const problems: string[] = [];
    if (recovery.recoveryOf !== primary.region)
      problems.push(`recovery must recover primary (${recovery.region} recovers ${recovery.recoveryOf}, not ${primary.region})`);
    if (!Number.isInteger(interval) || interval < READINESS_INTERVAL_MINUTES.min || interval > READINESS_INTERVAL_MINUTES.max) {
      problems.push(
        `recovery.standby.readinessCheckMinutes must be a whole number from ${READINESS_INTERVAL_MINUTES.min} to ${READINESS_INTERVAL_MINUTES.max} (got ${interval})`,
      );
    }
    if (!fs.existsSync(path.join(bundleDir, READINESS_PACKAGE))) problems.push(`bundleDir has no ${READINESS_PACKAGE} (${bundleDir}): run npm run build`);
    if (problems.length > 0) throw new Error(`ReadinessCheck: ${problems.join("; ")}`);

    const names = readinessNames(recovery.project, recovery.region);
    const roles = environmentNames(recovery);
    this.functionName = names.function;
    const logs = new CloudwatchLogGroup(this, "logs", {
      name: lambdaLogGroup(names.function),
      retentionInDays: props.logRetentionDays ?? 90,
      kmsKeyId: props.logsKmsKeyArn,
    });
    const role = new IamRole(this, "role", {
      name: roles.readinessRole,
      description: `Scheduled preflight of ${recovery.region}: reads only (and publishes its metrics)`,
      assumeRolePolicy: policyDocument({
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": recovery.accountId } },
      }),
    });
    new IamRolePolicy(this, "policy", { name: "preflight", role: role.id, policy: policyDocument(...readinessStatements(recovery, primary)) });
    // The package the build zipped (scripts/readiness-bundle.mjs): copied, not zipped again at every synth.
    const asset = new TerraformAsset(this, "code", { path: path.join(bundleDir, READINESS_PACKAGE), type: AssetType.FILE });
    this.function = new LambdaFunction(this, "function", {
      functionName: names.function,
      description: `Preflight of the recovery region ${recovery.region} every ${interval} minutes (npx dr-platform preflight ${recovery.region})`,
      role: role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: asset.path,
      sourceCodeHash: asset.assetHash,
      memorySize: 512,
      // Every call has short timeouts (lib/operations/aws/clients.ts); a dark service is reported, not waited for.
      timeout: 180,
      dependsOn: [logs],
    });
    const schedulerRole = new IamRole(this, "scheduler-role", {
      name: roles.readinessSchedulerRole,
      description: `EventBridge Scheduler: runs the preflight of ${recovery.region}`,
      assumeRolePolicy: policyDocument({
        Effect: "Allow",
        Principal: { Service: "scheduler.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": recovery.accountId } },
      }),
    });
    new IamRolePolicy(this, "scheduler-policy", {
      name: "invoke",
      role: schedulerRole.id,
      policy: policyDocument({ Sid: "InvokePreflight", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: this.function.arn }),
    });
    this.schedule = new SchedulerSchedule(this, "schedule", {
      name: names.schedule,
      description: `Preflight of ${recovery.region}`,
      scheduleExpression: `rate(${interval} minutes)`,
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: this.function.arn,
        roleArn: schedulerRole.arn,
        // The pair as the synth resolved it: the function runs the preflight on exactly these files.
        input: JSON.stringify({ recovery, primary }),
        // A missed run is the alarm's to report (missing data), not retried into the next one.
        retryPolicy: { maximumRetryAttempts: 0 },
      },
    });
    // Each evaluation period holds at least one run (two intervals, at most a day).
    const periodMinutes = Math.min(2 * interval, 1440);
    this.alarm = new CloudwatchMetricAlarm(this, "alarm", {
      alarmName: names.alarm,
      alarmDescription: `A check of the scheduled preflight of ${recovery.region} failed, or the preflight stopped reporting: run npx dr-platform preflight ${recovery.region} and follow each fix (docs/readiness.md)`,
      namespace: READINESS_METRIC_NAMESPACE,
      metricName: READINESS_FAILURES_METRIC,
      dimensions: { Region: recovery.region },
      statistic: "Maximum",
      period: periodMinutes * 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "breaching",
      alarmActions: recovery.standby.alarmTopicArn ? [recovery.standby.alarmTopicArn] : undefined,
      okActions: recovery.standby.alarmTopicArn ? [recovery.standby.alarmTopicArn] : undefined,
    });
  }
}
