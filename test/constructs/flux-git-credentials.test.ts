import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { FluxGitCredentials, type FluxGitCredentialsProps } from "../../lib/constructs/flux-git-credentials";
import { scriptFiles } from "../../lib/backup/job-parts";
import { toKubernetesObject } from "../../lib/kubernetes/from-terraform";
import { podSecurityViolations, podTemplatesOf } from "../../lib/kubernetes/pod-security";
import { JOB_CONTAINER_SECURITY_CONTEXT, JOB_POD_SECURITY_CONTEXT } from "../support/expected";
import { PINNED, REGISTRY_US_EAST_1 } from "../support/images";
import { onlyResource, ref, resources, synthJson } from "../support/synth";

const PROPS: FluxGitCredentialsProps = {
  namespace: "flux-system",
  secretName: "flux-system-git",
  gitCredentialsSecretName: "acme/flux/platform-k8s-git",
  region: "us-east-1",
  registry: REGISTRY_US_EAST_1,
};

function synth(props: Partial<FluxGitCredentialsProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "gitops");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new KubernetesProvider(stack, "kubernetes", {});
  new FluxGitCredentials(stack, "git-credentials", { ...PROPS, ...props });
  return synthJson(stack);
}

const json = synth();
const job = onlyResource(json, "kubernetes_job_v1");
const cronJob = onlyResource(json, "kubernetes_cron_job_v1");
const role = onlyResource(json, "kubernetes_role_v1");
const binding = onlyResource(json, "kubernetes_role_binding_v1");
const configMap = onlyResource(json, "kubernetes_config_map_v1");

const resourcesOfStep = { requests: { cpu: "10m", memory: "64Mi" }, limits: { cpu: "200m", memory: "256Mi" } };
const mounts = (readOnly: boolean) => [
  { name: "scripts", mount_path: "/scripts", read_only: true },
  { name: "work", mount_path: "/work" },
  { name: "tmp", mount_path: "/tmp" },
  { name: "git-credentials", mount_path: "/run/git-credentials", read_only: readOnly },
];
/** The pod both the deploy's Job and the CronJob run, in the provider's JSON. */
const pod = {
  service_account_name: `\${kubernetes_service_account_v1.${onlyResource(json, "kubernetes_service_account_v1").id}.metadata[0].name}`,
  automount_service_account_token: true,
  restart_policy: "Never",
  security_context: JOB_POD_SECURITY_CONTEXT,
  init_container: [
    {
      name: "read",
      image: PINNED.awsCli("us-east-1"),
      command: ["/bin/sh", "/scripts/flux-git-credentials.sh", "read"],
      env: [
        { name: "CREDENTIALS_FILE", value: "/run/git-credentials/credentials.json" },
        { name: "HOME", value: "/tmp" },
        { name: "GIT_CREDENTIALS_SECRET", value: "acme/flux/platform-k8s-git" },
        { name: "AWS_REGION", value: "us-east-1" },
      ],
      volume_mount: mounts(false),
      resources: resourcesOfStep,
      security_context: JOB_CONTAINER_SECURITY_CONTEXT,
    },
  ],
  container: [
    {
      name: "apply",
      image: PINNED.curl("us-east-1"),
      command: ["/bin/sh", "/scripts/flux-git-credentials.sh", "apply"],
      env: [
        { name: "CREDENTIALS_FILE", value: "/run/git-credentials/credentials.json" },
        { name: "HOME", value: "/tmp" },
        { name: "NAMESPACE", value: "flux-system" },
        { name: "SECRET_NAME", value: "flux-system-git" },
      ],
      volume_mount: mounts(true),
      resources: resourcesOfStep,
      security_context: JOB_CONTAINER_SECURITY_CONTEXT,
    },
  ],
  volume: [
    { name: "scripts", config_map: { name: `\${kubernetes_config_map_v1.${configMap.id}.metadata[0].name}`, default_mode: "0555" } },
    { name: "work", empty_dir: { size_limit: "16Mi" } },
    { name: "tmp", empty_dir: { size_limit: "1Gi" } },
    // tmpfs: the credentials go with the pod.
    { name: "git-credentials", empty_dir: { medium: "Memory", size_limit: "1Mi" } },
  ],
};

