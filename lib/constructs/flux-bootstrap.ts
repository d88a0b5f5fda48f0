import { Construct } from "constructs";
import { Fn, Token } from "cdktf";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { Release } from "@cdktf/provider-helm/lib/release";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { FLUX_NAMESPACE, FLUX_WAIT_COMMAND } from "../naming";

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
  readonly repository: FluxRepository;
  /** Secrets Manager secret with the Git credentials as JSON (never a literal). */
  readonly gitCredentialsSecretName: string;
  /** IRSA role of kustomize-controller (decrypts SOPS secrets with KMS). */
  readonly kustomizeControllerRoleArn: string;
  /** Values for `postBuild.substituteFrom`: the environment's endpoints. */
  readonly clusterVars: Readonly<Record<string, string>>;
  /**
   * Chart versions.
   * @default - FLUX2_CHART_VERSION and FLUX2_SYNC_CHART_VERSION
   */
  readonly chartVersions?: { readonly flux2?: string; readonly flux2Sync?: string };
}

/**
 * Installs Flux with the community `flux2` chart and points it at the platform-k8s repository
 * with the `flux2-sync` chart (a GitRepository and a root Kustomization, rendered by Helm, so no
 * CRD has to exist at plan time). SOPS secrets are decrypted with KMS through the
 * kustomize-controller's IRSA role; manifests get the environment's endpoints from the
 * `cluster-vars` ConfigMap, so services point at the new datastores without manual changes.
 */
export class FluxBootstrap extends Construct {
  public readonly flux: Release;
  public readonly sync: Release;
  public readonly clusterVars: ConfigMapV1;
  /** `flux-system`, as a reference to the namespace resource (depending on it orders after it). */
  public readonly namespaceName: string;
  /** Waits until the root Kustomization is applied. */
  public readonly verifyCommand = FLUX_WAIT_COMMAND;

  constructor(scope: Construct, id: string, props: FluxBootstrapProps) {
    super(scope, id);
    const { repository } = props;
    if (repository.path.startsWith("/") || repository.path.split("/").includes("..")) {
      throw new Error(`FluxBootstrap: repository.path must be relative and stay inside the repository (got ${repository.path})`);
    }
    const interval = `${repository.intervalMinutes}m`;

    const namespace = new NamespaceV1(this, "namespace", { metadata: { name: FLUX_NAMESPACE } });
    this.namespaceName = namespace.metadata.name;

    const credentials = new DataAwsSecretsmanagerSecretVersion(this, "git-credentials", { secretId: props.gitCredentialsSecretName });
    const gitSecret = new SecretV1(this, "git-secret", {
      metadata: { name: GIT_CREDENTIALS_SECRET, namespace: namespace.metadata.name },
      data: Token.asStringMap(Fn.jsondecode(credentials.secretString)),
    });

    this.clusterVars = new ConfigMapV1(this, "cluster-vars", {
      metadata: { name: CLUSTER_VARS, namespace: namespace.metadata.name },
      data: { ...props.clusterVars },
    });

    this.flux = new Release(this, "flux2", {
      name: "flux2",
      repository: FLUX_CHART_REPOSITORY,
      chart: "flux2",
      version: props.chartVersions?.flux2 ?? FLUX2_CHART_VERSION,
      namespace: namespace.metadata.name,
      createNamespace: false,
      atomic: true,
      wait: true,
      timeout: 600,
      values: [
        JSON.stringify({
          kustomizeController: { serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": props.kustomizeControllerRoleArn } } },
        }),
      ],
    });

    this.sync = new Release(this, "flux2-sync", {
      name: FLUX_NAMESPACE,
      repository: FLUX_CHART_REPOSITORY,
      chart: "flux2-sync",
      version: props.chartVersions?.flux2Sync ?? FLUX2_SYNC_CHART_VERSION,
      namespace: namespace.metadata.name,
      createNamespace: false,
      atomic: true,
      values: [
        JSON.stringify({
          gitRepository: {
            spec: { url: repository.url, ref: { branch: repository.branch }, interval, secretRef: { name: GIT_CREDENTIALS_SECRET } },
          },
          kustomization: {
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
      dependsOn: [this.flux, gitSecret, this.clusterVars],
    });
  }
}
