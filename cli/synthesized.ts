import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthesize } from "../app/synthesize";
import type { Manifest } from "../lib/operations";
import type { DeploymentTarget } from "../lib/targets";
import type { CliContext } from "./command";

/** Synthesizes every environment into a temporary folder, reads it, and removes the folder. */
export function withSynthesized<T>(context: CliContext, read: (outdir: string) => T): T {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dr-")), "cdktf.out");
  try {
    synthesize({ environmentsDir: context.environmentsDir, outdir });
    return read(outdir);
  } finally {
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  }
}

/**
 * withSynthesized for a reader that awaits (Terraform run in a synthesized stack's folder), for
 * `target` (default: a real AWS account; the sandbox's emulator when its variables are set).
 */
export async function withSynthesizedAsync<T>(context: CliContext, read: (outdir: string) => Promise<T>, target?: DeploymentTarget): Promise<T> {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dr-")), "cdktf.out");
  try {
    synthesize({ environmentsDir: context.environmentsDir, outdir, target });
    return await read(outdir);
  } finally {
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  }
}

/** The synthesized stack graph (manifest.json). */
export function synthesizedManifest(context: CliContext): Manifest {
  return withSynthesized(context, (outdir) => JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")));
}
