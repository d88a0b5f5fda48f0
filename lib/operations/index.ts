/**
 * Operations: what `dr-platform` runs against AWS (preflight, status, fence, failback,
 * verify-backup, sops-config, rto, replicate-existing), built from probes (facts read from AWS),
 * pure checks (verdicts on facts) and actions (writes). Its own entry point,
 * `dr-platform/operations`: the AWS SDK clients it loads stay out of the constructs' and the
 * synthesis' import graph.
 */
export * from "./aws/clients";
export * from "./aws/errors";
export * from "./aws/s3-objects";
export * from "./creation-times";
export * from "./failback";
export * from "./failback-copy-assets";
export * from "./stack-addresses";
export * from "./fence";
export * from "./kubectl";
export * from "./plan-gate";
export { planGateVerdict, type PlanGateVerdict } from "./checks/plan/stateful-replacement";
export { probePlannedChanges, plannedChangesOf, type PlannedChange, type PlannedChanges } from "./probes/planned-changes";
export * from "./preflight";
export * from "./replicate-existing";
export * from "./retire-database";
export { retireDatabaseVerdict, type RetireDatabaseVerdict } from "./checks/retire/database";
export * from "./rotate-git-credentials";
export * from "./from-vault";
export * from "./from-vault-archive";
export * from "./from-vault-assets";
export * from "./from-vault-check";
export * from "./from-vault-images";
export * from "./from-vault-copies";
export * from "./from-vault-state";
export * from "./rto";
export * from "./sops-config";
export * from "./stack-graph";
export * from "./status";
export * from "./verify-backup";
export * from "./verify-backup-job";
export * from "./verify-backup-steps";
export { probeDatabaseInstance } from "./probes/database-instance";
export { startReplicateExisting } from "./actions/batch-replication";
export type { StatusRow, StatusTarget } from "./checks/status/row";
export * from "./day-stacks";
export { probeCallerIdentity } from "./probes/caller-identity";
export * from "./switch-access";
export { probeFailoverSwitch, type SwitchState } from "./probes/failover-switch";
export { setFailoverSwitch } from "./actions/failover-switch";
export { FAILURES_METRIC, isFailure, readinessMetrics } from "./readiness/metrics";
export type { ReadinessDatum } from "./readiness/metrics";
export { handler as readinessHandler, readinessClients, readinessEventProblems, runReadiness } from "./readiness/handler";
export type { ReadinessEvent, ReadinessSummary } from "./readiness/handler";
