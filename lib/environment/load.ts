import * as fs from "fs";
import * as path from "path";
import { ACROSS_FILES_RULES, recoverySiteProblems, warmStandbyProblems } from "./across-files";
import { evaluateEnvironmentFile, type SourceHashes } from "./evaluate";
import { environmentFindings } from "./findings";
import { ConfigurationError, formatIssues, problem } from "./problems";
import { Environment, EnvironmentSchema, PrimaryEnvironmentSchema } from "./schema";

/** A validated environment and the file it came from. */
export interface LoadedEnvironment {
  /** The file as shown in messages, e.g. `environments/us-east-2.ts`. */
  readonly file: string;
  readonly environment: Environment;
  /**
   * What the synth prints without stopping, in the problem format (`<file>: <field>: ...`): a
   * Kubernetes version leaving EKS standard support soon, a readiness alarm that notifies nobody.
   */
  readonly warnings: readonly string[];
}

export interface LoadEnvironmentsOptions {
  /**
   * The sources a build of this package compiled, with their hashes: a file of the package's own
   * environments/ compiled from its current source is loaded from dist/; any other is read from
   * its source (see evaluateEnvironmentFile).
   * @default - every file is read from its source
   */
  readonly sourceHashes?: SourceHashes;
  /**
   * The day the files are judged on: the EKS calendar refuses a Kubernetes version past extended
   * support and warns before standard support ends (./findings.ts).
   * @default - the current time
   */
  readonly now?: Date;
}

/** Environment files: `<region>.ts`, not declarations or tests. */
function isEnvironmentFile(name: string): boolean {
  return name.endsWith(".ts") && !name.endsWith(".d.ts") && !name.endsWith(".test.ts");
}

/**
 * Loads and validates every environment file in `directory`. Either every file is valid and
 * consistent with the others, or a ConfigurationError lists every problem in every file.
 * Nothing is synthesized before this returns, so a bad file never leaves partial output.
 */
export function loadEnvironments(directory: string, options: LoadEnvironmentsOptions = {}): LoadedEnvironment[] {
  const folder = path.basename(directory);
  if (!fs.existsSync(directory)) {
    throw new ConfigurationError([`${folder}/: folder not found (looked in ${directory})`]);
  }
  const names = fs.readdirSync(directory).filter(isEnvironmentFile).sort();
  if (names.length === 0) {
    throw new ConfigurationError([`${folder}/: no environment files; add one named after its region, like ${folder}/us-east-1.ts`]);
  }

  const problems: string[] = [];
  const loaded: LoadedEnvironment[] = [];
  const raw = new Map<string, Record<string, unknown>>();

  for (const name of names) {
    const file = `${folder}/${name}`;
    const exported = importDefault(path.join(directory, name), file, problems, options.sourceHashes);
    if (exported === undefined) continue;
    if (typeof exported === "object" && exported !== null) raw.set(file, exported as Record<string, unknown>);
    const result = EnvironmentSchema.safeParse(exported, { reportInput: true });
    if (result.success) {
      const findings = environmentFindings(file, result.data, options.now ?? new Date());
      problems.push(...findings.problems);
      loaded.push({ file, environment: result.data, warnings: findings.warnings });
    } else problems.push(...formatIssues(file, result.error.issues), ...problemsBesidesRole(file, exported, result.error.issues));
  }

  problems.push(...crossFileProblems(raw), ...ACROSS_FILES_RULES.flatMap((rule) => rule(raw)));
  if (problems.length > 0) throw new ConfigurationError(problems);
  return loaded;
}

/**
 * With an unknown `role` the schema cannot tell which role's fields apply and reports only the
 * role; the fields both roles share are checked as well, so one load still lists every problem.
 */
function problemsBesidesRole(file: string, exported: unknown, issues: readonly { code: string; path: readonly PropertyKey[] }[]): string[] {
  const unknownRole = issues.some((i) => i.code === "invalid_union" && i.path.length === 1 && i.path[0] === "role");
  if (!unknownRole || typeof exported !== "object" || exported === null) return [];
  const roleSpecific = (path: readonly PropertyKey[]) => path[0] === "recoveryOf" || (path[0] === "database" && path[1] === "restore");
  const asPrimary = PrimaryEnvironmentSchema.safeParse({ ...exported, role: "primary" }, { reportInput: true });
  return asPrimary.success
    ? []
    : formatIssues(
        file,
        asPrimary.error.issues.filter((i) => !roleSpecific(i.path)),
      );
}

