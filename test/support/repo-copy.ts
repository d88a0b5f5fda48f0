import * as fs from "fs";
import * as path from "path";
import { REPO } from "./run";
import { tempDir } from "./temp";

/** What the build reads: the package's sources, its configuration and the job scripts. */
export const BUILD_INPUTS = [
  "package.json",
  "README.md",
  "tsconfig.json",
  "tsconfig.build.json",
  "scripts/build.mjs",
  "scripts/readiness-bundle.mjs",
  "main.ts",
  "lib",
  "stacks",
  "app",
  "cli",
  "environments",
  "backup",
] as const;

/**
 * A copy of parts of the repository in a temp folder, with the repository's node_modules linked
 * in: for tests that build, edit or run the app without touching the repository's own files or
 * the dist/ that other tests run. Paths that do not exist (cli/ before it is written) are skipped.
 */
export function copyRepository(paths: readonly string[] = BUILD_INPUTS): string {
  const root = tempDir("dr-platform-copy-");
  for (const relative of paths) {
    const source = path.join(REPO, relative);
    if (fs.existsSync(source)) fs.cpSync(source, path.join(root, relative), { recursive: true });
  }
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(root, "node_modules"), "dir");
  return root;
}
