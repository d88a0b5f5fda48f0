import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { addEnvironments } from "../../../app/assemble";
import type { Environment, LoadedEnvironment } from "../../../lib/environment";
import { recoveryJournalKey, recoveryReportKey, recoveryRunKey } from "../../../lib/naming";
import { dayStacks } from "../../../lib/operations/day-stacks";
import { stacksOfRegion } from "../../../lib/operations/rto/model";
import { formatPlan } from "../../../lib/recovery/format";
import type { RecoveryPlan } from "../../../lib/recovery/plan";
import { buildPlan } from "../../../lib/recovery/plan";
import { buildRehearsalPlan, buildRehearsalTeardownPlan } from "../../../lib/recovery/scenarios/rehearsal";
import { sandboxStacks } from "../../../lib/tooling/sandbox-session";
import { manifestOf } from "../../support/app-synth";
import { cdktfCommands, cdktfRefusal } from "../../support/cdktf-selection";
import { shippedEnvironments, synthShipped } from "../../support/shipped";
import { tempDir } from "../../support/temp";

/** The shipped environments with us-east-2's file asking for its rehearsal generation, synthesized. */
function withRehearsal(): LoadedEnvironment[] {
  return shippedEnvironments().map((l) =>
    l.environment.region === "us-east-2" ? { ...l, environment: { ...l.environment, rehearsal: true } } : l,
  ) as LoadedEnvironment[];
}
const app = new App({ outdir: tempDir("dr-platform-rehearsal-plan-") });
addEnvironments(app, withRehearsal());
app.synth();
const manifest = manifestOf(app);
const recovery = withRehearsal().find((l) => l.environment.region === "us-east-2")!.environment;
const primary = withRehearsal().find((l) => l.environment.region === "us-east-1")!.environment;

const PLAN = buildRehearsalPlan(recovery, manifest);
const TEARDOWN = buildRehearsalTeardownPlan(recovery, manifest);
const summary = (plan: RecoveryPlan) => plan.steps.map((s) => `${s.kind} ${s.id} <- ${s.after.join(",") || "-"}`);

