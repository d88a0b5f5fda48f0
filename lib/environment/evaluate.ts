import { createHash } from "crypto";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import * as vm from "vm";

/**
 * sha256 of each source as a build compiled it, by path relative to the package
 * (`environments/us-east-1.ts`): the repository's dist/build-info.json.
 */
export type SourceHashes = Readonly<Record<string, string>>;

/** This module runs as TypeScript (jest, a `--require` hook): environment files load the same way. */
const RUNNING_AS_TYPESCRIPT = __filename.endsWith(".ts");
/** Compiled, this module is `<package>/dist/lib/environment/evaluate.js`. */
const DIST = path.resolve(__dirname, "../..");
const PACKAGE = path.dirname(DIST);

/**
 * The module exports of an environment file (`<name>.ts`, as the user edits it), evaluated in one
 * of three ways:
 * - where this library itself runs as TypeScript (tests, `npm run synth:dev`), it is required: the
 *   hook that loads the library loads the file too;
 * - a file of this package's own tree (the repository's environments/) from its build in dist/,
 *   when `sourceHashes` says the build was compiled from exactly this source;
 * - otherwise from its source, transpiled in memory (sucrase: TypeScript and imports only, a few
 *   milliseconds). A file of this package's tree resolves its relative imports from where its
 *   build is (`../lib/environment` is dist/lib/environment), any other file from where it is
 *   (another team's `dr-platform/environment` from its node_modules).
 * An edited, added or deleted file is therefore never synthesized from an older build, whatever
 * dist/ holds. Errors keep the source file's name: the caller reports them against it.
 */
export function evaluateEnvironmentFile(source: string, sourceHashes: SourceHashes = {}): unknown {
  if (RUNNING_AS_TYPESCRIPT) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(source);
  }
  const relative = path.relative(PACKAGE, source);
  const ours = !relative.startsWith("..") && !path.isAbsolute(relative) && !/^(dist|node_modules)[\\/]/.test(relative);
  const built = ours ? path.join(DIST, relative.replace(/\.ts$/, ".js")) : undefined;
  if (built !== undefined && sourceHashes[relative.split(path.sep).join("/")] === sha256(source) && fs.existsSync(built)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(built);
  }
  return evaluateSource(source, built ?? source);
}

function sha256(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Transpiles a TypeScript module and runs it as CommonJS, resolving its imports from `resolveFrom`. */
function evaluateSource(source: string, resolveFrom: string): unknown {
  // Loaded on first use only: a synth from an up-to-date build never needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { transform } = require("sucrase") as typeof import("sucrase");
  const { code } = transform(fs.readFileSync(source, "utf8"), { transforms: ["typescript", "imports"], filePath: source });
  const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: source });
  const module = { exports: {} as unknown };
  wrapper(module.exports, createRequire(resolveFrom), module, source, path.dirname(source));
  return module.exports;
}
