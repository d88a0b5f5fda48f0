import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { ConfigurationError, loadEnvironments, type SourceHashes } from "../lib/environment";
import { clusterOrderProblems, type OrderStack } from "../lib/kubernetes";
import { useTarget, type DeploymentTarget } from "../lib/targets";
import { addEnvironments } from "./assemble";

export interface SynthesizeOptions {
  /** Folder of environment files. */
  readonly environmentsDir: string;
  /**
   * The sources the package's build compiled, with their hashes (dist/build-info.json): an
   * environment file of the package compiled from its current source is loaded from the build.
   * @default - every environment file is read from its source
   */
  readonly sourceHashes?: SourceHashes;
  /** Output folder (cdktf.out); replaced only by a complete synth. */
  readonly outdir: string;
  /**
   * Where the stacks are deployed to.
   * @default - a real AWS account (AwsAccountTarget)
   */
  readonly target?: DeploymentTarget;
  /**
   * The day the environments are judged on (the EKS calendar: a version past extended support is
   * refused, one leaving standard support within 90 days warned about).
   * @default - the current time
   */
  readonly now?: Date;
  /**
   * Leave the folders of stacks the previous synth wrote and this one does not (a retired
   * generation, a removed environment) in `outdir/stacks` for the caller to remove. `cdktf synth`
   * lists `stacks/` before it runs the app and removes the folders of stacks the app no longer
   * synthesized afterwards, without `force`: a folder already gone makes it fail
   * (`ENOENT: lstat stacks/<id>`). main.ts sets it when `cdktf` runs the app (CDKTF_CONTEXT_JSON).
   * @default false - `outdir` holds exactly the stacks of this synth
   */
  readonly keepOrphanedStacks?: boolean;
}

export interface SynthesizeResult {
  /** Annotations of suppressed policy rules: accepted exceptions, to be shown to the user. */
  readonly suppressions: readonly string[];
  readonly stacks: readonly string[];
  /** What the environments' files should change, without stopping the synth (`<file>: <field>: ...`). */
  readonly warnings: readonly string[];
}

/**
 * Loads and validates every environment, builds every stack, runs the policy pack, and only then
 * replaces `outdir`: the synth happens in a staging folder next to it and is renamed into place.
 * Invalid environments and policy violations (error annotations, of every stack) throw a
 * ConfigurationError listing every problem; `outdir` is then untouched.
 */
export function synthesize(options: SynthesizeOptions): SynthesizeResult {
  return withoutTokenStackTraces(() => synthesizeEnvironments(options));
}

function synthesizeEnvironments(options: SynthesizeOptions): SynthesizeResult {
  const environments = loadEnvironments(options.environmentsDir, { sourceHashes: options.sourceHashes, now: options.now });
  const outdir = path.resolve(options.outdir);
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(outdir), `.${path.basename(outdir)}-staging-`));
  try {
    // stackTraces: false keeps absolute paths out of manifest.json and saves time.
    const app = new App({ outdir: staging, stackTraces: false });
    if (options.target) useTarget(app, options.target);
    // cdktf stops at the first stack with an error annotation; synthesize every stack into the
    // staging folder instead, then report the violations of all of them at once.
    withEnvironmentVariable(CONTINUE_ON_ERRORS, "1", () => addEnvironments(app, environments));
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(staging, "manifest.json"), "utf8"));
    const stacks = manifest.stacks as Record<string, { annotations: { constructPath: string; level: string; message: string }[] }>;
    const errors = Object.values(stacks)
      .flatMap((s) => s.annotations)
      .filter((a) => a.level === "@cdktf/error")
      .map((a) => `policy: [${a.constructPath}] ${a.message}`);
    // A new cluster must be buildable by the stacks in order: CRDs and namespaces before their objects.
    errors.push(...clusterOrderProblems(readOrderStacks(staging, manifest.stacks)).map((p) => `cluster order: ${p}`));
    if (errors.length > 0) throw new ConfigurationError(errors);
    const suppressions = Object.values(stacks)
      .flatMap((s) => s.annotations)
      .filter((a) => /^\[DR-[A-Z0-9]+-\d+\] suppressed/.test(a.message))
      .map((a) => `${a.constructPath}: ${a.message}`);
    if (options.keepOrphanedStacks) keepOrphans(outdir, staging, Object.keys(stacks));
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.renameSync(staging, outdir);
    return { suppressions, stacks: Object.keys(stacks), warnings: environments.flatMap((l) => l.warnings) };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Moves the previous synth's folders of stacks this synth does not have into the staging folder. */
function keepOrphans(outdir: string, staging: string, stacks: readonly string[]): void {
  const previous = path.join(outdir, "stacks");
  if (!fs.existsSync(previous)) return;
  for (const entry of fs.readdirSync(previous, { withFileTypes: true })) {
    if (!entry.isDirectory() || stacks.includes(entry.name)) continue;
    fs.mkdirSync(path.join(staging, "stacks"), { recursive: true });
    fs.renameSync(path.join(previous, entry.name), path.join(staging, "stacks", entry.name));
  }
}

/** Each synthesized stack's dependencies and resources, as the cluster-order check reads them. */
function readOrderStacks(outdir: string, stacks: Record<string, { dependencies?: string[]; synthesizedStackPath?: string }>): OrderStack[] {
  return Object.entries(stacks).map(([id, stack]) => ({
    id,
    dependencies: stack.dependencies ?? [],
    resources: JSON.parse(fs.readFileSync(path.join(outdir, stack.synthesizedStackPath ?? path.join("stacks", id, "cdk.tf.json")), "utf8")).resource ?? {},
  }));
}

/** cdktf's function that records where each token was created (its error messages print it). */
interface StackTraceModule {
  captureStackTrace(below?: unknown): string[];
}

/**
 * cdktf 0.21 captures and formats a complete stack trace for every token it creates (1,343 for
 * the shipped environments, about 70 ms of a 0.8 s synth), only to print it if resolving the token
 * fails; `App({ stackTraces: false })` turns off the annotations' traces but not these. While
 * synthesize() builds and synthesizes, tokens record none; cdktf's function is restored after.
 */
export function withoutTokenStackTraces<T>(work: () => T): T {
  let traces: StackTraceModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    traces = require("cdktf/lib/tokens/private/stack-trace");
  } catch {
    return work(); // another cdktf layout: keep its traces
  }
  const capture = traces.captureStackTrace;
  traces.captureStackTrace = () => [];
  try {
    return work();
  } finally {
    traces.captureStackTrace = capture;
  }
}

/** Read by each TerraformStack when it is constructed. */
const CONTINUE_ON_ERRORS = "CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS";

function withEnvironmentVariable<T>(name: string, value: string, work: () => T): T {
  const previous = process.env[name];
  process.env[name] = value;
  try {
    return work();
  } finally {
    if (previous === undefined) delete process.env[name];
    else process.env[name] = previous;
  }
}