describe("buildRehearsalPlan (rehearse)", () => {
  it("declares, preflights, synthesizes, deploys the rehearsal generation in dependency order, waits for Flux, smoke-checks", () => {
    expect(summary(PLAN)).toEqual([
      "gate declare <- -",
      "check preflight <- declare",
      "check synth <- preflight",
      "deploy deploy:networking-us-east-2-rehearsal <- synth",
      "deploy deploy:application-us-east-2-rehearsal <- deploy:networking-us-east-2-rehearsal,synth",
      "deploy deploy:kubernetes-us-east-2-rehearsal <- deploy:application-us-east-2-rehearsal,deploy:networking-us-east-2-rehearsal,synth",
      "deploy deploy:gitops-us-east-2-rehearsal <- deploy:kubernetes-us-east-2-rehearsal,deploy:networking-us-east-2-rehearsal,synth",
      "deploy deploy:workloads-us-east-2-rehearsal <- deploy:application-us-east-2-rehearsal,deploy:gitops-us-east-2-rehearsal,deploy:networking-us-east-2-rehearsal,synth",
      "check flux <- deploy:workloads-us-east-2-rehearsal",
      "check smoke <- flux",
    ]);
    expect([PLAN.scenario, PLAN.runKey, PLAN.region, PLAN.manualSteps, PLAN.preparation]).toEqual(["rehearsal", "us-east-2-rehearsal", "us-east-2", 1, []]);
  });

  it("moves no traffic: no switch, no record, no stack of the real recovery; the smoke check asks the rehearsal's own load balancer", () => {
    const all = PLAN.steps.flatMap((s) => s.commands).join("\n");
    expect(all).not.toMatch(/failover-switch|put-metric-data|route53/);
    expect(PLAN.steps.filter((s) => s.stack).every((s) => s.stack!.endsWith("-rehearsal"))).toBe(true);
    expect(PLAN.steps.find((s) => s.id === "smoke")!.commands).toEqual([
      "curl -fsS --retry 20 --retry-delay 15 --retry-all-errors -o /dev/null -w '%{http_code}\\n' --connect-to example.com:443:$(terraform -chdir=cdktf.out/stacks/networking-us-east-2-rehearsal output -raw site_load_balancer_dns_name):443 https://example.com/healthz",
    ]);
    expect(PLAN.steps.find((s) => s.id === "flux")!.commands[0]).toBe(
      "aws eks update-kubeconfig --region us-east-2 --name acme-rehearsal-us-east-2 && kubectl -n flux-system wait kustomization/flux-system --for=condition=ready --timeout=10m",
    );
  });

  it("prints cdktf commands that cdktf 0.21 accepts on the synthesized app", () => {
    const commands = [...PLAN.steps, ...TEARDOWN.steps].flatMap((s) => s.commands.flatMap(cdktfCommands));
    expect(commands.map((c) => c.slice(0, 2).join(" "))).toEqual([
      "synth",
      "deploy networking-us-east-2-rehearsal",
      "deploy application-us-east-2-rehearsal",
      "deploy kubernetes-us-east-2-rehearsal",
      "deploy gitops-us-east-2-rehearsal",
      "deploy workloads-us-east-2-rehearsal",
      "synth",
      "destroy workloads-us-east-2-rehearsal",
      "destroy gitops-us-east-2-rehearsal",
      "destroy kubernetes-us-east-2-rehearsal",
      "destroy application-us-east-2-rehearsal",
      "destroy networking-us-east-2-rehearsal",
    ]);
    for (const command of commands) expect({ command, refusal: cdktfRefusal(command, manifest) }).toEqual({ command, refusal: undefined });
    // Without --ignore-missing-stack-dependencies cdktf would refuse the first destroy: the workloads stack's readers are none, but networking's are four.
    expect(cdktfRefusal(["destroy", "networking-us-east-2-rehearsal", "--skip-synth", "--auto-approve"], manifest)).toMatch(
      /dependant stacks are not included/,
    );
  });

  it("is printed as the runbook that rehearse runs", () => {
    const text = formatPlan(PLAN, "text").split("\n");
    expect(text[0]).toBe("Rehearsal runbook: us-east-2");
    expect(text[2]).toMatch(/^Run all of it with: npx dr-platform rehearse us-east-2 /);
    expect(formatPlan(TEARDOWN, "text").split("\n")[2]).toMatch(/^Run all of it with: npx dr-platform rehearse us-east-2 --teardown /);
  });

  it("refuses a primary, a recovery whose file asks for no rehearsal, and a manifest without its stacks", () => {
    expect(() => buildRehearsalPlan(primary, manifest)).toThrow(
      "us-east-1 is a primary: a rehearsal rehearses a recovery (run it for the region that takes over from us-east-1)",
    );
    expect(() => buildRehearsalPlan({ ...recovery, rehearsal: false } as Environment, manifest)).toThrow(
      "environments/us-east-2.ts does not ask for a rehearsal generation: set rehearsal: true in it, then synthesize (npx cdktf synth)",
    );
    const shipped = tempDir("dr-platform-rehearsal-shipped-");
    synthShipped(shipped);
    const without = JSON.parse(fs.readFileSync(path.join(shipped, "manifest.json"), "utf8"));
    expect(() => buildRehearsalTeardownPlan(recovery, without)).toThrow(
      "manifest.json has no stack networking-us-east-2-rehearsal, application-us-east-2-rehearsal, kubernetes-us-east-2-rehearsal, gitops-us-east-2-rehearsal, workloads-us-east-2-rehearsal; synthesize again",
    );
  });
});

