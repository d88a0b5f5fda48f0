import { execFile } from "child_process";
import * as http from "http";
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { RabbitMqUsers, RabbitMqUsersProps } from "../../lib/constructs/rabbitmq-users";
import { CURL, regionalImage } from "../../lib/kubernetes/images";
import { PINNED, REGISTRY_US_EAST_1 } from "../support/images";
import { toKubernetesObject } from "../../lib/kubernetes/from-terraform";
import { podSecurityViolations, podTemplatesOf } from "../../lib/kubernetes/pod-security";
import { onlyResource, ref, resources, synthJson } from "../support/synth";

const PROPS: RabbitMqUsersProps = {
  registry: REGISTRY_US_EAST_1,
  namespace: "flux-system",
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
const script: string = container.command[2];

describe("RabbitMqUsers", () => {
  it("fills a Kubernetes secret from Secrets Manager, never from a literal", () => {
    const lookups = Object.entries(json.data!.aws_secretsmanager_secret_version).map(([id, d]: [string, any]) => [d.secret_id, id]);
    expect(lookups.map(([name]) => name).sort()).toEqual([
      "acme/us-east-1/rabbitmq/admin",
      "acme/us-east-1/rabbitmq/notifications",
      "acme/us-east-1/rabbitmq/orders",
    ]);
    const byName = Object.fromEntries(lookups);
    const secret = onlyResource(json, "kubernetes_secret_v1").config;
    expect(secret.data).toEqual({
      ADMIN_USERNAME: "admin",
      ADMIN_PASSWORD: `\${data.aws_secretsmanager_secret_version.${byName["acme/us-east-1/rabbitmq/admin"]}.secret_string}`,
      USER_0_NAME: "orders",
      USER_0_PASSWORD: `\${data.aws_secretsmanager_secret_version.${byName["acme/us-east-1/rabbitmq/orders"]}.secret_string}`,
      USER_1_NAME: "notifications",
      USER_1_PASSWORD: `\${data.aws_secretsmanager_secret_version.${byName["acme/us-east-1/rabbitmq/notifications"]}.secret_string}`,
    });
  });

  it("runs a locked-down job that waits for completion, with the secret as its environment", () => {
    expect(job.wait_for_completion).toBe(true);
    expect(job.spec.backoff_limit).toBe(4);
    expect(job.spec.template.spec.restart_policy).toBe("Never");
    // curl from the account's registry in the cluster's region, by digest (its quay pull through cache).
    expect(container.image).toBe(PINNED.curl("us-east-1"));
    expect(regionalImage(CURL, REGISTRY_US_EAST_1)).toEqual({ reference: container.image, userId: 100, groupId: 101 });
    expect(container.env).toEqual([
      { name: "MANAGEMENT_URL", value: "https://b-1234.mq.us-east-1.amazonaws.com" },
      { name: "USER_COUNT", value: "2" },
    ]);
    const secretId = Object.keys(resources(json, "kubernetes_secret_v1"))[0];
    expect(container.env_from).toEqual([{ secret_ref: { name: ref("kubernetes_secret_v1", secretId, "metadata[0].name") } }]);
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

  it("writes no ${ into the script (Terraform would read it as an interpolation)", () => {
    expect(script).not.toContain("${");
  });

  it("its script creates every user with its password and grants it the / vhost, as admin", async () => {
    const requests: { method: string; url: string; auth: string; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        requests.push({
          method: req.method!,
          url: req.url!,
          auth: Buffer.from((req.headers.authorization ?? "").replace("Basic ", ""), "base64").toString(),
          body,
        });
        res.writeHead(201).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const env = {
      PATH: process.env.PATH,
      MANAGEMENT_URL: `http://127.0.0.1:${port}`,
      USER_COUNT: "2",
      ADMIN_USERNAME: "admin",
      ADMIN_PASSWORD: "adminpw",
      USER_0_NAME: "orders",
      USER_0_PASSWORD: "Abc123",
      USER_1_NAME: "notifications",
      USER_1_PASSWORD: "Def456",
    };
    const output = await new Promise<string>((resolve, reject) =>
      execFile("/bin/sh", ["-c", script], { env }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    server.close();
    expect(output).toBe("user orders ready\nuser notifications ready\n");
    expect(requests).toEqual([
      { method: "PUT", url: "/api/users/orders", auth: "admin:adminpw", body: '{"password":"Abc123","tags":""}' },
      { method: "PUT", url: "/api/permissions/%2F/orders", auth: "admin:adminpw", body: '{"configure":".*","write":".*","read":".*"}' },
      { method: "PUT", url: "/api/users/notifications", auth: "admin:adminpw", body: '{"password":"Def456","tags":""}' },
      { method: "PUT", url: "/api/permissions/%2F/notifications", auth: "admin:adminpw", body: '{"configure":".*","write":".*","read":".*"}' },
    ]);
  });

  it("needs at least one user", () => {
    expect(() => synth({ users: [] })).toThrow("RabbitMqUsers: users must list at least one user (got none)");
  });
});
