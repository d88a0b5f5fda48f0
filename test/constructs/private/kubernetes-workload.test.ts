import { Fn, TerraformStack, Testing } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { CronJobV1, type CronJobV1Config } from "@cdktf/provider-kubernetes/lib/cron-job-v1";
import { JobV1, type JobV1Config } from "@cdktf/provider-kubernetes/lib/job-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { CronJob, Job } from "../../../lib/constructs/private/kubernetes-workload";

/** A pod spec with every kind of field the library's jobs set, plus maps whose keys are not names. */
function podSpec(namespace: NamespaceV1) {
  return {
    serviceAccountName: "archive",
    restartPolicy: "Never",
    nodeSelector: { "kubernetes.io/os": "linux", TopologyKey: "Zone" },
    securityContext: { runAsNonRoot: true, runAsUser: "999", fsGroup: "999", seccompProfile: { type: "RuntimeDefault" } },
    initContainer: [{ name: "dump", image: "postgres:16.4", command: ["/bin/sh", "-c", "echo ${HOME}"], env: [{ name: "A", value: namespace.metadata.name }] }],
    container: [
      {
        name: "upload",
        image: "amazon/aws-cli",
        env: [{ name: "SECRET", valueFrom: { secretKeyRef: { name: "s", key: "k", optional: false } } }],
        envFrom: [{ secretRef: { name: "users" } }],
        volumeMount: [{ name: "work", mountPath: "/work", readOnly: true }],
        resources: { requests: { cpu: "100m", "ephemeral-storage": "1Gi" }, limits: { memory: Fn.lower("256MI") } },
        securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      },
    ],
    volume: [
      { name: "scripts", configMap: { name: "scripts", defaultMode: "0555", items: [{ key: "a.sh", path: "a.sh" }] } },
      { name: "work", emptyDir: { sizeLimit: "20Gi" } },
    ],
  };
}

function cronJobConfig(namespace: NamespaceV1): CronJobV1Config {
  return {
    metadata: {
      name: "archive",
      namespace: namespace.metadata.name,
      labels: { "app.kubernetes.io/name": "archive" },
      annotations: { "Example.com/Owner": "Platform" },
    },
    dependsOn: [namespace],
    spec: {
      schedule: "0 * * * *",
      concurrencyPolicy: "Forbid",
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      suspend: false,
      jobTemplate: {
        metadata: {},
        spec: {
          backoffLimit: 2,
          ttlSecondsAfterFinished: "600",
          template: { metadata: { labels: { App: "Archive" } }, spec: podSpec(namespace) },
        },
      },
    },
  };
}

function jobConfig(namespace: NamespaceV1): JobV1Config {
  return {
    metadata: { name: "import", namespace: namespace.metadata.name },
    waitForCompletion: true,
    timeouts: { create: "10m", update: "10m" },
    spec: { backoffLimit: 4, template: { metadata: {}, spec: podSpec(namespace) } },
  };
}

/** The stack's JSON with one workload made by `make`, keyed by construct id "job". */
function synthWith(make: (stack: TerraformStack, namespace: NamespaceV1) => void): Record<string, unknown> {
  const stack = new TerraformStack(Testing.app(), "test");
  new KubernetesProvider(stack, "kubernetes", {});
  make(stack, new NamespaceV1(stack, "namespace", { metadata: { name: "backups" } }));
  return JSON.parse(Testing.synth(stack));
}

describe("the bindings-free kubernetes workloads", () => {
  it("synthesize a CronJob exactly as CronJobV1 does", () => {
    const binding = synthWith((stack, ns) => new CronJobV1(stack, "job", cronJobConfig(ns)));
    const light = synthWith((stack, ns) => new CronJob(stack, "job", cronJobConfig(ns)));
    expect(light).toEqual(binding);
    expect(Object.keys((binding as any).resource.kubernetes_cron_job_v1)).toHaveLength(1);
  });

  it("synthesize a Job exactly as JobV1 does", () => {
    const binding = synthWith((stack, ns) => new JobV1(stack, "job", jobConfig(ns)));
    const light = synthWith((stack, ns) => new Job(stack, "job", jobConfig(ns)));
    expect(light).toEqual(binding);
    expect((binding as any).resource.kubernetes_job_v1.job.timeouts).toEqual({ create: "10m", update: "10m" });
  });

  it("keep the keys of string maps as written", () => {
    const json: any = synthWith((stack, ns) => new CronJob(stack, "job", cronJobConfig(ns)));
    const job = json.resource.kubernetes_cron_job_v1.job;
    expect(job.metadata.annotations).toEqual({ "Example.com/Owner": "Platform" });
    expect(job.spec.job_template.spec.template.spec.node_selector).toEqual({ "kubernetes.io/os": "linux", TopologyKey: "Zone" });
  });

  it("refuse HCL output with the resource's path", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new KubernetesProvider(stack, "kubernetes", {});
    const job = new Job(stack, "job", jobConfig(new NamespaceV1(stack, "namespace", { metadata: { name: "backups" } })));
    expect(() => job.toHclTerraform()).toThrow("test/job: kubernetes_job_v1 is synthesized as JSON only (dr-platform writes it without the provider binding)");
  });
});
