import {
  loadEnvironments,
  resolvePairs,
  type Environment,
  type PrimaryEnvironment,
  type RecoveryEnvironment,
  type ResolvedEnvironment,
} from "../lib/environment";
import { checkFailbackPair } from "../lib/operations";
import { UsageError, type CliContext } from "./command";

/** Every environment of the CLI's folder (a ConfigurationError names every problem). */
export function environmentsOf(context: CliContext): Environment[] {
  return loadEnvironments(context.environmentsDir).map((loaded) => loaded.environment);
}

/** The environment of `region` with its pair resolved once (lib/environment/pair.ts); a usage mistake when there is none. */
export function sideOf(context: CliContext, region: string): ResolvedEnvironment {
  const environments = environmentsOf(context);
  const side = resolvePairs(environments).find((s) => s.environment.region === region);
  if (!side) throw new UsageError(`no environment for ${region}; known: ${environments.map((e) => e.region).join(", ")}`);
  return side;
}

/** The environment of `region`; a usage mistake when there is none. */
export function environmentOf(context: CliContext, region: string): Environment {
  return sideOf(context, region).environment;
}

/** The recovery environment of `region` and the primary it recovers; a usage mistake for a primary. */
export function recoveryPair(context: CliContext, command: string, region: string): { recovery: RecoveryEnvironment; primary: PrimaryEnvironment } {
  const side = sideOf(context, region);
  if (side.role !== "recovery") {
    const recoveries = side.recoveries.map((r) => r.region).join(", ") || "none";
    throw new UsageError(`${command} runs for a recovery environment; ${region} is a primary (its recovery: ${recoveries})`);
  }
  return { recovery: side.environment, primary: side.primary };
}

/** `<from> <to>` of a failback: `from` must be the recovery of `to`. */
export function failbackPair(context: CliContext, from: string, to: string): { recovery: RecoveryEnvironment; primary: PrimaryEnvironment } {
  try {
    return checkFailbackPair(from, to, environmentsOf(context));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
