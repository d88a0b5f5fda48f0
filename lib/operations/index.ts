/**
 * Operations (runbook, preflight, status, fence, failback, verify-backup, rto, ...): what
 * `dr-platform` runs against AWS. Its own entry point, `dr-platform/operations`: the AWS SDK
 * clients it loads stay out of the constructs' and the synthesis' import graph.
 *
 * Provisional barrel (issue 22, item 1): it re-exports the modules as they are; the operations
 * rework (item 2) replaces it.
 */
export * from "./creation-times";
export * from "./failback";
export * from "./fence";
export * from "./preflight";
export * from "./replicate-existing";
export * from "./rto";
export * from "./runbook";
export * from "./site-failover";
export * from "./sops-config";
export * from "./sops-files";
export * from "./stack-graph";
export * from "./status";
export * from "./verify-backup-job";
export * from "./verify-backup";
