/**
 * npm run bench: wall time and peak memory of a full synth of the shipped environments, as
 * `npm run synth` and as `npx cdktf synth` (run in turn, so both see the same machine), and of N
 * generated environments with the compiled app, against the stock cdktf runner
 * (`npx ts-node main.ts`). Medians over several runs; writes the table, with the machine, to
 * docs/benchmarks.md, followed by the modelled recovery time of the shipped recovery
 * environments (serial sum against critical path; lib/operations/rto.ts). It measures the build
 * in dist/ (`npm run build` first: a build older than the code is refused).
 *
 * The schema allows one environment per region and knows KNOWN_REGIONS.length regions, so the
 * largest N is that count (not 64): stack ids are `<layer>-<region>`.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KNOWN_REGIONS, loadEnvironments, REGION_ZONES } from "../lib/environment";
import { ROLE_STACK_KINDS } from "../lib/naming";
import { modelRegionRto, type RtoResult } from "../lib/operations";
import { synthesize } from "../app/synthesize";

const ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = [1, 4, 16, KNOWN_REGIONS.length];
const REFERENCE_SIZE = 4;
/** Stacks of one generated environment: a primary's, plus the bootstrap of its own state bucket. */
const STACKS_PER_ENVIRONMENT = ROLE_STACK_KINDS.primary.length + 1;

interface Sample {
  readonly seconds: number;
  readonly megabytes: number;
  /** User + system CPU seconds: unlike wall time, barely moved by other jobs on a shared machine. */
  readonly cpuSeconds: number;
}

