/**
 * Every derived name, id and operator command of the library, in one cdktf-free module: the
 * stacks, the runbook, the scripts and the tests import them from here. Rebuilding a name with a
 * template string anywhere else is a bug waiting for a rename.
 *
 * Global names (S3 buckets are global across all AWS accounts, IAM names unique per account)
 * carry the environment's region, so two environments of one project (a primary and its
 * recovery, or a copied file) never collide. Regional names are unique within a region.
 */

/**
 * The layers of an environment, in deploy order. `gitops` installs the Flux controllers as soon as
 * the cluster exists; `workloads` holds what needs the datastores (their endpoints and secret
 * names for the manifests, the broker's users and definitions, the backup jobs) and, last, the
 * root sync that starts the workloads: named after what it makes ready, so the stack list reads
 * as the order in which a region comes up.
 */
export const LAYERS = ["networking", "application", "kubernetes", "gitops", "workloads"] as const;
/**
 * Every kind of stack of an environment: the layers, the standby layer of a recovery
 * environment, deployed in peacetime (never during a recovery), a primary's `dns` stack (the
 * zone and certificates its recoveries share, also peacetime only), and a recovery's `replication`
 * stack (its restored database's backup replication into the next region), deployed once the
 * region serves traffic: nothing depends on it. A primary with a vault account has a `vault`
 * stack too (its copies in that account), before its application stack.
 */
export const STACK_KINDS = ["standby", "dns", "vault", ...LAYERS, "replication"] as const;
export type Layer = (typeof STACK_KINDS)[number];

/**
 * Stack kinds a recovery deploys after its region serves traffic: no stack depends on them, so
 * they are neither on the recovery's critical path nor in its modelled recovery time.
 */
export const AFTER_SERVING_KINDS: readonly Layer[] = ["replication"];

/**
 * The stacks an environment of a role has (app/assemble.ts makes them; each keeps its state under
 * its own key): a primary its zone's `dns` stack and the layers, a recovery its standby layer, the
 * layers and its `replication` stack. The state bootstrap stack is per bucket, not per environment.
 */
export const ROLE_STACK_KINDS: Readonly<Record<"primary" | "recovery", readonly Layer[]>> = {
  primary: ["dns", ...LAYERS],
  recovery: ["standby", ...LAYERS, "replication"],
};

/**
 * The layers of a cluster generation: rebuilding a cluster side by side (`rebuild-cluster`) brings
 * up a new generation of each beside the old one, with its own stack ids and state keys.
 */
export const CLUSTER_LAYERS = ["kubernetes", "gitops", "workloads"] as const;
export type ClusterLayer = (typeof CLUSTER_LAYERS)[number];

/** Whether a layer belongs to a cluster generation. */
export function isClusterLayer(layer: Layer): layer is ClusterLayer {
  return (CLUSTER_LAYERS as readonly string[]).includes(layer);
}

/**
 * Suffix of everything a cluster generation names: none for generation 1 (the names every
 * environment had before generations), `-g<n>` after.
 */
export function generationSuffix(generation: number): string {
  if (!Number.isInteger(generation) || generation < 1) throw new Error(`generationSuffix: generation must be a whole number >= 1 (got ${generation})`);
  return generation === 1 ? "" : `-g${generation}`;
}

/**
 * Stack id of a layer of an environment: `<layer>-<region>`, and for a cluster layer of generation
 * n >= 2 `<layer>-<region>-g<n>` (a region never ends in `-g<digits>`, so the id parses back). A
 * layer of a recovery's rehearsal generation (`dr rehearse`) ends in `-rehearsal`: its own state
 * key, which a real recovery's stacks never use.
 */
export function stackId(layer: Layer, region: string, generation = 1, rehearsal = false): string {
  if (generation !== 1 && !isClusterLayer(layer)) throw new Error(`stackId: only ${CLUSTER_LAYERS.join(", ")} have generations (got ${layer}, ${generation})`);
  if (rehearsal && !(LAYERS as readonly string[]).includes(layer))
    throw new Error(`stackId: only ${LAYERS.join(", ")} have a rehearsal generation (got ${layer})`);
  return `${layer}-${region}${generationSuffix(generation)}${rehearsal ? REHEARSAL_SUFFIX : ""}`;
}

/** The layer, region and generation of a layer stack id, and whether it is a rehearsal's; undefined for any other stack (the state bootstrap). */
export function parseStackId(
  id: string,
): { readonly layer: Layer; readonly region: string; readonly generation: number; readonly rehearsal: boolean } | undefined {
  const layer = STACK_KINDS.find((l) => id.startsWith(`${l}-`));
  if (layer === undefined) return undefined;
  const rehearsal = id.endsWith(REHEARSAL_SUFFIX) && (LAYERS as readonly string[]).includes(layer);
  const rest = id.slice(layer.length + 1, rehearsal ? id.length - REHEARSAL_SUFFIX.length : undefined);
  const suffix = /-g([0-9]+)$/.exec(rest);
  if (suffix && isClusterLayer(layer)) return { layer, region: rest.slice(0, suffix.index), generation: Number(suffix[1]), rehearsal };
  return { layer, region: rest, generation: 1, rehearsal };
}

/** What ends every stack id of a rehearsal generation. */
export const REHEARSAL_SUFFIX = "-rehearsal";

/**
 * The project name a recovery's rehearsal generation names everything with (`<project>-rehearsal`):
 * every bucket, role, key alias, VPC, database, broker and cluster of a rehearsal differs from the
 * real recovery's, so a real recovery never finds (or reuses) what a rehearsal left.
 */
export function rehearsalProject(project: string): string {
  return `${project}${REHEARSAL_SUFFIX}`;
}

/** Tag every resource of a rehearsal generation carries (beside the environment's tags). */
export const REHEARSAL_TAG = { key: "dr:rehearsal", value: "true" } as const;

/** Stack id of the one-time bootstrap of a state bucket. */
export function stateStackId(bucket: string): string {
  return `state-${bucket}`;
}

/** Object key of a stack's state in the state bucket (or file name of a local state). */
export function stateKey(stack: string): string {
  return `${stack}.tfstate`;
}

