import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { RabbitMqUsers, RabbitMqUsersProps } from "../../lib/constructs/rabbitmq-users";
import { scriptFiles } from "../../lib/backup/job-parts";
import { CURL, regionalImage } from "../../lib/kubernetes/images";
import { PINNED, REGISTRY_US_EAST_1 } from "../support/images";
import { toKubernetesObject } from "../../lib/kubernetes/from-terraform";
import { podSecurityViolations, podTemplatesOf } from "../../lib/kubernetes/pod-security";
import { onlyResource, ref, resources, synthJson } from "../support/synth";

const PROPS: RabbitMqUsersProps = {
  registry: REGISTRY_US_EAST_1,
  namespace: "dr-backups",
  serviceAccountName: "database-archive",
  secretsRegion: "us-east-1",
  managementUrl: "https://b-1234.mq.us-east-1.amazonaws.com",
  adminUsername: "admin",
  adminSecretName: "acme/us-east-1/rabbitmq/admin",
  users: [
    { username: "orders", secretName: "acme/us-east-1/rabbitmq/orders" },
    { username: "notifications", secretName: "acme/us-east-1/rabbitmq/notifications" },
  ],
};

function synth(props: Partial<RabbitMqUsersProps> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new KubernetesProvider(stack, "kubernetes", {});
  new RabbitMqUsers(stack, "users", { ...PROPS, ...props });
  return synthJson(stack);
}

const json = synth();
const job = onlyResource(json, "kubernetes_job_v1").config;
const container = job.spec.template.spec.container[0];

describe("RabbitMqUsers", () => {
  it("reads every password when it runs: no secret lookup, no Kubernetes secret, no password anywhere in the stack", () => {
    expect(json.data).toBeUndefined();
    expect(resources(json, "kubernetes_secret_v1")).toEqual({});
    const configMap = onlyResource(json, "kubernetes_config_map_v1").config;
    expect(configMap.metadata).toEqual({ name: "rabbitmq-users", namespace: "dr-backups" });
    // The script and what it sources, as they are in backup/ (Terraform's escapes aside).
    expect(Object.keys(configMap.data).sort()).toEqual(["broker-api.sh", "broker-users.sh", "script-common.sh"]);
    expect(Object.keys(scriptFiles("broker-users.sh")).sort()).toEqual(Object.keys(configMap.data).sort());
  });

  it("runs the script as the backup jobs' service account (pod identity), with the secrets named, and waits for completion", () => {
    expect(job.wait_for_completion).toBe(true);
    expect(job.spec.backoff_limit).toBe(4);
    const pod = job.spec.template.spec;
    expect(pod.restart_policy).toBe("Never");
    expect(pod.service_account_name).toBe("database-archive");
    // curl from the account's registry in the cluster's region, by digest (its quay pull through cache).
    expect(container.image).toBe(PINNED.curl("us-east-1"));
    expect(regionalImage(CURL, REGISTRY_US_EAST_1)).toEqual({ reference: container.image, userId: 100, groupId: 101 });
    expect(container.command).toEqual(["/bin/sh", "/scripts/broker-users.sh"]);
    expect(container.env).toEqual([
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "USERS", value: "orders=acme/us-east-1/rabbitmq/orders notifications=acme/us-east-1/rabbitmq/notifications" },
      { name: "MANAGEMENT_URL", value: "https://b-1234.mq.us-east-1.amazonaws.com" },
      { name: "ADMIN_USERNAME", value: "admin" },
      { name: "ADMIN_SECRET", value: "acme/us-east-1/rabbitmq/admin" },
      { name: "HOME", value: "/tmp" },
    ]);
    expect(container.env_from).toBeUndefined();
    const configMapId = Object.keys(resources(json, "kubernetes_config_map_v1"))[0];
    expect(pod.volume).toEqual([
      { name: "scripts", config_map: { name: ref("kubernetes_config_map_v1", configMapId, "metadata[0].name"), default_mode: "0555" } },
      { name: "work", empty_dir: { size_limit: "16Mi" } },
      { name: "tmp", empty_dir: { size_limit: "1Gi" } },
    ]);
    expect(container.volume_mount).toEqual([
      { name: "scripts", mount_path: "/scripts", read_only: true },
      { name: "work", mount_path: "/work" },
      { name: "tmp", mount_path: "/tmp" },
    ]);
  });

  it("runs as the image's numeric user and group, under Pod Security restricted, with requests and limits", () => {
    expect(container.security_context).toEqual({
      run_as_non_root: true,
      run_as_user: "100",
      run_as_group: "101",
      read_only_root_filesystem: true,
      allow_privilege_escalation: false,
      capabilities: { drop: ["ALL"] },
      seccomp_profile: { type: "RuntimeDefault" },
    });
    expect(container.resources).toEqual({ requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } });
  });

  it("passes the pod security check (restricted and the library's demands) as the cluster would see the job", () => {
    const templates = podTemplatesOf(toKubernetesObject("kubernetes_job_v1", job));
    expect(templates).toHaveLength(1);
    expect(podSecurityViolations(templates[0])).toEqual([]);
  });

  it("takes another pinned image with its own user and group", () => {
    const other = onlyResource(
      synth({ image: { reference: "registry.example.com/tools/curl:1.0@sha256:" + "a".repeat(64), userId: 1000, groupId: 2000 } }),
      "kubernetes_job_v1",
    ).config;
    const c = other.spec.template.spec.container[0];
    expect([c.image, c.security_context.run_as_user, c.security_context.run_as_group]).toEqual([
      "registry.example.com/tools/curl:1.0@sha256:" + "a".repeat(64),
      "1000",
      "2000",
    ]);
  });

  it("needs the image pinned by tag and digest, with numeric non-root ids, naming every problem", () => {
    expect(() => synth({ image: { reference: "curlimages/curl:8.11.1", userId: 100, groupId: 101 } })).toThrow(
      "RabbitMqUsers: image.reference must be <repository>:<tag>@sha256:<64 hex digits> (got curlimages/curl:8.11.1)",
    );
    expect(() => synth({ image: { reference: "curlimages/curl@sha256:" + "b".repeat(64), userId: 100, groupId: 101 } })).toThrow(
      `RabbitMqUsers: image.reference must be <repository>:<tag>@sha256:<64 hex digits> (got curlimages/curl@sha256:${"b".repeat(64)})`,
    );
    expect(() => synth({ users: [], image: { ...regionalImage(CURL, REGISTRY_US_EAST_1), userId: 0, groupId: 1.5 } })).toThrow(
      "RabbitMqUsers: users must list at least one user (got none); image.userId must be a non-zero integer (got 0); image.groupId must be a non-zero integer (got 1.5)",
    );
  });

  it("needs at least one user, each a RabbitMQ name with a Secrets Manager name", () => {
    expect(() => synth({ users: [] })).toThrow("RabbitMqUsers: users must list at least one user (got none)");
    expect(() => synth({ users: [{ username: "a b", secretName: "x" }] })).toThrow(
      `RabbitMqUsers: users must be letters, digits and . _ ~ - with secret names of Secrets Manager's characters (got {"username":"a b","secretName":"x"})`,
    );
    expect(() => synth({ users: [{ username: "ok", secretName: "x y" }] })).toThrow(
      `RabbitMqUsers: users must be letters, digits and . _ ~ - with secret names of Secrets Manager's characters (got {"username":"ok","secretName":"x y"})`,
    );
  });
});
