/**
 * The public constructs, one per file (aws-cdk's `aws-s3/lib/index.ts`). Helpers shared by
 * constructs live in `./private/` and are never exported.
 */
export * from "./access-log-bucket";
export * from "./assets-management-policy";
export * from "./backup-namespace";
export * from "./backup-user";
export * from "./broker-definitions-import";
export * from "./broker-definitions-job";
export * from "./broker-password-rotation";
export * from "./bucket";
export * from "./cluster-providers";
export * from "./data-key";
export * from "./database-archive-job";
export * from "./database-backup-replication";
export * from "./dr-assets-bucket";
export * from "./eks-cluster";
export * from "./eks-roles";
export * from "./failover-record";
export * from "./flow-logs-role";
export * from "./flux-bootstrap";
export * from "./hosting-services-bucket";
export * from "./load-balancer-controller";
export * from "./logs-key";
export * from "./pod-identity-role";
export * from "./pod-identity-roles";
export * from "./postgres-database";
export * from "./public-hosted-zone";
export * from "./rabbitmq-broker";
export * from "./rabbitmq-users";
export * from "./rds-monitoring-role";
export * from "./readiness-check";
export * from "./registry-pull-through-cache";
export * from "./replicated-backups-source";
export * from "./secure-bucket";
export * from "./site-certificate";
export * from "./site-load-balancer";
export * from "./site-target-group-binding";
export * from "./sops-key";
export * from "./sops-replica-key-arn";
export * from "./state-key";
export * from "./vpc";
export * from "./vpc-flow-logs";
export * from "./zone-dnssec";
export * from "./zone-query-logging";
