import * as fs from "fs";
import * as path from "path";
import { buildRunbook, formatRunbook } from "../../lib/operations/runbook";
import type { Manifest } from "../../lib/operations/stack-graph";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { run } from "../support/run";
import { shippedEnvironments, synthShipped } from "../support/shipped";
import { tempDir } from "../support/temp";

const outdir = tempDir("runbook-");
synthShipped(outdir);
const manifest: Manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
const shipped = (region: string) => shippedEnvironments().find((l) => l.environment.region === region)!.environment;

const deployed = (steps: readonly { commands: readonly string[]; manual: boolean }[]) =>
  steps.filter((s) => !s.manual).map((s) => /^npx cdktf deploy (\S+)$/.exec(s.commands[0])![1]);

describe("buildRunbook", () => {
  it.each(["us-east-1", "us-east-2"])("deploys the state bucket first, then every stack of %s after its dependencies in manifest.json", (region) => {
    const order = deployed(buildRunbook(shipped(region), manifest).steps);
    expect(order[0]).toBe("state-acme-terraform-state");
    const layers = order.slice(1);
    // The same stacks as manifest.json holds for the region...
    expect([...layers].sort()).toEqual(Object.keys(manifest.stacks).filter((id) => id.endsWith(`-${region}`) && !id.startsWith("state-")).sort());
    // ...each after every dependency manifest.json declares for it.
    layers.forEach((stack, i) => {
      for (const dependency of manifest.stacks[stack].dependencies) expect({ stack, dependency, before: layers.indexOf(dependency) < i && layers.indexOf(dependency) >= 0 }).toEqual({ stack, dependency, before: true });
    });
  });

  it("gives the recovery's manual steps with their exact commands and counts them", () => {
    const runbook = buildRunbook(shipped("us-east-2"), manifest);
    const manual = runbook.steps.filter((s) => s.manual);
    expect(runbook.manualSteps).toBe(manual.length);
    expect(manual.map((s) => s.commands[0])).toEqual([
      "npx cdktf output networking-us-east-2   # name_servers",
      "aws eks update-kubeconfig --region us-east-2 --name acme-us-east-2",
      "kubectl -n flux-system wait kustomization/flux-system --for=condition=ready --timeout=10m",
      "curl -fsS -o /dev/null -w '%{http_code}\\n' https://dr.example.com/",
    ]);
    expect(runbook.notNeeded).toEqual(expect.arrayContaining([expect.stringMatching(/^Re-encrypting the repository with SOPS: us-east-1's multi-Region key has a replica in us-east-2\.$/)]));
    expect(runbook.notNeeded).toContain("Creating the RabbitMQ users (orders, notifications): gitops-us-east-2 runs a job that creates them from their generated secrets.");
  });

  it("drops the name-server step when a delegation set keeps the name servers", () => {
    const env = environment(recoveryInput({ dns: { domain: "dr.example.com", delegationSetId: "N1PA6795SAMPLE" } }));
    const runbook = buildRunbook(env, manifest);
    expect(runbook.steps.some((s) => s.title.startsWith("Set the name servers"))).toBe(false);
    expect(runbook.notNeeded[0]).toBe("Updating the name servers of dr.example.com: the zone reuses delegation set N1PA6795SAMPLE, so its name servers did not change.");
  });

  it("asks a primary to replicate the objects that predate the replication rule", () => {
    const runbook = buildRunbook(shipped("us-east-1"), manifest);
    expect(runbook.steps.find((s) => s.title.startsWith("Replicate objects"))!.commands).toEqual(["npm run dr -- replicate-existing us-east-1"]);
  });

  it("refuses a manifest without the environment's stacks", () => {
    const env = environment(primaryInput({ region: "eu-west-1", drRegion: "eu-west-2" }));
    expect(() => buildRunbook(env, manifest)).toThrow("manifest.json has no stacks for eu-west-1; synthesize again");
  });

  it("formats Markdown for a ticket", () => {
    const text = formatRunbook(buildRunbook(shipped("us-east-2"), manifest), "markdown");
    expect(text.split("\n")[0]).toBe("## Recovery runbook: us-east-2");
    expect(text).toContain("1. **Deploy networking-us-east-2** (deploy)\n   ```bash\n   npx cdktf deploy networking-us-east-2\n   ```");
    expect(text).toContain("**Manual steps remaining: 4**");
  });
});

describe("npm run dr", () => {
  const dr = (...args: string[]) => run("node", ["--require", "sucrase/register/ts", "scripts/dr.ts", ...args]);

  it("prints the runbook of us-east-2", () => {
    const result = dr("runbook", "us-east-2");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Manual steps remaining: 4");
  });

  it("says which regions exist when given an unknown one, and exits 2", () => {
    const result = dr("runbook", "eu-west-9");
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("dr: no environment for eu-west-9; known: us-east-1, us-east-2\n");
  });

  it("has --help for each command", () => {
    expect(dr("--help").stdout).toMatch(/^Usage: npm run dr -- <command>/);
    expect(dr("runbook", "--help").stdout).toMatch(/^Usage: npm run dr -- runbook <region> \[--markdown\]/);
    expect(dr("bogus").status).toBe(2);
  });

  it("draws the stack graph as Mermaid, one edge per manifest dependency", () => {
    const result = dr("graph");
    expect(result.stdout.split("\n")[0]).toBe("flowchart LR");
    const edges = result.stdout.split("\n").filter((l) => l.includes("-->"));
    const expected = Object.entries(manifest.stacks).flatMap(([id, s]) => s.dependencies.map((d) => `  ${d.replace(/-/g, "_")} --> ${id.replace(/-/g, "_")}`));
    expect(edges.sort()).toEqual(expected.sort());
  });
});
