import { logRetentionDays, strictObject, wholeNumber } from "../fields";

/**
 * How long each kind of log is kept: a decision per log type, with defaults that fit an audit (a
 * year: PCI DSS 10.5.1 asks for twelve months of audit trail history, and an incident is often
 * found months after it began). docs/logging.md gives each one's monthly cost.
 */
export const logRetention = strictObject({
  /** VPC flow logs (CloudWatch Logs): who talked to whom in the VPC. @default 365 */
  vpcFlowLogsDays: logRetentionDays.default(365),
  /**
   * EKS control plane (CloudWatch Logs): api, audit, authenticator, controllerManager and scheduler
   * share one log group, so the Kubernetes audit log keeps what the group keeps. @default 365
   */
  eksControlPlaneDays: logRetentionDays.default(365),
  /**
   * DNS query logs of the public zone (CloudWatch Logs in us-east-1). Read from the primary's file:
   * the zone is the primary's `dns` stack's. @default 365
   */
  dnsQueryLogsDays: logRetentionDays.default(365),
  /** The database's exported logs, `postgresql` and `upgrade` (CloudWatch Logs, /aws/rds/instance/<id>/<log>). @default 365 */
  databaseDays: logRetentionDays.default(365),
  /** The site's web ACL (AWS WAF) logs: the requests it blocked or counted (CloudWatch Logs). @default 365 */
  wafDays: logRetentionDays.default(365),
  /** The scheduled readiness check's runs (a recovery's standby layer; CloudWatch Logs): what each check found, when. @default 365 */
  readinessCheckDays: logRetentionDays.default(365),
  /** The site load balancer's access logs (S3, one object per node every 5 minutes): days before they expire. @default 365 */
  siteAccessLogsDays: wholeNumber(1, 3653).default(365),
  /**
   * S3 server access logs of the environment's buckets (who read or wrote an archive, an asset or
   * the state): days before they expire in the log buckets. @default 365
   */
  s3AccessLogsDays: wholeNumber(1, 3653).default(365),
});

/** Retention fields that moved into `logRetention`, by their old path: refused with the new field's name. */
export const MOVED_RETENTION_FIELDS = {
  "network.flowLogRetentionDays": "logRetention.vpcFlowLogsDays",
  "kubernetes.logRetentionDays": "logRetention.eksControlPlaneDays",
} as const;

/** The message that refuses a moved field. */
export function movedRetentionField(oldPath: keyof typeof MOVED_RETENTION_FIELDS): string {
  return `has moved to ${MOVED_RETENTION_FIELDS[oldPath]} (days, default 365: log retention is a decision per log type); remove ${oldPath}`;
}
