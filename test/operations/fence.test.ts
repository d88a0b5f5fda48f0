import { DescribeDBInstancesCommand, RDSClient, StopDBInstanceCommand } from "@aws-sdk/client-rds";
import { GetBucketReplicationCommand, GetObjectCommand, PutBucketReplicationCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import type { PrimaryEnvironment } from "../../lib/environment";
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

  function cluster(answers: { suspend: string; items: object[] }): ClusterAccess & { calls: string[] } {
    const calls: string[] = [];
    const ok = (stdout = ""): CommandResult => ({ status: 0, stdout, stderr: "" });
    return {
      calls,
      connect: async () => undefined,
      kubectl: async (args) => {
        calls.push(args.join(" "));
        if (args.includes("jsonpath={.spec.suspend}")) return ok(answers.suspend);
        if (args.includes("--all-namespaces")) return ok(JSON.stringify({ items: answers.items }));
        return ok();
      },
    };
  }
  const item = (namespace: string, kind: string, name: string, replicas: number) => ({ kind, metadata: { namespace, name }, spec: { replicas } });

  it("suspends Flux before scaling, scales only workloads outside the system namespaces, and records their replicas", async () => {
    const access = cluster({
      suspend: "",
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
      "-n flux-system get kustomization flux-system -o jsonpath={.spec.suspend}",
      `-n flux-system patch kustomization flux-system --type merge -p {"spec":{"suspend":true}}`,
      "get deployments,statefulsets --all-namespaces -o json",
      "-n app scale deployment/web --replicas=0",
      "-n app scale statefulset/cache --replicas=0",
    ]);
    expect(result.actions.map((a) => `${a.id}: ${a.status}`)).toEqual([
      "flux: done",
      "workloads: done",
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
      "-n flux-system get kustomization flux-system -o jsonpath={.spec.suspend}",
      "get deployments,statefulsets --all-namespaces -o json",
    ]);
    expect(result.actions.map((a) => a.status)).toEqual(["already done", "already done", "already done", "already done", "already done"]);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutBucketReplicationCommand)).toHaveLength(0);
    expect(rds.commandCalls(StopDBInstanceCommand)).toHaveLength(0);
  });

  it("dry run: says what it would patch and scale, and runs neither", async () => {
    const access = cluster({ suspend: "false", items: [item("app", "Deployment", "web", 3)] });
    const result = await runFence(p, { s3: s3 as never, rds: rds as never, stateS3: s3 as never, cluster: access });
    expect(result.actions.slice(0, 2).map((a) => `${a.status}: ${a.detail}`)).toEqual([
      `would do: kubectl -n flux-system patch kustomization flux-system --type merge -p '{"spec":{"suspend":true}}'`,
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
});
