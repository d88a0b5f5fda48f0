import * as fs from "fs";
import * as path from "path";
import { PLACEHOLDER_CREDENTIALS } from "../../lib/constructs/registry-pull-through-cache";
import { Testing } from "cdktf";
import { ApplicationStack } from "../../stacks/application-stack";
import { GitOpsStack } from "../../stacks/gitops-stack";
import { KubernetesStack } from "../../stacks/kubernetes-stack";
import { WorkloadsStack } from "../../stacks/workloads-stack";
import { manifestOf, synthApp } from "../support/app-synth";
import { environment, networkingStack, primaryInput, recoveryInput, roleProps } from "../support/environments";
import { synthShipped } from "../support/shipped";
import { onlyResource, resourceAt, StackJson } from "../support/synth";
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
  const gitops = new GitOpsStack(app, { environment: env, kubernetes, networking });
  const workloads = new WorkloadsStack(app, { application, gitops, networking, ...roleProps(env, recoveryOf) });
  const read = synthApp(app);
  return {
    app,
    gitops,
    workloads,
    kubernetes,
    networking,
    read,
    json: read(gitops.node.id),
    workloadsJson: read(workloads.node.id),
    applicationJson: read(application.node.id),
    kubernetesJson: read(kubernetes.node.id),
  };
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

  it("depends on the kubernetes stack of its region only: Flux installs while the datastores are still being created", () => {
    for (const role of ["primary", "recovery"] as const) {
      const { app, gitops, kubernetes, networking } = stacks(role);
      // And the networking stack made before the cluster: the controller fills its target group.
      expect(gitops.dependencies).toEqual([kubernetes, networking]);
      expect(manifestOf(app).stacks[gitops.node.id].dependencies).toEqual([kubernetes.node.id, networking.node.id]);
    }
  });

  it("holds the Flux controllers, their namespace and the Git credentials, nothing that needs a datastore", () => {
    for (const role of ["primary", "recovery"] as const) {
      const { json } = stacks(role);
      const addresses = Object.entries(json.resource!).flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`));
      expect(addresses.sort()).toEqual([
        expect.stringMatching(/^helm_release\.flux_flux2_[0-9A-F]{8}$/),
        expect.stringMatching(/^helm_release\.lb-controller_release_[0-9A-F]{8}$/),
        expect.stringMatching(/^kubernetes_config_map_v1\.flux_git-credentials_scripts_[0-9A-F]{8}$/),
        expect.stringMatching(/^kubernetes_cron_job_v1\.flux_git-credentials_resource_[0-9A-F]{8}$/),
        expect.stringMatching(/^kubernetes_job_v1\.flux_git-credentials_job_[0-9A-F]{8}$/),
        expect.stringMatching(/^kubernetes_namespace_v1\.flux_namespace_[0-9A-F]{8}$/),
        expect.stringMatching(/^kubernetes_role_binding_v1\.flux_git-credentials_role-binding_[0-9A-F]{8}$/),
        expect.stringMatching(/^kubernetes_role_v1\.flux_git-credentials_role_[0-9A-F]{8}$/),
        expect.stringMatching(/^kubernetes_service_account_v1\.flux_git-credentials_service-account_[0-9A-F]{8}$/),
      ]);
      // The networking stack's state: the controller's VPC (made before the cluster). No secret is read here.
      expect(Object.keys(json.data!).sort()).toEqual(["aws_eks_cluster", "terraform_remote_state"]);
      // Only the networking stack's state, never the application's (no datastore).
      expect(Object.keys(json.data!.terraform_remote_state)).toEqual([expect.stringMatching(/networking-us-east-[12]$/)]);
      expect(json.output).toBeUndefined();
    }
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
      expect(Object.keys(values.kustomizeController).sort()).toEqual(["image", "resources", "securityContext", "tag"]);
      const settings = (v: Record<string, unknown>) => ({ resources: v.resources, securityContext: v.securityContext });
      expect(settings(values.kustomizeController)).toEqual(settings(values.helmController));
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

  it("forgets the Git secret that earlier versions filled through Terraform (its address then), without deleting it from the cluster", () => {
    // The address of kubernetes_secret_v1 "git-secret" in the gitops stacks up to f738f41's parent (the app snapshot of that version).
    for (const role of ["primary", "recovery"] as const) {
      expect(stacks(role).json.removed).toEqual([{ from: "kubernetes_secret_v1.flux_git-secret_A6DF48B5", lifecycle: { destroy: false } }]);
    }
  });

  it("has the Git credentials copied in by a job that reads the secret the environment names, in its own region, with Flux's role", () => {
    for (const [role, region] of [
      ["primary", "us-east-1"],
      ["recovery", "us-east-2"],
    ] as const) {
      const { json, kubernetesJson } = stacks(role);
      const pod = onlyResource(json, "kubernetes_job_v1").config.spec.template.spec;
      expect(pod.init_container[0].env.slice(2)).toEqual([
        { name: "GIT_CREDENTIALS_SECRET", value: "acme/flux/git" },
        { name: "AWS_REGION", value: region },
      ]);
      const association = kubernetesJson.resource!.aws_eks_pod_identity_association["pod-identity-flux-git-credentials"];
      const serviceAccount = onlyResource(json, "kubernetes_service_account_v1");
      expect(pod.service_account_name).toBe(`\${kubernetes_service_account_v1.${serviceAccount.id}.metadata[0].name}`);
      expect([association.namespace, association.service_account]).toEqual(["flux-system", serviceAccount.config.metadata.name]);
      expect(association.role_arn).toBe(kubernetesJson.resource!.aws_eks_pod_identity_association["pod-identity-flux"].role_arn);
    }
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
        // The registry credentials' placeholder is the one literal allowed; anything else in its place is not.
        aws_secretsmanager_secret_version: {
          placeholder: { secret_string: JSON.stringify(PLACEHOLDER_CREDENTIALS) },
          real: { secret_string: '{"username":"bot","accessToken":"ghp_x"}' },
        },
      },
    };
    expect(literalSecrets(planted)).toEqual([
      "$.provider.kubernetes[0].token",
      "$.resource.helm_release.flux.values[0](json).git.password",
      "$.resource.aws_db_instance.db.Password",
      "$.resource.aws_secretsmanager_secret_version.real.secret_string",
    ]);
    expect(keysNamed(planted, "token")).toEqual(["$.provider.kubernetes[0].token"]);
    expect(credentialPatterns('{"key":"AKIAIOSFODNN7EXAMPLE","pem":"-----BEGIN RSA PRIVATE KEY-----"}')).toEqual(["AKIAIOSFODNN7EXAMPLE", "-----BEGIN"]);
    expect(credentialPatterns('{"arn":"arn:aws:iam::123456789012:role/platform-admin"}')).toEqual([]);
  });

  it("hold no literal token, password or secret string, no access key id and no PEM block", () => {
    const outdir = tempDir("dr-platform-shipped-");
    synthShipped(outdir);
    const ids = fs
      .readdirSync(path.join(outdir, "stacks"))
      .filter((id) => /^(kubernetes|gitops)-/.test(id))
      .sort();
    expect(ids).toEqual(["gitops-us-east-1", "gitops-us-east-2", "kubernetes-us-east-1", "kubernetes-us-east-2"]);
    for (const id of ids) {
      const text = fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8");
      expect({ id, literals: literalSecrets(JSON.parse(text)), patterns: credentialPatterns(text) }).toEqual({ id, literals: [], patterns: [] });
    }
  });
});