/** ARN of an S3 bucket (bucket ARNs carry neither region nor account). */
export function bucketArn(bucketName: string): string {
  return `arn:aws:s3:::${bucketName}`;
}

/** ARN of an IAM role: known before the role exists, so a recovery can name a role made in peacetime. */
export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/** ARN of an AWS Backup vault (deterministic: another account's plan names it literally). */
export function backupVaultArn(region: string, accountId: string, vaultName: string): string {
  return `arn:aws:backup:${region}:${accountId}:backup-vault:${vaultName}`;
}

/** ARN of a customer-managed IAM policy. */
export function policyArn(accountId: string, policyName: string): string {
  return `arn:aws:iam::${accountId}:policy/${policyName}`;
}

/** ARN of an EKS cluster (the pod identity roles' trust condition). */
export function clusterArn(region: string, accountId: string, clusterName: string): string {
  return `arn:aws:eks:${region}:${accountId}:cluster/${clusterName}`;
}

/** Host of the account's private container registry in a region. */
export function registryHost(accountId: string, region: string): string {
  return `${accountId}.dkr.ecr.${region}.amazonaws.com`;
}

/** Prefix ECR requires of the Secrets Manager secrets its pull through cache rules read. */
export const PULL_THROUGH_CACHE_SECRET_PREFIX = "ecr-pullthroughcache/";

/**
 * Secret with the credentials of an upstream registry for the pull through cache rules of a
 * region: `ecr-pullthroughcache/<project>-<cache prefix>-<region>` (a name per region: the rule
 * reads a secret of its own region).
 */
export function pullThroughCacheSecretName(project: string, cachePrefix: string, region: string): string {
  return `${PULL_THROUGH_CACHE_SECRET_PREFIX}${project}-${cachePrefix}-${region}`;
}

/** Names of account-wide and global resources. */
export interface GlobalNames {
  /** Assets bucket of a primary environment, in its region. */
  readonly assetsBucket: string;
  /** Replica of the assets bucket, in `drRegion`. */
  readonly drAssetsBucket: string;
  /** Database-archive bucket, in `drRegion`. */
  readonly hostingServicesBucket: string;
  /** IAM user that uploads database archives. */
  readonly backupUser: string;
  /** IAM role that VPC flow logs assume to write to CloudWatch Logs. */
  readonly flowLogsRole: string;
  /** IAM role S3 assumes to replicate the assets bucket. */
  readonly replicationRole: string;
  /** IAM role S3 Batch Operations assumes to replicate the objects that predate the rule. */
  readonly batchReplicationRole: string;
  /** Managed IAM policy of the workloads on the assets. */
  readonly assetsManagementPolicy: string;
  /** Role of Flux's kustomize-controller (SOPS decryption). */
  readonly fluxRole: string;
  /** Role of the workloads (assets). */
  readonly workloadRole: string;
  /** Role of the database archive job (list and put into the hosting-services bucket). */
  readonly backupJobRole: string;
  /** Role of the scheduled restore test (read the archives, put its reports, publish its metrics). */
  readonly restoreTestRole: string;
  /** Role of the opt-in point-in-time restore test of the RDS backups (a temporary instance, checked and deleted). */
  readonly pointInTimeRestoreTestRole: string;
  /** EKS cluster role. */
  readonly clusterRole: string;
  /** EKS node role. */
  readonly nodeRole: string;
  /** S3 server access logs of the environment's buckets in its region. */
  readonly accessLogsBucket: string;
  /** S3 server access logs of the environment's buckets in `drRegion` (archives, assets replica). */
  readonly drAccessLogsBucket: string;
  /** IAM role RDS enhanced monitoring assumes to publish OS metrics to CloudWatch Logs. */
  readonly rdsMonitoringRole: string;
  /** Role of the AWS Load Balancer Controller (EKS Pod Identity). */
  readonly loadBalancerControllerRole: string;
  /**
   * Access logs of the site's load balancer, in the environment's region (ELB delivers only to a
   * bucket of the load balancer's region; SSE-S3, the only encryption ELB access logs support).
   */
  readonly siteLogsBucket: string;
  /** Role of a recovery's scheduled readiness check (its Lambda function). */
  readonly readinessRole: string;
  /** Role EventBridge Scheduler assumes to invoke the readiness check. */
  readonly readinessSchedulerRole: string;
}

/** Limits that the schema checks every global name against. */
export const NAME_LIMITS = { s3Bucket: 63, iam: 64, backupVault: 50 } as const;

/**
 * The environment's global names. The cluster's own (its EKS roles, the pod identity roles of its
 * pods) follow its generation (`generationSuffix`): generation 1 keeps the names it always had.
 */
export function globalNames(project: string, region: string, generation = 1, bucketSuffix?: string): GlobalNames {
  const cluster = clusterName(project, region, generation);
  const g = generationSuffix(generation);
  // Bucket names are global across every account; a rebuilt environment's differ by its suffix.
  const b = bucketSuffix === undefined ? "" : `-${bucketSuffix}`;
  return {
    assetsBucket: `${project}-assets-${region}${b}`,
    drAssetsBucket: `${project}-dr-assets-${region}${b}`,
    hostingServicesBucket: `${project}-hosting-services-${region}${b}`,
    backupUser: `${project}-backups-${region}`,
    flowLogsRole: `${project}-flow-logs-${region}`,
    replicationRole: `${project}-dr-replication-${region}`,
    batchReplicationRole: `${project}-dr-batch-${region}`,
    assetsManagementPolicy: `${project}-assets-management-${region}`,
    fluxRole: `${project}-flux-${region}${g}`,
    workloadRole: `${project}-workload-${region}${g}`,
    backupJobRole: `${project}-backup-job-${region}${g}`,
    restoreTestRole: `${project}-restore-test-${region}${g}`,
    pointInTimeRestoreTestRole: `${project}-pitr-test-${region}${g}`,
    clusterRole: `${cluster}-eks-cluster`,
    nodeRole: `${cluster}-eks-nodes`,
    accessLogsBucket: `${project}-access-logs-${region}${b}`,
    drAccessLogsBucket: `${project}-dr-access-logs-${region}${b}`,
    rdsMonitoringRole: `${project}-rds-monitoring-${region}`,
    loadBalancerControllerRole: `${project}-lb-controller-${region}${g}`,
    siteLogsBucket: `${project}-site-logs-${region}${b}`,
    readinessRole: `${project}-readiness-${region}`,
    readinessSchedulerRole: `${project}-readiness-run-${region}`,
  };
}

