import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { ApplicationStack } from "../../stacks/application-stack";
import { GitOpsStack } from "../../stacks/gitops-stack";
import { KubernetesStack } from "../../stacks/kubernetes-stack";
import { followRemoteOutput, manifestOf, remoteOutputRef, synthApp } from "../support/app-synth";
import { environment, primaryInput, recoveryInput, roleProps, networkingStack } from "../support/environments";
import { synthShipped } from "../support/shipped";
import { onlyResource, ref, resourceAt, StackJson } from "../support/synth";
import { tempDir } from "../support/temp";
import { credentialPatterns, keysNamed, literalSecrets } from "../support/secret-scan";

type Role = "primary" | "recovery";

/** Every stack of one environment, as app/assemble.ts wires them. */
function build(role: Role, overrides: Parameters<typeof primaryInput>[0] = {}) {
  const app = Testing.app({ outdir: tempDir("dr-platform-gitops-") });
  const primary = environment(role === "primary" ? primaryInput(overrides) : primaryInput());
  const env = role === "primary" ? primary : environment(recoveryInput(overrides));
  const recoveryOf = role === "recovery" ? primary : undefined;
  const networking = networkingStack(app, env, primary);
  const application = new ApplicationStack(app, { networking, ...roleProps(env, recoveryOf) });
  const kubernetes = new KubernetesStack(app, { networking, application, ...roleProps(env, recoveryOf) });
  const gitops = new GitOpsStack(app, { environment: env, application, kubernetes });
  const read = synthApp(app);
  return { app, gitops, kubernetes, read, json: read(gitops.node.id), applicationJson: read(application.node.id), kubernetesJson: read(kubernetes.node.id) };
}

const built = new Map<Role, ReturnType<typeof build>>();
/** The default environment of a role, built once. */
function stacks(role: Role) {
  if (!built.has(role)) built.set(role, build(role));
  return built.get(role)!;
}

function release(json: StackJson, name: "flux2" | "flux2-sync") {
  return resourceAt(json, "helm_release", `flux/${name}`).config;
}

function syncValues(json: StackJson) {
  return JSON.parse(release(json, "flux2-sync").values[0]);
}

function clusterVars(json: StackJson): Record<string, string> {
  return onlyResource(json, "kubernetes_config_map_v1").config.data;
}

/** The one `data.aws_eks_cluster` and how the providers reference it. */
function clusterLookup(json: StackJson) {
  const entries = Object.entries(json.data!.aws_eks_cluster);
  expect(entries).toHaveLength(1);
  const [id, config] = entries[0];
  return {
    config,
    host: `\${data.aws_eks_cluster.${id}.endpoint}`,
    ca: `\${base64decode(data.aws_eks_cluster.${id}.certificate_authority[0].data)}`,
  };
}


