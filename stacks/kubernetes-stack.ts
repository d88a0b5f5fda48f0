import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { EksCluster } from "../lib/constructs";
import {
  BACKUP_JOB_SERVICE_ACCOUNT,
  clusterName,
  environmentNames,
  FLUX_GIT_CREDENTIALS_SERVICE_ACCOUNT,
  FLUX_KUSTOMIZE_CONTROLLER,
  kubeconfigCommand,
  LB_CONTROLLER_SERVICE_ACCOUNT,
} from "../lib/naming";
import type { ApplicationStack } from "./application-stack";
import { EnvironmentStack } from "./environment-stack";
import type { NetworkingStack } from "./networking-stack";
import { nodePullThroughCache, type ClusterIdentity } from "./roles/peacetime-identity";
import type { EnvironmentRole } from "./roles/role";

export interface KubernetesStackProps {
  readonly role: EnvironmentRole;
  readonly networking: NetworkingStack;
  /** The SOPS key and the assets policy come from the application stack. */
  readonly application: ApplicationStack;
  /**
   * The cluster generation (`kubernetes-<region>-g<n>` from 2 on, its cluster `<project>-<region>-g<n>`).
   * @default - the environment's serving generation (kubernetes.generation)
   */
  readonly generation?: number;
}

/**
 * `kubernetes-<region>` (`-g<n>` for generation n >= 2): the EKS cluster and the pod identity associations of Flux, the workloads,
 * the backup jobs and the load balancer controller. The roles are the environment's peacetime
 * identity: a primary makes them here, a recovery names the ones its standby stack made, so
 * rebuilding its cluster writes nothing to IAM. Flux's role may decrypt with the SOPS key of this
 * region: the primary's key, or its replica in a recovery.
 */
export class KubernetesStack extends EnvironmentStack {
  public readonly cluster: EksCluster;
  public readonly identity: ClusterIdentity;
  /** Key SOPS decrypts with here: the primary's key, or its replica in a recovery. */
  public readonly sopsKeyArn: string;
  public readonly kubeconfigCommand: string;
  public readonly generation: number;

  constructor(scope: Construct, props: KubernetesStackProps) {
    const { role, networking, application } = props;
    const env = role.environment;
    const generation = props.generation ?? env.kubernetes.generation;
    super(scope, "kubernetes", env, generation);
    this.generation = generation;
    // The cluster lives in networking's subnets (a recovery's application stack is not needed: its roles are named).
    this.addDependency(networking);
    const name = clusterName(env.project, env.region, generation);

    this.sopsKeyArn = application.sopsKey.arnIn(this);
    this.identity = role.identity.cluster(this, {
      sopsKeyArn: this.sopsKeyArn,
      assetsPolicyArn: application.identity.assetsPolicyArn,
      archiveKeyArn: application.hostingServices.kmsKeyArn,
      generation,
      // A primary rebuilt in a new account imports its own newest definitions export (broker.importDefinitions).
      importBucket:
        env.role === "primary" && env.broker.importDefinitions === true
          ? { bucketName: environmentNames(env).hostingServicesBucket, kmsKeyArn: application.hostingServices.kmsKeyArn, region: env.drRegion }
          : undefined,
    });
    this.cluster = new EksCluster(this, "cluster", {
      clusterName: name,
      version: env.kubernetes.version,
      subnetIds: networking.vpc.privateSubnets.map((s) => s.id),
      publicAccessCidrs: env.kubernetes.publicAccessCidrs,
      adminRoleArns: env.kubernetes.adminRoleArns,
      logRetentionDays: env.logRetention.eksControlPlaneDays,
      logsKmsKeyArn: networking.logsKeyArn,
      logTypes: env.kubernetes.controlPlaneLogTypes,
      nodeGroups: env.kubernetes.nodeGroups,
      // A warm standby stands with one node per group; its day scales them (docs/tiers.md).
      scaledDown: env.role === "recovery" && env.tier === "warm-standby",
      addonVersions: env.kubernetes.addons,
      accountId: env.accountId,
      vpcId: networking.vpc.vpcId,
      privateAccessCidrs: env.kubernetes.privateAccessCidrs,
      roles: this.identity.eksRoles,
      pullThroughCache: nodePullThroughCache(env),
    });

    // Pod identity associations are regional EKS calls: nothing global is written when the cluster is rebuilt.
    const associations: [string, { readonly namespace: string; readonly name: string }, string][] = [
      ["flux", FLUX_KUSTOMIZE_CONTROLLER, this.identity.fluxRoleArn],
      ["flux-git-credentials", FLUX_GIT_CREDENTIALS_SERVICE_ACCOUNT, this.identity.fluxRoleArn],
      ["workload", env.kubernetes.workloadServiceAccount, this.identity.workloadRoleArn],
      ["backup-job", BACKUP_JOB_SERVICE_ACCOUNT, this.identity.backupJobRoleArn],
      ["lb-controller", LB_CONTROLLER_SERVICE_ACCOUNT, this.identity.loadBalancerControllerRoleArn],
    ];
    for (const [id, serviceAccount, arn] of associations) {
      new EksPodIdentityAssociation(this, `pod-identity-${id}`, {
        clusterName: this.cluster.clusterName,
        namespace: serviceAccount.namespace,
        serviceAccount: serviceAccount.name,
        roleArn: arn,
      });
    }

    this.kubeconfigCommand = kubeconfigCommand(env.region, name);
    new TerraformOutput(this, "cluster_name", { value: this.cluster.clusterName });
    new TerraformOutput(this, "cluster_endpoint", { value: this.cluster.endpoint });
    new TerraformOutput(this, "kubeconfig_command", { value: this.kubeconfigCommand, description: "Log in to the cluster" });
    new TerraformOutput(this, "flux_role_arn", { value: this.identity.fluxRoleArn });
    new TerraformOutput(this, "workload_role_arn", { value: this.identity.workloadRoleArn });
    new TerraformOutput(this, "backup_job_role_arn", { value: this.identity.backupJobRoleArn });
    new TerraformOutput(this, "sops_key_arn", { value: this.sopsKeyArn, description: "Key SOPS decrypts with in this region" });
  }
}
