import * as path from "path";
import { REPO, run } from "./run";

/**
 * cdktf 0.21's own checks of a printed command, run on the synthesized stack graph as the CLI runs
 * them (cli-core `cdktf-project.js`: `deploy` selects stacks with getMultipleStacks and, without
 * --ignore-missing-stack-dependencies, refuses a selection whose dependencies are outside it with
 * checkIfAllDependenciesAreIncluded; `destroy` refuses missing dependants), and the command's flags
 * against the CLI's own `--help` of that verb.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const helpers = require(path.join(REPO, "node_modules/@cdktf/cli-core/src/lib/helpers/stack-helpers.js")) as {
  getMultipleStacks(stacks: { name: string; dependencies: string[] }[], patterns: string[], action: string): { name: string; dependencies: string[] }[];
  checkIfAllDependenciesAreIncluded(stacks: { name: string; dependencies: string[] }[]): void;
  checkIfAllDependantsAreIncluded(stacks: { name: string; dependencies: string[] }[], all: { name: string; dependencies: string[] }[]): void;
};

const CDKTF = path.join(REPO, "node_modules/cdktf-cli/bundle/bin/cdktf");
const helpCache = new Map<string, string>();

/** The long flags `cdktf <verb> --help` lists. */
export function cdktfFlags(verb: string): Set<string> {
  if (!helpCache.has(verb)) helpCache.set(verb, run(process.execPath, [CDKTF, verb, "--help"], { env: { ...process.env, CHECKPOINT_DISABLE: "1" } }).stdout);
  return new Set([...helpCache.get(verb)!.matchAll(/(--[a-z][a-z-]+)/g)].map((m) => m[1]));
}

/** `npx cdktf <verb> ...` commands inside a printed line (a line may chain several with && or carry a # comment). */
export function cdktfCommands(line: string): string[][] {
  return line
    .split("#")[0]
    .split(/&&|;|\|/)
    .map((part) => part.trim().split(/\s+/))
    .filter((words) => words[0] === "npx" && words[1] === "cdktf")
    .map((words) => words.slice(2));
}

/**
 * Why cdktf would refuse the command (unknown flag, unknown stack, a dependency or dependant left
 * out without --ignore-missing-stack-dependencies); undefined when it runs.
 */
export function cdktfRefusal(args: readonly string[], manifest: { stacks: Record<string, { dependencies: readonly string[] }> }): string | undefined {
  const [verb, ...rest] = args;
  const known = cdktfFlags(verb);
  const unknown = rest.filter((a) => a.startsWith("--") && !known.has(a.split("=")[0]));
  if (unknown.length > 0) return `cdktf ${verb} has no ${unknown.join(", ")}`;
  if (!["deploy", "destroy", "diff", "output"].includes(verb)) return undefined;
  const stacks = Object.entries(manifest.stacks).map(([name, s]) => ({ name, dependencies: [...s.dependencies] }));
  const patterns = rest.filter((a) => !a.startsWith("-"));
  const ignore = rest.includes("--ignore-missing-stack-dependencies");
  try {
    const selected = helpers.getMultipleStacks(stacks, patterns, verb);
    if (verb === "deploy" && !ignore) helpers.checkIfAllDependenciesAreIncluded(selected);
    if (verb === "destroy" && !ignore) helpers.checkIfAllDependantsAreIncluded(selected, stacks);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}
