import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { FLUX_IMAGE_USER, FLUX_IMAGES, pendingDigestReason, regionalRepository, type ImageRegistry, type PinnedImage } from "../kubernetes/images";
import { RESTRICTED_NAMESPACE_LABELS } from "../kubernetes/pod-security";
import { FLUX_NAMESPACE, FLUX_WAIT_COMMAND } from "../naming";
import { suppressRule } from "../policy/suppress";
import { FluxGitCredentials } from "./flux-git-credentials";
import { ForgottenResource } from "./private/forgotten-resource";

/** The fluxcd-community chart repository. */
export const FLUX_CHART_REPOSITORY = "https://fluxcd-community.github.io/helm-charts";
/** Pinned `flux2` chart (Flux controllers and CRDs). */
export const FLUX2_CHART_VERSION = "2.14.1";
/** Pinned `flux2-sync` chart (the GitRepository and root Kustomization). */
export const FLUX2_SYNC_CHART_VERSION = "1.10.0";
/** Namespace, and name of the root GitRepository and Kustomization (the `flux2-sync` release name). */
export { FLUX_NAMESPACE } from "../naming";
/** ConfigMap the root Kustomization substitutes variables from. */
export const CLUSTER_VARS = "cluster-vars";
/** Kubernetes secret with the Git credentials. */
export const GIT_CREDENTIALS_SECRET = "flux-system-git";
/** Service account of kustomize-controller (the one that decrypts SOPS secrets with KMS). */
export const KUSTOMIZE_CONTROLLER_SERVICE_ACCOUNT = "kustomize-controller";

/**
 * Tells Helm to leave an object in place when the release is uninstalled or replaced. On the
 * Flux CRDs it keeps every Flux object alive (deleting a CRD deletes all its objects); on the
 * root GitRepository and Kustomization it stops an uninstall of `flux2-sync` from letting the
 * Kustomization's finalizer prune everything Flux applied.
 */
export const HELM_KEEP = { "helm.sh/resource-policy": "keep" } as const;

/** The `flux2` chart's value key of each controller it deploys (all of them are enabled). */
export const FLUX_CONTROLLER_VALUE_KEYS = [
  "helmController",
  "imageAutomationController",
  "imageReflectionController",
  "kustomizeController",
  "notificationController",
  "sourceController",
] as const;

/**
 * Requests are the chart's defaults; limits are the ones upstream Flux ships in its own
 * manifests (the chart leaves them empty).
 */
export const FLUX_CONTAINER_RESOURCES = {
  requests: { cpu: "100m", memory: "64Mi" },
  limits: { cpu: "1000m", memory: "1Gi" },
} as const;

/**
 * The chart's own container security context plus the images' numeric user and group (the
 * chart sets runAsNonRoot without them). Setting it replaces the chart's default wholesale, so
 * every field is repeated.
 */
const FLUX_CONTAINER_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: FLUX_IMAGE_USER.userId,
  runAsGroup: FLUX_IMAGE_USER.groupId,
  seccompProfile: { type: "RuntimeDefault" },
};

export interface FluxRepository {
  /** https:// or ssh:// URL of the platform-k8s repository. */
  readonly url: string;
  readonly branch: string;
  /** Path of this cluster in the repository, e.g. `clusters/us-east-2`. */
  readonly path: string;
  readonly intervalMinutes: number;
  /** Delete from the cluster what is deleted from the repository. */
  readonly prune: boolean;
}

export interface FluxBootstrapProps {
  /**
   * Secrets Manager secret with the Git credentials as JSON (never a literal), in `region`: a job
   * in the cluster copies it into Flux's namespace when it runs (FluxGitCredentials).
   */
  readonly gitCredentialsSecretName: string;
  /** Region of the cluster, and of that secret (or of its replica). */
  readonly region: string;
  /**
   * The account's registry in the cluster's region: every Flux image is pulled from it (its
   * `github` pull through cache rule), by digest (lib/kubernetes/images.ts, FLUX_IMAGES).
   */
  readonly registry: ImageRegistry;
  /**
   * Version of the `flux2` chart.
   * @default FLUX2_CHART_VERSION
   */
  readonly chartVersion?: string;
}

/**
 * Installs the Flux controllers with the community `flux2` chart into a `restricted` namespace,
 * with the Git credentials the root GitRepository will use, copied in by a job in the cluster from
 * Secrets Manager (never through Terraform's state). Nothing here needs a datastore, so
 * it is installed as soon as the cluster exists; the sync that starts the workloads is FluxSync,
 * applied once the datastores are there. SOPS secrets are decrypted with KMS through
 * kustomize-controller's pod identity role.
 */
export class FluxBootstrap extends Construct {
  public readonly flux: Release;
  /** The job that writes the Git credentials secret (`gitCredentials.job` completes before the deploy does). */
  public readonly gitCredentials: FluxGitCredentials;
  /** `flux-system`, as a reference to the namespace resource (depending on it orders after it). */
  public readonly namespaceName: string;

