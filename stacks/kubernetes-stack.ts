import { Construct } from "constructs";
import { Fn, TerraformLocal, TerraformOutput } from "cdktf";
import { EksCluster } from "../lib/constructs/eks-cluster";
import { IrsaRole } from "../lib/constructs/irsa-role";
import { FLUX_KUSTOMIZE_CONTROLLER, globalNames, kubeconfigCommand, regionalNames, SOPS_KEY_OUTPUT, stackId } from "../lib/naming";
import { targetOf } from "../lib/targets";
import type { ApplicationStack } from "./application-stack";
import { EnvironmentStack, isRecovery, type PrimaryProps, type RecoveryProps } from "./environment-stack";
import type { NetworkingStack } from "./networking-stack";

/** A primary, or a recovery together with the primary it recovers (whose SOPS key replica is used here). */
export type KubernetesStackProps = { readonly networking: NetworkingStack; readonly application: ApplicationStack } & (PrimaryProps | RecoveryProps);

/**
 * `kubernetes-<region>`: the EKS cluster and the IRSA roles of Flux and the workloads. Flux's
 * role may decrypt with the SOPS key of this region: the primary's key, or in a recovery
 * environment the primary's replica that already lives here (no re-encryption needed).
 */
export class KubernetesStack extends EnvironmentStack {
  public readonly cluster: EksCluster;
  public readonly fluxRole: IrsaRole;
  public readonly workloadRole: IrsaRole;
  /** Key SOPS decrypts with here: the primary's key, or its replica in a recovery. */
  public readonly sopsKeyArn: string;
  public readonly kubeconfigCommand: string;

  constructor(scope: Construct, props: KubernetesStackProps) {
    const { environment: env, networking, application } = props;
    super(scope, "kubernetes", env);
    const names = globalNames(env.project, env.region);
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
    });

    if (!isRecovery(props)) {
      if (!application.sopsKey) throw new Error(`KubernetesStack: the primary ${env.region}'s application stack has no SOPS key`);
      this.sopsKeyArn = application.sopsKey.keyArn;
    } else {
      // A multi-Region replica has its primary's key id: its ARN is the primary's with this region.
      // The primary's ARN comes from its state (in the state bucket), not from the lost region.
      const primary = props.primary;
      const state = targetOf(this).readState(this, "primary-application-state", stackId("application", primary.region), primary.state);
      // A local keeps the expression (with its quoted arguments) out of the policy's JSON text.
      const replicaArn = new TerraformLocal(this, "sops_replica_key_arn", Fn.replace(state.getString(SOPS_KEY_OUTPUT), `:${primary.region}:`, `:${env.region}:`));
      this.sopsKeyArn = replicaArn.asString;
    }

    const irsa = { oidcProviderArn: this.cluster.oidcProviderArn, oidcIssuerHost: this.cluster.oidcIssuerHost };
    this.fluxRole = new IrsaRole(this, "flux-role", {
      ...irsa,
      roleName: names.fluxRole,
      serviceAccount: FLUX_KUSTOMIZE_CONTROLLER,
      statements: [{ Sid: "DecryptSopsSecrets", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: this.sopsKeyArn }],
    });
    this.workloadRole = new IrsaRole(this, "workload-role", {
      ...irsa,
      roleName: names.workloadRole,
      serviceAccount: env.kubernetes.workloadServiceAccount,
      managedPolicyArns: [application.assetsManagementPolicy.policyArn],
    });

    this.kubeconfigCommand = kubeconfigCommand(env.region, regional.cluster);
    new TerraformOutput(this, "cluster_name", { value: this.cluster.clusterName });
    new TerraformOutput(this, "cluster_endpoint", { value: this.cluster.endpoint });
    new TerraformOutput(this, "kubeconfig_command", { value: this.kubeconfigCommand, description: "Log in to the cluster" });
    new TerraformOutput(this, "oidc_provider_arn", { value: this.cluster.oidcProviderArn });
    new TerraformOutput(this, "flux_role_arn", { value: this.fluxRole.roleArn });
    new TerraformOutput(this, "workload_role_arn", { value: this.workloadRole.roleArn });
    new TerraformOutput(this, "sops_key_arn", { value: this.sopsKeyArn, description: "Key SOPS decrypts with in this region" });
  }
}