/** What an environment's names are made of (an Environment is one). */
export interface NamedEnvironment {
  readonly project: string;
  readonly region: string;
  /** Appended to every bucket name (`bucketSuffix` of the environment file). */
  readonly bucketSuffix?: string;
}

/** The global names of an environment (globalNames of its project, region and bucket suffix). */
export function environmentNames(environment: NamedEnvironment, generation = 1): GlobalNames {
  return globalNames(environment.project, environment.region, generation, environment.bucketSuffix);
}

/** Which limit applies to each global name. */
export const NAME_KINDS: Readonly<Record<keyof GlobalNames, keyof typeof NAME_LIMITS>> = {
  assetsBucket: "s3Bucket",
  drAssetsBucket: "s3Bucket",
  hostingServicesBucket: "s3Bucket",
  backupUser: "iam",
  flowLogsRole: "iam",
  replicationRole: "iam",
  batchReplicationRole: "iam",
  assetsManagementPolicy: "iam",
  fluxRole: "iam",
  workloadRole: "iam",
  backupJobRole: "iam",
  restoreTestRole: "iam",
  pointInTimeRestoreTestRole: "iam",
  clusterRole: "iam",
  nodeRole: "iam",
  accessLogsBucket: "s3Bucket",
  drAccessLogsBucket: "s3Bucket",
  rdsMonitoringRole: "iam",
  loadBalancerControllerRole: "iam",
  siteLogsBucket: "s3Bucket",
  readinessRole: "iam",
  readinessSchedulerRole: "iam",
};

/** Names unique within an account and region. */
export interface RegionalNames {
  /** Name tag prefix of the VPC and its parts. */
  readonly vpc: string;
  /**
   * RDS instance identifier of database generation 1 (`databaseIdentifier` names every
   * generation), and the name of the subnet, parameter and security groups all generations share.
   */
  readonly database: string;
  readonly broker: string;
  /** EKS cluster of generation 1 (`clusterName` names every generation). */
  readonly cluster: string;
  /** KMS alias of the SOPS key (and of its replica in drRegion). */
  readonly sopsKeyAlias: string;
  /** Secrets Manager name of a broker user's password. */
  readonly brokerUserSecret: (username: string) => string;
  /** KMS alias of the environment's data key (secrets, RDS storage and Performance Insights). */
  readonly dataKeyAlias: string;
  /** KMS alias of the environment's key for its CloudWatch Logs groups. */
  readonly logsKeyAlias: string;
  /** KMS alias, in us-east-1, of the asymmetric key that signs the environment's public zone (DNSSEC). */
  readonly dnssecKeyAlias: string;
  /** KMS alias, in us-east-1, of the key of the zone's query log group. */
  readonly queryLogsKeyAlias: string;
  /** CloudWatch Logs resource policy, in us-east-1, that lets Route 53 write the zone's query logs. */
  readonly queryLogsResourcePolicy: string;
  /**
   * KMS alias, in `drRegion`, of the key of the environment's database archives: S3 encrypts an
   * object only with a key of the bucket's region, so the data key (in `region`) cannot serve.
   */
  readonly archiveKeyAlias: string;
  /**
   * KMS alias, in `drRegion`, of the key of the Flux Git credentials secret's replica there (a
   * replica is encrypted with a key of its own region; the primary makes this one with the secret).
   */
  readonly gitCredentialsReplicaKeyAlias: string;
  /** CloudWatch Logs group of the site's web ACL logs (AWS WAF demands the `aws-waf-logs-` prefix). */
  readonly wafLogGroup: string;
  /** CloudWatch Logs resource policy that lets AWS WAF's log delivery write into `wafLogGroup`. */
  readonly wafLogsResourcePolicy: string;
}

export function regionalNames(project: string, region: string): RegionalNames {
  const prefix = `${project}-${region}`;
  return {
    vpc: prefix,
    database: prefix,
    broker: prefix,
    cluster: prefix,
    sopsKeyAlias: `alias/${project}-sops-${region}`,
    brokerUserSecret: (username) => `${project}/${region}/rabbitmq/${username}`,
    dataKeyAlias: `alias/${project}-data-${region}`,
    logsKeyAlias: `alias/${project}-logs-${region}`,
    dnssecKeyAlias: `alias/${project}-dnssec-${region}`,
    queryLogsKeyAlias: `alias/${project}-dns-query-logs-${region}`,
    queryLogsResourcePolicy: `${project}-dns-query-logs-${region}`,
    archiveKeyAlias: `alias/${project}-archives-${region}`,
    gitCredentialsReplicaKeyAlias: `alias/${project}-git-credentials-${region}`,
    wafLogGroup: `${WAF_LOG_GROUP_PREFIX}${project}-${region}`,
    wafLogsResourcePolicy: `${project}-waf-logs-${region}`,
  };
}

/** AWS WAF logs only into a destination whose name starts with this (log group, bucket or Firehose stream). */
export const WAF_LOG_GROUP_PREFIX = "aws-waf-logs-";
/**
 * Name of an EKS cluster generation: `<project>-<region>` for 1, `<project>-<region>-g<n>` after.
 * A rebuilt cluster stands beside the one it replaces until that one is retired.
 */
export function clusterName(project: string, region: string, generation = 1): string {
  return `${regionalNames(project, region).cluster}${generationSuffix(generation)}`;
}

/** Namespace Flux runs in; also the name of the root GitRepository and Kustomization. */
export const FLUX_NAMESPACE = "flux-system";

/** Service account of Flux's kustomize-controller, which decrypts SOPS secrets. */
export const FLUX_KUSTOMIZE_CONTROLLER = { namespace: FLUX_NAMESPACE, name: "kustomize-controller" } as const;
/**
 * Namespace and service account of the job that copies Flux's Git credentials from Secrets Manager
 * into the cluster (FluxGitCredentials); associated with Flux's pod identity role.
 */
