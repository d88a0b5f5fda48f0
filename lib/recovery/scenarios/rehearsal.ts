import type { Environment } from "../../environment";
import {
  clusterName,
  drCommand,
  FLUX_WAIT_COMMAND,
  kubeconfigCommand,
  LAYERS,
  recoveryRunKey,
  rehearsalProject,
  siteHost,
  SITE_OUTPUTS,
  stackId,
} from "../../naming";
import type { Manifest } from "../../operations/stack-graph";
import { deployStackStep, deployStepId, topological, type PlanStep, type RecoveryPlan } from "../plan";
import { stepSequence } from "./sequence";

/**
 * The rehearsal (the second DR document's periodic verification in a dedicated environment, the
 * first's DR rehearsal): the recovery's own procedure into its rehearsal generation
 * (`rehearsal: true`: its layers under `-rehearsal` stack ids and `<project>-rehearsal` names),
 * from the newest replicated backups, with the primary up and serving. No failover record, no
 * switch, nothing in the primary's region is written: traffic never moves. The smoke check asks
 * the rehearsal's own load balancer for the site's host. `buildRehearsalTeardownPlan` removes it.
 */
export function buildRehearsalPlan(environment: Environment, manifest: Manifest): RecoveryPlan {
  const { region, stacks } = rehearsalStacks(environment, manifest);
  const { steps, step } = stepSequence();
  step({
    id: "declare",
    title: `Rehearse the recovery of ${region}: its rehearsal generation (${stacks.join(", ")}) is built beside the real one; no traffic moves`,
    kind: "gate",
    commands: [drCommand("status", region)],
    note: `A person decides (scheduled runs pass --yes). It costs what the recovery's stacks cost while they stand: tear it down after with ${drCommand("rehearse", region, "--teardown")}.`,
  });
  step({
    id: "preflight",
    title: `Preflight: everything peacetime must provide is in ${region}, as on the day (reads only)`,
    kind: "check",
    commands: [drCommand("preflight", region, "--outage")],
  });
  const synth = step({ id: "synth", title: "Synthesize every stack (the deploys below use it)", kind: "check", commands: ["npx cdktf synth"] });
  for (const stack of stacks) step(deployStackStep(stack, manifest, new Set(stacks), [synth.id]));
  const cluster = clusterName(rehearsalProject(environment.project), region);
  const workloads = stackId("workloads", region, 1, true);
  const flux = step({
    id: "flux",
    title: `Flux is deployed on ${cluster} and has synchronised the platform-k8s repository`,
    kind: "check",
    commands: [`${kubeconfigCommand(region, cluster)} && ${FLUX_WAIT_COMMAND}`],
    after: [deployStepId(workloads)],
  });
  const networking = stackId("networking", region, 1, true);
  const host = siteHost(environment.dns);
  const url = `https://${host}${environment.dns.healthCheckPath}`;
  const loadBalancer = `$(terraform -chdir=${stackDirOf(networking)} output -raw ${SITE_OUTPUTS.loadBalancerDnsName})`;
  step({
    id: "smoke",
    title: `Smoke check: ${url} answers from the rehearsal's own load balancer (its certificate, its pods), not through DNS`,
    kind: "check",
    commands: [
      `curl -fsS --retry 20 --retry-delay 15 --retry-all-errors -o /dev/null -w '%{http_code}\\n' --connect-to ${host}:443:${loadBalancer}:443 ${url}`,
    ],
    after: [flux.id],
    note: `The site's record is untouched: ${host} still resolves to the primary.`,
  });
  return {
    region,
    scenario: "rehearsal",
    runKey: recoveryRunKey(region, "rehearsal"),
    preparation: [],
    steps,
    manualSteps: steps.filter((s) => s.kind === "gate").length,
    notNeeded: [
      `The failover switch and the site's record: a rehearsal moves no traffic (its networking stack has no record).`,
      `The backup replication stack: a rehearsal's database is not a recovery point of anything and is deleted by the teardown.`,
    ],
  };
}

/**
 * The teardown of a rehearsal: every resource of the rehearsal generation's stacks is listed (each
 * stack's state), a person confirms, and each stack is destroyed after the stacks that read it. The
 * rehearsal's stacks lift their own stateful protection (lib/rehearsal.ts); no other stack is named,
 * and the rehearsal's report stays in the archive bucket.
 */
export function buildRehearsalTeardownPlan(environment: Environment, manifest: Manifest): RecoveryPlan {
  const { region, stacks } = rehearsalStacks(environment, manifest);
  const { steps, step } = stepSequence();
  const synth = step({ id: "synth", title: "Synthesize every stack (the destroys below use it)", kind: "check", commands: ["npx cdktf synth"] });
  const lists: PlanStep[] = stacks.map((stack) =>
    step({
      id: `list:${stack}`,
      title: `List what ${stack} holds (all of it is deleted below)`,
      kind: "check",
      stack,
      commands: [`terraform -chdir=${stackDirOf(stack)} init -input=false >/dev/null && terraform -chdir=${stackDirOf(stack)} state list`],
      after: [synth.id],
    }),
  );
  const confirm = step({
    id: "confirm",
    title: `Delete every resource listed above: the rehearsal generation of ${region} (${stacks.join(", ")}), nothing else`,
    kind: "gate",
    commands: stacks.map((stack) => `terraform -chdir=${stackDirOf(stack)} state list   # what the step list:${stack} printed`),
    after: lists.map((l) => l.id),
    note: "The rehearsal's report stays in the archive bucket. Its KMS keys wait 7 days for deletion (the shortest KMS allows).",
  });
  for (const stack of [...stacks].reverse()) {
    const readers = stacks.filter((s) => manifest.stacks[s].dependencies.includes(stack));
    step({
      id: `destroy:${stack}`,
      title: `Destroy ${stack}`,
      kind: "destroy",
      stack,
      commands: [`npx cdktf destroy ${stack} --skip-synth --ignore-missing-stack-dependencies --auto-approve`],
      after: [confirm.id, ...readers.map((r) => `destroy:${r}`)].sort(),
    });
  }
  return {
    region,
    scenario: "rehearsal-teardown",
    runKey: recoveryRunKey(region, "rehearsal-teardown"),
    preparation: [],
    steps,
    manualSteps: steps.filter((s) => s.kind === "gate").length,
    notNeeded: [],
  };
}

/** A synthesized stack's folder, as Terraform run by hand in it names it. */
function stackDirOf(stack: string): string {
  return `cdktf.out/stacks/${stack}`;
}

/** The rehearsal generation's stacks of a recovery, in deploy order; a clear error when its file does not ask for them. */
function rehearsalStacks(environment: Environment, manifest: Manifest): { readonly region: string; readonly stacks: string[] } {
  const region = environment.region;
  if (environment.role !== "recovery") {
    throw new Error(`${region} is a primary: a rehearsal rehearses a recovery (run it for the region that takes over from ${region})`);
  }
  if (!environment.rehearsal) {
    throw new Error(`environments/${region}.ts does not ask for a rehearsal generation: set rehearsal: true in it, then synthesize (npx cdktf synth)`);
  }
  const ids = LAYERS.map((layer) => stackId(layer, region, 1, true));
  const missing = ids.filter((id) => !(id in manifest.stacks));
  if (missing.length > 0) throw new Error(`manifest.json has no stack ${missing.join(", ")}; synthesize again`);
  return { region, stacks: topological(ids, manifest) };
}
