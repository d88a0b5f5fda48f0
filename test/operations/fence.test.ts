import { DescribeDBInstancesCommand, RDSClient, StopDBInstanceCommand } from "@aws-sdk/client-rds";
import { GetBucketReplicationCommand, GetObjectCommand, PutBucketReplicationCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import type { PrimaryEnvironment } from "../../lib/environment";
import { failoverSwitchNames } from "../../lib/naming";
import { fenceExitCode, runFence } from "../../lib/operations/fence";
import type { ClusterAccess, CommandResult } from "../../lib/operations/kubectl";
import { environment, primaryInput } from "../support/environments";

/**
 * The cluster half of the fence: no cluster runs here, so kubectl is replaced by a script of its
 * answers (the S3 and RDS halves run against the emulator in test/e2e/fence.test.ts).
 */
describe("fence: Flux and the workloads", () => {
  const s3 = mockClient(S3Client);
  const rds = mockClient(RDSClient);
  const p = environment(primaryInput()) as PrimaryEnvironment;
  beforeEach(() => {
    s3.reset();
    rds.reset();
    s3.on(GetBucketReplicationCommand).resolves({
      ReplicationConfiguration: { Role: "r", Rules: [{ ID: "DR Replication", Status: "Disabled", Destination: { Bucket: "b" } }] },
    });
    s3.on(GetObjectCommand).rejects(Object.assign(new Error("no"), { name: "NoSuchKey", $metadata: { httpStatusCode: 404 } }));
    s3.on(PutObjectCommand).resolves({});
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceStatus: "stopped" }] });
  });

  /** kubectl's answers: the Flux objects (root and one HelmRelease, `suspend` their spec.suspend), the workloads, the library's CronJobs. */
  function cluster(answers: { suspend: string; items: object[]; cronJobs?: object[] }): ClusterAccess & { calls: string[] } {
    const calls: string[] = [];
    const ok = (stdout = ""): CommandResult => ({ status: 0, stdout, stderr: "" });
    const suspend = answers.suspend === "true";
    const flux = [
      { kind: "Kustomization", metadata: { namespace: "flux-system", name: "flux-system" }, spec: { suspend } },
      { kind: "HelmRelease", metadata: { namespace: "site", name: "site" }, spec: { suspend } },
    ];
    return {
      calls,
      connect: async () => undefined,
      kubectl: async (args) => {
        calls.push(args.join(" "));
        if (args.includes("kustomizations.kustomize.toolkit.fluxcd.io,helmreleases.helm.toolkit.fluxcd.io")) return ok(JSON.stringify({ items: flux }));
        if (args.includes("cronjobs") && args.includes("get")) return ok(JSON.stringify({ items: answers.cronJobs ?? [] }));
        if (args.includes("--all-namespaces")) return ok(JSON.stringify({ items: answers.items }));
        return ok();
      },
    };
  }
  const item = (namespace: string, kind: string, name: string, replicas: number) => ({ kind, metadata: { namespace, name }, spec: { replicas } });

  it("suspends every Flux object before scaling, scales only workloads outside the system namespaces, suspends the library's CronJobs, and records the replicas", async () => {
    const access = cluster({
      suspend: "",
      cronJobs: [
        { metadata: { name: "database-archive" }, spec: { suspend: false } },
        { metadata: { name: "broker-definitions" }, spec: { suspend: true } },
      ],
      items: [
        item("app", "Deployment", "web", 3),
        item("app", "StatefulSet", "cache", 2),
        item("kube-system", "Deployment", "coredns", 2),
        item("app", "Deployment", "idle", 0),
      ],
    });
    const result = await runFence(
      p,
      { s3: s3 as never, rds: rds as never, stateS3: s3 as never, cluster: access },
      { apply: true, now: new Date("2026-11-21T12:00:00Z") },
    );
    expect(access.calls).toEqual([
      "get kustomizations.kustomize.toolkit.fluxcd.io,helmreleases.helm.toolkit.fluxcd.io --all-namespaces -o json",
      `-n flux-system patch kustomization flux-system --type merge -p {"spec":{"suspend":true}}`,
      `-n site patch helmrelease site --type merge -p {"spec":{"suspend":true}}`,
      "get deployments,statefulsets --all-namespaces -o json",
      "-n app scale deployment/web --replicas=0",
      "-n app scale statefulset/cache --replicas=0",
      "-n dr-backups get cronjobs -o json",
      `-n dr-backups patch cronjob database-archive --type merge -p {"spec":{"suspend":true}}`,
    ]);
    expect(result.actions.map((a) => `${a.id}: ${a.status}`)).toEqual([
      "flux: done",
      "workloads: done",
      "cronjobs: done",
      "replication: already done",
      "database: already done",
      "record: done",
    ]);
    expect(result.record!.scaledWorkloads).toEqual([
      { namespace: "app", kind: "deployment", name: "web", replicas: 3 },
      { namespace: "app", kind: "statefulset", name: "cache", replicas: 2 },
    ]);
  });

  it("already suspended and scaled down: already done, nothing patched or scaled, no record written", async () => {
    const access = cluster({ suspend: "true", items: [item("app", "Deployment", "web", 0)] });
    const result = await runFence(p, { s3: s3 as never, rds: rds as never, stateS3: s3 as never, cluster: access }, { apply: true });
    expect(access.calls).toEqual([
      "get kustomizations.kustomize.toolkit.fluxcd.io,helmreleases.helm.toolkit.fluxcd.io --all-namespaces -o json",
      "get deployments,statefulsets --all-namespaces -o json",
      "-n dr-backups get cronjobs -o json",
    ]);
    expect(result.actions.map((a) => a.status)).toEqual(["already done", "already done", "already done", "already done", "already done", "already done"]);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutBucketReplicationCommand)).toHaveLength(0);
    expect(rds.commandCalls(StopDBInstanceCommand)).toHaveLength(0);
  });

  it("dry run: says what it would patch and scale, and runs neither", async () => {
    const access = cluster({ suspend: "false", items: [item("app", "Deployment", "web", 3)] });
    const result = await runFence(p, { s3: s3 as never, rds: rds as never, stateS3: s3 as never, cluster: access });
    expect(result.actions.slice(0, 2).map((a) => `${a.status}: ${a.detail}`)).toEqual([
      "would do: suspend: kustomization/flux-system/flux-system, helmrelease/site/site",
      "would do: scale to 0: app/deployment/web (3)",
    ]);
    expect(access.calls.filter((c) => c.includes("patch") || c.includes("scale"))).toEqual([]);
  });

  it("a database that is neither available nor stopped is reported failed with what to do (exit 1)", async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceStatus: "backing-up" }] });
    const result = await runFence(p, { s3: s3 as never, rds: rds as never, stateS3: s3 as never, cluster: cluster({ suspend: "true", items: [] }) });
    expect(result.actions.find((a) => a.id === "database")).toMatchObject({
      status: "failed",
      detail: "status backing-up: RDS stops only an available instance; run the fence again when it is available",
    });
    expect(fenceExitCode(result)).toBe(1);
  });

  it("sets the recovery's failover switch first, through CloudWatch in us-east-2 (no Route 53), and leaves one already in ALARM", async () => {
    const awsCalls: string[] = [];
    const switches = (state: string) => ({
      access: {
        aws: async (args: readonly string[]): Promise<CommandResult> => {
          awsCalls.push(args.join(" "));
          return { status: 0, stdout: args.includes("describe-alarms") ? `${state}\n` : "", stderr: "" };
        },
      },
      at: [{ region: "us-east-2", names: failoverSwitchNames("acme", "us-east-2", "example.com") }],
    });
    const clients = { s3: s3 as never, rds: rds as never, stateS3: s3 as never, cluster: cluster({ suspend: "true", items: [] }) };
    const result = await runFence(p, { ...clients, switches: switches("OK") }, { apply: true });
    expect(awsCalls).toEqual([
      "cloudwatch describe-alarms --region us-east-2 --alarm-names acme-us-east-2-failover-switch --query MetricAlarms[0].StateValue --output text",
      "cloudwatch put-metric-data --region us-east-2 --namespace DR/Failover --metric-name PrimaryWithdrawn --dimensions Site=example.com --value 1",
    ]);
    expect(result.actions.map((a) => `${a.id}: ${a.status}`).slice(0, 2)).toEqual(["switch: done", "flux: already done"]);
    awsCalls.length = 0;
    const again = await runFence(p, { ...clients, switches: switches("ALARM") }, { apply: true });
    expect(awsCalls).toHaveLength(1);
    expect(again.actions[0]).toMatchObject({ id: "switch", status: "already done" });
  });
});
