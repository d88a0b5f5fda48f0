export { defineEnvironment } from "./define";
export { loadEnvironments } from "./load";
export type { LoadedEnvironment } from "./load";
export { ConfigurationError } from "./problems";
export { EnvironmentSchema, PrimaryEnvironmentSchema, RecoveryEnvironmentSchema } from "./schema";
export type { Environment, EnvironmentInput, PrimaryEnvironment, RecoveryEnvironment } from "./schema";
export { fromPrimary, resolvePairs } from "./pair";
export type { FromPrimary, PrimarySide, RecoverySide, ResolvedEnvironment } from "./pair";
