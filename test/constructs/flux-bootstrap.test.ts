import { Testing, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import {
  CLUSTER_VARS,
  FLUX2_CHART_VERSION,
  FLUX2_SYNC_CHART_VERSION,
  FLUX_CHART_REPOSITORY,
  FLUX_NAMESPACE,
  FluxBootstrap,
  FluxSync,
  GIT_CREDENTIALS_SECRET,
  type FluxRepository,
} from "../../lib/constructs/flux-bootstrap";
import { FLUX_IMAGE_USER } from "../../lib/kubernetes/images";
import { findSuppression } from "../../lib/policy/suppress";
import { onlyResource, ref, resourceAt, resources, synthJson } from "../support/synth";

/** FluxBootstrap and FluxSync together, as one test stack (the app puts them in gitops- and workloads-<region>). */
interface Props {
  readonly repository: FluxRepository;
  readonly gitCredentialsSecretName: string;
  readonly clusterVars: Readonly<Record<string, string>>;
  readonly chartVersions?: { readonly flux2?: string; readonly flux2Sync?: string };
}

const PROPS: Props = {
  repository: { url: "https://github.com/acme/platform-k8s", branch: "main", path: "clusters/us-east-1", intervalMinutes: 5, prune: true },
  gitCredentialsSecretName: "acme/flux/git",
  clusterVars: { AWS_REGION: "us-east-1", DATABASE_HOST: "acme-us-east-1.abc.us-east-1.rds.amazonaws.com" },
};

function build(overrides: Partial<Props> = {}) {
  const props = { ...PROPS, ...overrides };
  const stack = new TerraformStack(Testing.app(), "gitops");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new KubernetesProvider(stack, "kubernetes", { configPath: "~/.kube/config" });
  new HelmProvider(stack, "helm", { kubernetes: { configPath: "~/.kube/config" } });
  const flux = new FluxBootstrap(stack, "flux", {
    gitCredentialsSecretName: props.gitCredentialsSecretName,
    region: "us-east-1",
    chartVersion: props.chartVersions?.flux2,
    registry: { accountId: "123456789012", region: "us-east-1" },
  });
  const sync = new FluxSync(stack, "sync", {
    repository: props.repository,
    clusterVars: props.clusterVars,
    chartVersion: props.chartVersions?.flux2Sync,
    after: [flux.flux, flux.gitCredentials.job],
  });
  return { stack, flux, sync };
}

function synth(props: Partial<Props> = {}) {
  return synthJson(build(props).stack);
}

function release(json: ReturnType<typeof synth>, name: "flux2" | "flux2-sync") {
  return resourceAt(json, "helm_release", name === "flux2" ? "flux/flux2" : "sync/flux2-sync");
}

/** The release's single values document, parsed. */
function values(config: any): any {
  expect(config.values).toHaveLength(1);
  return JSON.parse(config.values[0]);
}

function namespaceRef(json: ReturnType<typeof synth>) {
  return `\${kubernetes_namespace_v1.${onlyResource(json, "kubernetes_namespace_v1").id}.metadata[0].name}`;
}

describe("FluxBootstrap", () => {
  it("creates the flux-system namespace, labelled for Pod Security Admission to enforce, audit and warn on restricted", () => {
    expect(onlyResource(synth(), "kubernetes_namespace_v1").config).toEqual({
      metadata: {
        name: "flux-system",
        labels: {
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
        },
      },
    });
    expect(FLUX_NAMESPACE).toBe("flux-system");
  });

  it("installs the pinned flux2 chart from the community repository into flux-system, without creating the namespace", () => {
    const json = synth();
    expect(Object.keys(resources(json, "helm_release"))).toHaveLength(2);
    expect(release(json, "flux2").config).toEqual({
      name: "flux2",
      repository: "https://fluxcd-community.github.io/helm-charts",
      chart: "flux2",
      version: "2.14.1",
      namespace: namespaceRef(json),
      create_namespace: false,
      atomic: true,
      wait: true,
      timeout: 600,
      values: [expect.any(String)],
    });
    expect(FLUX_CHART_REPOSITORY).toBe("https://fluxcd-community.github.io/helm-charts");
    expect(FLUX2_CHART_VERSION).toBe("2.14.1");
  });

  it("annotates the kustomize-controller service account with the IRSA role, keeps the CRDs, and runs every pod as the images' numeric user with limits", () => {
    const container = {
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 65534,
        runAsGroup: 65534,
        seccompProfile: { type: "RuntimeDefault" },
      },
      resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1000m", memory: "1Gi" } },
    };
    // Every image from the account's registry in us-east-1 (its github pull through cache): `<repository>:<tag>`
    // in `image` and the digest in `tag`, which the chart renders `image@digest`; by tag while a digest is pending.
    const ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com/github/fluxcd";
    expect(values(release(synth(), "flux2").config)).toEqual({
      crds: { annotations: { "helm.sh/resource-policy": "keep" } },
      helmController: {
        image: `${ecr}/helm-controller:v1.1.0`,
        tag: "sha256:4c75ca6c24ceb1f1bd7e935d9287a93e4f925c512f206763ec5a47de3ef3ff48",
        ...container,
      },
      imageAutomationController: { image: `${ecr}/image-automation-controller`, tag: "v0.39.0", ...container },
      imageReflectionController: { image: `${ecr}/image-reflector-controller`, tag: "v0.33.0", ...container },
      kustomizeController: {
        image: `${ecr}/kustomize-controller:v1.4.0`,
        tag: "sha256:e3b0cf847e9cdf47b19af0fbcfe22786b80b598e0caeea8b6d2a5f9c26a48a24",
        ...container,
      },
      notificationController: {
        image: `${ecr}/notification-controller:v1.4.0`,
        tag: "sha256:425309a159b15e07f7d97622effc79bc432a37ed55289dd465d37fa217a92a7d",
        ...container,
      },
      sourceController: {
        image: `${ecr}/source-controller:v1.4.1`,
        tag: "sha256:3c5f0f022f990ffc0daf00e5b199548fc0fa6e7119e972318f0267081a332963",
        ...container,
      },
      cli: { image: `${ecr}/flux-cli`, tag: "v2.4.0", ...container },
    });
    expect(FLUX_IMAGE_USER).toEqual({ userId: 65534, groupId: 65534 });
  });

  it("accepts the images that still run by tag as a named exception of DR-K8S-3, each with the command that pins it", () => {
    const suppression = findSuppression(build().flux.flux, "DR-K8S-3");
    expect(suppression?.reason.split("; ").map((r) => r.split(" runs by tag")[0])).toEqual([
      "ghcr.io/fluxcd/image-reflector-controller:v0.33.0",
      "ghcr.io/fluxcd/image-automation-controller:v0.39.0",
      "ghcr.io/fluxcd/flux-cli:v2.4.0",
    ]);
    expect(suppression?.reason).toContain("crane digest ghcr.io/fluxcd/flux-cli:v2.4.0, then set it in lib/kubernetes/images.ts");
  });

  it("installs the pinned flux2-sync chart as the flux-system release (namespace by name), after the cluster variables and everything in `after`", () => {
    const json = synth();
    const sync = release(json, "flux2-sync").config;
    expect(sync).toEqual({
      name: "flux-system",
      repository: "https://fluxcd-community.github.io/helm-charts",
      chart: "flux2-sync",
      version: "1.10.0",
      namespace: "flux-system",
      create_namespace: false,
      atomic: true,
      values: [expect.any(String)],
      depends_on: [
        `kubernetes_config_map_v1.${resourceAt(json, "kubernetes_config_map_v1", "sync/cluster-vars").id}`,
        `helm_release.${release(json, "flux2").id}`,
        `kubernetes_job_v1.${onlyResource(json, "kubernetes_job_v1").id}`,
      ],
    });
    expect(FLUX2_SYNC_CHART_VERSION).toBe("1.10.0");
  });

  it("points the GitRepository and the root Kustomization at the cluster's path, with SOPS decryption and the cluster variables, both kept on uninstall", () => {
    expect(values(release(synth(), "flux2-sync").config)).toEqual({
      gitRepository: {
        annotations: { "helm.sh/resource-policy": "keep" },
        spec: { url: "https://github.com/acme/platform-k8s", ref: { branch: "main" }, interval: "5m", secretRef: { name: "flux-system-git" } },
      },
      kustomization: {
        annotations: { "helm.sh/resource-policy": "keep" },
        spec: {
          path: "./clusters/us-east-1",
          prune: true,
          interval: "5m",
          decryption: { provider: "sops" },
          postBuild: { substituteFrom: [{ kind: "ConfigMap", name: "cluster-vars" }] },
        },
      },
    });
  });

  it("takes the URL, branch, path, interval and prune from the repository", () => {
    const json = synth({
      repository: { url: "ssh://git@github.com/acme/platform-k8s.git", branch: "release/2026", path: "k8s/dr", intervalMinutes: 30, prune: false },
    });
    const sync = values(release(json, "flux2-sync").config);
    expect(sync.gitRepository.spec).toEqual({
      url: "ssh://git@github.com/acme/platform-k8s.git",
      ref: { branch: "release/2026" },
      interval: "30m",
      secretRef: { name: "flux-system-git" },
    });
    expect(sync.kustomization.spec).toMatchObject({ path: "./k8s/dr", prune: false, interval: "30m" });
  });

  it("has the Git secret written by a job in the cluster from the Secrets Manager secret named in the props: Terraform reads no value", () => {
    const json = synth();
    // The job reads the secret when it runs (test/constructs/flux-git-credentials.test.ts): no data source, no secret resource.
    expect(json.data?.aws_secretsmanager_secret_version).toBeUndefined();
    expect(resources(json, "kubernetes_secret_v1")).toEqual({});
    const job = onlyResource(json, "kubernetes_job_v1").config;
    expect(job.metadata).toEqual({ name: "flux-git-credentials", namespace: namespaceRef(json) });
    const pod = job.spec.template.spec;
    expect(pod.init_container[0].env).toContainEqual({ name: "GIT_CREDENTIALS_SECRET", value: "acme/flux/git" });
    expect(pod.init_container[0].env).toContainEqual({ name: "AWS_REGION", value: "us-east-1" });
    expect(pod.container[0].env).toContainEqual({ name: "SECRET_NAME", value: "flux-system-git" });
    expect(GIT_CREDENTIALS_SECRET).toBe("flux-system-git");
  });

  it("holds exactly the given variables in the cluster-vars ConfigMap", () => {
    const json = synth({ clusterVars: { AWS_REGION: "us-east-2", BROKER_ENDPOINT: "amqps://b-1.mq.us-east-2.amazonaws.com:5671" } });
    expect(resourceAt(json, "kubernetes_config_map_v1", "sync/cluster-vars").config).toEqual({
      metadata: { name: "cluster-vars", namespace: "flux-system" },
      data: { AWS_REGION: "us-east-2", BROKER_ENDPOINT: "amqps://b-1.mq.us-east-2.amazonaws.com:5671" },
    });
    expect(CLUSTER_VARS).toBe("cluster-vars");
  });

  it("takes chart versions from chartVersions, each one on its own", () => {
    const both = synth({ chartVersions: { flux2: "2.15.0", flux2Sync: "1.11.0" } });
    expect(release(both, "flux2").config.version).toBe("2.15.0");
    expect(release(both, "flux2-sync").config.version).toBe("1.11.0");
    const onlyFlux = synth({ chartVersions: { flux2: "2.15.0" } });
    expect(release(onlyFlux, "flux2").config.version).toBe("2.15.0");
    expect(release(onlyFlux, "flux2-sync").config.version).toBe("1.10.0");
    const onlySync = synth({ chartVersions: { flux2Sync: "1.11.0" } });
    expect(release(onlySync, "flux2").config.version).toBe("2.14.1");
    expect(release(onlySync, "flux2-sync").config.version).toBe("1.11.0");
  });

  it("exposes the command that waits for the root Kustomization", () => {
    expect(build().sync.verifyCommand).toBe("kubectl -n flux-system wait kustomization/flux-system --for=condition=ready --timeout=10m");
  });

  it("exposes the releases and the ConfigMap", () => {
    const { stack, flux, sync } = build();
    new TerraformOutput(stack, "flux_release", { value: flux.flux.name });
    new TerraformOutput(stack, "sync_release", { value: sync.sync.name });
    new TerraformOutput(stack, "vars", { value: sync.clusterVars.id });
    const json = synthJson(stack);
    expect(json.output!.flux_release.value).toBe(ref("helm_release", release(json, "flux2").id, "name"));
    expect(json.output!.sync_release.value).toBe(ref("helm_release", release(json, "flux2-sync").id, "name"));
    expect(json.output!.vars.value).toBe(ref("kubernetes_config_map_v1", resourceAt(json, "kubernetes_config_map_v1", "sync/cluster-vars").id, "id"));
  });

  describe("repository.path", () => {
    const withPath = (path: string) => () => synth({ repository: { ...PROPS.repository, path } });

    it("must not be absolute", () => {
      expect(withPath("/clusters/us-east-1")).toThrow(
        new Error("FluxSync: repository.path must be relative and stay inside the repository (got /clusters/us-east-1)"),
      );
    });
    it("must not climb out of the repository", () => {
      expect(withPath("../other")).toThrow(new Error("FluxSync: repository.path must be relative and stay inside the repository (got ../other)"));
      expect(withPath("clusters/../../other")).toThrow(
        new Error("FluxSync: repository.path must be relative and stay inside the repository (got clusters/../../other)"),
      );
    });
    it("may hold dots that are not a parent segment", () => {
      expect(values(release(withPath("clusters/..staging")(), "flux2-sync").config).kustomization.spec.path).toBe("./clusters/..staging");
    });
  });
});
