import * as fs from "fs";
import * as path from "path";
import { holdsContainers, isKubernetesResource, toKubernetesObject } from "../../lib/kubernetes/from-terraform";
import { kubernetesSchemaProblems } from "../support/kubernetes-schema";
import { synthShipped } from "../support/shipped";
import { tempDir } from "../support/temp";

type Obj = Record<string, any>;

/** Stands for a Terraform expression: a valid DNS label and valid base64, so both fields accept it. */
const PLACEHOLDER = "tfexpression";

/** The object with every Terraform expression replaced by PLACEHOLDER (a whole-map expression by a one-key map). */
function withPlaceholders(object: Obj): Obj {
  const replace = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(replace);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return typeof value === "string" && value.includes("${") ? PLACEHOLDER : value;
  };
  const replaced = replace(object) as Obj;
  if ((object.kind === "Secret" || object.kind === "ConfigMap") && typeof object.data === "string") replaced.data = { [PLACEHOLDER]: PLACEHOLDER };
  return replaced;
}

/** A kubernetes_job_v1 as RabbitMqUsers synthesizes it. */
const JOB = {
  metadata: { name: "rabbitmq-users", namespace: "${kubernetes_namespace_v1.ns.metadata[0].name}" },
  wait_for_completion: true,
  timeouts: { create: "10m", update: "10m" },
  depends_on: ["kubernetes_secret_v1.s"],
  spec: {
    backoff_limit: 4,
    ttl_seconds_after_finished: "600",
    template: {
      metadata: {},
      spec: {
        restart_policy: "Never",
        host_ipc: false,
        container: [
          {
            name: "create-users",
            image: "curlimages/curl:8.11.1@sha256:" + "c".repeat(64),
            command: ["/bin/sh", "-c", "echo"],
            env: [{ name: "USER_COUNT", value: "2" }],
            env_from: [{ secret_ref: { name: "${kubernetes_secret_v1.s.metadata[0].name}" } }],
            volume_mount: [{ name: "tmp", mount_path: "/tmp" }],
            security_context: {
              run_as_non_root: true,
              run_as_user: "100",
              run_as_group: "101",
              read_only_root_filesystem: true,
              allow_privilege_escalation: false,
              capabilities: { drop: ["ALL"] },
              seccomp_profile: { type: "RuntimeDefault" },
            },
            resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
          },
        ],
        volume: [
          { name: "tmp", empty_dir: [{ size_limit: "16Mi" }] },
          { name: "info", downward_api: { items: [{ path: "labels", field_ref: { field_path: "metadata.labels" } }] } },
        ],
      },
    },
  },
};

