import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import {
  ArchiveKey,
  AssetsManagementPolicy,
  BackupUser,
  DATABASE_LOG_EXPORTS,
  DataKey,
  EksRoles,
  FlowLogsRole,
  type IBucket,
  type IEncryptedBucket,
  LoadBalancerControllerRole,
  LogsKey,
  addPodIdentityRoles,
  RdsMonitoringRole,
  RegistryPullThroughCache,
  type VpcFlowLogsProps,
} from "../../lib/constructs";
import { preparedDatabaseGenerations, preparedGenerations, type Environment } from "../../lib/environment";
import { UPSTREAM_REGISTRIES } from "../../lib/kubernetes";
import {
  clusterArn,
  clusterName,
  databaseArn,
  databaseIdentifier,
  eksLogGroup,
  flowLogsLogGroup,
  environmentNames,
  lambdaLogGroup,
  policyArn,
  rdsLogGroup,
  pullThroughCacheSecretName,
  readinessNames,
  regionalNames,
  roleArn,
  siteNames,
  type GlobalNames,
  type RegionalNames,
} from "../../lib/naming";

/** What networking-<region> uses: the key of its log groups and its flow logs' delivery role. */
export interface NetworkIdentity {
  readonly logsKeyArn: string;
  /** The role to create with the VPC (name and account) or the one made in peacetime (ARN). */
  readonly flowLogsRole: VpcFlowLogsProps["role"];
}

/** What application-<region> uses: the data key, the monitoring role, the backup user and the assets policy. */
export interface DataIdentity {
  readonly dataKeyArn: string;
  readonly monitoringRoleArn: string;
  readonly backupUserName: string;
  readonly assetsPolicyArn: string;
  /** The backup user's access key secret, when `backups.accessKey` made one in this stack. */
  readonly accessKeySecretArn?: string;
}

/** What kubernetes-<region> uses: the pod identity roles, and the cluster's own roles when they were made apart from it. */
export interface ClusterIdentity {
  readonly fluxRoleArn: string;
  readonly workloadRoleArn: string;
  readonly backupJobRoleArn: string;
  readonly loadBalancerControllerRoleArn: string;
  /** @default - the cluster makes its own roles */
  readonly eksRoles?: { readonly clusterRoleArn: string; readonly nodeRoleArn: string };
}

/** What the data part needs from the stack it is placed in. */
export interface DataIdentityInputs {
  /** The buckets the workloads' assets policy covers. */
  readonly assetsBuckets: readonly { readonly bucketArn: string }[];
  /** The archive bucket and its key: the backup user may list it and put into it, nothing else. */
  readonly archiveBucket: IEncryptedBucket;
}

/** What the cluster part needs from the stack it is placed in. */
export interface ClusterIdentityInputs {
  /** The cluster generation whose pods assume the roles (their names and trust follow it). */
  readonly generation: number;
  /** The key SOPS decrypts with in the environment's region (Flux's role may use it). */
  readonly sopsKeyArn: string;
  /** The assets policy of the data part (attached to the workloads' role). */
  readonly assetsPolicyArn: string;
  /** The archive key of the data part: the backup jobs upload with it. */
  readonly archiveKeyArn: string;
  /**
   * The archive bucket the broker definitions import reads from, and its key: a recovery's
   * primary's, or a primary's own when it is rebuilt in a new account (broker.importDefinitions).
   * @default - none (a primary imports nothing)
   */
  readonly importBucket?: { readonly bucketName: string; readonly kmsKeyArn: string; readonly region: string };
}

/** Where an environment's stacks get its identity from: made in place, or named. */
export interface IdentitySource {
  network(scope: Construct): NetworkIdentity;
  /** The archive key, in `drRegion` (`provider`'s region): made, or found by alias. */
  archiveKey(scope: Construct, provider: TerraformProvider): string;
  data(scope: Construct, inputs: DataIdentityInputs): DataIdentity;
  cluster(scope: Construct, inputs: ClusterIdentityInputs): ClusterIdentity;
}