/** Logical id of the data source that reads the Flux Git credentials. */
function gitCredentialsId(json: StackJson): string {
  const ids = Object.keys(json.data!.aws_secretsmanager_secret_version).filter((id) => id.startsWith("flux_git-credentials_"));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe("GitOpsStack", () => {
  it("is named gitops-<region>", () => {
    expect(stacks("primary").gitops.node.id).toBe("gitops-us-east-1");
    expect(stacks("recovery").gitops.node.id).toBe("gitops-us-east-2");
  });

  it("keeps its state in the state bucket under its own key", () => {
    expect(stacks("primary").json.terraform.backend).toEqual({
      s3: { bucket: "acme-terraform-state", key: "gitops-us-east-1.tfstate", region: "us-west-2", encrypt: true, use_lockfile: true },
    });
  });

  it("depends on the kubernetes stack of its region (and the application stack it reads)", () => {
    const { app, gitops, kubernetes } = stacks("primary");
    expect(gitops.dependencies).toContain(kubernetes);
    expect([...manifestOf(app).stacks["gitops-us-east-1"].dependencies].sort()).toEqual(["application-us-east-1", "kubernetes-us-east-1"]);
  });

  it("looks the cluster up by its name, <project>-<region>", () => {
    expect(clusterLookup(stacks("primary").json).config).toEqual({ name: "acme-us-east-1" });
    expect(clusterLookup(stacks("recovery").json).config).toEqual({ name: "acme-us-east-2" });
  });

  it("configures the kubernetes provider from the looked-up cluster, with a token from aws eks get-token", () => {
    const { json } = stacks("primary");
    const { host, ca } = clusterLookup(json);
    expect(json.provider!.kubernetes).toEqual([
      {
        host,
        cluster_ca_certificate: ca,
        exec: [
          {
            api_version: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", "acme-us-east-1", "--region", "us-east-1"],
          },
        ],
      },
    ]);
  });

  it("configures the helm provider the same way", () => {
    const { json } = stacks("recovery");
    const { host, ca } = clusterLookup(json);
    expect(json.provider!.helm).toEqual([
      {
        kubernetes: {
          host,
          cluster_ca_certificate: ca,
          exec: {
            api_version: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", "acme-us-east-2", "--region", "us-east-2"],
          },
        },
      },
    ]);
  });

  it("pins the helm and kubernetes providers", () => {
    const { required_providers } = stacks("primary").json.terraform;
    expect(required_providers.helm).toEqual({ source: "helm", version: "3.1.1" });
    expect(required_providers.kubernetes).toEqual({ source: "kubernetes", version: "2.38.0" });
  });

  it("puts no token anywhere: none in the providers, no aws_eks_cluster_auth lookup", () => {
    for (const role of ["primary", "recovery"] as const) {
      const { json } = stacks(role);
      expect(keysNamed(json, "token")).toEqual([]);
      expect(json.data!.aws_eks_cluster_auth).toBeUndefined();
    }
  });

  it("installs Flux without an IRSA annotation: kustomize-controller has only the container settings of every controller", () => {
    for (const role of ["primary", "recovery"] as const) {
      const { json } = stacks(role);
      const text: string = release(json, "flux2").values[0];
      const values = JSON.parse(text);
      expect(Object.keys(values.kustomizeController).sort()).toEqual(["resources", "securityContext"]);
      expect(values.kustomizeController).toEqual(values.helmController);
      expect(text).not.toContain("eks.amazonaws.com/role-arn");
      expect(text).not.toContain("serviceAccount");
    }
  });

  it("leaves kustomize-controller's AWS role to the kubernetes stack's pod identity association in the namespace Flux is installed in", () => {
    for (const role of ["primary", "recovery"] as const) {
      const { json, kubernetesJson } = stacks(role);
      const namespace = resourceAt(json, "kubernetes_namespace_v1", "flux/namespace").config.metadata.name;
      expect(release(json, "flux2").namespace).toMatch(/^\$\{kubernetes_namespace_v1\.flux_namespace_[0-9A-F]{8}\.metadata\[0\]\.name\}$/);
      const association = kubernetesJson.resource!.aws_eks_pod_identity_association["pod-identity-flux"];
      expect({ namespace: association.namespace, serviceAccount: association.service_account }).toEqual({ namespace, serviceAccount: "kustomize-controller" });
    }
  });

  it("syncs clusters/<region> of the environment's repository by default", () => {
    expect(syncValues(stacks("primary").json).kustomization.spec.path).toBe("./clusters/us-east-1");
    expect(syncValues(stacks("recovery").json).kustomization.spec.path).toBe("./clusters/us-east-2");
    expect(syncValues(stacks("primary").json).gitRepository.spec).toEqual({
      url: "https://github.com/acme/platform-k8s",
      ref: { branch: "main" },
      interval: "5m",
      secretRef: { name: "flux-system-git" },
    });
  });

  it("takes the repository, branch, path, interval and prune from the environment's flux settings", () => {
    const { json } = build("primary", {
      flux: {
        repositoryUrl: "ssh://git@github.com/acme/platform-k8s.git",
        branch: "production",
        path: "k8s/prod",
        intervalMinutes: 15,
        prune: false,
        gitCredentialsSecretName: "acme/flux/deploy-key",
      },
    });
    const values = syncValues(json);
    expect(values.gitRepository.spec).toEqual({
      url: "ssh://git@github.com/acme/platform-k8s.git",
      ref: { branch: "production" },
      interval: "15m",
      secretRef: { name: "flux-system-git" },
    });
    expect(values.kustomization.spec).toMatchObject({ path: "./k8s/prod", prune: false, interval: "15m" });
    expect(json.data!.aws_secretsmanager_secret_version[gitCredentialsId(json)]).toEqual({ secret_id: "acme/flux/deploy-key" });
  });

  it("reads the Git credentials from the Secrets Manager secret the environment names", () => {
    const { json } = stacks("primary");
    const sourceId = gitCredentialsId(json);
    expect(json.data!.aws_secretsmanager_secret_version[sourceId]).toEqual({ secret_id: "acme/flux/git" });
    expect(resourceAt(json, "kubernetes_secret_v1", "flux/git-secret").config.data).toBe(`\${jsondecode(data.aws_secretsmanager_secret_version.${sourceId}.secret_string)}`);
  });

  it("creates the broker's application users from their secrets with a job in the cluster", () => {
    const { json } = stacks("primary");
    const lookups = Object.entries(json.data!.aws_secretsmanager_secret_version).filter(([id]) => id.startsWith("rabbitmq-users_"));
    expect(lookups.map(([, d]: [string, any]) => d.secret_id).sort()).toEqual(["acme/us-east-1/rabbitmq/admin", "acme/us-east-1/rabbitmq/orders"]);
    const job = resourceAt(json, "kubernetes_job_v1", "rabbitmq-users/job").config;
    expect(job.metadata.namespace).toMatch(/^\$\{kubernetes_namespace_v1\.flux_namespace_[0-9A-F]{8}\.metadata\[0\]\.name\}$/);
    expect(job.spec.template.spec.container[0].env[0].name).toBe("MANAGEMENT_URL");
    expect(job.spec.template.spec.container[0].env[0].value).toMatch(/console_url\}$/);
  });

  it("primary: hands the environment's endpoints to the manifests in cluster-vars", () => {
    const { json, read, applicationJson, kubernetesJson } = stacks("primary");
    const vars = clusterVars(json);
    expect(Object.keys(vars).sort()).toEqual([
      "ASSETS_BUCKET",
      "AWS_REGION",
      "BROKER_ENDPOINT",
      "DATABASE_HOST",
      "DATABASE_PORT",
      "DATABASE_SECRET_ARN",
      "DOMAIN",
      "DR_REGION",
      "ENVIRONMENT_ROLE",
      "HOSTING_SERVICES_BUCKET",
      "SOPS_KEY_ARN",
      "WORKLOAD_ROLE_ARN",
    ]);
    expect(vars).toMatchObject({ AWS_REGION: "us-east-1", DR_REGION: "us-east-2", ENVIRONMENT_ROLE: "primary", DOMAIN: "example.com", DATABASE_PORT: "5432" });

    const database = resourceAt(applicationJson, "aws_db_instance", "database/resource").id;
    expect(followRemoteOutput(read, vars.DATABASE_HOST)).toBe(ref("aws_db_instance", database, "address"));
    expect(followRemoteOutput(read, vars.DATABASE_SECRET_ARN)).toBe(`\${aws_db_instance.${database}.master_user_secret[0].secret_arn}`);
    const broker = resourceAt(applicationJson, "aws_mq_broker", "broker/resource").id;
    const endpoints = remoteOutputRef("application-us-east-1", `cross-stack-output-aws_mq_broker${broker}instances0endpoints`);
    expect(vars.BROKER_ENDPOINT).toBe(`\${element(${endpoints.slice(2, -1)}, 0)}`);
    expect(followRemoteOutput(read, endpoints)).toBe(`\${aws_mq_broker.${broker}.instances[0].endpoints}`);
    expect(followRemoteOutput(read, vars.ASSETS_BUCKET)).toBe(ref("aws_s3_bucket", resourceAt(applicationJson, "aws_s3_bucket", "assets/resource").id, "bucket"));
    expect(followRemoteOutput(read, vars.HOSTING_SERVICES_BUCKET)).toBe(
      ref("aws_s3_bucket", resourceAt(applicationJson, "aws_s3_bucket", "hosting-services/bucket/resource").id, "bucket"),
    );
    expect(followRemoteOutput(read, vars.SOPS_KEY_ARN)).toBe(ref("aws_kms_key", resourceAt(applicationJson, "aws_kms_key", "sops-key/resource").id, "arn"));
    expect(followRemoteOutput(read, vars.WORKLOAD_ROLE_ARN)).toBe(ref("aws_iam_role", resourceAt(kubernetesJson, "aws_iam_role", "workload-role/resource").id, "arn"));
  });

  it("recovery: cluster-vars name the primary's replica bucket and the key replica of this region", () => {
    const { json, read } = stacks("recovery");
    const vars = clusterVars(json);
    expect(vars).toMatchObject({
      AWS_REGION: "us-east-2",
      DR_REGION: "us-west-2",
      ENVIRONMENT_ROLE: "recovery",
      DOMAIN: "example.com",
      DATABASE_PORT: "5432",
      ASSETS_BUCKET: "acme-dr-assets-us-east-1",
    });
    expect(followRemoteOutput(read, vars.SOPS_KEY_ARN)).toBe("${local.sops_replica_key_arn}");
    // The standby stack's role, by ARN: a literal, no reference to another stack.
    expect(vars.WORKLOAD_ROLE_ARN).toBe("arn:aws:iam::123456789012:role/acme-workload-us-east-2");
  });

  it("outputs the command that waits for Flux", () => {
    const { json } = stacks("primary");
    expect(Object.keys(json.output!).filter((name) => !name.startsWith("cross-stack-output-"))).toEqual(["flux_verify_command"]);
    expect(json.output!.flux_verify_command).toEqual({
      value: "kubectl -n flux-system wait kustomization/flux-system --for=condition=ready --timeout=10m",
      description: "Waits until Flux has applied the repository",
    });
  });
});

