import { clusterName, databaseIdentifier } from "../naming";

/** The cluster fields of an environment that say which generations stand (kubernetes.generation, retiringGeneration). */
export interface ClusterGenerations {
  readonly generation: number;
  readonly retiringGeneration?: number;
}

/**
 * The cluster generations that stand in the region, in stack order: while a rebuild is under way
 * the retiring one beside the serving one; otherwise the serving one alone.
 */
export function standingGenerations(kubernetes: ClusterGenerations): number[] {
  return kubernetes.retiringGeneration === undefined ? [kubernetes.generation] : [kubernetes.retiringGeneration, kubernetes.generation];
}

/**
 * The generations whose identity is prepared in peacetime: those standing and the next one, so
 * that a rebuild writes nothing global (a recovery's rebuild runs while its primary's region, and
 * the IAM control plane it may host, can be dark). The logs key admits their control-plane log
 * groups and a recovery's standby layer makes their roles.
 */
export function preparedGenerations(kubernetes: ClusterGenerations): number[] {
  return [...standingGenerations(kubernetes), kubernetes.generation + 1];
}

/** The EKS cluster that serves the environment's site: its serving generation's. */
export function servingClusterName(environment: { readonly project: string; readonly region: string; readonly kubernetes: ClusterGenerations }): string {
  return clusterName(environment.project, environment.region, environment.kubernetes.generation);
}

/** The database fields of an environment that say which generations stand (database.generation, restoredFrom). */
export interface DatabaseGenerations {
  readonly generation: number;
  readonly restoredFrom?: { readonly generation: number };
}

/**
 * The database generations whose names are admitted in peacetime: the one restored from (its logs
 * stay readable), the serving one and the next, so that `restore-database` changes no key policy
 * and no IAM policy (the logs key, the pod identity roles' master-secret condition).
 */
export function preparedDatabaseGenerations(database: DatabaseGenerations): number[] {
  const from = database.restoredFrom?.generation;
  return [...(from === undefined ? [] : [from]), database.generation, database.generation + 1];
}

/** The RDS instance that serves the environment: its database generation's. */
export function servingDatabaseIdentifier(environment: { readonly project: string; readonly region: string; readonly database: DatabaseGenerations }): string {
  return databaseIdentifier(environment.project, environment.region, environment.database.generation);
}
