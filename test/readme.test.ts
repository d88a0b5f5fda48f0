import * as fs from "fs";
import * as path from "path";
import { REPO, run } from "./support/run";

/** The README is the front door: what it shows must be what the code does today. */
const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
const dr = (...args: string[]) => run("node", ["--require", "sucrase/register/ts", "cli/main.ts", ...args]).stdout.trimEnd();

it("shows the current runbook of the shipped recovery environment", () => {
  expect(readme).toContain(dr("runbook", "us-east-2", "--markdown"));
});

it("shows the current stack graph", () => {
  expect(readme).toContain(dr("graph"));
});

it("names the test command that .ci/run runs", () => {
  expect(fs.readFileSync(path.join(REPO, ".ci/run"), "utf8")).toMatch(/\bnpm test\n/);
  expect(readme).toContain("npm test ");
});

it("names the setup commands that .ci/run runs, and npm ci's prepare (scripts/prepare.mjs) builds and installs helm", () => {
  expect(fs.readFileSync(path.join(REPO, ".ci/run"), "utf8")).toMatch(/^npm ci --no-audit --no-fund\nnpm run synth\n/m);
  expect(readme).toContain("npm ci && npm run synth ");
  const scripts = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).scripts;
  expect(scripts.prepare).toBe("node scripts/prepare.mjs");
});
