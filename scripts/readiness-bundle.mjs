// The scheduled readiness check's Lambda code: lib/operations/readiness/handler.ts and everything it
// imports (the preflight, the AWS SDK clients, zod, yaml) in one CommonJS file, dist/readiness/index.js,
// whose `handler` the function runs, and the function's deployment package, dist/readiness/function.zip
// (index.js alone), which the ReadinessCheck construct ships as its asset: zipped once here, so a synth
// copies a file instead of running cdktf's archiver in a child process (about 0.35 s a synth). Built by
// `npm run build` (which `npm ci` runs through `prepare`); a synth or test without it is refused by the
// construct, naming the command.
// Plain JavaScript: it runs before anything is compiled.
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as zlib from "node:zlib";

const require = createRequire(import.meta.url);

/** Node.js version of the function's runtime (ReadinessCheck's `nodejs22.x`). */
export const READINESS_NODE_TARGET = "node22";

/** Name of the deployment package in the bundle folder. */
export const READINESS_PACKAGE = "function.zip";

/** Bundles the handler into `<outdir>/index.js` and its package `<outdir>/function.zip` (replacing the folder); deterministic for the same sources. */
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
  const code = fs.readFileSync(path.join(outdir, "index.js"));
  fs.writeFileSync(path.join(outdir, READINESS_PACKAGE), zipOneFile("index.js", code));
}

/**
 * A ZIP archive (APPNOTE 6.3.10: one local header, the deflated data, one central directory
 * entry, the end record) of one file, with a fixed time (1980-01-01 00:00, the format's first)
 * and mode 0644, so the same bytes give the same archive and the asset hash moves only with the
 * code. Lambda reads any standard ZIP.
 */
export function zipOneFile(name, data) {
  const fileName = Buffer.from(name, "utf8");
  const deflated = zlib.deflateRawSync(data, { level: 9 });
  const crc = zlib.crc32(data);
  const dosTime = 0;
  const dosDate = (1 << 5) | 1; // 1980-01-01
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
  local.writeUInt16LE(0x0800, 6); // UTF-8 name
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt16LE(dosTime, 10);
  local.writeUInt16LE(dosDate, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(deflated.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(dosTime, 12);
  central.writeUInt16LE(dosDate, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(deflated.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt16LE(0, 30); // extra
  central.writeUInt16LE(0, 32); // comment
  central.writeUInt16LE(0, 34); // disk
  central.writeUInt16LE(0, 36); // internal attributes
  central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file, rw-r--r--
  central.writeUInt32LE(0, 42); // offset of the local header
  const centralOffset = local.length + fileName.length + deflated.length;
  const centralSize = central.length + fileName.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, deflated, central, fileName, end]);
}