describe("buildRehearsalTeardownPlan (rehearse --teardown)", () => {
  it("lists every rehearsal stack's resources, asks, then destroys each after the stacks that read it", () => {
    expect(summary(TEARDOWN)).toEqual([
      "check synth <- -",
      "check list:networking-us-east-2-rehearsal <- synth",
      "check list:application-us-east-2-rehearsal <- synth",
      "check list:kubernetes-us-east-2-rehearsal <- synth",
      "check list:gitops-us-east-2-rehearsal <- synth",
      "check list:workloads-us-east-2-rehearsal <- synth",
      "gate confirm <- list:networking-us-east-2-rehearsal,list:application-us-east-2-rehearsal,list:kubernetes-us-east-2-rehearsal,list:gitops-us-east-2-rehearsal,list:workloads-us-east-2-rehearsal",
      "destroy destroy:workloads-us-east-2-rehearsal <- confirm",
      "destroy destroy:gitops-us-east-2-rehearsal <- confirm,destroy:workloads-us-east-2-rehearsal",
      "destroy destroy:kubernetes-us-east-2-rehearsal <- confirm,destroy:gitops-us-east-2-rehearsal",
      "destroy destroy:application-us-east-2-rehearsal <- confirm,destroy:kubernetes-us-east-2-rehearsal,destroy:workloads-us-east-2-rehearsal",
      "destroy destroy:networking-us-east-2-rehearsal <- confirm,destroy:application-us-east-2-rehearsal,destroy:gitops-us-east-2-rehearsal,destroy:kubernetes-us-east-2-rehearsal,destroy:workloads-us-east-2-rehearsal",
    ]);
    expect([TEARDOWN.scenario, TEARDOWN.runKey, TEARDOWN.manualSteps]).toEqual(["rehearsal-teardown", "us-east-2-rehearsal-teardown", 1]);
    expect(TEARDOWN.steps[2].commands).toEqual([
      "terraform -chdir=cdktf.out/stacks/application-us-east-2-rehearsal init -input=false >/dev/null && terraform -chdir=cdktf.out/stacks/application-us-east-2-rehearsal state list",
    ]);
    // Each destroy names its own stack and nothing else.
    for (const step of TEARDOWN.steps.filter((s) => s.kind === "destroy"))
      expect(step.commands).toEqual([`npx cdktf destroy ${step.stack} --skip-synth --ignore-missing-stack-dependencies --auto-approve`]);
  });
});

describe("a rehearsal generation beside a recovery", () => {
  it("is never part of the recovery's plan, its modelled time or the sandbox's deploys (unless asked for)", () => {
    const recoveryPlan = buildPlan(recovery, manifest);
    expect(recoveryPlan.steps.filter((s) => s.stack?.includes("rehearsal"))).toEqual([]);
    const { serve, afterServing } = dayStacks(recovery, manifest);
    expect([...serve, ...afterServing]).toEqual([
      "application-us-east-2",
      "gitops-us-east-2",
      "kubernetes-us-east-2",
      "workloads-us-east-2",
      "replication-us-east-2",
    ]);
    expect(Object.keys(manifest.stacks).filter(stacksOfRegion("us-east-2")).sort()).toEqual([
      "application-us-east-2",
      "gitops-us-east-2",
      "kubernetes-us-east-2",
      "networking-us-east-2",
      "replication-us-east-2",
      "workloads-us-east-2",
    ]);
    const providers = Object.fromEntries(Object.keys(manifest.stacks).map((id) => [id, ["aws"]]));
    expect(sandboxStacks({ manifest, providers }, ["us-east-2"]).stacks.filter((s) => s.includes("rehearsal"))).toEqual([]);
    expect(sandboxStacks({ manifest, providers }, ["us-east-2"], { rehearsal: true }).stacks).toEqual([
      "application-us-east-2-rehearsal",
      "gitops-us-east-2-rehearsal",
      "kubernetes-us-east-2-rehearsal",
      "networking-us-east-2-rehearsal",
      "workloads-us-east-2-rehearsal",
    ]);
  });

  it("keeps its runs under its own key: never the real recovery's journal or reports", () => {
    expect(recoveryRunKey("us-east-2", "region")).toBe("us-east-2");
    expect(recoveryJournalKey(recoveryRunKey("us-east-2", "rehearsal"))).toBe("dr/recover/us-east-2-rehearsal/journal.json");
    expect(recoveryJournalKey(recoveryRunKey("us-east-2", "rehearsal-teardown"))).toBe("dr/recover/us-east-2-rehearsal-teardown/journal.json");
    expect(recoveryReportKey(recoveryRunKey("us-east-2", "rehearsal"), "20261203T100000Z", "json")).toBe(
      "reports/us-east-2-rehearsal/20261203T100000Z/report.json",
    );
  });
});