describe("the shipped environments' kubernetes and gitops stacks", () => {
  it("the scanner finds literal credentials, and only those", () => {
    const planted = {
      provider: { kubernetes: [{ host: "${data.aws_eks_cluster.cluster.endpoint}", token: "eyJhbGciOiJSUzI1NiJ9" }] },
      resource: {
        helm_release: { flux: { values: ['{"git":{"password":"hunter2","username":"flux"}}', "not json {"] } },
        kubernetes_secret_v1: { git: { data: { secret_string: "${data.aws_secretsmanager_secret_version.git.secret_string}" } } },
        aws_db_instance: { db: { Password: 42 } },
      },
    };
    expect(literalSecrets(planted)).toEqual([
      "$.provider.kubernetes[0].token",
      "$.resource.helm_release.flux.values[0](json).git.password",
      "$.resource.aws_db_instance.db.Password",
    ]);
    expect(keysNamed(planted, "token")).toEqual(["$.provider.kubernetes[0].token"]);
    expect(credentialPatterns('{"key":"AKIAIOSFODNN7EXAMPLE","pem":"-----BEGIN RSA PRIVATE KEY-----"}')).toEqual(["AKIAIOSFODNN7EXAMPLE", "-----BEGIN"]);
    expect(credentialPatterns('{"arn":"arn:aws:iam::123456789012:role/platform-admin"}')).toEqual([]);
  });

  it("hold no literal token, password or secret string, no access key id and no PEM block", () => {
    const outdir = tempDir("dr-platform-shipped-");
    synthShipped(outdir);
    const ids = fs.readdirSync(path.join(outdir, "stacks")).filter((id) => /^(kubernetes|gitops)-/.test(id)).sort();
    expect(ids).toEqual(["gitops-us-east-1", "gitops-us-east-2", "kubernetes-us-east-1", "kubernetes-us-east-2"]);
    for (const id of ids) {
      const text = fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8");
      expect({ id, literals: literalSecrets(JSON.parse(text)), patterns: credentialPatterns(text) }).toEqual({ id, literals: [], patterns: [] });
    }
  });
});