/** Where a generation's roles go in a stack holding several: generation 1 at the top (its addresses never move), later ones under `generation-<n>`. */
function generationScope(scope: Construct, generation: number): Construct {
  if (generation === 1) return scope;
  const id = `generation-${generation}`;
  return (scope.node.tryFindChild(id) as Construct | undefined) ?? new Construct(scope, id);
}

/**
 * The peacetime identity of an environment: its data and logs keys, the RDS monitoring role, the
 * backup user, the workloads' assets policy, the pod identity roles, the load balancer
 * controller's role, and the pull through cache rules of its region's registry. All of it is IAM or KMS: global, or slow to make, and never made during a
 * recovery. One definition, two placements:
 * - a primary makes each part in the stack that uses it (`network` in networking-<region>, `data`
 *   in application-<region>, `cluster` in kubernetes-<region>); its Vpc and EksCluster make their
 *   own flow-logs and cluster roles;
 * - a recovery's standby layer makes all of it in peacetime (`standby`), including the flow-logs
 *   and EKS roles, and the recovery's own stacks name what it made (`StandbyIdentity`).
 * Resources are added to the given scope under fixed ids, so they keep the Terraform addresses
 * they had before this class gathered them (no state moves).
 */
export class PeacetimeIdentity implements IdentitySource {
  private readonly names: GlobalNames;
  private readonly regional: RegionalNames;

  /**
   * @param options.registryCache make the region's pull through cache rules in `data` (one set per
   *   region: a rehearsal generation uses its recovery's). @default true
   */
  constructor(
    private readonly environment: Environment,
    private readonly options: { readonly registryCache?: boolean } = {},
  ) {
    this.names = environmentNames(environment);
    this.regional = regionalNames(environment.project, environment.region);
  }

  /** The logs key; the VPC creates its own flow-logs role. */
  public network(scope: Construct): NetworkIdentity {
    return { logsKeyArn: this.logsKey(scope), flowLogsRole: { roleName: this.names.flowLogsRole, accountId: this.environment.accountId } };
  }

  /** The key of the archive bucket, in drRegion: a primary makes it in its application stack, a recovery in its standby stack. */
  public archiveKey(scope: Construct, provider: TerraformProvider): string {
    const env = this.environment;
    return new ArchiveKey(scope, "archive-key", { aliasName: this.regional.archiveKeyAlias, accountId: env.accountId, environmentRegion: env.region, provider })
      .keyArn;
  }

  public data(scope: Construct, inputs: DataIdentityInputs): DataIdentity {
    const env = this.environment;
    const assetsPolicy = new AssetsManagementPolicy(scope, "assets-management-policy", {
      policyName: this.names.assetsManagementPolicy,
      buckets: inputs.assetsBuckets,
    });
    // A primary's vault account copies the database's snapshots (VaultDatabaseCopies): the key is shared with it.
    const snapshotCopyAccountIds = env.role === "primary" && env.vault ? [env.vault.accountId] : [];
    const dataKeyArn = new DataKey(scope, "data-key", {
      aliasName: this.regional.dataKeyAlias,
      accountId: env.accountId,
      region: env.region,
      snapshotCopyAccountIds,
    }).keyArn;
    const monitoringRoleArn = new RdsMonitoringRole(scope, "monitoring-role", { roleName: this.names.rdsMonitoringRole, accountId: env.accountId }).roleArn;
    const backupUser = new BackupUser(scope, "backup-user", {
      userName: this.names.backupUser,
      bucket: inputs.archiveBucket,
      createAccessKey: env.backups.accessKey,
      secretKmsKeyArn: dataKeyArn,
    });
    // The region's registry caches every image the clusters run (lib/kubernetes/images.ts): once per
    // region, whichever cluster generations stand in it.
    if (this.options.registryCache !== false)
      new RegistryPullThroughCache(scope, "registry-cache", {
        credentialSecretNames: { github: pullThroughCacheSecretName(env.project, UPSTREAM_REGISTRIES.github.cachePrefix, env.region) },
        secretsKmsKeyArn: dataKeyArn,
      });
    return {
      dataKeyArn,
      monitoringRoleArn,
      backupUserName: backupUser.userName,
      assetsPolicyArn: assetsPolicy.policyArn,
      accessKeySecretArn: backupUser.accessKeySecretArn,
    };
  }