export const FLUX_GIT_CREDENTIALS_SERVICE_ACCOUNT = { namespace: FLUX_NAMESPACE, name: "flux-git-credentials" } as const;
/** The CronJob (and the deploy's Job) that copy Flux's Git credentials into the cluster. */
export const FLUX_GIT_CREDENTIALS_JOB = "flux-git-credentials";

/**
 * Runs the Git credentials job of a cluster now and waits for it (after a rotation): logs in,
 * creates a Job from the CronJob named `<job>-<suffix>`, waits until it completes.
 */
export function refreshGitCredentialsCommand(region: string, clusterName: string, suffix: string): string {
  const job = `${FLUX_GIT_CREDENTIALS_JOB}-${suffix}`;
  return [
    kubeconfigCommand(region, clusterName),
    `kubectl -n ${FLUX_NAMESPACE} create job --from=cronjob/${FLUX_GIT_CREDENTIALS_JOB} ${job}`,
    `kubectl -n ${FLUX_NAMESPACE} wait --for=condition=complete --timeout=300s job/${job}`,
  ].join(" && ");
}

/**
 * Namespace and service account of the backup jobs (database archive, broker definitions export
 * and import); the backup-job pod identity role is associated with it.
 */
export const BACKUP_JOB_SERVICE_ACCOUNT = { namespace: "dr-backups", name: "database-archive" } as const;

/**
 * cluster-vars variable naming the Secrets Manager secret of a broker user's password:
 * `BROKER_SECRET_<USER>`, upper-cased, `-` and `.` as `_` (Flux substitutes `[A-Za-z0-9_]` names only).
 */
export function brokerSecretVariable(username: string): string {
  return `BROKER_SECRET_${username.toUpperCase().replace(/[^A-Z0-9_]/g, "_")}`;
}

/**
 * IAM resource pattern of a Secrets Manager secret by name: Secrets Manager appends `-` and six
 * random characters to the name, so `?` x 6 matches exactly that secret (a `*` would also match
 * `<name>-anything`).
 */
export function secretArnPattern(region: string, accountId: string, secretName: string): string {
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${secretName}-??????`;
}

/** Logs the operator's kubectl in to a cluster (access entries admit the admin roles). */
export function kubeconfigCommand(region: string, clusterName: string): string {
  return `aws eks update-kubeconfig --region ${region} --name ${clusterName}`;
}

/** Prefix of the cluster-vars keys that name a broker user's secret (brokerSecretVariable). */
export const BROKER_SECRET_VARIABLE_PREFIX = "BROKER_SECRET_";

/** The broker password rotation CronJob's script in backup/: the policy rule DR-MQ-3 recognizes the job by it. */
export const BROKER_ROTATION_SCRIPT = "rotate-broker-passwords.sh";

/** Waits until Flux has applied the repository (the root Kustomization is ready). */
export const FLUX_WAIT_COMMAND = `kubectl -n ${FLUX_NAMESPACE} wait kustomization/${FLUX_NAMESPACE} --for=condition=ready --timeout=10m`;

/** Host name the site answers on, in every region of a pair: `dns.siteHost`, or the domain itself. */
export function siteHost(dns: { readonly domain: string; readonly siteHost?: string }): string {
  return dns.siteHost ?? dns.domain;
}

/** Names of a region's site load balancer and its parts (ELB names: at most 32 characters). */
export interface SiteNames {
  /** Application load balancer. */
  readonly loadBalancer: string;
  /** Target group of type ip (the site's pods, registered by the AWS Load Balancer Controller). */
  readonly targetGroup: string;
  /** Security group of the load balancer (443 and 80 from anywhere, out to the VPC only). */
  readonly loadBalancerSecurityGroup: string;
  /** Route 53 health check's Name tag. */
  readonly healthCheck: string;
  /** Failover record's set identifier (unique per record name and type). */
  readonly setIdentifier: string;
  /** The web ACL (AWS WAF) in front of the load balancer, and its metrics' prefix. */
  readonly webAcl: string;
  /** Key prefix of the load balancer's access logs in the site logs bucket (ELB appends AWSLogs/<account>/...). */
  readonly accessLogsPrefix: string;
}

/** Limit of ALB and target group names. */
export const ELB_NAME_LIMIT = 32;

export function siteNames(project: string, region: string): SiteNames {
  const prefix = `${project}-${region}`;
  return {
    loadBalancer: `${prefix}-site`,
    targetGroup: `${prefix}-site`,
    loadBalancerSecurityGroup: `${prefix}-site-alb`,
    healthCheck: `${prefix}-site`,
    setIdentifier: region,
    webAcl: `${prefix}-site`,
    accessLogsPrefix: "site-load-balancer",
  };
}

/**
 * The failover switch of a pair (one per recovery region, where it lives): a CloudWatch alarm on a
 * metric the operator publishes in that region, followed by a Route 53 health check that the
 * primary's failover record requires. Publishing 1 withdraws the primary (the site stays on the
 * recovery region even when the primary's load balancer is healthy again); 0 gives it back. Both
 * are data-plane calls of the surviving region: no Route 53 write.
 */
export interface FailoverSwitchNames {
  /** The alarm (in the recovery region) and the Name tag of its health check. */
  readonly alarm: string;
  readonly namespace: string;
  readonly metric: string;
  /** The one dimension: the site host, so that two pairs in one account have two switches. */
  readonly dimension: { readonly name: "Site"; readonly value: string };
}

export function failoverSwitchNames(project: string, recoveryRegion: string, host: string): FailoverSwitchNames {
  return {
    alarm: `${project}-${recoveryRegion}-failover-switch`,
    namespace: "DR/Failover",
    metric: "PrimaryWithdrawn",
    dimension: { name: "Site", value: host },
  };
}

/** Where a switch sends the site: `recovery` withdraws the primary (metric 1), `primary` gives it back (0). */
export type SwitchPosition = "primary" | "recovery";

/** The metric value of a switch position. */
export const SWITCH_VALUES: Readonly<Record<SwitchPosition, number>> = { primary: 0, recovery: 1 };

/** The command that sets a switch (the AWS CLI's put-metric-data in the switch's region). */
export function failoverSwitchCommand(project: string, recoveryRegion: string, host: string, position: SwitchPosition): string {
  const names = failoverSwitchNames(project, recoveryRegion, host);
  return `aws cloudwatch put-metric-data --region ${recoveryRegion} --namespace ${names.namespace} --metric-name ${names.metric} --dimensions ${names.dimension.name}=${names.dimension.value} --value ${SWITCH_VALUES[position]}`;
}

/** Outputs of a primary's `dns-<region>` stack (the zone and the certificates of the pair). */
export const DNS_OUTPUTS = {
  zoneId: "zone_id",
  nameServers: "name_servers",
  delegationSetId: "delegation_set_id",
  certificateArn: (region: string) => `certificate_arn_${region.replace(/-/g, "_")}`,
  switchHealthCheckId: (region: string) => `failover_switch_health_check_id_${region.replace(/-/g, "_")}`,
} as const;

/** Outputs of a networking stack: the site load balancer's target group (TargetGroupBinding) and name. */
export const SITE_OUTPUTS = {
  targetGroupArn: "site_target_group_arn",
  loadBalancerDnsName: "site_load_balancer_dns_name",
  healthCheckId: "site_health_check_id",
} as const;

/**
 * Tag of the only ingress rules that may admit the internet: HTTPS and HTTP of a site load
 * balancer (policy rule DR-EC2-1 checks port, protocol and this tag together).
 */
export const INTERNET_FACING_TAG = { key: "dr-platform:internet-facing", value: "site-load-balancer" } as const;

/** Namespace and service account of the AWS Load Balancer Controller. */
export const LB_CONTROLLER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "aws-load-balancer-controller" } as const;

/** Output of a primary's application stack: its automated backups replicated into drRegion. */
export const REPLICATED_BACKUPS_OUTPUT = "database_replicated_backups_arn";
/** Output of a primary's application stack: the SOPS key (multi-Region primary). */
export const SOPS_KEY_OUTPUT = "sops_key_arn";
/**
 * Output of an application stack: its database's resource id (DbiResourceId). Preflight reads the
 * primary's from the state bucket and compares it with the replicated backups' (never asking the
 * primary's region).
 */
export const DATABASE_RESOURCE_ID_OUTPUT = "database_resource_id";

/**
 * Tag of an RDS instance whose automated backups are replicated by another stack: its value is
 * that stack's id (DR-RDS-5 accepts the instance on it; an app test checks the stack holds the
 * replication of this instance's ARN).
 */
export const BACKUP_REPLICATION_TAG = "BackupReplication";

/** ARN of an RDS instance (RDS tags its managed master secret with it). */
export function databaseArn(region: string, accountId: string, identifier: string): string {
  return `arn:aws:rds:${region}:${accountId}:db:${identifier}`;
}

/** CloudWatch Logs group of a VPC's flow logs. */
export function flowLogsLogGroup(vpcName: string): string {
  return `/aws/vpc/${vpcName}/flow-logs`;
}

/** ARN of a CloudWatch Logs group (known before the group exists). */
export function logGroupArn(region: string, accountId: string, logGroupName: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}`;
}

