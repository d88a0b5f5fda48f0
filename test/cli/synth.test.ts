import * as fs from "fs";
import * as path from "path";
import { primaryInput, recoveryInput } from "../support/environments";
import { CDKTF, REPO, run } from "../support/run";
import { copyRepository } from "../support/repo-copy";
import { shippedCalendarWarnings } from "../support/shipped";
import { environmentFile, environmentsFolder, tempDir } from "../support/temp";

/** The app as `npm run synth` and cdktf.json run it: compiled (`npm test` builds before jest). */
const APP = ["dist/main.js"];

/** A folder whose us-east-1.ts has two problems and whose us-east-2.ts does not load. */
function brokenEnvironments(): string {
  return environmentsFolder({
    "us-east-1.ts": environmentFile({ ...primaryInput(), network: { cidr: "10.0.0.0/16", azCount: 9, natGateways: "none" } }),
    "us-east-2.ts": "export default {;\n",
  });
}

/**
 * What a synth of the shipped environments prints: the DR-K8S-3 suppressions of the images whose
 * digest is still pending (lib/kubernetes/images.ts, docs/images.md), one per release that runs
 * them in each region (no other rule is suppressed: DR-SM-2's last exception, Flux's Git
 * credentials, is copied in by a job now). A pinned digest removes its line; anything else on stderr is a regression.
 */
function expectShippedStderr(stderr: string): void {
  // Before them, only the EKS calendar's warnings of the day (none while no pin is within 90 days of leaving standard support).
  const warnings = shippedCalendarWarnings();
  const all = stderr.trimEnd().split("\n");
  expect(all.slice(0, warnings.length === 0 ? 0 : warnings.length + 1)).toEqual(
    warnings.length === 0 ? [] : [`Warnings (${warnings.length}):`, ...warnings.map((w) => `  ${w}`)],
  );
  const lines = all.slice(warnings.length === 0 ? 0 : warnings.length + 1);
  expect(lines[0]).toBe("Policy suppressions (4):");
  expect(lines.slice(1).map((l) => l.replace(/: \[(DR-K8S-3)\] suppressed: .*/, ": $1"))).toEqual([
    "  gitops-us-east-1/flux/flux2: DR-K8S-3",
    "  gitops-us-east-1/lb-controller/release: DR-K8S-3",
    "  gitops-us-east-2/flux/flux2: DR-K8S-3",
    "  gitops-us-east-2/lb-controller/release: DR-K8S-3",
  ]);
  for (const line of lines.slice(1).filter((l) => l.includes("[DR-K8S-3]")))
    expect(line).toMatch(/\[DR-K8S-3\] suppressed: .* runs by tag from the regional registry until its digest is pinned/);
}

const EXPECTED_PROBLEMS = [
  "environments/us-east-1.ts: network.azCount: must be a whole number from 2 to 6 (got 9)",
  'environments/us-east-1.ts: network.natGateways: must be one of "single", "per-az" (got "none")',
];

describe("synth entry point", () => {
  it("fails on an invalid environment with every problem, no stack trace and nothing written", () => {
    const out = path.join(tempDir(), "cdktf.out");
    const result = run("node", APP, { env: { DR_ENVIRONMENTS_DIR: brokenEnvironments(), CDKTF_OUTDIR: out } });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toBe("Invalid configuration, nothing was synthesized:");
    expect(lines.slice(1, 3).map((l) => l.trim())).toEqual(EXPECTED_PROBLEMS);
    expect(lines[3]).toMatch(/^ {2}environments\/us-east-2\.ts: cannot be loaded: /);
    expect(lines).toHaveLength(4);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(out)).toBe(false);
  });

  it("prints the warnings of a valid environment and still synthesizes", () => {
    const out = path.join(tempDir(), "cdktf.out");
    // A recovery without standby.alarmTopicArn (test/support/environments.ts leaves it out).
    const dir = environmentsFolder({ "us-east-1.ts": environmentFile(primaryInput()), "us-east-2.ts": environmentFile(recoveryInput()) });
    const result = run("node", APP, { env: { DR_ENVIRONMENTS_DIR: dir, CDKTF_OUTDIR: out } });
    expect(result.status).toBe(0);
    const lines = result.stderr.split("\n");
    expect(lines.slice(0, 2)).toEqual([
      "Warnings (1):",
      "  environments/us-east-2.ts: standby.alarmTopicArn: is not set: the scheduled readiness check's alarm notifies nobody (its state shows in CloudWatch only); name the SNS topic of your on-call in this region (got nothing)",
    ]);
    expect(fs.existsSync(path.join(out, "manifest.json"))).toBe(true);
  });

  it("synthesizes every shipped environment", () => {
    const out = path.join(tempDir(), "cdktf.out");
    const result = run("node", APP, { env: { CDKTF_OUTDIR: out } });
    expectShippedStderr(result.stderr);
    expect(result.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toEqual(expect.arrayContaining(["networking-us-east-1", "networking-us-east-2", "state-acme-terraform-state"]));
  });
});

