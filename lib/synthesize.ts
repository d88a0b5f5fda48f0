import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { addEnvironments } from "./app";
import { ConfigurationError, loadEnvironments } from "./environment";
import { enableSandbox, type SandboxTarget } from "./sandbox";

export interface SynthesizeOptions {
  /** Folder of environment files. */
  readonly environmentsDir: string;
  /** Output folder (cdktf.out); replaced only by a complete synth. */
  readonly outdir: string;
  /** @default - real mode */
  readonly sandbox?: SandboxTarget;
}

export interface SynthesizeResult {
  /** Annotations of suppressed policy rules: accepted exceptions, to be shown to the user. */
  readonly suppressions: readonly string[];
  readonly stacks: readonly string[];
}

/**
 * Loads and validates every environment, builds every stack, runs the policy pack, and only then
 * replaces `outdir`: the synth happens in a staging folder next to it and is renamed into place.
 * Invalid environments and policy violations throw a ConfigurationError listing every problem;
 * `outdir` is then untouched.
 */
export function synthesize(options: SynthesizeOptions): SynthesizeResult {
  const environments = loadEnvironments(options.environmentsDir);
  const outdir = path.resolve(options.outdir);
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(outdir), `.${path.basename(outdir)}-staging-`));
  try {
    // stackTraces: false keeps absolute paths out of manifest.json and saves time.
    const app = new App({ outdir: staging, stackTraces: false });
    if (options.sandbox) enableSandbox(app, options.sandbox);
    addEnvironments(app, environments);
    try {
      app.synth();
    } catch (error) {
      throw policyViolations(error) ?? error;
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(staging, "manifest.json"), "utf8"));
    const stacks = manifest.stacks as Record<string, { annotations: { constructPath: string; message: string }[] }>;
    const suppressions = Object.values(stacks)
      .flatMap((s) => s.annotations)
      .filter((a) => /^\[DR-[A-Z0-9]+-\d+\] suppressed/.test(a.message))
      .map((a) => `${a.constructPath}: ${a.message}`);
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.renameSync(staging, outdir);
    return { suppressions, stacks: Object.keys(stacks) };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** cdktf refuses to synthesize a stack with error annotations: the policy pack's violations. */
function policyViolations(error: unknown): ConfigurationError | undefined {
  const message = error instanceof Error ? error.message : "";
  const lines = message.split("\n").filter((l) => /^\[[^\]]+\] \[DR-/.test(l.trim()));
  if (lines.length === 0) return undefined;
  return new ConfigurationError(lines.map((l) => `policy: ${l.trim()}`));
}
