import { loadEnvironments, type Environment, type PrimaryEnvironment, type RecoveryEnvironment } from "../lib/environment";
import { checkFailbackPair } from "../lib/operations";
import { UsageError, type CliContext } from "./command";

/** Every environment of the CLI's folder (a ConfigurationError names every problem). */
export function environmentsOf(context: CliContext): Environment[] {
  return loadEnvironments(context.environmentsDir).map((loaded) => loaded.environment);
}

/** The environment of `region`; a usage mistake when there is none. */
export function environmentOf(context: CliContext, region: string): Environment {
  const environments = environmentsOf(context);
  const environment = environments.find((e) => e.region === region);
  if (!environment) throw new UsageError(`no environment for ${region}; known: ${environments.map((e) => e.region).join(", ")}`);
  return environment;
}

/** The recovery environment of `region` and the primary it recovers; a usage mistake for a primary. */
export function recoveryPair(context: CliContext, command: string, region: string): { recovery: RecoveryEnvironment; primary: PrimaryEnvironment } {
  const environment = environmentOf(context, region);
  const environments = environmentsOf(context);
  if (environment.role !== "recovery") {
    const recoveries = environments.filter((e) => e.role === "recovery" && e.recoveryOf === region).map((e) => e.region);
    throw new UsageError(`${command} runs for a recovery environment; ${region} is a primary (its recovery: ${recoveries.join(", ") || "none"})`);
  }
  const primary = environments.find((e) => e.region === environment.recoveryOf);
  if (primary?.role !== "primary") throw new UsageError(`no primary environment for ${environment.recoveryOf}, the primary of ${region}`);
  return { recovery: environment, primary };
}

/** `<from> <to>` of a failback: `from` must be the recovery of `to`. */
export function failbackPair(context: CliContext, from: string, to: string): { recovery: RecoveryEnvironment; primary: PrimaryEnvironment } {
  try {
    return checkFailbackPair(from, to, environmentsOf(context));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
