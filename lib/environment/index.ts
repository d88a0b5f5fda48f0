export { defineEnvironment } from "./define";
export { loadEnvironments } from "./load";
export type { LoadedEnvironment, LoadEnvironmentsOptions } from "./load";
export type { SourceHashes } from "./evaluate";
export { ConfigurationError } from "./problems";
export { KNOWN_REGIONS, REGION_ZONES, zonesOf } from "./regions";
export { EnvironmentSchema, PrimaryEnvironmentSchema, RecoveryEnvironmentSchema } from "./schema";
export type { Environment, EnvironmentInput, PrimaryEnvironment, RecoveryEnvironment } from "./schema";