/** N valid primary environments, one per region. */
function writeEnvironments(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dr-bench-${count}-`));
  const envDir = path.join(dir, "environments");
  fs.mkdirSync(envDir);
  for (let i = 0; i < count; i++) {
    const region = KNOWN_REGIONS[i];
    const env = {
      project: "bench",
      region,
      drRegion: KNOWN_REGIONS[(i + 1) % KNOWN_REGIONS.length],
      role: "primary",
      accountId: "123456789012",
      state: { bucket: `bench-state-${region}`, region: KNOWN_REGIONS[(i + 2) % KNOWN_REGIONS.length] },
      network: { cidr: `10.${i}.0.0/16`, azCount: Math.min(3, REGION_ZONES[region].length), natGateways: "single" },
      database: { engineVersion: "16", instanceClass: "db.t4g.medium" },
      broker: { engineVersion: "3.13", instanceType: "mq.m5.large", users: ["orders"] },
      kubernetes: {
        version: "1.35",
        adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"],
        // The schema asks how the API is reached when the cluster is rebuilt (as the shipped files say).
        publicAccessCidrs: ["203.0.113.0/24"],
        nodeGroups: [{ name: "general", instanceTypes: ["m6i.large"], minSize: 2, maxSize: 4, desiredSize: 2 }],
        addons: {
          "vpc-cni": "v1.21.1-eksbuild.8",
          coredns: "v1.14.2-eksbuild.4",
          "kube-proxy": "v1.35.3-eksbuild.2",
          "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
        },
      },
      flux: { repositoryUrl: "https://github.com/acme/platform-k8s", gitCredentialsSecretName: "bench/flux/git" },
      dns: { domain: `${region}.example.com` },
    };
    fs.writeFileSync(path.join(envDir, `${region}.ts`), `export default ${JSON.stringify(env, null, 2)};\n`);
  }
  return dir;
}

/**
 * One run under GNU time: wall seconds, peak resident memory (of the largest process), CPU
 * seconds. `environments`: a folder of generated environments; the shipped ones without it.
 * `{out}` in the command is replaced by a fresh output folder.
 */
function measure(command: string[], environments?: string): Sample {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "dr-bench-out-"));
  const result = spawnSync("/usr/bin/time", ["-f", "BENCH %e %M %U %S", ...command.map((a) => (a === "{out}" ? out : a))], {
    cwd: ROOT,
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: "1",
      CDKTF_OUTDIR: out,
      ...(environments ? { DR_ENVIRONMENTS_DIR: path.join(environments, "environments") } : {}),
    },
    encoding: "utf8",
  });
  fs.rmSync(out, { recursive: true, force: true });
  const line = /BENCH ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(result.stderr);
  if (result.status !== 0 || !line) throw new Error(`${command.join(" ")} failed:\n${result.stderr.slice(-2000)}`);
  return { seconds: Number(line[1]), megabytes: Number(line[2]) / 1024, cpuSeconds: Number(line[3]) + Number(line[4]) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Row {
  readonly label: string;
  readonly seconds: number;
  readonly megabytes: number;
  readonly cpuSeconds: number;
}

function row(label: string, samples: readonly Sample[]): Row {
  const result = {
    label,
    seconds: median(samples.map((s) => s.seconds)),
    megabytes: median(samples.map((s) => s.megabytes)),
    cpuSeconds: median(samples.map((s) => s.cpuSeconds)),
  };
  console.log(
    `${label.padEnd(60)} ${result.seconds.toFixed(2).padStart(7)} s ${result.megabytes.toFixed(0).padStart(6)} MB ${result.cpuSeconds.toFixed(2).padStart(7)} s CPU`,
  );
  return result;
}

function run(label: string, command: string[], environments?: string): Row {
  measure(command, environments); // warm the file-system cache
  return row(
    label,
    Array.from({ length: RUNS }, () => measure(command, environments)),
  );
}

/**
 * Two commands run in turn (A B A B ...) after a warm-up of each, so that a machine whose speed
 * drifts slows both alike; the ratio of wall times is taken pair by pair.
 */
function runPaired(a: { label: string; command: string[] }, b: { label: string; command: string[] }): { a: Row; b: Row; ratio: number } {
  measure(a.command);
  measure(b.command);
  const pairs = Array.from({ length: RUNS }, () => [measure(a.command), measure(b.command)] as const);
  return {
    a: row(
      a.label,
      pairs.map(([x]) => x),
    ),
    b: row(
      b.label,
      pairs.map(([, y]) => y),
    ),
    ratio: median(pairs.map(([x, y]) => x.seconds / y.seconds)),
  };
}

export interface RecoveryTime {
  readonly region: string;
  readonly result: RtoResult;
}

/** The modelled recovery time of every recovery environment in `environmentsDir`, by region. */
export function recoveryTimes(environmentsDir: string): RecoveryTime[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-bench-rto-"));
  try {
    const outdir = path.join(dir, "cdktf.out");
    synthesize({ environmentsDir, outdir });
    return loadEnvironments(environmentsDir)
      .map((l) => l.environment)
      .filter((e) => e.role === "recovery")
      .sort((a, b) => (a.region < b.region ? -1 : 1))
      .map((e) => ({ region: e.region, result: modelRegionRto(outdir, e) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The recovery-time part of docs/benchmarks.md. */
export function recoveryTimeMarkdown(recoveries: readonly RecoveryTime[]): string {
  const min = (minutes: number) => `${minutes.toFixed(1)} min`;
  return [
    "Modelled recovery time of the shipped recovery environments (`npx dr-platform rto <region>`): a",
    "model from the synthesized stack graph and typical creation times per resource type (figures",
    "and sources in docs/rto.md), not a measurement. Serial sum: the stacks deployed one after",
    "another; critical path: independent stacks deployed side by side.",
    "",
    "| recovery | stacks | serial sum | critical path | critical path through |",
    "| --- | ---: | ---: | ---: | --- |",
    ...recoveries.map(
      ({ region, result }) =>
        `| ${region} | ${result.stacks.length} | ${min(result.serialMinutes)} | ${min(result.criticalPathMinutes)} | ${result.criticalPath.join(" -> ")} |`,
    ),
  ].join("\n");
}

/** Issue 22: `npm run synth` of the shipped environments at or below these medians. */
export const SHIPPED_SYNTH_BAR = { seconds: 1.0, megabytes: 160 } as const;

/** The summary line on `npm run synth` of the shipped environments against issue 22's bar. */
export function shippedSynthVerdict(seconds: number, megabytes: number): string {
  const misses = [
    seconds > SHIPPED_SYNTH_BAR.seconds ? `${(seconds - SHIPPED_SYNTH_BAR.seconds).toFixed(2)} s too slow` : undefined,
    megabytes > SHIPPED_SYNTH_BAR.megabytes ? `${(megabytes - SHIPPED_SYNTH_BAR.megabytes).toFixed(0)} MB too large` : undefined,
  ].filter((m): m is string => m !== undefined);
  const bar = `<= ${SHIPPED_SYNTH_BAR.seconds.toFixed(2)} s and <= ${SHIPPED_SYNTH_BAR.megabytes} MB`;
  return `- Shipped environments, \`npm run synth\`: ${seconds.toFixed(2)} s, ${megabytes.toFixed(0)} MB (issue 22's bar: ${bar}: ${misses.length === 0 ? "met" : `missed, ${misses.join(" and ")}`}).`;
}

