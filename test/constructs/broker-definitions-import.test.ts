import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { BrokerDefinitionsImport, type BrokerDefinitionsImportProps } from "../../lib/constructs/broker-definitions-import";
import { podSecurityViolations, podTemplatesOf } from "../../lib/kubernetes/pod-security";
import { toKubernetesObject } from "../../lib/kubernetes/from-terraform";
import { kubernetesSchemaProblems } from "../support/kubernetes-schema";
import { onlyResource, resources, synthJson } from "../support/synth";
import { PINNED, REGISTRY_US_EAST_2 } from "../support/images";

const PROPS: BrokerDefinitionsImportProps = {
  registry: REGISTRY_US_EAST_2,
  namespace: "dr-backups",
  serviceAccountName: "database-archive",
  bucketName: "acme-hosting-services-us-east-1",
  bucketRegion: "us-east-2",
  managementUrl: "https://b-1234.mq.us-east-2.amazonaws.com",
  adminUsername: "admin",
  adminSecret: { secretName: "acme/us-east-2/rabbitmq/admin", region: "us-east-2" },
};

function build(props: Partial<BrokerDefinitionsImportProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  new KubernetesProvider(stack, "kubernetes", {});
  const job = new BrokerDefinitionsImport(stack, "import", { ...PROPS, ...props });
  return { job, json: synthJson(stack) };
}

const { json } = build();
const job = onlyResource(json, "kubernetes_job_v1").config;
const pod = job.spec.template.spec;

describe("BrokerDefinitionsImport", () => {
  it("is a Job Terraform waits for, run once as the service account, in the namespace", () => {
    expect(job.metadata).toEqual({ name: "broker-definitions-import", namespace: "dr-backups" });
    expect(job.wait_for_completion).toBe(true);
    expect(job.timeouts).toEqual({ create: "10m", update: "10m" });
    expect(job.spec.backoff_limit).toBe(2);
    expect(pod.service_account_name).toBe("database-archive");
    expect(pod.restart_policy).toBe("Never");
  });

  it("reads the administrator's password when it runs, fetches the newest export with the aws CLI, then POSTs it with node", () => {
    expect(pod.init_container.map((c: any) => [c.name, c.image, c.command])).toEqual([
      ["admin-password", PINNED.awsCli(), ["/bin/sh", "/scripts/broker-definitions.sh", "admin-password"]],
      ["fetch", PINNED.awsCli(), ["/bin/sh", "/scripts/broker-definitions.sh", "fetch"]],
    ]);
    expect(pod.init_container[0].env).toEqual([
      { name: "ADMIN_SECRET", value: "acme/us-east-2/rabbitmq/admin" },
      { name: "AWS_REGION", value: "us-east-2" },
      { name: "ADMIN_PASSWORD_FILE", value: "/run/broker-admin/password" },
      { name: "HOME", value: "/tmp" },
    ]);
    expect(pod.container.map((c: any) => [c.name, c.image, c.command])).toEqual([
      ["import", PINNED.node(), ["node", "/scripts/broker-definitions.js", "import", "/work/definitions.json"]],
    ]);
    expect(pod.container[0].env).toEqual([
      { name: "DEFINITIONS_DIR", value: "/work" },
      { name: "HOME", value: "/tmp" },
      { name: "MANAGEMENT_URL", value: "https://b-1234.mq.us-east-2.amazonaws.com" },
      { name: "ADMIN_USERNAME", value: "admin" },
      { name: "ADMIN_PASSWORD_FILE", value: "/run/broker-admin/password" },
    ]);
    expect(pod.volume.find((v: any) => v.name === "broker-admin")).toEqual({ name: "broker-admin", empty_dir: { medium: "Memory", size_limit: "1Mi" } });
    expect(pod.container[0].volume_mount.at(-1)).toEqual({ name: "broker-admin", mount_path: "/run/broker-admin", read_only: true });
    expect(Object.keys(onlyResource(json, "kubernetes_config_map_v1").config.data).sort()).toEqual(["broker-definitions.js", "broker-definitions.sh"]);
  });

  it("passes Pod Security restricted and the library's demands, and the Kubernetes API schema", () => {
    const object = toKubernetesObject("kubernetes_job_v1", job);
    expect(podTemplatesOf(object).map(podSecurityViolations)).toEqual([[]]);
    expect(kubernetesSchemaProblems(object)).toEqual([]);
  });

  it("accepts an unresolved management URL (the broker's console URL from another stack)", () => {
    const stack = new TerraformStack(Testing.app(), "tokens");
    new KubernetesProvider(stack, "kubernetes", {});
    const url = new TerraformVariable(stack, "url", { type: "string" }).stringValue;
    new BrokerDefinitionsImport(stack, "import", { ...PROPS, managementUrl: url });
    const env = onlyResource(synthJson(stack), "kubernetes_job_v1").config.spec.template.spec.container[0].env;
    expect(env.find((e: any) => e.name === "MANAGEMENT_URL").value).toBe("${var.url}");
  });

  describe("schedule (a warm standby's standing broker)", () => {
    const scheduled = build({ schedule: "30 * * * *" }).json;
    const cronJob = onlyResource(scheduled, "kubernetes_cron_job_v1").config;
    const cronPod = cronJob.spec.job_template.spec.template.spec;

    it("imports the newest export again on the schedule, after the first import, topology only (TOPOLOGY_ONLY=true), so the users keep their passwords", () => {
      expect(onlyResource(json, "kubernetes_job_v1")).toBeDefined();
      expect(resources(json, "kubernetes_cron_job_v1")).toEqual({});
      expect([cronJob.metadata, cronJob.spec.schedule, cronJob.spec.concurrency_policy]).toEqual([
        { name: "broker-definitions-import-scheduled", namespace: "dr-backups" },
        "30 * * * *",
        "Forbid",
      ]);
      expect(cronJob.depends_on).toEqual([`kubernetes_job_v1.${onlyResource(scheduled, "kubernetes_job_v1").id}`]);
      expect(cronPod.container[0].env).toEqual([...pod.container[0].env, { name: "TOPOLOGY_ONLY", value: "true" }]);
      expect(cronPod.init_container).toEqual(pod.init_container);
      expect(onlyResource(scheduled, "kubernetes_job_v1").config.spec.template.spec).toEqual(pod);
    });

    it("passes Pod Security restricted and the Kubernetes API schema", () => {
      const object = toKubernetesObject("kubernetes_cron_job_v1", cronJob);
      expect(podTemplatesOf(object).map(podSecurityViolations)).toEqual([[]]);
      expect(kubernetesSchemaProblems(object)).toEqual([]);
    });

    it("refuses a schedule that is no cron expression", () => {
      expect(() => build({ schedule: "hourly" })).toThrow(
        'BrokerDefinitionsImport: schedule must be five cron fields or a macro such as @hourly (got "hourly")',
      );
    });
  });

  it("refuses a name that is no DNS label and a management URL that is not https://<host>, all at once", () => {
    expect(() => build({ name: "Import_Job", managementUrl: "http://b-1234.mq.us-east-2.amazonaws.com/api" })).toThrow(
      new Error(
        [
          'BrokerDefinitionsImport: name must be a DNS label of at most 52 characters (got "Import_Job")',
          'BrokerDefinitionsImport: managementUrl must be https://<host> (got "http://b-1234.mq.us-east-2.amazonaws.com/api")',
        ].join("\n"),
      ),
    );
  });
});