describe("FluxGitCredentials", () => {
  it("reads nothing secret at plan time: no secret lookup, no Kubernetes secret, no value in the stack", () => {
    expect(json.data).toBeUndefined();
    expect(resources(json, "kubernetes_secret_v1")).toEqual({});
    expect(JSON.stringify(json)).not.toMatch(/secret_string|jsondecode/);
  });

  it("copies the secret at every deploy with a Job the deploy waits for, after its permissions and its script are in place", () => {
    expect(job.config.metadata).toEqual({ name: "flux-git-credentials", namespace: "flux-system" });
    expect(job.config.wait_for_completion).toBe(true);
    expect(job.config.timeouts).toEqual({ create: "10m", update: "10m" });
    expect(job.config.depends_on).toEqual([`kubernetes_role_binding_v1.${binding.id}`, `kubernetes_config_map_v1.${configMap.id}`]);
    expect(job.config.spec).toEqual({
      backoff_limit: 3,
      template: { metadata: { labels: { "app.kubernetes.io/name": "flux-git-credentials" } }, spec: pod },
    });
  });

  it("refreshes the copy hourly with a CronJob running the same pod (a rotation reaches the cluster without a deploy)", () => {
    expect(cronJob.config.metadata).toEqual({ name: "flux-git-credentials", namespace: "flux-system" });
    expect(cronJob.config.spec).toEqual({
      schedule: "@hourly",
      concurrency_policy: "Forbid",
      successful_jobs_history_limit: 3,
      failed_jobs_history_limit: 3,
      job_template: {
        metadata: {},
        spec: { backoff_limit: 2, template: { metadata: { labels: { "app.kubernetes.io/name": "flux-git-credentials" } }, spec: pod } },
      },
    });
    expect(synth({ schedule: "*/15 * * * *" }).resource!.kubernetes_cron_job_v1[cronJob.id].spec.schedule).toBe("*/15 * * * *");
  });

  it("lets its service account update that one secret and create secrets in the namespace, nothing else", () => {
    expect(onlyResource(json, "kubernetes_service_account_v1").config).toEqual({
      metadata: { name: "flux-git-credentials", namespace: "flux-system" },
      automount_service_account_token: true,
    });
    expect(role.config).toEqual({
      metadata: { name: "flux-git-credentials", namespace: "flux-system" },
      rule: [
        { api_groups: [""], resources: ["secrets"], resource_names: ["flux-system-git"], verbs: ["update"] },
        { api_groups: [""], resources: ["secrets"], verbs: ["create"] },
      ],
    });
    expect(binding.config).toEqual({
      metadata: { name: "flux-git-credentials", namespace: "flux-system" },
      role_ref: { api_group: "rbac.authorization.k8s.io", kind: "Role", name: ref("kubernetes_role_v1", role.id, "metadata[0].name") },
      subject: [
        {
          kind: "ServiceAccount",
          name: `\${kubernetes_service_account_v1.${onlyResource(json, "kubernetes_service_account_v1").id}.metadata[0].name}`,
          namespace: "flux-system",
        },
      ],
    });
  });

  it("mounts the script and what it sources, and nothing more", () => {
    expect(configMap.config.metadata).toEqual({ name: "flux-git-credentials", namespace: "flux-system" });
    expect(Object.keys(configMap.config.data).sort()).toEqual(["flux-git-credentials.sh", "script-common.sh"]);
    expect(Object.keys(scriptFiles("flux-git-credentials.sh")).sort()).toEqual(["flux-git-credentials.sh", "script-common.sh"]);
  });

  it("passes Pod Security restricted, in the Job and in the CronJob", () => {
    for (const [type, resource] of [
      ["kubernetes_job_v1", job],
      ["kubernetes_cron_job_v1", cronJob],
    ] as const) {
      const templates = podTemplatesOf(toKubernetesObject(type, resource.config));
      expect(templates).toHaveLength(1);
      expect(podSecurityViolations(templates[0])).toEqual([]);
    }
  });

  it("refuses a schedule the CronJob controller would reject", () => {
    expect(() => synth({ schedule: "hourly" })).toThrow('FluxGitCredentials: schedule must be five cron fields or a macro such as @hourly (got "hourly")');
  });
});
