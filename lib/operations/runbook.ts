import type { Environment } from "../environment";
import { AFTER_SERVING_KINDS, drCommand, FLUX_WAIT_COMMAND, kubeconfigCommand, parseStackId, regionalNames, siteHost, stackId, stateStackId } from "../naming";
import { deployOrder, type Manifest } from "./stack-graph";

export interface RunbookStep {
  readonly title: string;
  /** Exact command(s) to run. */
  readonly commands: readonly string[];
  /** True when a person has to act (not a `cdktf deploy` or a check that passes or fails by itself). */
  readonly manual: boolean;
  readonly note?: string;
}

export interface Runbook {
  readonly region: string;
  /** What must already be true before the day (a recovery's peacetime layer); none for a primary. */
  readonly preparation: readonly RunbookStep[];
  readonly steps: readonly RunbookStep[];
  /** Steps a person performs by hand: the number this product tries to drive to zero. */
  readonly manualSteps: number;
  /** Steps of the seed's procedure this environment no longer needs, and why. */
  readonly notNeeded: readonly string[];
}

/**
 * The procedure of one environment, derived from the synthesized stack graph (manifest.json) and
 * the environment file. A primary: step zero, every `cdktf deploy` in dependency order, and the
 * manual steps each stack leaves. A recovery: the peacetime preparation (state bucket, standby
 * layer, the Git secret's value, SOPS rules), then on the day the preflight check and one deploy of
 * its stacks (independent ones in parallel), none of which writes to IAM or Route 53.
 */
/**
 * Whether a layer of `environment` is deployed in peacetime, never on the day of a recovery: the
 * standby layer, the pair's dns stack, and a pilot light's networking stack (VPC, load balancer,
 * SECONDARY record).
 */
export function isPeacetimeLayer(environment: Environment, layer: string): boolean {
  const pilotLight = environment.role === "recovery" && environment.dns.failover === "pilot-light";
  return layer === "standby" || layer === "dns" || (pilotLight && layer === "networking");
}

