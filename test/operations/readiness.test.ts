import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../../lib/environment";
import type { PreflightCheck } from "../../lib/operations/checks/preflight/check";
import type { PreflightClients, PreflightResult } from "../../lib/operations/preflight";
import { readinessClients, readinessEventProblems, runReadiness, handler } from "../../lib/operations/readiness/handler";
import { FAILURES_METRIC, isFailure, readinessMetrics } from "../../lib/operations/readiness/metrics";
import { environment, primaryInput, recoveryInput } from "../support/environments";

const primary = environment(primaryInput()) as PrimaryEnvironment;
const recovery = environment(recoveryInput()) as RecoveryEnvironment;
const NOW = new Date("2026-12-02T12:00:00Z");
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const awsError = (name: string, httpStatusCode: number | undefined) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });
const check = (id: PreflightCheck["id"], status: PreflightCheck["status"]): PreflightCheck => ({
  id,
  title: id,
  status,
  detail: `${id} detail`,
  fix: status === "pass" ? "" : `${id} fix`,
});

describe("readinessMetrics", () => {
  it("is one metric per check (1 unless it failed or got no answer) and Failures, each for the recovery region", () => {
    const result: PreflightResult = {
      recoveryRegion: "us-east-2",
      primaryRegion: "us-east-1",
      checks: [
        check("standby-stack", "pass"),
        check("sops-key", "not served"),
        check("health-checks", "advisory"),
        check("day-stacks", "fail"),
        check("kubernetes-version", "unreachable"),
      ],
    };
    const dimensions = [{ Name: "Region", Value: "us-east-2" }];
    expect(readinessMetrics(result, NOW)).toEqual(
      [
        ["standby-stack", 1],
        ["sops-key", 1],
        ["health-checks", 1],
        ["day-stacks", 0],
        ["kubernetes-version", 0],
        [FAILURES_METRIC, 2],
      ].map(([MetricName, Value]) => ({ MetricName, Dimensions: dimensions, Timestamp: NOW, Value, Unit: "Count" })),
    );
    expect(FAILURES_METRIC).toBe("Failures");
    expect((["pass", "advisory", "not served", "fail", "unreachable"] as const).map(isFailure)).toEqual([false, false, false, true, true]);
  });
});

describe("readinessClients", () => {
  it("are the preflight's in the recovery and state regions, without Route 53 when it lives in the primary's region", async () => {
    const regions = async (clients: PreflightClients) =>
      Object.fromEntries(await Promise.all(Object.entries(clients).map(async ([name, client]) => [name, await (client as S3Client).config.region()])));
    expect(await regions(readinessClients(recovery, primary))).toEqual({
      stateS3: "us-west-2",
      secrets: "us-east-2",
      kms: "us-east-2",
      rds: "us-east-2",
      ecr: "us-east-2",
      eks: "us-east-2",
      mq: "us-east-2",
      ec2: "us-east-2",
      quotas: "us-east-2",
    });
    const euPrimary = { ...primary, region: "eu-west-1" } as PrimaryEnvironment;
    expect(Object.keys(readinessClients({ ...recovery, recoveryOf: "eu-west-1" } as RecoveryEnvironment, euPrimary))).toContain("route53");
  });
});

describe("readinessEventProblems", () => {
  it("accepts the pair the schedule was made with, and refuses anything else, saying what", () => {
    expect(readinessEventProblems({ recovery, primary })).toEqual([]);
    expect(readinessEventProblems(undefined)).toEqual(["event.recovery must be a recovery environment", "event.primary must be a primary environment"]);
    expect(readinessEventProblems({ recovery: primary, primary: recovery })).toEqual([
      "event.recovery must be a recovery environment",
      "event.primary must be a primary environment",
    ]);
    expect(readinessEventProblems({ recovery: { ...recovery, recoveryOf: "eu-west-1" }, primary })).toEqual([
      "event.recovery recovers eu-west-1, not us-east-1",
    ]);
  });

  it("the handler refuses such an event before any call", async () => {
    await expect(handler({})).rejects.toThrow("readiness: event.recovery must be a recovery environment; event.primary must be a primary environment");
  });
});

describe("runReadiness, with recorded answers", () => {
  it("runs the preflight, publishes its metrics into DrPlatform/Readiness and returns the failed checks with their fixes", async () => {
    const clients = readinessClients(recovery, primary, { credentials });
    // A region that answers nothing: every AWS row is unreachable; the file row still passes.
    for (const client of Object.values(clients))
      mockClient(client as S3Client)
        .onAnyCommand()
        .rejects(awsError("TimeoutError", undefined));
    const cloudwatch = new CloudWatchClient({ region: "us-east-2", credentials });
    const metrics = mockClient(cloudwatch).on(PutMetricDataCommand).resolves({});
    const summary = await runReadiness({ recovery, primary }, clients, cloudwatch, NOW);

    const published = metrics.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
    expect(published).toHaveLength(1);
    expect(published[0].Namespace).toBe("DrPlatform/Readiness");
    const values = Object.fromEntries((published[0].MetricData ?? []).map((d) => [d.MetricName, d.Value]));
    expect(values).toEqual({
      "standby-stack": 0,
      "day-stacks": 0,
      "git-credentials": 0,
      "sops-key": 0,
      "database-backups": 0,
      "kubernetes-version": 0,
      "kubernetes-addons": 0,
      "database-engine": 0,
      "broker-engine": 0,
      "capacity-quotas": 0,
      "registry-images": 0,
      "registry-cache": 0,
      "image-digests": 0,
      "cluster-access": 1,
      Failures: 13,
    });
    expect(summary.region).toBe("us-east-2");
    expect(summary.checks).toBe(14);
    expect(summary.failed.map((f) => `${f.id} ${f.status}`)).toContain("standby-stack unreachable");
    expect(summary.failed[0].fix).toBe(
      "check the network path and AWS's health for us-west-2, then run the preflight again; a region that cannot be reached cannot be recovered into",
    );
  });

  it("fails the run when the metrics cannot be published (the alarm then sees missing data, which it treats as breaching)", async () => {
    const clients = readinessClients(recovery, primary, { credentials });
    for (const client of Object.values(clients))
      mockClient(client as S3Client)
        .onAnyCommand()
        .rejects(awsError("TimeoutError", undefined));
    const cloudwatch = new CloudWatchClient({ region: "us-east-2", credentials });
    mockClient(cloudwatch).on(PutMetricDataCommand).rejects(awsError("AccessDenied", 403));
    await expect(runReadiness({ recovery, primary }, clients, cloudwatch, NOW)).rejects.toThrow("AccessDenied");
  });
});