/** Names of a recovery's scheduled readiness check (its standby layer, in the recovery region). */
export interface ReadinessNames {
  /** Lambda function that runs the preflight. */
  readonly function: string;
  /** EventBridge Scheduler schedule. */
  readonly schedule: string;
  /** CloudWatch alarm on any failed check. */
  readonly alarm: string;
}

export function readinessNames(project: string, region: string): ReadinessNames {
  const prefix = `${project}-readiness-${region}`;
  return { function: prefix, schedule: prefix, alarm: `${prefix}-failed` };
}

/** CloudWatch namespace of the readiness metrics: one metric per preflight check, and `Failures`. */
export const READINESS_METRIC_NAMESPACE = "DrPlatform/Readiness";

/** CloudWatch namespace of the scheduled restore test's metrics (backup/restore-test.sh). */
export const RESTORE_TEST_METRIC_NAMESPACE = "DrPlatform/RestoreTest";

/** The restore test's metrics: 1 or 0 per run, and the seconds its restore and checks took. */
export const RESTORE_TEST_METRICS = { success: "RestoreTestSuccess", restoreSeconds: "RestoreSeconds" } as const;

/** Service account of the restore test, in the backup jobs' namespace: its own pod identity role, not the backup jobs'. */
export const RESTORE_TEST_SERVICE_ACCOUNT = { namespace: BACKUP_JOB_SERVICE_ACCOUNT.namespace, name: "restore-test" } as const;

/**
 * The restore test's CronJob, its alarms (a failed run; no successful run for days) and the
 * dimension its metrics carry. The alarms belong to the serving cluster generation's workloads
 * stack and carry its suffix: during a cluster rebuild generation N+1 creates its own while N's
 * deploy deletes N's (with one name, N's deploy would delete the alarms N+1 had just made). The
 * dimension is the environment's, so the metrics run on across generations.
 */
export function restoreTestNames(
  project: string,
  region: string,
  generation = 1,
): { readonly cronJob: string; readonly failedAlarm: string; readonly overdueAlarm: string; readonly dimension: { readonly Environment: string } } {
  const g = generationSuffix(generation);
  return {
    cronJob: "restore-test",
    failedAlarm: `${project}-${region}-restore-test-failed${g}`,
    overdueAlarm: `${project}-${region}-restore-test-overdue${g}`,
    dimension: { Environment: `${project}-${region}` },
  };
}

/** Key of a restore test's report: next to the archive it restored (`<folder>restore-test-<stamp>.json`). */
export function restoreTestReportKey(archiveFolder: string, stamp: string): string {
  return `${archiveFolder}restore-test-${stamp}.json`;
}

/** The point-in-time restore test's metrics (backup/pitr-restore-test.sh), in the restore test's namespace. */
export const POINT_IN_TIME_RESTORE_TEST_METRICS = { success: "PointInTimeRestoreTestSuccess", restoreSeconds: "PointInTimeRestoreSeconds" } as const;

/**
 * The point-in-time restore test's CronJob and failed-run alarm (generation-suffixed like the
 * restore test's), and the prefix of its temporary instances: the script appends
 * `-<YYYYMMDDHHMM>`, and its role may create, change and delete only instances under that prefix.
 */