export function buildRunbook(environment: Environment, manifest: Manifest): Runbook {
  const region = environment.region;
  const names = regionalNames(environment.project, region);
  const steps: RunbookStep[] = [];
  const preparation: RunbookStep[] = [];
  const notNeeded: string[] = [];
  const stateStack = stateStackId(environment.state.bucket);
  if (!(stateStack in manifest.stacks)) throw new Error(`manifest.json has no stack ${stateStack}; synthesize again`);
  const ofRegion = (id: string) => {
    const parsed = parseStackId(id);
    return parsed?.region === region && (environment.role === "primary" ? parsed.layer !== "standby" : !isPeacetimeLayer(environment, parsed.layer));
  };
  const afterServing = (id: string) => AFTER_SERVING_KINDS.includes(parseStackId(id)!.layer);
  const order = deployOrder(manifest, (id) => ofRegion(id) && !afterServing(id));
  // Deployed last, once the smoke checks pass: nothing that serves traffic waits for them.
  const later = deployOrder(manifest, (id) => ofRegion(id) && afterServing(id));
  if (order.length === 0) throw new Error(`manifest.json has no stacks for ${region}; synthesize again`);
  const stateStep: RunbookStep = {
    title: `Step zero: the state bucket ${environment.state.bucket} in ${environment.state.region} (once; it survives an outage of ${region})`,
    commands: [`npx cdktf deploy ${stateStack}`],
    manual: false,
    note: "Skip when the bucket already exists.",
  };

  if (environment.role === "recovery") {
    const standby = stackId("standby", region);
    if (!(standby in manifest.stacks)) throw new Error(`manifest.json has no stack ${standby}; synthesize again`);
    preparation.push(stateStep, {
      title: `The standby layer: the recovery's IAM roles and policies, the Git secret's replica and the registry replication (keep it deployed like any stack)`,
      commands: [`npx cdktf deploy ${standby}`],
      manual: false,
    });
    preparation.push(...dnsPreparation(environment, manifest));
    preparation.push(
      {
        title: `Once: put Flux's Git credentials into ${environment.flux.gitCredentialsSecretName} in ${environment.recoveryOf} (the replica in ${region} follows)`,
        commands: [
          `aws secretsmanager put-secret-value --region ${environment.recoveryOf} --secret-id ${environment.flux.gitCredentialsSecretName} --secret-string file://git-credentials.json`,
        ],
        manual: true,
      },
      {
        title: `Encrypt the platform-k8s repository's secrets for both SOPS keys (the primary's and its replica in ${region})`,
        commands: [`${drCommand("sops-config", region)} > .sops.yaml   # in the platform-k8s repository, then: sops updatekeys <file> for each encrypted file`],
        manual: true,
      },
    );
    steps.push({
      title: `Preflight: check that everything peacetime must provide is in ${region} (reads only)`,
      commands: [drCommand("preflight", region)],
      manual: false,
      note: "Every failure prints its fix. The recovery calls only this region's APIs from here on.",
    });
    for (const stack of order) {
      const oneRouteWrite = parseStackId(stack)!.layer === "networking";
      steps.push({
        title: `Deploy ${stack}`,
        commands: [`npx cdktf deploy ${stack}`],
        manual: false,
        // Backup-and-restore: the only global write of the day, said where it happens.
        note: oneRouteWrite
          ? `Makes one Route 53 write: the SECONDARY record of ${siteHost(environment.dns)} to this region's new load balancer (backup-and-restore mode).`
          : undefined,
      });
    }
    notNeeded.push(
      `Deploying ${standby} on the day: it is peacetime only (its plan would call IAM, Route 53 and ${environment.recoveryOf}); deploy the stacks above by name, never '*-${region}'.`,
    );
    notNeeded.push(`Restoring the database by hand: ${stackId("application", region)} restores it from ${environment.recoveryOf}'s replicated backups.`);
    notNeeded.push(
      `Pointing the assets at a new bucket: ${stackId("application", region)} uses ${environment.recoveryOf}'s replica bucket, already in ${region}.`,
    );
    notNeeded.push(
      `Updating the name servers of ${environment.dns.domain}: the zone is ${stackId("dns", environment.recoveryOf)}'s, made in peacetime with a reusable delegation set; nothing rebuilds it.`,
    );
    notNeeded.push(
      isPeacetimeLayer(environment, "networking")
        ? `Moving the site's traffic: Route 53 answers ${siteHost(environment.dns)} with ${region}'s load balancer (SECONDARY record) once ${environment.recoveryOf}'s health check fails; no write during the outage.`
        : `Creating a certificate for ${siteHost(environment.dns)} in ${region}: ${stackId("dns", environment.recoveryOf)} made and validated it in peacetime.`,
    );
    notNeeded.push(`Creating IAM roles, policies or an OIDC provider: ${standby} made them in peacetime; the cluster uses EKS Pod Identity.`);
  } else {
    steps.push(stateStep);
    for (const stack of order) {
      steps.push({ title: `Deploy ${stack}`, commands: [`npx cdktf deploy ${stack}`], manual: false });
      const layer = parseStackId(stack)!.layer;
      if (layer === "dns") {
        if (environment.dns.delegationSetId) {
          notNeeded.push(
            `Updating the name servers of ${environment.dns.domain}: the zone reuses delegation set ${environment.dns.delegationSetId}, so its name servers did not change.`,
          );
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
        steps.push({
          title: "Replicate objects that existed before the replication rule (S3 Batch Replication)",
          commands: [drCommand("replicate-existing", region)],
          manual: true,
          note: "Once, after the first deploy: replication rules copy new objects only.",
        });
      }
    }
  }

  const access =
    environment.kubernetes.publicAccessCidrs.length > 0
      ? "the break-glass networks in kubernetes.publicAccessCidrs"
      : "the networks in kubernetes.privateAccessCidrs";
  steps.push({
    title: "Log in to the cluster",
    commands: [kubeconfigCommand(region, names.cluster)],
    manual: true,
    note: `Works at once for the roles in kubernetes.adminRoleArns (access entries), from ${access} (the API is private otherwise); the gitops and workloads stacks are applied from there too.`,
  });
  steps.push({ title: "Verify that Flux is deployed and has synchronised the platform-k8s repository", commands: [FLUX_WAIT_COMMAND], manual: true });
  notNeeded.push("Reconfiguring services with the new datastore endpoints: Flux substitutes them from the cluster-vars ConfigMap.");
  const workloads = stackId("workloads", region);
  if (environment.role === "recovery") {
    notNeeded.push(
      `Recreating the broker's queues, exchanges, bindings and policies: ${workloads} imports ${environment.recoveryOf}'s newest definitions export before the workloads start (messages in flight are lost).`,
    );
  }
  if (environment.broker.users.length > 0) {
    notNeeded.push(
      `Creating the RabbitMQ users (${environment.broker.users.join(", ")}): ${workloads} runs a job that creates them from their generated secrets.`,
    );
  }
  notNeeded.push(
    `Starting the database archive and broker definitions exports in the new region: ${workloads} schedules both (${environment.backups.schedule}).`,
  );
  notNeeded.push(
    environment.role === "recovery"
      ? `Re-encrypting the repository with SOPS on the day: its files already list ${environment.recoveryOf}'s key replica in ${region} (sops-config, checked by preflight --platform-repo).`
      : "Re-encrypting the repository with SOPS: the key is protected from destroy and survives a rebuild of this environment.",
  );

  steps.push(siteSmokeCheck(environment));
  for (const stack of later) {
    steps.push({
      title: `Deploy ${stack} (not needed to serve: the restored database's backups replicated into ${environment.drRegion}, for the next outage)`,
      commands: [`npx cdktf deploy ${stack}`],
      manual: false,
      note: "Once the smoke checks pass; nothing depends on it. Until it is deployed the region's database has no copy outside the region.",
    });
  }
  return { region, preparation, steps, manualSteps: steps.filter((s) => s.manual).length, notNeeded };
}

/**
 * The pair's DNS stack and, for a pilot light, the recovery's networking stack: deployed in
 * peacetime, so that the site's traffic moves without a write during the outage.
 */
function dnsPreparation(environment: Environment & { role: "recovery" }, manifest: Manifest): RunbookStep[] {
  const dnsStack = stackId("dns", environment.recoveryOf);
  if (!(dnsStack in manifest.stacks)) throw new Error(`manifest.json has no stack ${dnsStack}; synthesize again`);
  const host = siteHost(environment.dns);
  const steps: RunbookStep[] = [
    {
      title: `The site's zone ${environment.dns.domain} and its certificates in ${environment.recoveryOf} and ${environment.region} (deployed with ${environment.recoveryOf}'s stacks)`,
      commands: [`npx cdktf deploy ${dnsStack}`],
      manual: false,
      note: `Once, unless the registrar lists them already: set the name servers of ${environment.dns.domain} to ${dnsStack}'s (npx cdktf output ${dnsStack}); they never change afterwards (reusable delegation set).`,
    },
  ];
  if (environment.dns.failover === "pilot-light") {
    const networking = stackId("networking", environment.region);
    steps.push({
      title: `The pilot light: ${networking} (VPC, NAT gateway, the site's load balancer with its certificate, the SECONDARY record of ${host} and its health check)`,
      commands: [`npx cdktf deploy ${networking}`],
      manual: false,
      note: "Route 53 fails the site over to this load balancer by itself when the primary's health check fails; see docs/dns-failover.md for its monthly cost.",
    });
  }
  return steps;
}

/** The site through its real host name: the failover record, the certificate and the pods, all at once. */
function siteSmokeCheck(environment: Environment): RunbookStep {
  const url = `https://${siteHost(environment.dns)}${environment.dns.healthCheckPath}`;
  return {
    title: `Smoke check: ${url} answers (the failover record, this region's certificate and load balancer, the site's pods)`,
    // Retried: Route 53 moves the record after 3 failed health checks 30 s apart, and resolvers keep the old answer for the alias TTL (60 s).
    commands: [`curl -fsS --retry 20 --retry-delay 15 --retry-all-errors -o /dev/null -w '%{http_code}\\n' ${url}`],
    manual: false,
    note: `Fails by itself; then ${drCommand("preflight", environment.role === "recovery" ? environment.region : "<recovery region>")} shows the health checks and the region ${siteHost(environment.dns)} resolves to.`,
  };
}

/** Plain text or Markdown (for a ticket or a wiki). */
export function formatRunbook(runbook: Runbook, format: "text" | "markdown"): string {
  const lines: string[] = [];
  const md = format === "markdown";
  lines.push(md ? `## Recovery runbook: ${runbook.region}` : `Recovery runbook: ${runbook.region}`);
  lines.push("");
  if (runbook.preparation.length > 0) {
    lines.push(
      md ? "**Prepared in peacetime** (not during the outage; preflight checks it):" : "Prepared in peacetime (not during the outage; preflight checks it):",
    );
    runbook.preparation.forEach((step) => {
      lines.push(`- ${md ? `**${step.title}**` : step.title}`);
      if (md) lines.push("  ```bash", ...step.commands.map((c) => `  ${c}`), "  ```");
      else lines.push(...step.commands.map((c) => `    $ ${c}`));
      if (step.note) lines.push(`  ${step.note}`);
    });
    lines.push("", md ? "**On the day:**" : "On the day:", "");
  }
  runbook.steps.forEach((step, i) => {
    const tag = step.manual ? "MANUAL" : step.commands[0].startsWith("npx cdktf deploy") ? "deploy" : "check";
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