describe("cdktf synth (the CLI, as users run it)", () => {
  jest.setTimeout(120_000);

  it("lists the stacks of both shipped environments, exits 0, and writes what npm run synth writes", () => {
    const out = tempDir();
    const result = run("node", [CDKTF, "synth", "--output", out]);
    const direct = path.join(tempDir(), "cdktf.out");
    expect(run("node", APP, { env: { CDKTF_OUTDIR: direct } }).status).toBe(0);
    const files = (dir: string) =>
      [
        "manifest.json",
        ...fs
          .readdirSync(path.join(dir, "stacks"))
          .sort()
          .map((id) => `stacks/${id}/cdk.tf.json`),
      ].map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]);
    expect(files(direct).length).toBeGreaterThan(8);
    expect(files(out)).toEqual(files(direct));
    expect(result.status).toBe(0);
    const listed = /Generated Terraform code for the stacks: (.*)/.exec(result.stdout.replace(/\s+/g, " "))?.[1] ?? "";
    expect(listed.split(",").map((s) => s.trim())).toEqual(
      expect.arrayContaining(["networking-us-east-1", "networking-us-east-2", "application-us-east-1", "application-us-east-2"]),
    );
  });

  it("synthesizes again after stacks went away (a removed environment, a retired generation), and removes their folders", () => {
    // cdktf lists stacks/ before the app runs and removes the folders of stacks that are gone after
    // it, without force: an app that replaced the whole folder made this second synth fail
    // (ENOENT: lstat stacks/networking-us-east-2).
    const out = tempDir();
    const both = environmentsFolder({ "us-east-1.ts": environmentFile(primaryInput()), "us-east-2.ts": environmentFile(recoveryInput()) });
    expect(run("node", [CDKTF, "synth", "--output", out], { env: { DR_ENVIRONMENTS_DIR: both } }).status).toBe(0);
    expect(fs.readdirSync(path.join(out, "stacks"))).toContain("networking-us-east-2");
    const one = environmentsFolder({ "us-east-1.ts": environmentFile(primaryInput()) });
    const again = run("node", [CDKTF, "synth", "--output", out], { env: { DR_ENVIRONMENTS_DIR: one } });
    expect(again.stderr + again.stdout).not.toContain("ENOENT");
    expect(again.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(fs.readdirSync(path.join(out, "stacks")).sort()).toEqual(Object.keys(manifest.stacks).sort());
    expect(Object.keys(manifest.stacks).filter((s) => s.endsWith("us-east-2"))).toEqual([]);
  });

  it("shows the problems of a broken environment file, without a stack trace, and exits non-zero", () => {
    const out = path.join(tempDir(), "out");
    const result = run("node", [CDKTF, "synth", "--output", out], { env: { DR_ENVIRONMENTS_DIR: brokenEnvironments() } });
    expect(result.status).not.toBe(0);
    for (const line of EXPECTED_PROBLEMS) expect(result.stderr + result.stdout).toContain(line);
    expect(result.stderr + result.stdout).not.toMatch(/^\s+at .*\.(ts|js):\d+/m);
    expect(fs.existsSync(out)).toBe(false);
  });
});

it("the cdktf app and npm run synth run the compiled entry point, no transpiler", () => {
  const config = JSON.parse(fs.readFileSync(path.join(REPO, "cdktf.json"), "utf8"));
  expect(config.app).toBe("node dist/main.js");
  const scripts = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).scripts;
  expect(scripts.synth).toBe("node dist/main.js");
  expect(scripts.test).toMatch(/npm run --silent build && jest$/);
});