describe("toKubernetesObject", () => {
  it("converts a job: camelCase, the API's list names, single blocks as objects, ids as integers, provider settings dropped", () => {
    expect(toKubernetesObject("kubernetes_job_v1", JOB)).toEqual({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "rabbitmq-users", namespace: "${kubernetes_namespace_v1.ns.metadata[0].name}" },
      spec: {
        backoffLimit: 4,
        ttlSecondsAfterFinished: 600,
        template: {
          metadata: {},
          spec: {
            restartPolicy: "Never",
            hostIPC: false,
            containers: [
              {
                name: "create-users",
                image: "curlimages/curl:8.11.1@sha256:" + "c".repeat(64),
                command: ["/bin/sh", "-c", "echo"],
                env: [{ name: "USER_COUNT", value: "2" }],
                envFrom: [{ secretRef: { name: "${kubernetes_secret_v1.s.metadata[0].name}" } }],
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: 100,
                  runAsGroup: 101,
                  readOnlyRootFilesystem: true,
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ["ALL"] },
                  seccompProfile: { type: "RuntimeDefault" },
                },
                resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
              },
            ],
            volumes: [
              { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
              { name: "info", downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } },
            ],
          },
        },
      },
    });
  });

  it("converts a secret: literal data base64-encoded as the provider does, expressions kept, type Opaque by default", () => {
    expect(
      toKubernetesObject("kubernetes_secret_v1", { metadata: [{ name: "s", namespace: "ns" }], data: { A: "admin", B: "${data.x.secret_string}" } }),
    ).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s", namespace: "ns" },
      data: { A: "YWRtaW4=", B: "${data.x.secret_string}" },
      type: "Opaque",
    });
    expect(toKubernetesObject("kubernetes_secret_v1", { metadata: { name: "s" }, data: "${jsondecode(x)}", type: "kubernetes.io/basic-auth" })).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s" },
      data: "${jsondecode(x)}",
      type: "kubernetes.io/basic-auth",
    });
  });

  it("converts a namespace and a config map, keeping label and data keys as they are", () => {
    expect(
      toKubernetesObject("kubernetes_namespace_v1", { metadata: { name: "flux-system", labels: { "pod-security.kubernetes.io/enforce": "restricted" } } }),
    ).toEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "flux-system", labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
    });
    expect(toKubernetesObject("kubernetes_config_map_v1", { metadata: { name: "vars" }, data: { AWS_REGION: "us-east-1", snake_key: "x" } })).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "vars" },
      data: { AWS_REGION: "us-east-1", snake_key: "x" },
    });
  });

  it("converts a Role and a RoleBinding: rule -> rules, subject -> subjects, role_ref as an object, a single rule or subject as a list", () => {
    expect(
      toKubernetesObject("kubernetes_role_v1", {
        metadata: { name: "r", namespace: "n" },
        rule: { api_groups: [""], resources: ["secrets"], resource_names: ["broker-admin"], verbs: ["get", "patch"] },
      }),
    ).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "r", namespace: "n" },
      rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: ["broker-admin"], verbs: ["get", "patch"] }],
    });
    const binding = toKubernetesObject("kubernetes_role_binding_v1", {
      metadata: { name: "b", namespace: "n" },
      role_ref: { api_group: "rbac.authorization.k8s.io", kind: "Role", name: "r" },
      subject: [{ kind: "ServiceAccount", name: "sa", namespace: "n" }],
    });
    expect(binding).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "b", namespace: "n" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" },
      subjects: [{ kind: "ServiceAccount", name: "sa", namespace: "n" }],
    });
    expect(kubernetesSchemaProblems(binding)).toEqual([]);
  });

  it("fails on what it cannot map faithfully", () => {
    expect(() => toKubernetesObject("kubernetes_service_v1", { metadata: { name: "s" } })).toThrow(
      /^kubernetes converter: no mapping for kubernetes_service_v1 \(mapped: kubernetes_namespace_v1, /,
    );
    expect(() =>
      toKubernetesObject("kubernetes_job_v1", {
        metadata: { name: "j" },
        spec: { template: { spec: { container: [{ name: "a", security_context: { run_as_user: "root" } }] } } },
      }),
    ).toThrow('kubernetes converter: kubernetes_job_v1.spec.template.spec.container[0].security_context.run_as_user must be an integer string (got "root")');
    expect(() => toKubernetesObject("kubernetes_job_v1", { metadata: { name: "j" }, spec: { unknown_block: [{ a: 1 }, { a: 2 }] } })).toThrow(
      "kubernetes converter: kubernetes_job_v1.spec.unknown_block is a list of 2 blocks, and unknown_block is not a known list block",
    );
  });

  it("merges binary_data (already base64) into data", () => {
    expect(toKubernetesObject("kubernetes_secret_v1", { metadata: { name: "s" }, data: { a: "x" }, binary_data: { b: "eQ==" } }).data).toEqual({
      a: "eA==",
      b: "eQ==",
    });
    expect(toKubernetesObject("kubernetes_secret_v1", { metadata: { name: "s" }, binary_data: { b: "eQ==" } }).data).toEqual({ b: "eQ==" });
  });

  it("tells whether a configuration holds a pod's container block", () => {
    expect(holdsContainers({ spec: [{ template: { spec: { container: [{ name: "a" }] } } }] })).toBe(true);
    expect(holdsContainers({ spec: { container: { name: "a" } } })).toBe(true);
    expect(holdsContainers({ metadata: { name: "x" }, data: { container: "a value, not a block" } })).toBe(false);
    expect(holdsContainers({ metadata: { name: "x" } })).toBe(false);
  });

  it("maps exactly the provider's Kubernetes object types, and nothing else", () => {
    expect(isKubernetesResource("kubernetes_job_v1")).toBe(true);
    expect(isKubernetesResource("kubernetes_cron_job_v1")).toBe(true);
    expect(isKubernetesResource("helm_release")).toBe(false);
  });
});

