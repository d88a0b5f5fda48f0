import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { EksCluster, LoadBalancerControllerRole, addPodIdentityRoles, SopsReplicaKeyArn } from "../lib/constructs";
import {
  BACKUP_JOB_SERVICE_ACCOUNT,
  clusterArn,
  databaseArn,
  FLUX_KUSTOMIZE_CONTROLLER,
  globalNames,
  kubeconfigCommand,
  regionalNames,
  roleArn,
  SOPS_KEY_OUTPUT,
  stackId,
  LB_CONTROLLER_SERVICE_ACCOUNT,
  siteNames,
} from "../lib/naming";
import { targetOf } from "../lib/targets";
import type { ApplicationStack } from "./application-stack";
import { EnvironmentStack, isRecovery, type PrimaryProps, type RecoveryProps } from "./environment-stack";
import type { NetworkingStack } from "./networking-stack";

/** A primary, or a recovery together with the primary it recovers (whose SOPS key replica is used here). */
export type KubernetesStackProps = { readonly networking: NetworkingStack; readonly application: ApplicationStack } & (PrimaryProps | RecoveryProps);

/**
 * `kubernetes-<region>`: the EKS cluster and the pod identity associations of Flux, the workloads
 * and the archive job. A primary creates its cluster's IAM roles here; a recovery names the roles
 * its standby stack made in peacetime, so rebuilding it writes nothing to IAM. Flux's role may
 * decrypt with the SOPS key of this region: the primary's key, or its replica in a recovery.
 */
export class KubernetesStack extends EnvironmentStack {
  public readonly cluster: EksCluster;
  /** Pod identity role of Flux's kustomize-controller. */
  public readonly fluxRoleArn: string;
  /** Pod identity role of the workloads. */
  public readonly workloadRoleArn: string;
  /** Pod identity role of the database archive job. */
  public readonly backupJobRoleArn: string;
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
      logsKmsKeyArn: networking.logsKeyArn,
      logTypes: env.kubernetes.controlPlaneLogTypes,
      nodeGroups: env.kubernetes.nodeGroups,
      addonVersions: env.kubernetes.addons,
      accountId: env.accountId,
      vpcId: networking.vpc.vpcId,
      privateAccessCidrs: env.kubernetes.privateAccessCidrs,
      roles: isRecovery(props) ? { clusterRoleArn: roleArn(env.accountId, names.clusterRole), nodeRoleArn: roleArn(env.accountId, names.nodeRole) } : undefined,
    });

    const roles = new Map<"flux" | "workload" | "backupJob", string>();
    if (!isRecovery(props)) {
      if (!application.sopsKey) throw new Error(`KubernetesStack: the primary ${env.region}'s application stack has no SOPS key`);
      this.sopsKeyArn = application.sopsKey.keyArn;
      const made = addPodIdentityRoles(this, {
        names,
        accountId: env.accountId,
        clusterArn: clusterArn(env.region, env.accountId, regional.cluster),
        sopsKeyArn: this.sopsKeyArn,
        assetsPolicyArn: application.assetsManagementPolicy!.policyArn,
        databaseArn: databaseArn(env.region, env.accountId, regional.database),
        databaseRegion: env.region,
        brokerAdminSecretName: regional.brokerUserSecret(env.broker.adminUsername),
        brokerUserSecretNames: env.broker.users.map(regional.brokerUserSecret),
      });
      for (const [key, role] of Object.entries(made)) roles.set(key as "flux", role.roleArn);
    } else {
      // The recovery's roles were made in peacetime by its standby stack: named, not created.
      const primary = props.primary;
      const state = targetOf(this).readState(this, "primary-application-state", stackId("application", primary.region), primary.state);
      this.sopsKeyArn = new SopsReplicaKeyArn(this, "sops-replica-key", {
        primaryState: state,
        outputName: SOPS_KEY_OUTPUT,
        primaryRegion: primary.region,
        replicaRegion: env.region,
      }).keyArn;
      roles.set("flux", roleArn(env.accountId, names.fluxRole));
      roles.set("workload", roleArn(env.accountId, names.workloadRole));
      roles.set("backupJob", roleArn(env.accountId, names.backupJobRole));
    }
    this.fluxRoleArn = roles.get("flux")!;
    this.workloadRoleArn = roles.get("workload")!;
    this.backupJobRoleArn = roles.get("backupJob")!;

    // The AWS Load Balancer Controller's role (site TargetGroupBinding): a recovery's is its standby stack's.
    const lbControllerRoleArn = isRecovery(props)
      ? roleArn(env.accountId, names.loadBalancerControllerRole)
      : new LoadBalancerControllerRole(this, "lb-controller-role", {
          roleName: names.loadBalancerControllerRole,
          accountId: env.accountId,
          region: env.region,
          clusterArn: clusterArn(env.region, env.accountId, regional.cluster),
          clusterName: regional.cluster,
          targetGroupName: siteNames(env.project, env.region).targetGroup,
        }).roleArn;

    // Pod identity associations are regional EKS calls: nothing global is written when the cluster is rebuilt.
    const associations: [string, { readonly namespace: string; readonly name: string }, string][] = [
      ["flux", FLUX_KUSTOMIZE_CONTROLLER, this.fluxRoleArn],
      ["workload", env.kubernetes.workloadServiceAccount, this.workloadRoleArn],
      ["backup-job", BACKUP_JOB_SERVICE_ACCOUNT, this.backupJobRoleArn],
      ["lb-controller", LB_CONTROLLER_SERVICE_ACCOUNT, lbControllerRoleArn],
    ];
    for (const [id, serviceAccount, arn] of associations) {
      new EksPodIdentityAssociation(this, `pod-identity-${id}`, {
        clusterName: this.cluster.clusterName,
        namespace: serviceAccount.namespace,
        serviceAccount: serviceAccount.name,
        roleArn: arn,
      });
    }

    this.kubeconfigCommand = kubeconfigCommand(env.region, regional.cluster);
    new TerraformOutput(this, "cluster_name", { value: this.cluster.clusterName });
    new TerraformOutput(this, "cluster_endpoint", { value: this.cluster.endpoint });
    new TerraformOutput(this, "kubeconfig_command", { value: this.kubeconfigCommand, description: "Log in to the cluster" });
    new TerraformOutput(this, "flux_role_arn", { value: this.fluxRoleArn });
    new TerraformOutput(this, "workload_role_arn", { value: this.workloadRoleArn });
    new TerraformOutput(this, "backup_job_role_arn", { value: this.backupJobRoleArn });
    new TerraformOutput(this, "sops_key_arn", { value: this.sopsKeyArn, description: "Key SOPS decrypts with in this region" });
  }
}
