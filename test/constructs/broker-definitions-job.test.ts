import * as fs from "fs";
import * as path from "path";
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { BrokerDefinitionsJob, type BrokerDefinitionsJobProps } from "../../lib/constructs/broker-definitions-job";
import { HostingServicesBucket } from "../../lib/constructs/hosting-services-bucket";
import { ARCHIVE_KEY, JOB_CONTAINER_SECURITY_CONTEXT, JOB_POD_SECURITY_CONTEXT } from "../support/expected";
import { onlyResource, ref, synthJson } from "../support/synth";
import { REPO } from "../support/run";
import { PINNED, REGISTRY_US_EAST_2 } from "../support/images";

type Props = Omit<BrokerDefinitionsJobProps, "bucket">;
const PROPS: Props = {
  registry: REGISTRY_US_EAST_2,
  namespace: "backups",
  serviceAccountName: "broker-definitions",
  bucketRegion: "us-east-2",
  managementUrl: "https://b-1234.mq.us-east-1.amazonaws.com",
  adminUsername: "admin",
  adminSecret: { secretName: "acme/us-east-1/rabbitmq/admin", region: "us-east-1" },
};

function build(props: Partial<Props> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const provider = new AwsProvider(stack, "aws", { region: "us-east-2" });
  new KubernetesProvider(stack, "kubernetes", {});
  const bucket = new HostingServicesBucket(stack, "hosting-services", {
    bucketName: "acme-hosting-services-us-east-1",
    provider,
    region: "us-east-2",
    kmsKeyArn: ARCHIVE_KEY,
  });
  const job = new BrokerDefinitionsJob(stack, "definitions", { ...PROPS, ...props, bucket });
  return { job, json: synthJson(stack) };
}

const { json, job } = build();
const cron = onlyResource(json, "kubernetes_cron_job_v1").config;
const pod = cron.spec.job_template.spec.template.spec;
const bucketId = onlyResource(json, "aws_s3_bucket").id;
const terraformValue = (text: string) => text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");

describe("BrokerDefinitionsJob", () => {
  it("runs hourly by default, one job at a time, as its service account", () => {
    expect(job.schedule).toBe("0 * * * *");
    expect(cron.metadata).toEqual({ name: "broker-definitions", namespace: "backups" });
    expect(cron.spec.schedule).toBe("0 * * * *");
    expect(cron.spec.concurrency_policy).toBe("Forbid");
    expect(pod.service_account_name).toBe("broker-definitions");
  });

  it("mounts the repository's export script and uploader verbatim", () => {
    const data = onlyResource(json, "kubernetes_config_map_v1").config.data;
    expect(Object.keys(data).sort()).toEqual(["broker-definitions.js", "broker-definitions.sh"]);
    for (const file of Object.keys(data)) expect(terraformValue(data[file])).toBe(fs.readFileSync(path.join(REPO, "backup", file), "utf8"));
  });

  it("reads the administrator's password when it runs (aws CLI, into memory), exports with plain node and uploads with the aws CLI", () => {
    expect(pod.init_container.map((c: any) => [c.name, c.image, c.command])).toEqual([
      ["admin-password", PINNED.awsCli(), ["/bin/sh", "/scripts/broker-definitions.sh", "admin-password"]],
      ["export", PINNED.node(), ["node", "/scripts/broker-definitions.js", "export", "/work"]],
    ]);
    expect(pod.container.map((c: any) => [c.name, c.image, c.command])).toEqual([
      ["upload", PINNED.awsCli(), ["/bin/sh", "/scripts/broker-definitions.sh", "upload"]],
    ]);
    expect(pod.init_container[0].env).toEqual([
      { name: "ADMIN_SECRET", value: "acme/us-east-1/rabbitmq/admin" },
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "ADMIN_PASSWORD_FILE", value: "/run/broker-admin/password" },
      { name: "HOME", value: "/tmp" },
    ]);
    expect(pod.init_container[1].env).toEqual([
      { name: "DEFINITIONS_DIR", value: "/work" },
      { name: "HOME", value: "/tmp" },
      { name: "MANAGEMENT_URL", value: "https://b-1234.mq.us-east-1.amazonaws.com" },
      { name: "ADMIN_USERNAME", value: "admin" },
      { name: "ADMIN_PASSWORD_FILE", value: "/run/broker-admin/password" },
    ]);
    expect(pod.container[0].env).toEqual([
      { name: "DEFINITIONS_DIR", value: "/work" },
      { name: "HOME", value: "/tmp" },
      { name: "ARCHIVE_BUCKET", value: ref("aws_s3_bucket", bucketId, "bucket") },
      { name: "AWS_REGION", value: "us-east-2" },
    ]);
    // tmpfs, written by the first step, read-only for the export, absent from the upload.
    expect(pod.volume[3]).toEqual({ name: "broker-admin", empty_dir: { medium: "Memory", size_limit: "1Mi" } });
    expect(pod.init_container[0].volume_mount.at(-1)).toEqual({ name: "broker-admin", mount_path: "/run/broker-admin" });
    expect(pod.init_container[1].volume_mount.at(-1)).toEqual({ name: "broker-admin", mount_path: "/run/broker-admin", read_only: true });
    expect(pod.container[0].volume_mount.map((m: any) => m.name)).toEqual(["scripts", "work", "tmp"]);
  });

  it("runs as a numeric non-root user with a read-only root, no capabilities, RuntimeDefault seccomp, requests and limits", () => {
    expect(pod.security_context).toEqual(JOB_POD_SECURITY_CONTEXT);
    for (const container of [...pod.init_container, ...pod.container]) {
      expect(container.security_context).toEqual(JOB_CONTAINER_SECURITY_CONTEXT);
      expect(container.resources).toEqual({ requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } });
    }
  });

  describe("validation", () => {
    it.each(["http://b-1234.mq.us-east-1.amazonaws.com", "https://b-1234/api", "b-1234"])("refuses the management URL %s", (managementUrl) => {
      expect(() => build({ managementUrl })).toThrow(`BrokerDefinitionsJob: managementUrl must be https://<host> (got ${JSON.stringify(managementUrl)})`);
    });

    it("accepts an unresolved management URL (the broker's console URL from the application stack)", () => {
      const stack = new TerraformStack(Testing.app(), "tokens");
      const provider = new AwsProvider(stack, "aws", { region: "us-east-2" });
      new KubernetesProvider(stack, "kubernetes", {});
      const bucket = new HostingServicesBucket(stack, "hosting-services", {
        bucketName: "acme-hosting-services-us-east-1",
        provider,
        region: "us-east-2",
        kmsKeyArn: ARCHIVE_KEY,
      });
      const managementUrl = new TerraformVariable(stack, "url", { type: "string" }).stringValue;
      new BrokerDefinitionsJob(stack, "definitions", { ...PROPS, managementUrl, bucket });
      const env = onlyResource(synthJson(stack), "kubernetes_cron_job_v1").config.spec.job_template.spec.template.spec.init_container[1].env;
      expect(env.find((e: any) => e.name === "MANAGEMENT_URL").value).toBe("${var.url}");
    });

    it("refuses a schedule that is not cron", () => {
      expect(() => build({ schedule: "every hour" })).toThrow(
        'BrokerDefinitionsJob: schedule must be five cron fields or a macro such as @hourly (got "every hour")',
      );
    });

    it("refuses a name that is not a DNS label", () => {
      expect(() => build({ name: "broker_definitions" })).toThrow(
        'BrokerDefinitionsJob: name must be a DNS label of at most 52 characters (got "broker_definitions")',
      );
    });
  });
});