describe("the Kubernetes API schema check", () => {
  const job = () => withPlaceholders(toKubernetesObject("kubernetes_job_v1", JOB));

  it("accepts the converted job", () => {
    expect(kubernetesSchemaProblems(job())).toEqual([]);
  });

  it("refuses a wrong type, and a field the API does not have (a mis-mapped name)", () => {
    const bad = job();
    bad.spec.template.spec.containers[0].securityContext.runAsUser = "100";
    expect(kubernetesSchemaProblems(bad)).toEqual(["data/spec/template/spec/containers/0/securityContext/runAsUser must be integer"]);
    const misnamed = job();
    misnamed.spec.template.spec.hostIpc = false;
    misnamed.spec.template.spec.containers[0].securityContext.seccompprofile = {};
    expect(kubernetesSchemaProblems(misnamed)).toEqual([
      "spec.template.spec.containers[0].securityContext.seccompprofile is not a field of batch/v1 Job",
      "spec.template.spec.hostIpc is not a field of batch/v1 Job",
    ]);
  });

  it("accepts free-form keys in maps (labels, data, resources)", () => {
    const object = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", labels: { "a.b/c": "d" } }, data: { ANY_KEY: "v" } };
    expect(kubernetesSchemaProblems(object)).toEqual([]);
  });
});

describe("every Kubernetes object the shipped gitops and workloads stacks create", () => {
  const outdir = tempDir("dr-platform-k8s-objects-");
  synthShipped(outdir);
  const ids = fs
    .readdirSync(path.join(outdir, "stacks"))
    .filter((id) => id.startsWith("gitops-") || id.startsWith("workloads-"))
    .sort();
  const objects = ids.flatMap((id) => {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
    return Object.entries(json.resource as Record<string, Record<string, Obj>>)
      .filter(([type]) => type.startsWith("kubernetes_"))
      .flatMap(([type, byId]) => Object.entries(byId).map(([logicalId, config]) => ({ name: `${id} ${type}.${logicalId}`, type, config })));
  });

  it("is a type the converter maps: Flux's namespace and Git credentials job (its account, Role, binding, script, Job and CronJob); the backup jobs' namespace, account, scripts and CronJobs, a primary's restore tests, cluster-vars, the users job, a recovery's import, the site's namespace and TargetGroupBinding", () => {
    expect(ids).toEqual(["gitops-us-east-1", "gitops-us-east-2", "workloads-us-east-1", "workloads-us-east-2"]);
    const types = objects.map((o) => `${o.name.split(" ")[0]} ${o.type}`).sort();
    // A primary also runs the scheduled restore tests (each its scripts, CronJob and service
    // account): the archives', and the shipped primary's opt-in point-in-time test of the RDS backups.
    const workloads = (id: string, recovery: boolean) => [
      // The users job's script is the sixth (a recovery's import's takes the place of the first test's).
      ...Array<string>(recovery ? 6 : 7).fill(`${id} kubernetes_config_map_v1`),
      ...Array<string>(recovery ? 3 : 5).fill(`${id} kubernetes_cron_job_v1`),
      ...Array<string>(recovery ? 2 : 1).fill(`${id} kubernetes_job_v1`),
      `${id} kubernetes_manifest`,
      `${id} kubernetes_namespace_v1`,
      `${id} kubernetes_namespace_v1`,
      // No secret: every job reads the database's and the broker's passwords when it runs.
      ...Array<string>(recovery ? 1 : 3).fill(`${id} kubernetes_service_account_v1`),
    ];
    expect(types).toEqual([
      // No secret: the Git credentials job writes it when it runs.
      ...["gitops-us-east-1", "gitops-us-east-2"].flatMap((id) =>
        ["config_map_v1", "cron_job_v1", "job_v1", "namespace_v1", "role_binding_v1", "role_v1", "service_account_v1"].map(
          (type) => `${id} kubernetes_${type}`,
        ),
      ),
      ...workloads("workloads-us-east-1", false),
      ...workloads("workloads-us-east-2", true),
    ]);
  });

  // The one kubernetes_manifest is the site's TargetGroupBinding, a custom resource the Kubernetes
  // API schema does not know: its shape is tested with SiteTargetGroupBinding.
  it("has the TargetGroupBinding as its only custom resource", () => {
    const manifests = objects.filter((o) => o.type === "kubernetes_manifest").map((o) => (o.config.manifest as Obj) ?? {});
    expect(manifests.map((m) => `${m.apiVersion} ${m.kind}`)).toEqual(["elbv2.k8s.aws/v1beta1 TargetGroupBinding", "elbv2.k8s.aws/v1beta1 TargetGroupBinding"]);
  });

  it("is accepted by the Kubernetes API schema (expressions stand in as placeholders)", () => {
    for (const { name, type, config } of objects.filter((o) => o.type !== "kubernetes_manifest")) {
      expect({ name, problems: kubernetesSchemaProblems(withPlaceholders(toKubernetesObject(type, config))) }).toEqual({ name, problems: [] });
    }
  });
});
