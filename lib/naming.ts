/**
 * Names of account-wide and global resources. S3 bucket names are global across all AWS
 * accounts and IAM names are unique per account, so every name carries the environment's region:
 * two environments of one project (a primary and its recovery, or a copied file) never collide.
 */
export interface ResourceNames {
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
  /** IRSA role of Flux's kustomize-controller (SOPS decryption). */
  readonly fluxRole: string;
  /** IRSA role of the workloads (assets). */
  readonly workloadRole: string;
  /** EKS cluster role (`<cluster>-eks-cluster`). */
  readonly clusterRole: string;
  /** EKS node role (`<cluster>-eks-nodes`). */
  readonly nodeRole: string;
}

/** Limits that the schema checks every name against. */
export const NAME_LIMITS = { s3Bucket: 63, iam: 64 } as const;

export function resourceNames(project: string, region: string): ResourceNames {
  return {
    assetsBucket: `${project}-assets-${region}`,
    drAssetsBucket: `${project}-dr-assets-${region}`,
    hostingServicesBucket: `${project}-hosting-services-${region}`,
    backupUser: `${project}-backups-${region}`,
    flowLogsRole: `${project}-flow-logs-${region}`,
    replicationRole: `${project}-dr-replication-${region}`,
    batchReplicationRole: `${project}-dr-batch-${region}`,
    assetsManagementPolicy: `${project}-assets-management-${region}`,
    fluxRole: `${project}-flux-${region}`,
    workloadRole: `${project}-workload-${region}`,
    clusterRole: `${project}-${region}-eks-cluster`,
    nodeRole: `${project}-${region}-eks-nodes`,
  };
}

/** Which limit applies to each name. */
export const NAME_KINDS: Readonly<Record<keyof ResourceNames, keyof typeof NAME_LIMITS>> = {
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
  clusterRole: "iam",
  nodeRole: "iam",
};

/** Per-region names (unique within an account and region). */
export function regionalNames(project: string, region: string) {
  return {
    /** RDS instance identifier, also its subnet, parameter and security groups. */
    database: `${project}-${region}`,
    broker: `${project}-${region}`,
    /** Secrets of the broker users: `<prefix>/<username>`. */
    brokerSecretPrefix: `${project}/${region}/rabbitmq`,
    /** EKS cluster; its IAM roles are `<cluster>-eks-cluster` and `<cluster>-eks-nodes`. */
    cluster: `${project}-${region}`,
    /** KMS alias of the SOPS key and of its replica. */
    sopsKeyAlias: `alias/${project}-sops-${region}`,
  };
}