function importDefault(absolute: string, file: string, problems: string[], sourceHashes: SourceHashes | undefined): unknown {
  let module: { default?: unknown };
  try {
    module = evaluateEnvironmentFile(absolute, sourceHashes) as { default?: unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    problems.push(`${file}: cannot be loaded: ${reason}`);
    return undefined;
  }
  if (module.default === undefined) {
    problems.push(`${file}: must \`export default defineEnvironment({ ... })\` (got no default export)`);
    return undefined;
  }
  return module.default;
}

/**
 * Rules across files. They read the raw objects so they still report when a file has other
 * problems: the file name must match the region, one file per region, `recoveryOf` must name a
 * primary that has a file (and the recovery share its project, account and site), and files that
 * share a state bucket must agree on where it is. The rules of ./across-files.ts follow.
 */
function crossFileProblems(raw: ReadonlyMap<string, Record<string, unknown>>): string[] {
  const problems: string[] = [];
  const byRegion = new Map<string, string[]>();
  for (const [file, env] of raw) {
    const expected = path.basename(file, ".ts");
    if (typeof env.region === "string") {
      if (env.region !== expected) {
        problems.push(problem(file, ["region"], `must equal the file name "${expected}" (one file per region, named after it)`, env.region));
      }
      byRegion.set(env.region, [...(byRegion.get(env.region) ?? []), file]);
    }
  }
  for (const [region, files] of byRegion) {
    for (const file of files.slice(1)) {
      problems.push(problem(file, ["region"], `is also the region of ${files[0]}; one environment per region`, region));
    }
  }

  const fileOfRegion = new Map([...raw].map(([file]) => [path.basename(file, ".ts"), file]));
  for (const [file, env] of raw) {
    if (env.role !== "recovery" || typeof env.recoveryOf !== "string") continue;
    const target = fileOfRegion.get(env.recoveryOf);
    const folder = path.dirname(file);
    const primary = target === undefined ? undefined : raw.get(target)!;
    if (primary === undefined) {
      problems.push(problem(file, ["recoveryOf"], `must name an existing environment: there is no ${folder}/${env.recoveryOf}.ts`, env.recoveryOf));
    } else if (primary.role !== "primary") {
      problems.push(problem(file, ["recoveryOf"], `must name a primary environment, but ${target} has role ${JSON.stringify(primary.role)}`, env.recoveryOf));
    } else {
      // The primary's replicas (assets, database backups, SOPS key) live in its drRegion: the
      // recovery must run there to fail over instead of starting over.
      if (env.region !== primary.drRegion) {
        problems.push(problem(file, ["region"], `must be the drRegion of ${target} (${JSON.stringify(primary.drRegion)}), where its replicas are`, env.region));
      }
      for (const field of ["project", "accountId"] as const) {
        if (env[field] !== primary[field]) {
          problems.push(
            problem(file, [field], `must match ${target} (${JSON.stringify(primary[field])}): a recovery takes over the primary's resources`, env[field]),
          );
        }
      }
      problems.push(...recoverySiteProblems(file, env, target!, primary), ...warmStandbyProblems(file, env, target!, primary));
    }
  }

  const stateOwners = new Map<string, { file: string; region: unknown; accountId: unknown }>();
  for (const [file, env] of raw) {
    const state = env.state as Record<string, unknown> | undefined;
    if (typeof state?.bucket !== "string") continue;
    const first = stateOwners.get(state.bucket);
    if (first === undefined) {
      stateOwners.set(state.bucket, { file, region: state.region, accountId: env.accountId });
    } else if (first.region !== state.region) {
      problems.push(
        problem(
          file,
          ["state", "region"],
          `must match ${first.file}, which keeps state bucket "${state.bucket}" in ${JSON.stringify(first.region)}`,
          state.region,
        ),
      );
    } else if (first.accountId !== env.accountId) {
      problems.push(
        problem(file, ["accountId"], `must match ${first.file}, which shares state bucket "${state.bucket}" (one bucket, one account)`, env.accountId),
      );
    }
  }
  return problems;
}
