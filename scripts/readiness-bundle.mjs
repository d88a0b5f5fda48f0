// The scheduled readiness check's Lambda code: lib/operations/readiness/handler.ts and everything it
// imports (the preflight, the AWS SDK clients, zod, yaml) in one CommonJS file, dist/readiness/index.js,
// whose `handler` the function runs. The ReadinessCheck construct ships the folder as its asset. Built by
// `npm run build` (which `npm ci` runs through `prepare`); a synth or test without it is refused by the
// construct, naming the command.
// Plain JavaScript: it runs before anything is compiled.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

const require = createRequire(import.meta.url);

/** Node.js version of the function's runtime (ReadinessCheck's `nodejs22.x`). */
export const READINESS_NODE_TARGET = "node22";

/** Bundles the handler into `<outdir>/index.js` (replacing the folder); deterministic for the same sources. */
export function buildReadinessBundle(root, outdir) {
  const esbuild = require("esbuild");
  fs.rmSync(outdir, { recursive: true, force: true });
  esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [path.join(root, "lib/operations/readiness/handler.ts")],
    outfile: path.join(outdir, "index.js"),
    bundle: true,
    platform: "node",
    target: READINESS_NODE_TARGET,
    format: "cjs",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
  });
}
