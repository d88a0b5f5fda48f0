import type { Environment } from "./environment";

/** Name of the tool in the ManagedBy tag, so resources made by hand stand out. */
export const MANAGED_BY = "dr-platform";

/**
 * Tags on every resource (through the providers' `default_tags`). The environment's extra tags
 * come first, so they can never overwrite the ones operations rely on.
 */
export function standardTags(environment: Environment): Record<string, string> {
  return {
    ...environment.tags,
    Project: environment.project,
    Environment: environment.region,
    Role: environment.role,
    ManagedBy: MANAGED_BY,
  };
}