describe("compiled synthesis and the sources beside the build", () => {
  jest.setTimeout(60_000);

  /** A copy of the repository with the current build, to edit without touching the real one. */
  const copy = () => copyRepository(["package.json", "main.ts", "lib", "stacks", "app", "cli", "environments", "dist"]);
  const synth = (root: string, env: NodeJS.ProcessEnv = {}) => {
    const out = path.join(root, "cdktf.out");
    const result = run("node", ["dist/main.js"], { cwd: root, env: { CDKTF_OUTDIR: out, ...env } });
    const manifest = result.status === 0 ? JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")) : undefined;
    return { ...result, stacks: manifest ? Object.keys(manifest.stacks).sort() : [], out };
  };
  const edit = (file: string, from: string, to: string) => {
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain(from);
    fs.writeFileSync(file, text.replace(from, to));
  };

  it("loads the environments from the build, and neither a transpiler nor operations, the AWS SDK or the job bindings", () => {
    const root = copy();
    const trace = path.join(root, "loaded.json");
    const hook = path.join(root, "trace.js");
    fs.writeFileSync(hook, `process.on("exit", () => require("fs").writeFileSync(${JSON.stringify(trace)}, JSON.stringify(Object.keys(require.cache))));\n`);
    const result = synth(root, { NODE_OPTIONS: `--require ${hook}` });
    expectShippedStderr(result.stderr);
    expect(result.status).toBe(0);
    const loaded: string[] = JSON.parse(fs.readFileSync(trace, "utf8"));
    expect(loaded).toContain(path.join(root, "dist/environments/us-east-2.js"));
    expect(loaded.filter((m) => /node_modules\/(sucrase|@aws-sdk)\/|\/lib\/operations\//.test(m))).toEqual([]);
    // The job bindings' 9.5 MB of struct classes (lib/constructs/private/kubernetes-workload.ts).
    expect(loaded.filter((m) => /provider-kubernetes\/lib\/(cron-job-v1|job-v1)\//.test(m))).toEqual([]);
  });

  it("reads an environment file edited since the build from its source, and names it in errors", () => {
    const root = copy();
    const file = path.join(root, "environments/us-east-2.ts");
    edit(file, 'natGateways: "single"', 'natGateways: "per-az"');
    const edited = synth(root);
    expect(edited.status).toBe(0);
    const networking = JSON.parse(fs.readFileSync(path.join(edited.out, "stacks/networking-us-east-2/cdk.tf.json"), "utf8"));
    expect(Object.keys(networking.resource.aws_nat_gateway)).toHaveLength(3);

    edit(file, "azCount: 3", "azCount: 9");
    const broken = synth(root);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toBe(
      "Invalid configuration, nothing was synthesized:\n  environments/us-east-2.ts: network.azCount: must be a whole number from 2 to 6 (got 9)\n",
    );
  });

  it("lets any compiled caller load the repository's environment files from their source, imports resolved in dist/", () => {
    // What a compiled command that passes no build record (the CLI) gets: `../lib/environment` of
    // environments/*.ts resolves to dist/lib/environment, not to the TypeScript beside the file.
    const script = `const { loadEnvironments } = require("./dist/lib/environment");
      const loaded = loadEnvironments(require("path").resolve("environments"));
      console.log(JSON.stringify({ regions: loaded.map((l) => l.environment.region), sucrase: Object.keys(require.cache).some((m) => m.includes("/sucrase/")) }));`;
    const result = run("node", ["-e", script], { cwd: copy() });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ regions: ["us-east-1", "us-east-2"], sucrase: true });
  });

  it("forgets a deleted environment file although its build is still in dist/", () => {
    const root = copy();
    fs.rmSync(path.join(root, "environments/us-east-2.ts"));
    expect(fs.existsSync(path.join(root, "dist/environments/us-east-2.js"))).toBe(true);
    const result = synth(root);
    expect(result.status).toBe(0);
    expect(result.stacks.filter((s) => s.endsWith("us-east-2"))).toEqual([]);
    expect(result.stacks).toContain("networking-us-east-1");
  });

  it("refuses a build older than the code, naming each file and the command", () => {
    const root = copy();
    fs.appendFileSync(path.join(root, "lib/naming.ts"), "\n// edited after the build\n");
    fs.writeFileSync(path.join(root, "lib/constructs/new-construct.ts"), "export const NEW = 1;\n");
    fs.rmSync(path.join(root, "stacks/hardening.ts"));
    const result = synth(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      [
        "dist/ was built from other sources, nothing was synthesized:",
        "  lib/constructs/new-construct.ts: added since the last build",
        "  lib/naming.ts: changed since the last build",
        "  stacks/hardening.ts: deleted since the last build",
        "Run `npm run build` (or synthesize from the source: `npm run synth:dev`).",
        "",
      ].join("\n"),
    );
    expect(fs.existsSync(result.out)).toBe(false);
  });
});
