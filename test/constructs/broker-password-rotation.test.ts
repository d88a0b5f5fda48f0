import * as fs from "fs";
import * as path from "path";
import { TerraformStack, Testing } from "cdktf";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { BrokerPasswordRotation, type BrokerPasswordRotationProps } from "../../lib/constructs/broker-password-rotation";
import { podSecurityViolations, podTemplatesOf } from "../../lib/kubernetes/pod-security";
import { toKubernetesObject } from "../../lib/kubernetes/from-terraform";
import { onlyResource, synthJson } from "../support/synth";
import { REPO } from "../support/run";
import { PINNED, REGISTRY_US_EAST_1 } from "../support/images";

const PROPS: BrokerPasswordRotationProps = {
  registry: REGISTRY_US_EAST_1,
  namespace: "dr-backups",
  schedule: "0 3 1 * *",
  serviceAccountName: "database-archive",
  secretsRegion: "us-east-1",
  managementUrl: "https://b-1234.mq.us-east-1.amazonaws.com",
  adminUsername: "admin",
  adminSecretName: "acme/us-east-1/rabbitmq/admin",
  users: [
    { username: "orders", secretName: "acme/us-east-1/rabbitmq/orders" },
    { username: "billing", secretName: "acme/us-east-1/rabbitmq/billing" },
  ],
};

function build(props: Partial<BrokerPasswordRotationProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  new KubernetesProvider(stack, "kubernetes", {});
  const rotation = new BrokerPasswordRotation(stack, "rotation", { ...PROPS, ...props });
  return { rotation, json: synthJson(stack) };
}

const { json, rotation } = build();
const cron = onlyResource(json, "kubernetes_cron_job_v1");
const pod = cron.config.spec.job_template.spec.template.spec;

describe("BrokerPasswordRotation", () => {
  it("runs on its schedule, one at a time, as the backup jobs' service account", () => {
    expect(rotation.schedule).toBe("0 3 1 * *");
    expect(rotation.secretNames).toEqual(["acme/us-east-1/rabbitmq/orders", "acme/us-east-1/rabbitmq/billing"]);
    expect(cron.config.metadata).toEqual({ name: "broker-password-rotation", namespace: "dr-backups" });
    expect(cron.config.spec).toMatchObject({ schedule: "0 3 1 * *", concurrency_policy: "Forbid" });
    expect(pod.service_account_name).toBe("database-archive");
    expect(pod.restart_policy).toBe("Never");
  });

  it("runs the script in the pinned curl image with every user and no password in its environment or volumes", () => {
    expect(pod.container).toHaveLength(1);
    const container = pod.container[0];
    expect(container.image).toBe(PINNED.curl("us-east-1"));
    expect(container.command).toEqual(["/bin/sh", "/scripts/rotate-broker-passwords.sh"]);
    expect(container.env).toEqual([
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "USERS", value: "orders=acme/us-east-1/rabbitmq/orders billing=acme/us-east-1/rabbitmq/billing" },
      { name: "MANAGEMENT_URL", value: "https://b-1234.mq.us-east-1.amazonaws.com" },
      { name: "ADMIN_USERNAME", value: "admin" },
      // The administrator's password is read when the job runs; without rotateAdmin it is not rotated.
      { name: "ADMIN_SECRET", value: "acme/us-east-1/rabbitmq/admin" },
      { name: "ROTATE_ADMIN", value: "false" },
      { name: "HOME", value: "/tmp" },
    ]);
    expect(pod.volume.map((v: { name: string }) => v.name)).toEqual(["scripts", "work", "tmp"]);
    expect(container.volume_mount.map((v: { name: string }) => v.name)).toEqual(["scripts", "work", "tmp"]);
  });

  it("ships the script from backup/ and what it sources, with Terraform's template sequences escaped", () => {
    const escaped = (file: string) =>
      fs
        .readFileSync(path.join(REPO, "backup", file), "utf8")
        .replace(/\$\{/g, "$$$${")
        .replace(/%\{/g, "%%{");
    // The script and what it sources.
    expect(onlyResource(json, "kubernetes_config_map_v1").config.data).toEqual({
      "rotate-broker-passwords.sh": escaped("rotate-broker-passwords.sh"),
      "script-common.sh": escaped("script-common.sh"),
      "broker-api.sh": escaped("broker-api.sh"),
    });
  });

  it("passes Pod Security restricted with the curl image's numeric user, and has requests and limits", () => {
    for (const template of podTemplatesOf(toKubernetesObject("kubernetes_cron_job_v1", cron.config))) expect(podSecurityViolations(template)).toEqual([]);
    expect(podTemplatesOf(toKubernetesObject("kubernetes_cron_job_v1", cron.config))).toHaveLength(1);
    expect(pod.security_context).toEqual({
      run_as_non_root: true,
      run_as_user: "100",
      run_as_group: "101",
      fs_group: "101",
      seccomp_profile: { type: "RuntimeDefault" },
    });
    expect(pod.container[0].resources).toEqual({ requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } });
  });

  it("refuses a bad schedule, name, URL, user list and image, all at once", () => {
    expect(() =>
      build({
        name: "Bad_Name",
        schedule: "monthly",
        managementUrl: "http://broker",
        users: [{ username: "a b", secretName: "s" }],
        image: { reference: "curl:latest", userId: 0, groupId: 1 },
      }),
    ).toThrow(
      [
        'BrokerPasswordRotation: name must be a DNS label of at most 52 characters (got "Bad_Name")',
        'BrokerPasswordRotation: schedule must be five cron fields or a macro such as @hourly (got "monthly")',
        'BrokerPasswordRotation: users must be letters, digits and . _ ~ - with secret names of Secrets Manager\'s characters (got {"username":"a b","secretName":"s"})',
        'BrokerPasswordRotation: managementUrl must be https://<host> (got "http://broker")',
        "BrokerPasswordRotation: image.reference must be <repository>:<tag>@sha256:<64 hex digits> (got curl:latest)",
        "BrokerPasswordRotation: image.userId must be a non-zero integer (got 0)",
      ].join("\n"),
    );
    expect(() => build({ users: [] })).toThrow(
      "BrokerPasswordRotation: users must list at least one user when rotateAdmin is not given (got none): there would be nothing to rotate",
    );
    expect(() => build({ adminSecretName: "acme us-east-1 admin" })).toThrow(
      'BrokerPasswordRotation: adminSecretName must be a Secrets Manager name (got "acme us-east-1 admin")',
    );
  });

  it("waits for what it is given in after (the jobs that set the first passwords), and for nothing by default", () => {
    expect(cron.config.depends_on).toBeUndefined();
    const stack = new TerraformStack(Testing.app(), "after");
    new KubernetesProvider(stack, "kubernetes", {});
    const first = new ConfigMapV1(stack, "first", { metadata: { name: "first", namespace: "dr-backups" }, data: {} });
    new BrokerPasswordRotation(stack, "rotation", { ...PROPS, after: [first] });
    expect(onlyResource(synthJson(stack), "kubernetes_cron_job_v1").config.depends_on).toEqual([`kubernetes_config_map_v1.${first.friendlyUniqueId}`]);
  });

  it("mounts no API token and makes no Role: it writes no Kubernetes secret", () => {
    expect(pod.automount_service_account_token).toBeUndefined();
    expect(Object.keys(json.resource!).sort()).toEqual(["kubernetes_config_map_v1", "kubernetes_cron_job_v1"]);
  });
});

