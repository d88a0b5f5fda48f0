/**
 * Typical creation times of the Terraform resource types this project synthesizes, in minutes
 * from the create call to Terraform's "Creation complete": the figures behind the modelled
 * recovery time (rto.ts, docs/rto.md). Each figure names its source; `estimate: true` marks a
 * figure that is our judgement (AWS publishes no figure), to be replaced by a measurement when
 * one exists. Figures are typical values, not upper bounds: the provider's create timeouts are
 * far longer (aws_mq_broker: 30 min).
 */

export interface CreationTime {
  /** Typical minutes until Terraform reports the resource created. */
  readonly minutes: number;
  /** Where the figure comes from: a document, a measurement, or the reasoning behind an estimate. */
  readonly source: string;
  /** True when the figure is an estimate rather than a published or measured value. */
  readonly estimate: boolean;
}

/**
 * Minutes of an `aws_db_instance` created from a backup (`restore_to_point_in_time` or
 * `snapshot_identifier`): `baseMinutes + minutesPerGib * allocatedStorageGib`.
 */
export interface RestoreTime {
  /** Minutes that do not depend on the size: provisioning the instance (and its Multi-AZ standby). */
  readonly baseMinutes: number;
  /** Minutes added per GiB of allocated storage. */
  readonly minutesPerGib: number;
  readonly source: string;
  readonly estimate: boolean;
}

export interface CreationTimeTable {
  /** Figures per Terraform resource type (`aws_eks_cluster`). */
  readonly resources: Readonly<Record<string, CreationTime>>;
  /** A resource type missing from `resources`: counted, reported, never silently zero. */
  readonly unknownResource: CreationTime;
  /** Any data source (`data.<type>.<name>`): a read, no creation. */
  readonly dataSource: CreationTime;
  /** An `aws_db_instance` restored from a backup; replaces `resources.aws_db_instance`. */
  readonly databaseRestore: RestoreTime;
  /**
   * Fixed minutes per stack before its first resource: `terraform init` (providers from the
   * mirror), refresh and plan, which `cdktf deploy` runs for each stack.
   */
  readonly stackOverhead: CreationTime;
}

/** Seconds-scale API calls: Terraform reports them created within a few seconds. */
const SECONDS = (what: string): CreationTime => ({
  minutes: 0.1,
  source: `${what}: a synchronous API call; Terraform apply logs show "Creation complete after" 0-10 s`,
  estimate: true,
});

const EKS_ROADMAP_1227 = "aws/containers-roadmap issue #1227 (AWS EKS team: control plane provisioning currently averages 15 minutes)";
const ISSUE_16 = "issue 16 of this project (typical ranges seen on real AWS)";

