/**
 * Recoveries: the day's procedure as one plan (`runbook` prints it), the journal that makes a run
 * resumable, the executor that runs the plan where the stacks are deployed (a real account or the
 * emulator), the adoption of a database restore that outlived Terraform's wait, the release of a
 * state lock its own interrupted attempt left, and the evidence
 * report. Its own entry point, `dr-platform/recovery` (it calls AWS through the operations).
 */
export * from "./adopt";
export * from "./executor";
export * from "./format";
export * from "./journal";
export * from "./journal-store";
export * from "./plan";
export * from "./recover";
export * from "./report";
export * from "./run-step";
export * from "./stale-lock";
export * from "./scenarios/account";
export * from "./scenarios/cluster";
export * from "./scenarios/database";
export * from "./scenarios/rehearsal";
