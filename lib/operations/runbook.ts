import type { Environment } from "../environment";
import { FLUX_WAIT_COMMAND, kubeconfigCommand, parseStackId, regionalNames, siteHost, stackId, stateStackId } from "../naming";
import { deployOrder, type Manifest } from "./stack-graph";

export interface RunbookStep {
  readonly title: string;
  /** Exact command(s) to run. */
  readonly commands: readonly string[];
  /** True when a person has to act (not a `cdktf deploy`). */
  readonly manual: boolean;
  readonly note?: string;
}

export interface Runbook {
  readonly region: string;
  readonly steps: readonly RunbookStep[];
  /** Steps a person performs by hand: the number this product tries to drive to zero. */
  readonly manualSteps: number;
  /** Steps of the seed's procedure this environment no longer needs, and why. */
  readonly notNeeded: readonly string[];
}

/**
 * The recovery procedure of one environment, derived from the synthesized stack graph
 * (manifest.json): step zero, every `cdktf deploy` in dependency order, and after each stack the
 * manual steps it leaves, with the values known from the environment.
 */
export function buildRunbook(environment: Environment, manifest: Manifest): Runbook {
  const region = environment.region;
  const names = regionalNames(environment.project, region);
  const steps: RunbookStep[] = [];
  const notNeeded: string[] = [];
  const stateStack = stateStackId(environment.state.bucket);
  if (!(stateStack in manifest.stacks)) throw new Error(`manifest.json has no stack ${stateStack}; synthesize again`);
  const order = deployOrder(manifest, (id) => parseStackId(id)?.region === region);
  if (order.length === 0) throw new Error(`manifest.json has no stacks for ${region}; synthesize again`);

  steps.push({
    title: `Step zero: the state bucket ${environment.state.bucket} in ${environment.state.region} (once; it survives an outage of ${region})`,
    commands: [`npx cdktf deploy ${stateStack}`],
    manual: false,
    note: "Skip when the bucket already exists.",
  });

  for (const stack of order) {
    steps.push({ title: `Deploy ${stack}`, commands: [`npx cdktf deploy ${stack}`], manual: false });
    const layer = parseStackId(stack)!.layer;
    if (layer === "networking") {
      if (environment.dns.delegationSetId) {
        notNeeded.push(`Updating the name servers of ${environment.dns.domain}: the zone reuses delegation set ${environment.dns.delegationSetId}, so its name servers did not change.`);
      } else {
        steps.push({
          title: `Set the name servers of ${environment.dns.domain} at its registrar (or parent zone) to the new zone's`,
          commands: [`npx cdktf output ${stack}   # name_servers`],
          manual: true,
          note: "Give dns.delegationSetId in the environment file to keep the same name servers on every rebuild.",
        });
      }
    }
    if (layer === "application") {
      if (environment.role === "primary") {
        steps.push({
          title: "Replicate objects that existed before the replication rule (S3 Batch Replication)",
          commands: [`npm run dr -- replicate-existing ${region}`],
          manual: true,
          note: "Once, after the first deploy: replication rules copy new objects only.",
        });
      } else {
        notNeeded.push(`Restoring the database by hand: ${stackId("application", region)} restores it from ${environment.recoveryOf}'s replicated backups.`);
        notNeeded.push(`Pointing the assets at a new bucket: ${stackId("application", region)} uses ${environment.recoveryOf}'s replica bucket, already in ${region}.`);
      }
    }
    if (layer === "kubernetes") {
      steps.push({
        title: "Log in to the cluster",
        commands: [kubeconfigCommand(region, names.cluster)],
        manual: true,
        note: `Works at once for the roles in kubernetes.adminRoleArns (access entries).`,
      });
    }
    if (layer === "gitops") {
      steps.push({
        title: "Verify that Flux is deployed and has synchronised the platform-k8s repository",
        commands: [FLUX_WAIT_COMMAND],
        manual: true,
      });
      notNeeded.push("Reconfiguring services with the new datastore endpoints: Flux substitutes them from the cluster-vars ConfigMap.");
      if (environment.broker.users.length > 0) {
        notNeeded.push(`Creating the RabbitMQ users (${environment.broker.users.join(", ")}): ${stack} runs a job that creates them from their generated secrets.`);
      }
      notNeeded.push(
        environment.role === "recovery"
          ? `Re-encrypting the repository with SOPS: ${environment.recoveryOf}'s multi-Region key has a replica in ${region}.`
          : "Re-encrypting the repository with SOPS: the key is protected from destroy and survives a rebuild of this environment.",
      );
    }
  }

  const site = siteHost(environment.dns);
  steps.push({
    title: "Smoke checks: the site answers, the workloads run, log in and upload an image",
    commands: [`curl -fsS -o /dev/null -w '%{http_code}\\n' https://${site}/`, "kubectl get deployments --all-namespaces"],
    manual: true,
  });
  return { region, steps, manualSteps: steps.filter((s) => s.manual).length, notNeeded };
}

/** Plain text or Markdown (for a ticket or a wiki). */
export function formatRunbook(runbook: Runbook, format: "text" | "markdown"): string {
  const lines: string[] = [];
  const md = format === "markdown";
  lines.push(md ? `## Recovery runbook: ${runbook.region}` : `Recovery runbook: ${runbook.region}`);
  lines.push("");
  runbook.steps.forEach((step, i) => {
    const tag = step.manual ? "MANUAL" : "deploy";
    lines.push(md ? `${i}. **${step.title}** (${tag})` : `${i}. [${tag}] ${step.title}`);
    if (md) lines.push("   ```bash", ...step.commands.map((c) => `   ${c}`), "   ```");
    else lines.push(...step.commands.map((c) => `     $ ${c}`));
    if (step.note) lines.push(md ? `   ${step.note}` : `     ${step.note}`);
  });
  lines.push("");
  lines.push(`${md ? "**" : ""}Manual steps remaining: ${runbook.manualSteps}${md ? "**" : ""}`);
  if (runbook.notNeeded.length > 0) {
    lines.push("", md ? "Not needed any more:" : "Not needed any more:");
    lines.push(...runbook.notNeeded.map((n) => `- ${n}`));
  }
  return lines.join("\n");
}
