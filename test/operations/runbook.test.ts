import * as fs from "fs";
import * as path from "path";
import { buildRunbook, formatRunbook } from "../../lib/operations/runbook";
import type { Manifest } from "../../lib/operations/stack-graph";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { shippedEnvironments, synthShipped } from "../support/shipped";
import { tempDir } from "../support/temp";

const outdir = tempDir("runbook-");
synthShipped(outdir);
const manifest: Manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
const shipped = (region: string) => shippedEnvironments().find((l) => l.environment.region === region)!.environment;

const deployed = (steps: readonly { commands: readonly string[]; manual: boolean }[]) =>
  steps.filter((s) => s.commands[0].startsWith("npx cdktf deploy ")).map((s) => /^npx cdktf deploy (\S+)$/.exec(s.commands[0])![1]);

describe("buildRunbook", () => {
  it("deploys a primary's state bucket first, then every stack after its dependencies in manifest.json", () => {
    const order = deployed(buildRunbook(shipped("us-east-1"), manifest).steps);
    expect(order[0]).toBe("state-acme-terraform-state");
    const layers = order.slice(1);
    expect([...layers].sort()).toEqual(
      Object.keys(manifest.stacks)
        .filter((id) => id.endsWith("-us-east-1") && !id.startsWith("state-"))
        .sort(),
    );
    layers.forEach((stack, i) => {
      for (const dependency of manifest.stacks[stack].dependencies)
        expect({ stack, dependency, before: layers.indexOf(dependency) < i && layers.indexOf(dependency) >= 0 }).toEqual({ stack, dependency, before: true });
    });
  });

  it("prepares a recovery in peacetime: state bucket, standby layer, the pair's dns stack, the pilot light, the Git secret's value, the SOPS rules", () => {
    const runbook = buildRunbook(shipped("us-east-2"), manifest);
    expect(runbook.preparation.map((s) => s.commands[0])).toEqual([
      "npx cdktf deploy state-acme-terraform-state",
      "npx cdktf deploy standby-us-east-2",
      "npx cdktf deploy dns-us-east-1",
      "npx cdktf deploy networking-us-east-2",
      "aws secretsmanager put-secret-value --region us-east-1 --secret-id acme/flux/platform-k8s-git --secret-string file://git-credentials.json",
      "npx dr-platform sops-config us-east-2 > .sops.yaml   # in the platform-k8s repository, then: sops updatekeys <file> for each encrypted file",
    ]);
  });

  it("recovers with a preflight and a deploy of every stack but the peacetime ones, then the manual steps, then the smoke check of the real site host", () => {
    const runbook = buildRunbook(shipped("us-east-2"), manifest);
    expect(runbook.steps.map((s) => [s.manual, s.commands[0]])).toEqual([
      [false, "npx dr-platform preflight us-east-2"],
      [false, "npx cdktf deploy application-us-east-2"],
      [false, "npx cdktf deploy kubernetes-us-east-2"],
      [false, "npx cdktf deploy gitops-us-east-2"],
      [false, "npx cdktf deploy workloads-us-east-2"],
      [true, "aws eks update-kubeconfig --region us-east-2 --name acme-us-east-2"],
      [true, "kubectl -n flux-system wait kustomization/flux-system --for=condition=ready --timeout=10m"],
      [false, "curl -fsS --retry 20 --retry-delay 15 --retry-all-errors -o /dev/null -w '%{http_code}\\n' https://example.com/healthz"],
      [false, "npx cdktf deploy replication-us-east-2"],
    ]);
    // main had 3 (log in, Flux, smoke check by eye); the smoke check now judges the real site host by itself.
    expect(runbook.manualSteps).toBe(2);
    // Once the region serves: its restored database's backup replication, which nothing waits for.
    expect(runbook.steps[8].title).toBe(
      "Deploy replication-us-east-2 (not needed to serve: the restored database's backups replicated into us-west-2, for the next outage)",
    );
    // Every stack of the region in manifest.json but the standby layer and the pilot light, in a dependency order.
    const stacks = [...runbook.steps.slice(1, 5), runbook.steps[8]].map((s) => s.commands[0].split(" ")[3]);
    expect([...stacks].sort()).toEqual(
      Object.keys(manifest.stacks)
        .filter((id) => id.endsWith("-us-east-2") && !id.startsWith("standby-") && !id.startsWith("networking-"))
        .sort(),
    );
    stacks.forEach((stack, i) => {
      for (const dependency of manifest.stacks[stack].dependencies) {
        expect({ stack, dependency, before: stacks.indexOf(dependency) < i || dependency === "networking-us-east-2" }).toEqual({
          stack,
          dependency,
          before: true,
        });
      }
    });
    expect(runbook.steps.some((s) => /name servers/i.test(s.title))).toBe(false);
    expect(runbook.notNeeded).toContain(
      "Creating the RabbitMQ users (orders, notifications): workloads-us-east-2 runs a job that creates them from their generated secrets.",
    );
    expect(runbook.notNeeded).toContain(
      "Recreating the broker's queues, exchanges, bindings and policies: workloads-us-east-2 imports us-east-1's newest definitions export before the workloads start (messages in flight are lost).",
    );
    expect(runbook.notNeeded).toContain(
      "Starting the database archive and broker definitions exports in the new region: workloads-us-east-2 schedules both (0 * * * *).",
    );
    expect(runbook.notNeeded).toContain(
      "Updating the name servers of example.com: the zone is dns-us-east-1's, made in peacetime with a reusable delegation set; nothing rebuilds it.",
    );
    expect(runbook.notNeeded).toContain(
      "Moving the site's traffic: Route 53 answers example.com with us-east-2's load balancer (SECONDARY record) once us-east-1's health check fails; no write during the outage.",
    );
  });

  it("backup-and-restore: the recovery deploys its networking stack on the day and the runbook names its one Route 53 write", () => {
    const env = environment(recoveryInput({ dns: { domain: "example.com", failover: "backup-and-restore" } }));
    const runbook = buildRunbook(env, manifest);
    expect(runbook.preparation.map((s) => s.commands[0])).not.toContain("npx cdktf deploy networking-us-east-2");
    const networking = runbook.steps.find((s) => s.commands[0] === "npx cdktf deploy networking-us-east-2")!;
    expect(networking.note).toBe("Makes one Route 53 write: the SECONDARY record of example.com to this region's new load balancer (backup-and-restore mode).");
    expect(runbook.manualSteps).toBe(2);
  });

  it("gives a primary without a delegation set the name-server step, and drops it with one", () => {
    const without = buildRunbook(shipped("us-east-1"), manifest);
    expect(without.steps.find((s) => s.title.startsWith("Set the name servers"))!.commands).toEqual(["npx cdktf output dns-us-east-1   # name_servers"]);
    const env = environment(primaryInput({ dns: { domain: "example.com", delegationSetId: "N1PA6795SAMPLE" } }));
    const runbook = buildRunbook(env, manifest);
    expect(runbook.steps.some((s) => s.title.startsWith("Set the name servers"))).toBe(false);
    expect(runbook.notNeeded[0]).toBe(
      "Updating the name servers of example.com: the zone reuses delegation set N1PA6795SAMPLE, so its name servers did not change.",
    );
  });

  it("asks a primary to replicate the objects that predate the replication rule", () => {
    const runbook = buildRunbook(shipped("us-east-1"), manifest);
    expect(runbook.steps.find((s) => s.title.startsWith("Replicate objects"))!.commands).toEqual(["npx dr-platform replicate-existing us-east-1"]);
  });

  it("refuses a manifest without the environment's stacks", () => {
    const env = environment(primaryInput({ region: "eu-west-1", drRegion: "eu-west-2" }));
    expect(() => buildRunbook(env, manifest)).toThrow("manifest.json has no stacks for eu-west-1; synthesize again");
  });

  it("formats Markdown for a ticket", () => {
    const text = formatRunbook(buildRunbook(shipped("us-east-2"), manifest), "markdown");
    expect(text.split("\n")[0]).toBe("## Recovery runbook: us-east-2");
    expect(text).toContain("- **The standby layer:");
    expect(text).toContain(
      "0. **Preflight: check that everything peacetime must provide is in us-east-2 (reads only)** (check)\n   ```bash\n   npx dr-platform preflight us-east-2\n   ```",
    );
    expect(text).toContain("**Manual steps remaining: 2**");
  });
});
