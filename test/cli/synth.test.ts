import * as fs from "fs";
import * as path from "path";
import { primaryInput } from "../support/environments";
import { CDKTF, REPO, run } from "../support/run";
import { environmentFile, environmentsFolder, tempDir } from "../support/temp";

const APP = ["--require", "sucrase/register/ts", "main.ts"];

/** A folder whose us-east-1.ts has two problems and whose us-east-2.ts does not load. */
function brokenEnvironments(): string {
  return environmentsFolder({
    "us-east-1.ts": environmentFile({ ...primaryInput(), network: { cidr: "10.0.0.0/16", azCount: 9, natGateways: "none" } }),
    "us-east-2.ts": "export default {;\n",
  });
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

  it("synthesizes every shipped environment", () => {
    const out = path.join(tempDir(), "cdktf.out");
    const result = run("node", APP, { env: { CDKTF_OUTDIR: out } });
    expect(result.stderr).toBe("");
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

  it("shows the problems of a broken environment file, without a stack trace, and exits non-zero", () => {
    const out = path.join(tempDir(), "out");
    const result = run("node", [CDKTF, "synth", "--output", out], { env: { DR_ENVIRONMENTS_DIR: brokenEnvironments() } });
    expect(result.status).not.toBe(0);
    for (const line of EXPECTED_PROBLEMS) expect(result.stderr + result.stdout).toContain(line);
    expect(result.stderr + result.stdout).not.toMatch(/^\s+at .*\.(ts|js):\d+/m);
    expect(fs.existsSync(out)).toBe(false);
  });
});

it("the cdktf app runs the transpile-only entry point, not ts-node", () => {
  const config = JSON.parse(fs.readFileSync(path.join(REPO, "cdktf.json"), "utf8"));
  expect(config.app).toBe(`node ${APP.join(" ")}`);
});
