import type { EnvironmentInput } from "./schema";

/**
 * Marks an object as an environment. It only types the object (editor completion, `tsc` errors);
 * validation happens when the environments folder is loaded, so that every file's problems are
 * reported together with the file name.
 */
export function defineEnvironment(environment: EnvironmentInput): EnvironmentInput {
  return environment;
}