export function pointInTimeRestoreTestNames(
  project: string,
  region: string,
  sourceIdentifier: string,
  generation = 1,
): { readonly cronJob: string; readonly failedAlarm: string; readonly instancePrefix: string } {
  return {
    cronJob: "pitr-restore-test",
    failedAlarm: `${project}-${region}-pitr-test-failed${generationSuffix(generation)}`,
    instancePrefix: `${sourceIdentifier}-pitr`,
  };
}

/** `format` of a point-in-time restore test's report (backup/pitr-restore-test.sh). */
export const POINT_IN_TIME_RESTORE_TEST_REPORT_FORMAT = "dr-platform/pitr-restore-test/1";

/** `format` of a restore test's report (backup/restore-test.sh). */
export const RESTORE_TEST_REPORT_FORMAT = "dr-platform/restore-test/1";

/** The readiness metric the alarm watches: how many checks of a run failed. */
export const READINESS_FAILURES_METRIC = "Failures";

/** CloudWatch Logs group of a Lambda function. */
export function lambdaLogGroup(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** Bucket of the S3 server access logs of a state bucket, in the state bucket's region. */
export function stateAccessLogsBucket(stateBucket: string): string {
  return `${stateBucket}-access-logs`;
}

/** Key prefix of a bucket's server access logs in its region's log bucket: one folder per source. */
export function accessLogsPrefix(sourceBucket: string): string {
  return `${sourceBucket}/`;
}

/**
 * Tag that marks a bucket of database archives: the policy pack demands Object Lock on every
 * bucket carrying it (a rule judges resources, so the bucket says what it holds).
 */
export const ARCHIVE_BUCKET_TAG = { key: "DataClass", value: "database-archives" } as const;

/** KMS alias of a state bucket's key, in the state bucket's region. */
export function stateKeyAlias(stateBucket: string): string {
  return `alias/${stateBucket}-state`;
}

/**
 * Region of the keys and log groups Route 53 uses: a DNSSEC key-signing key must be backed by a
 * KMS key in us-east-1, and query logs are delivered only to a log group in us-east-1.
 */
export const ROUTE53_CONTROL_REGION = "us-east-1";

/** CloudWatch Logs group of a public zone's DNS query logs (in us-east-1). */
export function queryLogGroup(domain: string): string {
  return `/aws/route53/${domain}`;
}

/** CloudWatch Logs group RDS publishes a database instance's exported log (`postgresql`, `upgrade`) to. */
export function rdsLogGroup(identifier: string, logType: string): string {
  return `/aws/rds/instance/${identifier}/${logType}`;
}

/** CloudWatch Logs group EKS writes a cluster's control-plane logs to. */
export function eksLogGroup(clusterName: string): string {
  return `/aws/eks/${clusterName}/cluster`;
}

/** Output of the stack holding a signed zone: the DS record to add once at the parent zone or registrar. */
export const DNSSEC_DS_RECORD_OUTPUT = "dnssec_ds_record";

// ---------------------------------------------------------------------------------------------
// Fence and failback (lib/operations/fence.ts, failback.ts).

/** Namespaces the fence never scales down: the cluster's own and Flux's. */
export const SYSTEM_NAMESPACES: readonly string[] = ["kube-system", "kube-public", "kube-node-lease", FLUX_NAMESPACE];

/** Object key, in the state bucket, of what `fence <region>` did (outside both regions). */
export function fenceRecordKey(region: string): string {
  return `dr/fence/${region}.json`;
}

/** A database generation beside an older one (or a database restored at failback beside the stale one): `<identifier>-g<generation>`. */
export function databaseGenerationIdentifier(identifier: string, generation: number): string {
  return `${identifier}-g${generation}`;
}

/**
 * RDS instance identifier of a database generation: `<project>-<region>` for 1 (the name every
 * environment had before generations), `<project>-<region>-g<n>` after. Its subnet, parameter and
 * security groups keep the generation-1 name (`regionalNames().database`): the generations share them.
 */
export function databaseIdentifier(project: string, region: string, generation = 1): string {
  const base = regionalNames(project, region).database;
  if (!Number.isInteger(generation) || generation < 1) throw new Error(`databaseIdentifier: generation must be a whole number >= 1 (got ${generation})`);
  return generation === 1 ? base : databaseGenerationIdentifier(base, generation);
}

/** The stale database, renamed when a new generation takes over its identifier. */
export function staleDatabaseIdentifier(identifier: string, stamp: string): string {
  return `${identifier}-stale-${stamp}`;
}

/** Manual snapshot of a database taken for a failback (and its copy in the original region). */
export function failbackSnapshotIdentifier(identifier: string, stamp: string): string {
  return `${identifier}-failback-${stamp}`;
}

/** ARN of a manual RDS DB snapshot (CopyDBSnapshot names its cross-region source by ARN). */
export function dbSnapshotArn(region: string, accountId: string, snapshotIdentifier: string): string {
  return `arn:aws:rds:${region}:${accountId}:snapshot:${snapshotIdentifier}`;
}

/** Suspends (true) or resumes (false) Flux's root Kustomization, for a kubeconfig from `kubeconfigCommand`. */
export function fluxSuspendCommand(suspend: boolean): string {
  return `kubectl -n ${FLUX_NAMESPACE} patch kustomization ${FLUX_NAMESPACE} --type merge -p '{"spec":{"suspend":${suspend}}}'`;
}

/**
 * Lifts what `fence` suspended in a cluster: every Kustomization and HelmRelease (the root last:
 * it re-applies the children's spec from Git) and the library's CronJobs.
 */
export function fenceLiftCommands(): string[] {
  const each = (list: string, kind: string) =>
    `${list} | while read -r ns name; do kubectl -n "$ns" patch ${kind} "$name" --type merge -p '{"spec":{"suspend":false}}'; done`;
  const listed = (resource: string) =>
    `kubectl get ${resource} --all-namespaces -o jsonpath='{range .items[*]}{.metadata.namespace} {.metadata.name}{"\\n"}{end}'`;
  return [
    each(listed("helmreleases.helm.toolkit.fluxcd.io"), "helmrelease"),
    each(`${listed("kustomizations.kustomize.toolkit.fluxcd.io")} | grep -v '^${FLUX_NAMESPACE} ${FLUX_NAMESPACE}$'`, "kustomization"),
    fluxSuspendCommand(false),
    `kubectl -n ${BACKUP_JOB_SERVICE_ACCOUNT.namespace} get cronjobs -o name | xargs -r -I{} kubectl -n ${BACKUP_JOB_SERVICE_ACCOUNT.namespace} patch {} --type merge -p '{"spec":{"suspend":false}}'`,
  ];
}

// ---------------------------------------------------------------------------------------------
// Operations: the operator's command line and the layouts the backup jobs write (backup/*.sh).

/** How an operator runs this library's command line: the package's own bin, through npx (no npm banner on stdout). */
export const DR_CLI = "npx dr-platform";

/** The command line that runs one of the library's operations: `npx dr-platform <command> <args...>`. */
export function drCommand(...args: readonly string[]): string {
  return [DR_CLI, ...args].join(" ");
}

/**
 * The printed deploy of one stack, as an operator runs it by hand: cdktf 0.21 refuses a stack whose
 * dependencies are not in the same command unless it is given --ignore-missing-stack-dependencies
 * (a fix or a procedure names one stack whose dependencies were deployed before).
 */
export function deployStackCommand(stack: string): string {
  return `npx cdktf deploy ${stack} --ignore-missing-stack-dependencies`;
}

/** Rule id of the assets bucket's replication rule, as the DR procedure names it. */
export const REPLICATION_RULE_ID = "DR Replication";

/** Rule id of the rule that copies a bucket (state, archives, assets) into the primary's vault account. */
export const VAULT_RULE_ID = "Vault";

/** Where a "replicate existing objects" job writes its completion report in the replica. */
export const REPLICATION_REPORT_PREFIX = "replication-reports/";

/** First key segment of every database archive (backup/archive-database.sh's ARCHIVE_PREFIX default). */
export const ARCHIVE_PREFIX = "postgres";

/** The file of an archive folder that describes it; the archive job uploads it last, so a folder with one is complete. */
export const ARCHIVE_MANIFEST_FILE = "manifest.json";

/** The dump of an archive folder, as the archive job names it (its manifest's `archive.file`). */
export const ARCHIVE_DUMP_FILE = "archive.dump";

/** `format` of an archive manifest (backup/archive-database.sh). */
export const ARCHIVE_MANIFEST_FORMAT = "dr-platform/database-archive/1";

/** First key segment of the broker definitions exports (backup/broker-definitions.sh). */
export const DEFINITIONS_PREFIX = "rabbitmq";

/** The file of one definitions export. */
export const DEFINITIONS_FILE = "definitions.json";

/** `format` of the record `fence <region>` keeps in the state bucket. */
export const FENCE_RECORD_FORMAT = "dr-platform/fence/1";

/** A backup job's stamp: its start in UTC, `YYYYMMDDTHHMMSSZ`; stamps sort as text. */
const STAMP = String.raw`\d{8}T\d{6}Z`;
const ARCHIVE_KEY = new RegExp(`^${ARCHIVE_PREFIX}/([^/]+)/(${STAMP})/([^/]+)$`);
const DEFINITIONS_KEY = new RegExp(`^${DEFINITIONS_PREFIX}/(${STAMP})/${DEFINITIONS_FILE.replace(".", "\\.")}$`);

/** `<ARCHIVE_PREFIX>/<database>/<stamp>/<file>`: the parts of a key of an archive folder; undefined for any other key. */
export function parseArchiveKey(
  key: string,
): { readonly database: string; readonly stamp: string; readonly folder: string; readonly file: string } | undefined {
  const match = ARCHIVE_KEY.exec(key);
  return match ? { database: match[1], stamp: match[2], folder: `${ARCHIVE_PREFIX}/${match[1]}/${match[2]}/`, file: match[3] } : undefined;
}

/** `<DEFINITIONS_PREFIX>/<stamp>/definitions.json`: the stamp of a definitions export's key; undefined for any other key. */
export function parseDefinitionsKey(key: string): { readonly stamp: string } | undefined {
  const match = DEFINITIONS_KEY.exec(key);
  return match ? { stamp: match[1] } : undefined;
}

/** A time as a stamp (`2026-11-21T03:00:00.123Z` -> `20261121T030000Z`): backup jobs and recoveries name folders so. */
export function stampOf(time: Date): string {
  return time
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

/** A backup job's stamp (`20261121T030000Z`) as a time. */
export function stampTime(stamp: string): Date {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(stamp);
  if (!m) throw new Error(`stampTime: not a stamp like 20261121T030000Z (got ${JSON.stringify(stamp)})`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

/** Where restore test reports are listed from: they sit in the archive folders. */
export const RESTORE_TEST_REPORTS_PREFIX = ARCHIVE_PREFIX;

/** IAM resource patterns (after the bucket ARN and "/"): every archive object, and the restore test's reports only. */
export const RESTORE_TEST_OBJECT_PATTERNS = { archives: `${ARCHIVE_PREFIX}/*`, reports: `${ARCHIVE_PREFIX}/*/restore-test-*.json` } as const;

/** IAM resource patterns of the point-in-time restore test: the archives' manifests (its restore points), and its reports only. */
export const POINT_IN_TIME_RESTORE_TEST_OBJECT_PATTERNS = {
  manifests: `${ARCHIVE_PREFIX}/*/manifest.json`,
  reports: `${ARCHIVE_PREFIX}/*/pitr-test-*.json`,
} as const;

/** A restore test report's key (`<archive folder>restore-test-<stamp>.json`): its stamp and folder; undefined for any other key. */
export function parseRestoreTestReportKey(key: string): { readonly stamp: string; readonly folder: string } | undefined {
  return parseReportKey(key, /^restore-test-(\d{8}T\d{6}Z)\.json$/);
}

/** A point-in-time restore test report's key (`<archive folder>pitr-test-<stamp>.json`); undefined for any other key. */
export function parsePointInTimeRestoreTestReportKey(key: string): { readonly stamp: string; readonly folder: string } | undefined {
  return parseReportKey(key, /^pitr-test-(\d{8}T\d{6}Z)\.json$/);
}

function parseReportKey(key: string, file: RegExp): { readonly stamp: string; readonly folder: string } | undefined {
  const parsed = parseArchiveKey(key);
  const match = parsed && file.exec(parsed.file);
  return match ? { stamp: match[1], folder: parsed.folder } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Recovery runs (lib/recovery/).

/** Object key, in the state bucket (outside both regions), of a recovery's journal. */
export function recoveryJournalKey(region: string): string {
  return `dr/recover/${region}/journal.json`;
}

/** Object key, in the state bucket, where a finished recovery's journal is kept when a new one starts. */
export function pastRecoveryJournalKey(region: string, recoveryId: string): string {
  return `dr/recover/${region}/${recoveryId}/journal.json`;
}

/** Key prefix, in the archive bucket (Object Lock keeps them), of a region's recovery reports. */
export function recoveryReportPrefix(region: string): string {
  return `reports/${region}/`;
}

/** Object key of a recovery's report, `json` or `md`. */
export function recoveryReportKey(region: string, recoveryId: string, format: "json" | "md"): string {
  return `${recoveryReportPrefix(region)}${recoveryId}/report.${format}`;
}

/**
 * The key a scenario's runs are kept under (journal, reports, local folder): the region for a
 * recovery, a cluster rebuild, a database restore or a rebuild in a new account; `<region>-rehearsal` for a rehearsal and
 * `<region>-rehearsal-teardown` for its teardown, so that neither ever meets a real recovery's journal.
 */
export function recoveryRunKey(region: string, scenario: "region" | "cluster" | "database" | "account" | "rehearsal" | "rehearsal-teardown"): string {
  if (scenario === "rehearsal") return `${region}${REHEARSAL_SUFFIX}`;
  if (scenario === "rehearsal-teardown") return `${region}${REHEARSAL_SUFFIX}-teardown`;
  return region;
}

/** Local folder of a region's recovery runs (journal, logs, reports), under the project (git-ignored). */
export function localRecoveryDir(region: string): string {
  return `.dr-platform/recover/${region}`;
}

/** The vault of a primary (its `vault` section): the account and region its copies are in. */
export interface VaultPlace {
  readonly accountId: string;
  readonly region: string;
}

/**
 * Names of a primary's vault copies. The buckets carry the vault account's id: bucket names are
 * global, and the vault outlives the workload account whose own names stay reserved after it is
 * closed. The replication roles are the workload account's (they read the source buckets).
 */
export interface VaultNames {
  /** Object Lock bucket, in the vault account, that the database archives and broker exports replicate into. */
  readonly archivesBucket: string;
  /** Object Lock bucket, in the vault account, that the assets replicate into. */
  readonly assetsBucket: string;
  /** Object Lock bucket, in the vault account, that the Terraform state bucket replicates into. */
  readonly stateBucket: string;
  /** Server access logs of the vault buckets, in the vault account (SSE-S3, as S3 logging requires). */
  readonly accessLogsBucket: string;
  /** KMS alias of the vault's key, in the vault account and region. */
  readonly keyAlias: string;
  /** Role, in the workload account, S3 replicates the archives into the vault with. */
  readonly archivesReplicationRole: string;
  /** Role, in the workload account, S3 replicates the Terraform state into the vault with. */
  readonly stateReplicationRole: string;
  /** AWS Backup vault, in the vault account and region, that the database's snapshots are copied into (locked). */
  readonly backupVault: string;
  /** AWS Backup vault, in the workload account and the environment's region, that keeps each snapshot until its copy is made. */
  readonly sourceBackupVault: string;
  /** AWS Backup plan, in the workload account, that snapshots the database and copies each snapshot into the vault. */
  readonly backupPlan: string;
  /** Role, in the workload account, AWS Backup snapshots and copies with. */
  readonly backupRole: string;
}

export function vaultNames(environment: NamedEnvironment, vault: VaultPlace): VaultNames {
  const { project, region } = environment;
  return {
    archivesBucket: `${project}-vault-archives-${region}-${vault.accountId}`,
    assetsBucket: `${project}-vault-assets-${region}-${vault.accountId}`,
    stateBucket: `${project}-vault-state-${region}-${vault.accountId}`,
    accessLogsBucket: `${project}-vault-access-logs-${region}-${vault.accountId}`,
    keyAlias: `alias/${project}-vault-${region}`,
    archivesReplicationRole: `${project}-vault-archives-${region}`,
    stateReplicationRole: `${project}-vault-state-${region}`,
    backupVault: `${project}-vault-${region}`,
    sourceBackupVault: `${project}-vault-copies-${region}`,
    backupPlan: `${project}-vault-${region}`,
    backupRole: `${project}-vault-backup-${region}`,
  };
}

/** Which limit applies to each vault name (the keys of VaultNames that are bucket or IAM names). */
export const VAULT_NAME_KINDS: Readonly<Partial<Record<keyof VaultNames, keyof typeof NAME_LIMITS>>> = {
  archivesBucket: "s3Bucket",
  assetsBucket: "s3Bucket",
  stateBucket: "s3Bucket",
  accessLogsBucket: "s3Bucket",
  archivesReplicationRole: "iam",
  stateReplicationRole: "iam",
  backupVault: "backupVault",
  sourceBackupVault: "backupVault",
  backupRole: "iam",
};

/** What vaultStateCopier reads of an environment (an Environment is one). */
export interface VaultStateSource {
  readonly role: "primary" | "recovery";
  readonly region: string;
  readonly state: { readonly bucket: string };
  readonly vault?: VaultPlace;
}

/**
 * The region of the primary whose vault stack (`vault-<region>`) copies the state bucket
 * `stateBucket` into its vault, or undefined when no primary keeping its state there has a vault.
 * A bucket has one replication configuration, so it replicates into one vault: of the primaries
 * with a vault that keep their state in it (they declare the same vault, lib/environment/across-files.ts),
 * the first by region. app/assemble.ts makes that vault stack with `copiesState`, and
 * `replicate-existing` of that primary starts the state's Batch Replication.
 */
export function vaultStateCopier(stateBucket: string, environments: readonly VaultStateSource[]): string | undefined {
  return environments
    .filter((e) => e.role === "primary" && e.vault !== undefined && e.state.bucket === stateBucket)
    .map((e) => e.region)
    .sort((a, b) => a.localeCompare(b))[0];
}