export const CREATION_TIMES: CreationTimeTable = {
  resources: {
    // Kubernetes on EKS: the long pole of the kubernetes layer.
    aws_eks_cluster: { minutes: 15, source: EKS_ROADMAP_1227, estimate: false },
    aws_eks_node_group: { minutes: 4.5, source: `${ISSUE_16}: 3-6 min for a managed node group to reach ACTIVE; midpoint`, estimate: true },
    aws_eks_addon: { minutes: 3, source: `${ISSUE_16}: 2-4 min for an add-on to reach ACTIVE; midpoint`, estimate: true },
    aws_eks_access_entry: SECONDS("EKS access entry"),
    aws_eks_access_policy_association: SECONDS("EKS access policy association"),
    aws_eks_pod_identity_association: SECONDS("EKS Pod Identity association"),
    aws_iam_openid_connect_provider: SECONDS("IAM OIDC provider"),

    // Datastores.
    aws_db_instance: {
      minutes: 15,
      source: "new empty Multi-AZ RDS for PostgreSQL instance: typically 10-20 min until available; midpoint (AWS publishes no figure)",
      estimate: true,
    },
    aws_db_instance_automated_backups_replication: {
      minutes: 10,
      source:
        "cross-Region automated backup replication: the provider waits until the replication is `replicating`, which starts with a copy of the latest snapshot (AWS publishes no figure)",
      estimate: true,
    },
    aws_db_parameter_group: SECONDS("RDS parameter group"),
    aws_db_subnet_group: SECONDS("RDS subnet group"),
    aws_mq_broker: {
      minutes: 25,
      source: `${ISSUE_16}: 20-30 min for an Amazon MQ RabbitMQ cluster broker (three nodes) to reach RUNNING; midpoint. A single-instance broker is faster; the table does not tell them apart`,
      estimate: true,
    },

    // Network.
    aws_vpc: SECONDS("VPC"),
    aws_subnet: SECONDS("subnet"),
    aws_internet_gateway: SECONDS("internet gateway"),
    aws_eip: SECONDS("Elastic IP"),
    aws_nat_gateway: {
      minutes: 2,
      source: "NAT gateway from pending to available: typically 1-3 min in Terraform apply logs; kubernetes/kops PR #944 reports up to 5-10 min at worst",
      estimate: true,
    },
    aws_route_table: SECONDS("route table"),
    aws_route: SECONDS("route"),
    aws_route_table_association: SECONDS("route table association"),
    aws_default_security_group: SECONDS("default security group (adopted, not created)"),
    aws_security_group: SECONDS("security group"),
    aws_vpc_security_group_ingress_rule: SECONDS("security group rule"),
    aws_vpc_security_group_egress_rule: SECONDS("security group rule"),
    aws_flow_log: SECONDS("VPC flow log"),
    aws_cloudwatch_metric_alarm: SECONDS("CloudWatch metric alarm (the failover switch, the readiness alarm)"),
    aws_cloudwatch_log_group: SECONDS("CloudWatch log group"),
    aws_cloudwatch_log_resource_policy: SECONDS("CloudWatch Logs resource policy"),
    aws_route53_zone: {
      minutes: 1,
      source:
        "Route 53 hosted zone: the provider waits for the change to be INSYNC; Route 53 documentation: changes generally propagate to all Route 53 name servers within 60 seconds",
      estimate: false,
    },
    aws_route53_delegation_set: SECONDS("Route 53 reusable delegation set"),
    aws_route53_query_log: SECONDS("Route 53 query logging configuration"),
    aws_route53_key_signing_key: {
      minutes: 1,
      source: "Route 53 key-signing key: the provider waits for the change to be INSYNC, like a record (changes propagate within 60 seconds)",
      estimate: true,
    },
    aws_route53_hosted_zone_dnssec: {
      minutes: 1,
      source: "Route 53 DNSSEC signing: the provider waits for the change to be INSYNC, like a record (changes propagate within 60 seconds)",
      estimate: true,
    },
    aws_route53_record: {
      minutes: 1,
      source:
        "Route 53 record: the provider waits for INSYNC; Route 53 documentation: changes generally propagate to all Route 53 name servers within 60 seconds",
      estimate: false,
    },
    aws_route53_health_check: SECONDS("Route 53 health check (created at once; the checkers report within a few request intervals)"),
    aws_lb: {
      minutes: 3,
      source: "Application load balancer from provisioning to active: the provider waits for active; typically 2-4 min in Terraform apply logs",
      estimate: true,
    },
    aws_lb_listener: SECONDS("load balancer listener"),
    aws_wafv2_web_acl: SECONDS("AWS WAF web ACL (peacetime: the networking stack)"),
    aws_wafv2_web_acl_association: {
      minutes: 0.5,
      source:
        "AWS WAF web ACL association: the provider retries WAFUnavailableEntityException while a new load balancer becomes visible to AWS WAF (seconds to a minute in Terraform apply logs; peacetime: the networking stack)",
      estimate: true,
    },
    aws_wafv2_web_acl_logging_configuration: SECONDS("AWS WAF logging configuration"),
    aws_lb_target_group: SECONDS("load balancer target group"),
    aws_acm_certificate: SECONDS("ACM certificate request"),
    aws_acm_certificate_validation: {
      minutes: 5,
      source:
        "ACM DNS validation: ACM documentation says validation can take up to 30 minutes after the record is visible; usually a few minutes (peacetime only: the dns stack)",
      estimate: true,
    },

    // Identity and keys.
    aws_iam_role: SECONDS("IAM role"),
    aws_iam_role_policy: SECONDS("IAM inline policy"),
    aws_iam_role_policy_attachment: SECONDS("IAM policy attachment"),
    aws_iam_policy: SECONDS("IAM managed policy"),
    aws_iam_user: SECONDS("IAM user"),
    aws_iam_user_policy: SECONDS("IAM user policy"),
    aws_kms_key: SECONDS("KMS key"),
    aws_kms_alias: SECONDS("KMS alias"),
    aws_kms_replica_key: SECONDS("KMS multi-Region replica key"),
    aws_secretsmanager_secret: SECONDS("Secrets Manager secret"),
    aws_secretsmanager_secret_version: SECONDS("Secrets Manager secret version"),
    aws_ecr_replication_configuration: SECONDS("ECR registry replication configuration"),
    aws_ecr_registry_policy: SECONDS("ECR registry policy"),
    aws_ecr_pull_through_cache_rule: SECONDS("ECR pull through cache rule"),
    aws_backup_vault: SECONDS("AWS Backup vault"),
    aws_backup_vault_policy: SECONDS("AWS Backup vault access policy"),
    aws_backup_vault_lock_configuration: SECONDS("AWS Backup vault lock configuration"),
    aws_backup_plan: SECONDS("AWS Backup plan"),
    aws_backup_selection: SECONDS("AWS Backup selection"),
    aws_lambda_function: SECONDS("Lambda function (a zip of a few MB)"),
    aws_scheduler_schedule: SECONDS("EventBridge Scheduler schedule"),

    // S3: the bucket and its configuration sub-resources.
    aws_s3_bucket: SECONDS("S3 bucket"),
    aws_s3_bucket_versioning: SECONDS("S3 bucket versioning"),
    aws_s3_bucket_ownership_controls: SECONDS("S3 ownership controls"),
    aws_s3_bucket_policy: SECONDS("S3 bucket policy"),
    aws_s3_bucket_public_access_block: SECONDS("S3 public access block"),
    aws_s3_bucket_server_side_encryption_configuration: SECONDS("S3 default encryption"),
    aws_s3_bucket_lifecycle_configuration: SECONDS("S3 lifecycle configuration"),
    aws_s3_bucket_replication_configuration: SECONDS("S3 replication configuration"),
    aws_s3_bucket_logging: SECONDS("S3 server access logging configuration"),
    aws_s3_bucket_object_lock_configuration: SECONDS("S3 Object Lock configuration"),

    // In the cluster (helm and kubernetes providers).
    helm_release: {
      minutes: 2,
      source:
        "helm install with the provider's default wait: until the chart's pods are ready (image pulls on fresh nodes); Flux controllers are ready in about 1-2 min",
      estimate: true,
    },
    kubernetes_namespace_v1: SECONDS("Kubernetes namespace"),
    kubernetes_manifest: SECONDS("Kubernetes object (server-side apply; the TargetGroupBinding)"),
    kubernetes_secret_v1: SECONDS("Kubernetes secret"),
    kubernetes_config_map_v1: SECONDS("Kubernetes config map"),
    kubernetes_service_account_v1: SECONDS("Kubernetes service account"),
    kubernetes_role_v1: SECONDS("Kubernetes Role"),
    kubernetes_role_binding_v1: SECONDS("Kubernetes RoleBinding"),
    kubernetes_cron_job_v1: SECONDS("Kubernetes CronJob (created, not run: its first job starts on schedule)"),
    kubernetes_job_v1: {
      minutes: 1,
      source: "Kubernetes job with the provider's default wait_for_completion: pull a small image and run a few API calls",
      estimate: true,
    },
  },
  unknownResource: {
    minutes: 1,
    source: "default for a type missing from this table: visible in the total without dominating it; add the type with its source",
    estimate: true,
  },
  dataSource: {
    minutes: 0,
    source: "a data source is a read (seconds) and usually happens during plan; counted inside the stack overhead",
    estimate: true,
  },
  databaseRestore: {
    baseMinutes: 20,
    minutesPerGib: 0.45,
    source:
      `${ISSUE_16}: 40-90 min for a point-in-time restore of ~100 GB; the line 20 + 0.45 min/GiB gives 65 min at 100 GiB, the midpoint. ` +
      'AWS (Knowledge Center, "Why is the point-in-time restore of my Amazon RDS DB instance taking a long time?"): the closest snapshot is restored, then transaction logs are replayed up to the chosen time, and the length depends on the amount of logs. ' +
      "Scaling by allocated storage is our assumption: storage stands in for both the snapshot size and the write volume",
    estimate: true,
  },
  stackOverhead: {
    minutes: 1,
    source: "terraform init with providers from a local mirror, refresh and plan of one stack: about a minute on real AWS",
    estimate: true,
  },
};

/** The table as markdown, for docs/rto.md (a test keeps the document equal to it). */
export function creationTimesMarkdown(table: CreationTimeTable): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const row = (what: string, minutes: string, t: { source: string; estimate: boolean }) =>
    `| ${what} | ${minutes} | ${t.estimate ? "estimate" : "published"} | ${cell(t.source)} |`;
  const restore = table.databaseRestore;
  return [
    "| resource type | minutes | kind | source |",
    "| --- | ---: | --- | --- |",
    ...Object.entries(table.resources).map(([type, t]) => row(`\`${type}\``, String(t.minutes), t)),
    row("`aws_db_instance` restored (point in time or snapshot)", `${restore.baseMinutes} + ${restore.minutesPerGib} x GiB`, restore),
    row("any data source", String(table.dataSource.minutes), table.dataSource),
    row("a type not in this table", String(table.unknownResource.minutes), table.unknownResource),
    row("per stack (init, refresh, plan)", String(table.stackOverhead.minutes), table.stackOverhead),
  ].join("\n");
}
