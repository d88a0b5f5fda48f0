import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import { EksCluster } from "../lib/constructs/eks-cluster";
import { IrsaRole } from "../lib/constructs/irsa-role";
import type { Environment } from "../lib/environment";
import { regionalNames, resourceNames } from "../lib/naming";
import { leftOutInSandbox } from "../lib/sandbox";
import type { ApplicationStack } from "./application-stack";
import { EnvironmentStack } from "./environment-stack";
import type { NetworkingStack } from "./networking-stack";

/** Service account of Flux's kustomize-controller, which decrypts SOPS secrets. */
export const FLUX_KUSTOMIZE_CONTROLLER = { namespace: "flux-system", name: "kustomize-controller" } as const;

export interface KubernetesStackProps {
  readonly environment: Environment;
  readonly networking: NetworkingStack;
  readonly application: ApplicationStack;
  /** The primary a recovery environment recovers (its SOPS key replica is used here). */
  readonly primary?: Environment;
}

/**
 * `kubernetes-<region>`: the EKS cluster and the IRSA roles of Flux and the workloads. Flux's
 * role may decrypt with the SOPS key of this region: the primary's key, or in a recovery
 * environment the primary's replica that already lives here (no re-encryption needed).
 */
export class KubernetesStack extends EnvironmentStack {
  public readonly cluster: EksCluster;
  public readonly fluxRole: IrsaRole;
  public readonly workloadRole: IrsaRole;
  /** Key SOPS decrypts with here; undefined only in a sandbox recovery (no key replicas there). */
  public readonly sopsKeyArn?: string;
  public readonly kubeconfigCommand: string;

  constructor(scope: Construct, props: KubernetesStackProps) {
    const { environment: env, networking, application, primary } = props;
    super(scope, "kubernetes", env);
    const names = resourceNames(env.project, env.region);
    const regional = regionalNames(env.project, env.region);

    this.cluster = new EksCluster(this, "cluster", {
      clusterName: regional.cluster,
      version: env.kubernetes.version,
      subnetIds: networking.vpc.privateSubnets.map((s) => s.id),
      publicAccessCidrs: env.kubernetes.publicAccessCidrs,
      adminRoleArns: env.kubernetes.adminRoleArns,
      logRetentionDays: env.kubernetes.logRetentionDays,
      nodeGroups: env.kubernetes.nodeGroups,
      addonVersions: env.kubernetes.addons,
      accountId: env.accountId,
      accessEntries: !leftOutInSandbox(this, "eks-access-entries"),
      installAddons: !leftOutInSandbox(this, "eks-addons"),
    });

    if (application.sopsKey) {
      this.sopsKeyArn = application.sopsKey.keyArn;
    } else if (!leftOutInSandbox(this, "kms-replica-key")) {
      // The primary's replica carries the primary's alias in this region.
      const replica = new DataAwsKmsAlias(this, "sops-key-replica", { name: regionalNames(primary!.project, primary!.region).sopsKeyAlias });
      this.sopsKeyArn = replica.targetKeyArn;
    }

    const irsa = { oidcProviderArn: this.cluster.oidcProviderArn, oidcIssuerHost: this.cluster.oidcIssuerHost };
    this.fluxRole = new IrsaRole(this, "flux-role", {
      ...irsa,
      roleName: names.fluxRole,
      serviceAccount: FLUX_KUSTOMIZE_CONTROLLER,
      statements: this.sopsKeyArn
        ? [{ Sid: "DecryptSopsSecrets", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: this.sopsKeyArn }]
        : [],
    });
    this.workloadRole = new IrsaRole(this, "workload-role", {
      ...irsa,
      roleName: names.workloadRole,
      serviceAccount: env.kubernetes.workloadServiceAccount,
      managedPolicyArns: [application.assetsManagementPolicy.policyArn],
    });

    this.kubeconfigCommand = `aws eks update-kubeconfig --region ${env.region} --name ${regional.cluster}`;
    new TerraformOutput(this, "cluster_name", { value: this.cluster.clusterName });
    new TerraformOutput(this, "cluster_endpoint", { value: this.cluster.endpoint });
    new TerraformOutput(this, "kubeconfig_command", { value: this.kubeconfigCommand, description: "Log in to the cluster" });
    new TerraformOutput(this, "oidc_provider_arn", { value: this.cluster.oidcProviderArn });
    new TerraformOutput(this, "flux_role_arn", { value: this.fluxRole.roleArn });
    new TerraformOutput(this, "workload_role_arn", { value: this.workloadRole.roleArn });
    if (this.sopsKeyArn) new TerraformOutput(this, "sops_key_arn", { value: this.sopsKeyArn, description: "Key SOPS decrypts with in this region" });
  }
}
