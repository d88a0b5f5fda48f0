import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/**
 * What `npm run build` compiled: the folders and files of tsconfig.build.json's `include` and the
 * hash of every source, recorded in `dist/build-info.json`. The repository's app runs from dist/
 * (`npm run synth`, `cdktf synth`) and compares the record with the source tree, so a build older
 * than the code is refused by name instead of synthesizing the old stacks, and an environment file
 * edited since the build is read from its source (lib/environment/load.ts).
 */
export interface BuildInfo {
  /** Folders and files the build compiled, relative to the repository (`lib`, `main.ts`). */
  readonly roots: readonly string[];
  /** sha256 of each compiled source, by path relative to the repository (`lib/naming.ts`). */
  readonly sources: Readonly<Record<string, string>>;
  /**
   * sha256 of every other file the build reads (BUILD_INPUTS: its configuration, its scripts, the
   * job scripts it copies, the lockfile the readiness bundle resolves against); absent in a record
   * written before it existed, which `outdatedBuild` then calls outdated.
   */
  readonly inputs?: Readonly<Record<string, string>>;
}

/** What the build reads besides the compiled sources: files, or folders taken whole. */
export const BUILD_INPUTS: readonly string[] = [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "scripts/build.mjs",
  "scripts/readiness-bundle.mjs",
  "backup",
];

/** What a build leaves that something runs: the app, the CLI, the readiness check's bundle. */
export const BUILD_OUTPUTS: readonly string[] = ["main.js", "cli/main.js", "readiness/index.js", "backup"];

export const BUILD_INFO_FILE = "build-info.json";

/** Folders whose sources are data read at synth time, not code: checked file by file by the loader. */
export const DATA_ROOTS: readonly string[] = ["environments"];

/** The TypeScript sources under `roots` (declarations and tests are not compiled). */
export function listSources(root: string, roots: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (relative: string): void => {
    const absolute = path.join(root, relative);
    if (!fs.existsSync(absolute)) return;
    if (fs.statSync(absolute).isDirectory()) {
      for (const name of fs.readdirSync(absolute).sort()) visit(path.posix.join(relative, name));
    } else if (relative.endsWith(".ts") && !relative.endsWith(".d.ts") && !relative.endsWith(".test.ts")) {
      files.push(relative);
    }
  };
  for (const r of roots) visit(r);
  return files;
}

export function sourceHash(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Every file of BUILD_INPUTS with its hash (folders walked, sorted). */
function inputHashes(root: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  const visit = (relative: string): void => {
    const absolute = path.join(root, relative);
    if (!fs.existsSync(absolute)) return;
    if (fs.statSync(absolute).isDirectory()) {
      for (const name of fs.readdirSync(absolute).sort()) visit(path.posix.join(relative, name));
    } else {
      hashes[relative] = sourceHash(absolute);
    }
  };
  for (const input of BUILD_INPUTS) visit(input);
  return hashes;
}

/** Records the build of `roots` (called by scripts/build.mjs once tsc has succeeded). */
export function writeBuildInfo(root: string, dist: string, roots: readonly string[]): BuildInfo {
  const info: BuildInfo = {
    roots,
    sources: Object.fromEntries(listSources(root, roots).map((file) => [file, sourceHash(path.join(root, file))])),
    inputs: inputHashes(root),
  };
  fs.writeFileSync(path.join(dist, BUILD_INFO_FILE), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

/** The record of the build in `dist`; undefined where there is none (an installed package). */
export function readBuildInfo(dist: string): BuildInfo | undefined {
  const file = path.join(dist, BUILD_INFO_FILE);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as BuildInfo) : undefined;
}

/**
 * The code sources (everything but DATA_ROOTS) that differ from the build: one line each,
 * `lib/constructs/vpc.ts: changed since the last build`. Empty when the build is current.
 */
export function staleSources(root: string, info: BuildInfo): string[] {
  const code = info.roots.filter((r) => !DATA_ROOTS.includes(r));
  const isCode = (file: string) => code.some((r) => file === r || file.startsWith(`${r}/`));
  const now = listSources(root, code);
  const problems: string[] = [];
  for (const file of now) {
    const built = info.sources[file];
    if (built === undefined) problems.push(`${file}: added since the last build`);
    else if (built !== sourceHash(path.join(root, file))) problems.push(`${file}: changed since the last build`);
  }
  const present = new Set(now);
  for (const file of Object.keys(info.sources)) {
    if (isCode(file) && !present.has(file)) problems.push(`${file}: deleted since the last build`);
  }
  return problems;
}

/**
 * Why `dist` is not the build of `root` as it is now, one line each; empty when a build would give
 * the same dist/. Unlike `staleSources` (what the app refuses to run), every compiled source counts
 * here, the environment files too, and every build input. `npm ci`'s prepare (scripts/prepare.mjs)
 * builds only when this is not empty: `npx dr-platform` in this repository installs the project
 * into npx's cache, which runs prepare in place, and must not rebuild (and so empty) the dist/
 * that the other commands and tests are running.
 */
export function outdatedBuild(root: string, dist: string): string[] {
  const info = readBuildInfo(dist);
  if (info === undefined) return [`${path.basename(dist)}/${BUILD_INFO_FILE} is missing: no build`];
  const problems = BUILD_OUTPUTS.filter((output) => !fs.existsSync(path.join(dist, output))).map((output) => `${path.basename(dist)}/${output} is missing`);
  const now = listSources(root, info.roots);
  for (const file of now) {
    const built = info.sources[file];
    if (built === undefined) problems.push(`${file}: added since the last build`);
    else if (built !== sourceHash(path.join(root, file))) problems.push(`${file}: changed since the last build`);
  }
  const present = new Set(now);
  for (const file of Object.keys(info.sources)) if (!present.has(file)) problems.push(`${file}: deleted since the last build`);
  if (info.inputs === undefined) return [...problems, `${BUILD_INFO_FILE} records no build inputs (an older build)`];
  const inputs = inputHashes(root);
  for (const [file, hash] of Object.entries(inputs)) {
    if (info.inputs[file] === undefined) problems.push(`${file}: added since the last build`);
    else if (info.inputs[file] !== hash) problems.push(`${file}: changed since the last build`);
  }
  for (const file of Object.keys(info.inputs)) if (!(file in inputs)) problems.push(`${file}: deleted since the last build`);
  return problems;
}

/** Thrown by the repository's app when dist/ was built from other sources than the tree holds. */
export class StaleBuildError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "StaleBuildError";
  }
}

/**
 * Refuses to run a build older than the code beside it: a synth from it would write the stacks of
 * the old code without a word. A folder without a record (an installed package, a build made by
 * other means) is not checked. Returns the record, for the loader to use the compiled environments.
 */
export function assertCurrentBuild(root: string, dist: string): BuildInfo | undefined {
  const info = readBuildInfo(dist);
  if (info === undefined) return undefined;
  const problems = staleSources(root, info);
  if (problems.length > 0) throw new StaleBuildError(problems);
  return info;
}
