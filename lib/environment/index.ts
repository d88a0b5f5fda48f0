export { defineEnvironment } from "./define";
export { loadEnvironments } from "./load";
export type { LoadedEnvironment, LoadEnvironmentsOptions } from "./load";
export type { SourceHashes } from "./evaluate";
export { ConfigurationError } from "./problems";
export { KNOWN_REGIONS, REGION_ZONES, zonesOf } from "./regions";
export { EnvironmentSchema, PrimaryEnvironmentSchema, RecoveryEnvironmentSchema } from "./schema";
export type { Environment, EnvironmentInput, PrimaryEnvironment, RecoveryEnvironment, RehearsalMark } from "./schema";
export { archivesOf, fromPrimary, resolvePairs } from "./pair";
export { rehearsalSide } from "./rehearsal";
export type { FromPrimary, PrimarySide, RecoverySide, ResolvedEnvironment } from "./pair";
export { preparedDatabaseGenerations, preparedGenerations, servingClusterName, servingDatabaseIdentifier, standingGenerations } from "./generations";
export type { ClusterGenerations } from "./generations";
export {
  daysUntil,
  EKS_CALENDAR_SOURCE,
  EKS_KUBERNETES_CALENDAR,
  eksRelease,
  isSupportedOn,
  kubernetesCalendarFinding,
  STANDARD_SUPPORT_WARNING_DAYS,
} from "./sections/kubernetes-calendar";
export type { CalendarFinding, EksKubernetesRelease } from "./sections/kubernetes-calendar";
export { environmentFindings } from "./findings";
export type { Findings } from "./findings";
export { READINESS_INTERVAL_MINUTES } from "./sections/standby";
export { RECOVERY_TIERS } from "./sections/tier";
export type { RecoveryTier } from "./sections/tier";