  constructor(scope: Construct, id: string, props: FluxBootstrapProps) {
    super(scope, id);
    const namespace = new NamespaceV1(this, "namespace", { metadata: { name: FLUX_NAMESPACE, labels: { ...RESTRICTED_NAMESPACE_LABELS } } });
    this.namespaceName = namespace.metadata.name;

    // Until this version Terraform filled the secret itself (the value was in the state): a
    // deployment that has it forgets it without deleting it, and the job below replaces its value.
    new ForgottenResource(this, "git-secret", { resourceType: "kubernetes_secret_v1" });
    this.gitCredentials = new FluxGitCredentials(this, "git-credentials", {
      namespace: namespace.metadata.name,
      secretName: GIT_CREDENTIALS_SECRET,
      gitCredentialsSecretName: props.gitCredentialsSecretName,
      region: props.region,
      registry: props.registry,
    });

    this.flux = new Release(this, "flux2", {
      name: "flux2",
      repository: FLUX_CHART_REPOSITORY,
      chart: "flux2",
      version: props.chartVersion ?? FLUX2_CHART_VERSION,
      namespace: namespace.metadata.name,
      createNamespace: false,
      atomic: true,
      wait: true,
      timeout: 600,
      values: [JSON.stringify(fluxValues(props.registry))],
    });
    // An image whose digest is not pinned yet runs by tag: an accepted, named exception (docs/images.md).
    const pending = Object.values(FLUX_IMAGES)
      .map(pendingDigestReason)
      .filter((reason): reason is string => reason !== undefined);
    if (pending.length > 0) suppressRule(this.flux, "DR-K8S-3", pending.join("; "));
  }
}

export interface FluxSyncProps {
  readonly repository: FluxRepository;
  /** Values for `postBuild.substituteFrom`: the environment's endpoints and secret names. */
  readonly clusterVars: Readonly<Record<string, string>>;
  /**
   * What must be in place before the workloads start (the broker's users and definitions, the
   * backup jobs): the `flux2-sync` release waits for all of it.
   * @default - only the cluster-vars ConfigMap
   */
  readonly after?: readonly ITerraformDependable[];
  /**
   * Version of the `flux2-sync` chart.
   * @default FLUX2_SYNC_CHART_VERSION
   */
  readonly chartVersion?: string;
}

/**
 * Points the Flux controllers (FluxBootstrap) at the platform-k8s repository with the
 * `flux2-sync` chart: a GitRepository and a root Kustomization, rendered by Helm, so no CRD has to
 * exist at plan time. Manifests get the environment's endpoints and secret names from the
 * `cluster-vars` ConfigMap, so services point at the new datastores without manual changes. This
 * release is what starts the workloads: it is created last, after everything in `after`.
 */
export class FluxSync extends Construct {
  public readonly sync: Release;
  public readonly clusterVars: ConfigMapV1;
  /** Waits until the root Kustomization is applied. */
  public readonly verifyCommand = FLUX_WAIT_COMMAND;

  constructor(scope: Construct, id: string, props: FluxSyncProps) {
    super(scope, id);
    const { repository } = props;
    if (repository.path.startsWith("/") || repository.path.split("/").includes("..")) {
      throw new Error(`FluxSync: repository.path must be relative and stay inside the repository (got ${repository.path})`);
    }
    const interval = `${repository.intervalMinutes}m`;

    // The namespace and the Git secret are FluxBootstrap's, in the gitops stack: named, not referenced.
    this.clusterVars = new ConfigMapV1(this, "cluster-vars", {
      metadata: { name: CLUSTER_VARS, namespace: FLUX_NAMESPACE },
      data: { ...props.clusterVars },
    });

    this.sync = new Release(this, "flux2-sync", {
      name: FLUX_NAMESPACE,
      repository: FLUX_CHART_REPOSITORY,
      chart: "flux2-sync",
      version: props.chartVersion ?? FLUX2_SYNC_CHART_VERSION,
      namespace: FLUX_NAMESPACE,
      createNamespace: false,
      atomic: true,
      values: [
        JSON.stringify({
          gitRepository: {
            annotations: { ...HELM_KEEP },
            spec: { url: repository.url, ref: { branch: repository.branch }, interval, secretRef: { name: GIT_CREDENTIALS_SECRET } },
          },
          kustomization: {
            annotations: { ...HELM_KEEP },
            spec: {
              path: `./${repository.path}`,
              prune: repository.prune,
              interval,
              decryption: { provider: "sops" },
              postBuild: { substituteFrom: [{ kind: "ConfigMap", name: CLUSTER_VARS }] },
            },
          },
        }),
      ],
      dependsOn: [this.clusterVars, ...(props.after ?? [])],
    });
  }
}

/**
 * A Flux image as the chart's `image`/`tag` values: the chart renders `<image>@<tag>` when the tag
 * is a digest (templates/_helper.tpl), so the tag goes into `image` and the digest into `tag`:
 * `<repository>:<tag>@sha256:...`, readable and immutable. While a digest is pending, the tag alone.
 */
export function fluxImageValues(image: PinnedImage, registry: ImageRegistry): { readonly image: string; readonly tag: string } {
  const repository = regionalRepository(image, registry);
  return image.digest ? { image: `${repository}:${image.tag}`, tag: image.digest } : { image: repository, tag: image.tag };
}

/**
 * Values of the `flux2` release: restricted-ready pods, kept CRDs, and every image from the
 * cluster's regional registry. kustomize-controller gets its AWS role through EKS Pod Identity (an
 * association of its service account, `kustomize-controller`, in the kubernetes stack): no
 * annotation, and nothing to change here when the role changes.
 */
export function fluxValues(registry: ImageRegistry): Record<string, unknown> {
  const container = { securityContext: FLUX_CONTAINER_SECURITY_CONTEXT, resources: FLUX_CONTAINER_RESOURCES };
  const controllers: Record<string, unknown> = Object.fromEntries(
    FLUX_CONTROLLER_VALUE_KEYS.map((key) => [key, { ...fluxImageValues(FLUX_IMAGES[key], registry), ...container }]),
  );
  return {
    crds: { annotations: { ...HELM_KEEP } },
    ...controllers,
    // The pre-install `flux check` job.
    cli: { ...fluxImageValues(FLUX_IMAGES.cli, registry), ...container },
  };
}
