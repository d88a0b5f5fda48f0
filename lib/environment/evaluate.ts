import { createHash } from "crypto";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import * as vm from "vm";

/**
 * A build of the environment files: `<dir>/<name>.js` compiled from `<name>.ts`, and the sha256
 * of each source as it was when it was compiled (the repository's dist/build-info.json).
 */
export interface CompiledEnvironments {
  /** Folder of the compiled files (`dist/environments`). */
  readonly dir: string;
  /** sha256 of each compiled source, by file name (`us-east-1.ts`). */
  readonly sourceHashes: Readonly<Record<string, string>>;
}

/** This module runs as TypeScript (jest, a `--require` hook): environment files load the same way. */
const RUNNING_AS_TYPESCRIPT = __filename.endsWith(".ts");

/**
 * The module exports of an environment file (`<name>.ts`, as the user edits it), evaluated in one
 * of three ways:
 * - where this library itself runs as TypeScript (tests, `npm run synth:dev`), it is required: the
 *   hook that loads the library loads the file too;
 * - from its build, when `compiled` holds a copy compiled from exactly this source (same sha256);
 * - otherwise from its source, transpiled in memory (sucrase: TypeScript and imports only, a few
 *   milliseconds), with its relative imports resolved from where its build would be. An edited,
 *   added or deleted file is therefore never synthesized from an older build, whatever dist/ holds.
 * Errors keep the source file's name: the caller reports them against it.
 */
export function evaluateEnvironmentFile(source: string, compiled?: CompiledEnvironments): unknown {
  if (RUNNING_AS_TYPESCRIPT) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(source);
  }
  if (compiled === undefined) return evaluateSource(source, source);
  const name = path.basename(source);
  const built = path.join(compiled.dir, name.replace(/\.ts$/, ".js"));
  if (compiled.sourceHashes[name] === sha256(source) && fs.existsSync(built)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(built);
  }
  return evaluateSource(source, built);
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
