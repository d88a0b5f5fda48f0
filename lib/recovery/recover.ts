import * as fs from "fs";
import * as path from "path";
import type { RDSClient } from "@aws-sdk/client-rds";
import type { S3Client } from "@aws-sdk/client-s3";
import type { STSClient } from "@aws-sdk/client-sts";
import type { Environment } from "../environment";
import { recoveryReportKey } from "../naming";
import { failureKind } from "../operations/aws/errors";
import { getObjectText, putObject } from "../operations/aws/s3-objects";
import { probeCallerIdentity } from "../operations/probes/caller-identity";
import { probeDatabaseInstance } from "../operations/probes/database-instance";
import { adoptDatabases } from "./adopt";
import { execute, type ExecuteResult, type ExecutorEvent } from "./executor";
import type { RecoveryPointRow } from "./journal";
import { RecoveryJournalStore, type ObjectStore } from "./journal-store";
import type { PlanStep, RecoveryPlan } from "./plan";
import { buildReport, formatReport, type RecoveryReport } from "./report";
import { stepRunner, type ExecutionTarget } from "./run-step";

/**
 * `recover <region>`: the plan executed where the stacks are deployed (a real account or the
 * emulator: the target), with its journal in the state bucket and locally, a database restore that
 * outlived Terraform's wait adopted before its stack is deployed again, and the evidence report
 * written after every run into the archive bucket and the local folder.
 */

/** A bucket with the client of its region. */
export interface BucketAccess {
  readonly bucket: string;
  readonly s3: S3Client;
}

export interface RecoverInputs {
  readonly plan: RecoveryPlan;
  /** The environment recovered (its state bucket, its recovery objective). */
  readonly environment: Environment;
  readonly target: ExecutionTarget;
  /** The synthesized stacks' folder as the target's cdktf writes it (the database's stack is read for adoption). */
  readonly outDir: string;
  /** `.dr-platform/recover/<region>`: the local journal, the steps' logs, the reports. */
  readonly localDir: string;
  /** The state bucket (outside both regions): the journal. */
  readonly stateBucket: BucketAccess;
  /** The archive bucket in the region recovered into (Object Lock keeps what is written): the reports. */
  readonly reportBucket: BucketAccess;
  /** RDS in the region recovered into: whether a database exists that the state lacks. */
  readonly rds: RDSClient;
  /** STS in the region recovered into: who runs it. @default - unnamed in the report */
  readonly sts?: STSClient;
  /** Each store's recovery point before the first step (`status` of the region). @default - none recorded */
  readonly recoveryPoints?: () => Promise<readonly RecoveryPointRow[]>;
  /** `dr rto`'s model of the plan. @default - not in the report */
  readonly model?: RecoveryReport["model"];
  /** Gates pass without asking. */
  readonly yes: boolean;
  readonly ask?: (step: PlanStep) => Promise<boolean>;
  readonly from?: string;
  readonly fresh?: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: ExecutorEvent) => void;
  readonly onLine?: (step: PlanStep, line: string) => void;
}

export interface RecoverResult extends ExecuteResult {
  readonly report: RecoveryReport;
  /** Where the report was written (`s3://...` and local files), and where it could not be. */
  readonly written: readonly string[];
  readonly warnings: readonly string[];
}

export async function recover(inputs: RecoverInputs): Promise<RecoverResult> {
  const { plan, environment, target } = inputs;
  const region = plan.region;
  const warnings: string[] = [];
  const onEvent = (event: ExecutorEvent) => {
    if (event.type === "warning") warnings.push(event.message);
    inputs.onEvent?.(event);
  };
  // A rehearsal keeps its runs under its own key (plan.runKey): never a real recovery's journal.
  const runKey = plan.runKey ?? region;
  const store = new RecoveryJournalStore(runKey, objectStore(inputs.stateBucket, environment.state.region), inputs.localDir);
  const caller = inputs.sts ? await probeCallerIdentity(inputs.sts, region) : undefined;
  if (caller && !caller.ok) onEvent({ type: "warning", message: `the report names no caller: ${caller.failure.call} failed (${caller.failure.description})` });

  const run = stepRunner({
    target,
    logDir: path.join(inputs.localDir, "logs"),
    yes: inputs.yes,
    ask: inputs.ask,
    onLine: inputs.onLine,
    stackDir: (step) => (step.stack ? path.join(inputs.outDir, "stacks", step.stack) : undefined),
    beforeDeploy: async (step, command) => {
      if (!step.stack) return undefined;
      const stackDir = path.join(inputs.outDir, "stacks", step.stack);
      if (!fs.existsSync(path.join(stackDir, "cdk.tf.json"))) return undefined;
      return adoptDatabases({
        stackDir,
        run: command,
        instanceExists: async (identifier) => {
          const found = await probeDatabaseInstance(inputs.rds, identifier, region);
          if (!found.ok) throw new Error(`adopting the database: ${found.failure.call} failed (${found.failure.description})`);
          return found.value.exists;
        },
      });
    },
  });
  const result = await execute({
    plan,
    store,
    run,
    from: inputs.from,
    fresh: inputs.fresh,
    caller: caller?.ok ? caller.value : undefined,
    recoveryPoints: inputs.recoveryPoints,
    signal: inputs.signal,
    onEvent,
  });
  const report = buildReport(plan, result.journal, {
    target: target.description,
    objectiveMinutes: environment.recoveryObjectives.rtoMinutes,
    model: inputs.model,
  });
  const written = await writeReport(report, inputs.localDir, inputs.reportBucket, warnings, runKey);
  return { ...result, report, written, warnings };
}

/** The report as JSON and Markdown: locally, then into the archive bucket under `reports/<runKey>/` (a failure there is a warning). */
export async function writeReport(
  report: RecoveryReport,
  localDir: string,
  bucket: BucketAccess,
  warnings: string[],
  runKey: string = report.region,
): Promise<string[]> {
  const dir = path.join(localDir, "reports", report.recoveryId);
  fs.mkdirSync(dir, { recursive: true });
  const bodies = { json: `${JSON.stringify(report, null, 2)}\n`, md: formatReport(report) } as const;
  const written: string[] = [];
  for (const format of ["json", "md"] as const) {
    const file = path.join(dir, `report.${format}`);
    fs.writeFileSync(file, bodies[format]);
    written.push(file);
  }
  for (const format of ["json", "md"] as const) {
    const key = recoveryReportKey(runKey, report.recoveryId, format);
    try {
      await putObject(bucket.s3, {
        Bucket: bucket.bucket,
        Key: key,
        Body: bodies[format],
        ContentType: format === "json" ? "application/json" : "text/markdown",
        // Object Lock buckets refuse a write without a checksum.
        ChecksumAlgorithm: "SHA256",
      });
      written.push(`s3://${bucket.bucket}/${key}`);
    } catch (error) {
      warnings.push(`the report is not in s3://${bucket.bucket}/${key}: ${(error as Error).message}`);
    }
  }
  return written;
}

/** The state bucket as the journal store's remote side. */
function objectStore(access: BucketAccess, region: string): ObjectStore {
  return {
    location: `s3://${access.bucket}`,
    get: async (key) => {
      try {
        return await getObjectText(access.s3, access.bucket, key);
      } catch (error) {
        if (failureKind(error) === "not-found") return undefined;
        throw new Error(`S3 GetObject in ${region} failed: ${(error as Error).message}`);
      }
    },
    put: (key, body) => putObject(access.s3, { Bucket: access.bucket, Key: key, Body: body, ContentType: "application/json" }),
  };
}