  /** The pod identity roles of one cluster generation, named after it and trusting its cluster only. */
  public cluster(scope: Construct, inputs: ClusterIdentityInputs): ClusterIdentity {
    const env = this.environment;
    const name = clusterName(env.project, env.region, inputs.generation);
    const names = environmentNames(env, inputs.generation);
    const cluster = clusterArn(env.region, env.accountId, name);
    const roles = addPodIdentityRoles(scope, {
      names,
      accountId: env.accountId,
      clusterArn: cluster,
      sopsKeyArn: inputs.sopsKeyArn,
      gitCredentialsSecretName: env.flux.gitCredentialsSecretName,
      assetsPolicyArn: inputs.assetsPolicyArn,
      // Every prepared database generation: restore-database writes no IAM.
      databaseArns: preparedDatabaseGenerations(env.database).map((g) =>
        databaseArn(env.region, env.accountId, databaseIdentifier(env.project, env.region, g)),
      ),
      databaseRegion: env.region,
      brokerAdminSecretName: this.regional.brokerUserSecret(env.broker.adminUsername),
      brokerUserSecretNames: env.broker.users.map(this.regional.brokerUserSecret),
      archiveKeyArn: inputs.archiveKeyArn,
      archiveRegion: env.drRegion,
      importBucket: inputs.importBucket,
    });
    const loadBalancerController = new LoadBalancerControllerRole(scope, "lb-controller-role", {
      roleName: names.loadBalancerControllerRole,
      accountId: env.accountId,
      region: env.region,
      clusterArn: cluster,
      clusterName: name,
      targetGroupName: siteNames(env.project, env.region).targetGroup,
    });
    return {
      fluxRoleArn: roles.flux.roleArn,
      workloadRoleArn: roles.workload.roleArn,
      backupJobRoleArn: roles.backupJob.roleArn,
      loadBalancerControllerRoleArn: loadBalancerController.roleArn,
    };
  }

  /**
   * All of it, in one stack (a recovery's standby layer): the parts above, plus the flow-logs role
   * and the EKS roles that the recovery's VPC and cluster name instead of making, and the archive
   * key in drRegion (`drProvider`) that the recovery's archive bucket is encrypted with. The cluster
   * part is made for every prepared generation (`preparedGenerations`): a recovery rebuilds its
   * cluster while its primary's region is dark, when this stack cannot be deployed.
   */
  public standby(
    scope: Construct,
    inputs: Omit<DataIdentityInputs, "archiveBucket"> &
      Omit<ClusterIdentityInputs, "assetsPolicyArn" | "archiveKeyArn" | "generation"> & {
        readonly archiveBucket: IBucket;
        readonly drProvider: TerraformProvider;
      },
  ): DataIdentity & { readonly logsKeyArn: string } {
    const env = this.environment;
    const logsKeyArn = this.logsKey(scope);
    new FlowLogsRole(scope, "flow-logs-role", { roleName: this.names.flowLogsRole, accountId: env.accountId, region: env.region, vpcName: this.regional.vpc });
    const archiveKeyArn = this.archiveKey(scope, inputs.drProvider);
    const data = this.data(scope, { ...inputs, archiveBucket: { ...inputs.archiveBucket, kmsKeyArn: archiveKeyArn, region: env.drRegion } });
    for (const generation of preparedGenerations(env.kubernetes)) {
      const names = environmentNames(env, generation);
      const at = generationScope(scope, generation);
      new EksRoles(at, "eks-roles", { clusterRoleName: names.clusterRole, nodeRoleName: names.nodeRole, pullThroughCache: nodePullThroughCache(env) });
      this.cluster(at, { ...inputs, assetsPolicyArn: data.assetsPolicyArn, archiveKeyArn, generation });
    }
    return { ...data, logsKeyArn };
  }