function main(): void {
  if (!fs.existsSync("/usr/bin/time")) throw new Error("npm run bench needs GNU time at /usr/bin/time (Debian package: time)");
  const compiled = ["node", "dist/main.js"];
  const reference = ["npx", "ts-node", "main.ts"];
  // Other jobs on the machine stretch wall times; the load averages say how much to trust them.
  const loadBefore = os.loadavg()[0];
  console.log(`Full synth, median of ${RUNS} runs (after one warm-up); load average ${loadBefore.toFixed(1)}`);
  const shipped = runPaired(
    { label: "shipped environments: npm run synth", command: ["npm", "run", "synth"] },
    { label: "shipped environments: npx cdktf synth", command: ["npx", "cdktf", "synth", "--output", "{out}"] },
  );
  const rows = SIZES.map((n) => ({ n, ...run(`N=${n} (${n * STACKS_PER_ENVIRONMENT} stacks), node dist/main.js`, compiled, writeEnvironments(n)) }));
  const refDir = writeEnvironments(REFERENCE_SIZE);
  const ref = run(`N=${REFERENCE_SIZE}, stock runner: npx ts-node main.ts`, reference, refDir);
  const oursAtRef = rows.find((r) => r.n === REFERENCE_SIZE)!;

  // Least-squares slope of seconds over N: the marginal cost of one more environment.
  const meanN = rows.reduce((s, r) => s + r.n, 0) / rows.length;
  const meanT = rows.reduce((s, r) => s + r.seconds, 0) / rows.length;
  const slope = rows.reduce((s, r) => s + (r.n - meanN) * (r.seconds - meanT), 0) / rows.reduce((s, r) => s + (r.n - meanN) ** 2, 0);
  const intercept = meanT - slope * meanN;
  const residual = Math.max(...rows.map((r) => Math.abs(r.seconds - (intercept + slope * r.n))));
  const ratio = ref.seconds / oursAtRef.seconds;

  const loadAfter = os.loadavg()[0];
  const cpu = os.cpus();
  const machine = `${cpu.length} cores (${cpu[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
  const table = [
    "| run | median wall time | median peak memory | median CPU time (user + sys) |",
    "| --- | ---: | ---: | ---: |",
    ...[shipped.a, shipped.b, ...rows, ref].map(
      (r) => `| ${r.label} | ${r.seconds.toFixed(2)} s | ${r.megabytes.toFixed(0)} MB | ${r.cpuSeconds.toFixed(2)} s |`,
    ),
  ].join("\n");
  const summary = [
    shippedSynthVerdict(shipped.a.seconds, shipped.a.megabytes),
    `- \`npm run synth\` against \`npx cdktf synth\` of the same environments, run in turn: ${shipped.ratio.toFixed(2)} of its wall time (median of the pairs' ratios; the difference is the cdktf CLI's own start-up and checks).`,
    `- Marginal cost per environment (${STACKS_PER_ENVIRONMENT} stacks): ${(slope * 1000).toFixed(0)} ms (least-squares slope over N = ${SIZES.join(", ")}; largest deviation from the line ${(residual * 1000).toFixed(0)} ms, ${residual <= 0.1 * Math.max(...rows.map((r) => r.seconds)) ? "i.e. linear" : "more than a tenth of the largest run: too noisy to call linear"}).`,
    `- Fixed cost (N = 0 on the line): ${intercept.toFixed(2)} s.`,
    `- Stock runner at N = ${REFERENCE_SIZE}: ${ratio.toFixed(1)}x slower than \`node dist/main.js\`.`,
  ].join("\n");
  console.log(`\n${summary}`);
  const recoveries = recoveryTimes(path.join(ROOT, "environments"));
  for (const { region, result } of recoveries) {
    console.log(
      `Modelled recovery of ${region}: serial sum ${result.serialMinutes.toFixed(1)} min, critical path ${result.criticalPathMinutes.toFixed(1)} min`,
    );
  }

  const generated = `<!-- bench:start (written by npm run bench; edit outside the markers) -->
Generated by \`npm run bench\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${machine}. One-minute load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end
(${Math.max(loadBefore, loadAfter) > cpu.length ? "above the number of cores: other jobs were running, read the CPU time column" : "at most the number of cores"}).

Each figure is the median of ${RUNS} runs after one warm-up run; wall time and peak resident
memory (of the largest process) come from GNU time. A run is a full synth (load and validate
every environment file, build every stack, run the policy pack, write cdktf.out). The shipped
environments run as an operator runs them, \`npm run synth\` and \`npx cdktf synth\` in turn; the
generated ones (N primaries, ${STACKS_PER_ENVIRONMENT} stacks each with its own state bucket, in a temporary folder and therefore read
from their TypeScript source) run \`node dist/main.js\`. N stops at ${KNOWN_REGIONS.length}: one environment per region, and the
schema knows ${KNOWN_REGIONS.length} regions.

${table}

${summary}

${recoveryTimeMarkdown(recoveries)}
<!-- bench:end -->`;
  const file = path.join(ROOT, "docs/benchmarks.md");
  const previous = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n\n<!-- bench:start -->\n<!-- bench:end -->\n";
  const doc = previous.replace(/<!-- bench:start[\s\S]*<!-- bench:end -->/, generated);
  fs.mkdirSync(path.join(ROOT, "docs"), { recursive: true });
  fs.writeFileSync(file, doc);
  console.log("\nWrote docs/benchmarks.md");
}

// Imported by its test for the recovery-time part; runs only as `npm run bench`.
if (require.main === module) main();
