/**
 * `dr-platform/stacks`: the whole product for another team's environment files. The stacks of an
 * environment, `addEnvironments` (every stack of a folder of environments, in order) and
 * `synthesize` (load, validate, build, run the policy pack, write cdktf.out atomically).
 */
export * from "../stacks/application-stack";
export * from "../stacks/dns-stack";
export * from "../stacks/environment-stack";
export * from "../stacks/gitops-stack";
export * from "../stacks/hardening";
export * from "../stacks/kubernetes-stack";
export * from "../stacks/networking-stack";
export * from "../stacks/replication-stack";
export * from "../stacks/roles/peacetime-identity";
export * from "../stacks/roles/primary";
export * from "../stacks/roles/recovery";
export * from "../stacks/roles/rehearsal";
export * from "../stacks/roles/role";
export * from "../stacks/standby-stack";
export * from "../stacks/state-bucket-stack";
export * from "../stacks/workloads-stack";
export { addEnvironments } from "./assemble";
export type { EnvironmentStacks, LayerStacks, PrimaryStacks, RecoveryStacks } from "./assemble";
export { synthesize } from "./synthesize";
export type { SynthesizeOptions, SynthesizeResult } from "./synthesize";