describe("BrokerPasswordRotation with rotateAdmin", () => {
  const admin = build({ rotateAdmin: true });
  const adminPod = onlyResource(admin.json, "kubernetes_cron_job_v1").config.spec.job_template.spec.template.spec;

  it("rotates the users, then the administrator", () => {
    expect(admin.rotation.secretNames).toEqual(["acme/us-east-1/rabbitmq/orders", "acme/us-east-1/rabbitmq/billing", "acme/us-east-1/rabbitmq/admin"]);
  });

  it("reads the administrator's password from Secrets Manager when it runs and rotates it, mounting no copy, no token, no Role", () => {
    expect(adminPod.container[0].env).toEqual([
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "USERS", value: "orders=acme/us-east-1/rabbitmq/orders billing=acme/us-east-1/rabbitmq/billing" },
      { name: "MANAGEMENT_URL", value: "https://b-1234.mq.us-east-1.amazonaws.com" },
      { name: "ADMIN_USERNAME", value: "admin" },
      { name: "ADMIN_SECRET", value: "acme/us-east-1/rabbitmq/admin" },
      { name: "ROTATE_ADMIN", value: "true" },
      { name: "HOME", value: "/tmp" },
    ]);
    expect(adminPod.volume.map((v: { name: string }) => v.name)).toEqual(["scripts", "work", "tmp"]);
    expect(adminPod.automount_service_account_token).toBeUndefined();
    expect(Object.keys(admin.json.resource!).sort()).toEqual(["kubernetes_config_map_v1", "kubernetes_cron_job_v1"]);
  });

  it("still passes Pod Security restricted", () => {
    const cronJob = onlyResource(admin.json, "kubernetes_cron_job_v1").config;
    expect(podSecurityViolations(podTemplatesOf(toKubernetesObject("kubernetes_cron_job_v1", cronJob))[0])).toEqual([]);
  });

  it("may rotate the administrator alone (a broker without application users)", () => {
    const alone = build({ users: [], rotateAdmin: true });
    expect(alone.rotation.secretNames).toEqual(["acme/us-east-1/rabbitmq/admin"]);
    const env = onlyResource(alone.json, "kubernetes_cron_job_v1").config.spec.job_template.spec.template.spec.container[0].env;
    expect(env.find((e: { name: string }) => e.name === "USERS")).toEqual({ name: "USERS", value: "" });
  });
});