  /** The logs key (its ARN): the standby layer's readiness check logs with it too. */
  public logsKey(scope: Construct): string {
    const env = this.environment;
    return new LogsKey(scope, "logs-key", {
      aliasName: this.regional.logsKeyAlias,
      accountId: env.accountId,
      region: env.region,
      // The control-plane logs of every prepared cluster generation: a rebuild changes no key policy.
      logGroupNames: [
        flowLogsLogGroup(this.regional.vpc),
        ...preparedGenerations(env.kubernetes).map((g) => eksLogGroup(clusterName(env.project, env.region, g))),
        this.regional.wafLogGroup,
        // The logs of every prepared database generation: restore-database changes no key policy.
        ...preparedDatabaseGenerations(env.database).flatMap((g) =>
          DATABASE_LOG_EXPORTS.map((logType) => rdsLogGroup(databaseIdentifier(env.project, env.region, g), logType)),
        ),
        // A recovery's standby layer runs the scheduled readiness check (ReadinessCheck) here.
        ...(env.role === "recovery" ? [lambdaLogGroup(readinessNames(env.project, env.region).function)] : []),
      ],
      description: `CloudWatch Logs of ${env.region}: VPC flow logs, EKS control-plane logs, the site's WAF logs, the database's logs${env.role === "recovery" ? ", the readiness check" : ""}`,
    }).keyArn;
  }
}

/** The repositories of an environment's pull through cache rules, as its cluster's nodes may fill them. */
export function nodePullThroughCache(env: Environment) {
  return { accountId: env.accountId, region: env.region, repositoryPrefixes: Object.values(UPSTREAM_REGISTRIES).map((u) => u.cachePrefix) };
}

/**
 * A recovery's identity as its own stacks see it: made in peacetime by its standby layer
 * (`PeacetimeIdentity.standby`), named here. Roles and policies are named by ARN, keys found by
 * alias with a regional KMS call: nothing global is read or written on the day.
 */
export class StandbyIdentity implements IdentitySource {
  private readonly names: GlobalNames;
  private readonly regional: RegionalNames;

  constructor(private readonly environment: Environment) {
    this.names = environmentNames(environment);
    this.regional = regionalNames(environment.project, environment.region);
  }

  public network(scope: Construct): NetworkIdentity {
    return {
      logsKeyArn: new DataAwsKmsAlias(scope, "logs-key", { name: this.regional.logsKeyAlias }).targetKeyArn,
      flowLogsRole: { roleArn: this.role(this.names.flowLogsRole) },
    };
  }

  /** Made by the standby stack in peacetime; found by alias in drRegion (a KMS call there, not in a dark region). */
  public archiveKey(scope: Construct, provider: TerraformProvider): string {
    return new DataAwsKmsAlias(scope, "archive-key", { provider, name: this.regional.archiveKeyAlias }).targetKeyArn;
  }

  public data(scope: Construct): DataIdentity {
    return {
      dataKeyArn: new DataAwsKmsAlias(scope, "data-key", { name: this.regional.dataKeyAlias }).targetKeyArn,
      monitoringRoleArn: this.role(this.names.rdsMonitoringRole),
      backupUserName: this.names.backupUser,
      assetsPolicyArn: policyArn(this.environment.accountId, this.names.assetsManagementPolicy),
    };
  }

  /** The roles of one generation, made in peacetime by the standby layer (`preparedGenerations`). */
  public cluster(_scope: Construct, inputs: Pick<ClusterIdentityInputs, "generation">): ClusterIdentity {
    const names = environmentNames(this.environment, inputs.generation);
    return {
      fluxRoleArn: this.role(names.fluxRole),
      workloadRoleArn: this.role(names.workloadRole),
      backupJobRoleArn: this.role(names.backupJobRole),
      loadBalancerControllerRoleArn: this.role(names.loadBalancerControllerRole),
      eksRoles: { clusterRoleArn: this.role(names.clusterRole), nodeRoleArn: this.role(names.nodeRole) },
    };
  }

  private role(name: string): string {
    return roleArn(this.environment.accountId, name);
  }
}
