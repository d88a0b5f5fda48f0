import { servingClusterName, type Environment, type RecoveryTier } from "../environment";
import { drCommand, failoverSwitchCommand, FLUX_WAIT_COMMAND, kubeconfigCommand, parseStackId, siteHost, stackId, stateStackId } from "../naming";
import { dayStacks, isPeacetimeLayer } from "../operations/day-stacks";
import type { Manifest } from "../operations/stack-graph";
import { reappliedNote, WARM_STANDBY_PREPARED, WARM_STANDBY_REAPPLIED, warmStandbyCalls } from "./scenarios/warm-standby";

/**
 * The day's procedure of an environment as one object: `dr runbook` prints it, `dr recover`
 * executes it, the drill runs the same executor. Derived from the synthesized stack graph
 * (manifest.json) and the environment file, never from a hand-kept list.
 */

/** What a step is, which decides how it runs. */
export type StepKind =
  /** A person decides (a prompt, or `--yes`). */
  | "gate"
  /** A command that passes or fails by itself (preflight, synth, the Flux wait, the smoke check). */
  | "check"
  /** `cdktf deploy` of one stack. */
  | "deploy"
  /** `cdktf destroy` of one stack (a rehearsal's teardown). */
  | "destroy";

export interface PlanStep {
  /** Stable id (`preflight`, `deploy:application-us-east-2`, ...): the journal, `--from` and the report use it. */
  readonly id: string;
  readonly title: string;
  readonly kind: StepKind;
  /** The exact commands, runnable as printed; a gate's are what the person runs or checks. */
  readonly commands: readonly string[];
  /** The stack a deploy step deploys. */
  readonly stack?: string;
  /** Steps that must be done first (true dependencies: a stack's on the stacks it reads). */
  readonly after: readonly string[];
  /** `serve`: on the way to serving traffic (the recovery time); `after-serving`: once the site serves. */
  readonly phase: "serve" | "after-serving";
  readonly note?: string;
}

/** A plan's scenario. */
export type Scenario = "region" | "cluster" | "database" | "account" | "rehearsal" | "rehearsal-teardown";

/** The CLI command (and its flags) that executes each scenario's plan, and resumes it. */
export const SCENARIO_COMMANDS: Readonly<Record<Scenario, readonly [string, ...string[]]>> = {
  region: ["recover"],
  cluster: ["rebuild-cluster"],
  database: ["restore-database"],
  account: ["rebuild-account"],
  rehearsal: ["rehearse"],
  "rehearsal-teardown": ["rehearse", "--teardown"],
};

export interface RecoveryPlan {
  readonly region: string;
  /**
   * `region`: a region is lost (buildPlan); `cluster`: its cluster is rebuilt side by side
   * (scenarios/cluster.ts); `database`: its database is restored as a new generation (scenarios/database.ts);
   * `account`: a primary is rebuilt in a new account from its vault (scenarios/account.ts).
   */
  readonly scenario: Scenario;
  /**
   * Where its runs are kept: the journal (`dr/recover/<runKey>/` of the state bucket), the reports
   * (`reports/<runKey>/` of the archive bucket) and the local folder. A rehearsal's are its own
   * (`<region>-rehearsal`, `recoveryRunKey`), so that it never meets a real recovery's.
   * @default - the region
   */
  readonly runKey?: string;
  /** The recovery's tier (docs/tiers.md), when the plan is a region's recovery: what peacetime prepared. */
  readonly tier?: RecoveryTier;
  /** Done in peacetime, never by `recover` (printed so the on-call can see what it relies on). */
  readonly preparation: readonly PlanStep[];
  /** The day's steps, in an order that respects `after`. */
  readonly steps: readonly PlanStep[];
  /** Steps a person performs: the number this product drives to zero. */
  readonly manualSteps: number;
  /** Steps of the seed's procedure this environment no longer needs, and why. */
  readonly notNeeded: readonly string[];
  /**
   * Options of the command that runs the plan, after the region (`restore-database`'s `--to-time`).
   * @default - none
   */
  readonly runOptions?: readonly string[];
}

/** Flags every printed single-stack `cdktf deploy` carries: cdktf 0.21 refuses a stack whose dependencies are outside the command without the first. */
export const DEPLOY_FLAGS = ["--skip-synth", "--ignore-missing-stack-dependencies", "--auto-approve"] as const;

/** The printed deploy of one stack (after the plan's synth step). */
export function deployCommand(stack: string): string {
  return `npx cdktf deploy ${stack} ${DEPLOY_FLAGS.join(" ")}`;
}

/**
 * The deploy step of one stack: its printed deploy, after `after` and the deploys of the stacks
 * among `inPlan` that it reads (true dependencies, from manifest.json), so that independent stacks
 * deploy side by side.
 */
export function deployStackStep(stack: string, manifest: Manifest, inPlan: ReadonlySet<string>, after: readonly string[]): Omit<PlanStep, "phase"> {
  return {
    id: deployStepId(stack),
    title: `Deploy ${stack}`,
    kind: "deploy",
    stack,
    commands: [deployCommand(stack)],
    after: [...new Set([...after, ...manifest.stacks[stack].dependencies.filter((d) => inPlan.has(d)).map(deployStepId)])].sort(),
  };
}

/** What a deploy step says beside its command, when its stack does something the on-call must know. */
function deployNote(environment: Environment, layer: string): string | undefined {
  // Backup-and-restore: the only global write of the day, said where it happens.
  if (environment.role === "recovery" && layer === "networking") {
    return `Makes one Route 53 write: the SECONDARY record of ${siteHost(environment.dns)} to this region's new load balancer (backup-and-restore mode).`;
  }
  // A primary rebuilt from a copy: the restore's source must be in the account before the deploy.
  const restore = environment.role === "primary" ? environment.database.restore : undefined;
  if (layer === "application" && restore?.from === "archive" && environment.database.generation === 1) {
    return `Creates the database empty: the archive ${restore.archiveKey} (database.restore) is loaded into it and checked after this deploy.`;
  }
  if (layer === "application" && restore?.from === "snapshot" && environment.database.generation === 1) {
    return `Restores the database from DB snapshot ${restore.snapshotIdentifier} (database.restore): it must be in ${environment.region}, in account ${environment.accountId}, encrypted with a key the account may use (a shared snapshot is copied first: docs/database-scenario.md, "A primary rebuilt from a snapshot").`;
  }
  return undefined;
}

/**
 * Once in peacetime: the operator puts Flux's Git credentials into the secret the primary's
 * application stack makes (in the primary's region; its replica follows). Never by code.
 */
function gitCredentialsStep(secretName: string, secretRegion: string, replicaRegion: string, madeBy: string): PlanStep {
  return {
    id: "git-credentials",
    title: `Once, after ${madeBy} made it: put Flux's Git credentials into ${secretName} in ${secretRegion} (the replica in ${replicaRegion} follows)`,
    kind: "gate",
    commands: [`aws secretsmanager put-secret-value --region ${secretRegion} --secret-id ${secretName} --secret-string file://git-credentials.json`],
    after: [],
    phase: "serve",
    note: 'git-credentials.json: {"username": "...", "password": "<token>"} (HTTPS) or {"identity": "<private key>", "identity.pub": "...", "known_hosts": "..."} (SSH); rotate-git-credentials puts a new one.',
  };
}

/** Id of a stack's deploy step. */
export function deployStepId(stack: string): string {
  return `deploy:${stack}`;
}

export interface PlanOptions {
  /**
   * A checkout of the platform-k8s repository: the preflight also checks every SOPS file in it.
   * @default - the SOPS files are not checked on the day
   */
  readonly platformRepo?: string;
}

/** The plan of the region scenario: a recovery takes over from its lost primary; a primary is rebuilt in place. */
export function buildPlan(environment: Environment, manifest: Manifest, options: PlanOptions = {}): RecoveryPlan {
  const region = environment.region;
  const stateStack = stateStackId(environment.state.bucket);
  if (!(stateStack in manifest.stacks)) throw new Error(`manifest.json has no stack ${stateStack}; synthesize again`);
  const { serve, afterServing } = dayStacks(environment, manifest);
  const recovery = environment.role === "recovery";
  // A warm standby's day creates no stack: it promotes, scales and applies two standing stacks again.
  const warm = environment.role === "recovery" && environment.tier === "warm-standby" ? environment : undefined;
  const reapplied = warm ? WARM_STANDBY_REAPPLIED.map((layer) => stackId(layer, region, layer === "workloads" ? environment.kubernetes.generation : 1)) : [];
  for (const stack of reapplied) if (!(stack in manifest.stacks)) throw new Error(`manifest.json has no stack ${stack}; synthesize again`);
  if (serve.length === 0 && !warm) throw new Error(`manifest.json has no stacks for ${region}; synthesize again`);
  const steps: PlanStep[] = [];
  const preparation: PlanStep[] = [];
  const notNeeded: string[] = [];
  const step = (s: Omit<PlanStep, "phase" | "after"> & Partial<Pick<PlanStep, "phase" | "after">>) => {
    const made: PlanStep = { phase: "serve", after: steps.length > 0 ? [steps[steps.length - 1].id] : [], ...s };
    steps.push(made);
    return made;
  };
  const stateStep: PlanStep = {
    id: "state-bucket",
    title: `Step zero: the state bucket ${environment.state.bucket} in ${environment.state.region} (once; it survives an outage of ${region})`,
    kind: "deploy",
    stack: stateStack,
    commands: [`npx cdktf deploy ${stateStack} --auto-approve`],
    after: [],
    phase: "serve",
    note: "Skip when the bucket already exists: every other stack keeps its state there.",
  };

  if (recovery) {
    const standby = stackId("standby", region);
    if (!(standby in manifest.stacks)) throw new Error(`manifest.json has no stack ${standby}; synthesize again`);
    preparation.push(
      stateStep,
      peacetime(standby, "The standby layer: the recovery's keys, IAM roles and policies and the registry replication (keep it deployed like any stack)"),
    );
    preparation.push(...dnsPreparation(environment, manifest));
    preparation.push(
      gitCredentialsStep(environment.flux.gitCredentialsSecretName, environment.recoveryOf, region, stackId("application", environment.recoveryOf)),
      {
        id: "sops-config",
        title: `Encrypt the platform-k8s repository's secrets for both SOPS keys (the primary's and its replica in ${region})`,
        kind: "gate",
        commands: [`${drCommand("sops-config", region)} > .sops.yaml   # in the platform-k8s repository, then: sops updatekeys <file> for each encrypted file`],
        after: [],
        phase: "serve",
      },
    );
    preparation.push(...warmStandbyPreparation(environment, manifest));
    step({
      id: "declare",
      title: `Declare the outage: ${environment.recoveryOf} is lost and ${region} takes over its traffic and writes`,
      kind: "gate",
      commands: [drCommand("status", region)],
      note: `A person decides: what ${region} holds (the status above: each store's recovery point) is what the site serves from now on. \`recover --yes\` records the decision without asking.`,
    });
    step({
      id: "switch",
      title: `Set the failover switch in ${region} to the recovery: the site stays here when ${environment.recoveryOf} answers again`,
      kind: "check",
      commands: [failoverSwitchCommand(environment.project, region, siteHost(environment.dns), "recovery")],
      note: `A CloudWatch write in ${region}, no Route 53 write: the switch's health check withdraws ${environment.recoveryOf}'s record until failback sets it back.`,
    });
    step({
      id: "preflight",
      title: `Preflight: everything peacetime must provide is in ${region} (reads only; global control planes in the lost region are advisory)`,
      kind: "check",
      commands: [drCommand("preflight", region, "--outage", ...(options.platformRepo === undefined ? [] : ["--platform-repo", options.platformRepo]))],
      note: "Every failure prints its fix. The recovery calls only this region's APIs from here on.",
    });
  } else {
    preparation.push(stateStep, gitCredentialsStep(environment.flux.gitCredentialsSecretName, region, environment.drRegion, stackId("application", region)));
  }

  if (warm) for (const call of warmStandbyCalls(warm, "preflight")) step(call);
  const synth = step({
    id: "synth",
    title: "Synthesize every stack (the deploys below use it)",
    kind: "check",
    commands: ["npx cdktf synth"],
    ...(warm ? { after: ["preflight"] } : {}),
  });
  const inPlan = new Set([...serve, ...reapplied, ...afterServing]);
  const deployStep = (stack: string, phase: PlanStep["phase"], after: readonly string[]) =>
    step({
      ...deployStackStep(stack, manifest, inPlan, after),
      phase,
      note: warm ? reappliedNote(warm, parseStackId(stack)!.layer) : deployNote(environment, parseStackId(stack)!.layer),
    });
  for (const stack of topological(serve, manifest)) deployStep(stack, "serve", [synth.id]);
  for (const stack of topological(reapplied, manifest)) deployStep(stack, "serve", [synth.id, "database-credentials"]);
  const workloads = stackId("workloads", region, environment.kubernetes.generation);
  const access =
    environment.kubernetes.publicAccessCidrs.length > 0
      ? "the break-glass networks in kubernetes.publicAccessCidrs"
      : "the networks in kubernetes.privateAccessCidrs";
  const flux = step({
    id: "flux",
    title: "Flux is deployed and has synchronised the platform-k8s repository",
    kind: "check",
    commands: [`${kubeconfigCommand(region, servingClusterName(environment))} && ${FLUX_WAIT_COMMAND}`],
    after: warm ? [deployStepId(workloads), "scale-node-groups"] : serve.includes(workloads) ? [deployStepId(workloads)] : serve.map(deployStepId),
    note: `The admin roles in kubernetes.adminRoleArns log in at once (access entries), from ${access} (the API is private otherwise).`,
  });
  if (!recovery) {
    for (const stack of serve.filter((s) => parseStackId(s)?.layer === "dns")) {
      if (environment.dns.delegationSetId) {
        notNeeded.push(
          `Updating the name servers of ${environment.dns.domain}: the zone reuses delegation set ${environment.dns.delegationSetId}, so its name servers did not change.`,
        );
      } else {
        step({
          id: "name-servers",
          title: `Set the name servers of ${environment.dns.domain} at its registrar (or parent zone) to the new zone's`,
          kind: "gate",
          commands: [`npx cdktf output ${stack}   # name_servers`],
          after: [deployStepId(stack)],
          note: "Give dns.delegationSetId in the environment file to keep the same name servers on every rebuild.",
        });
      }
    }
  }
  const smoke = step({ ...siteSmokeCheck(environment), after: [flux.id, ...(steps.some((s) => s.id === "name-servers") ? ["name-servers"] : [])] });
  for (const stack of topological(afterServing, manifest)) {
    const made = deployStep(stack, "after-serving", [smoke.id]);
    steps[steps.indexOf(made)] = {
      ...made,
      title: `Deploy ${stack} (not needed to serve: the ${warm ? "promoted" : "restored"} database's backups replicated into ${environment.drRegion}, for the next outage)`,
      note: "Once the smoke check passes; nothing depends on it. Until it is deployed the region's database has no copy outside the region.",
    };
  }
  if (!recovery) {
    const application = stackId("application", region);
    step({
      id: "replicate-existing",
      title: "Replicate objects that existed before the replication rule (S3 Batch Replication)",
      kind: "gate",
      commands: [drCommand("replicate-existing", region)],
      after: [deployStepId(application)],
      phase: "after-serving",
      note: "Once, after the first deploy: replication rules copy new objects only.",
    });
  }
  notNeeded.push(...notNeededSteps(environment));
  const tier = environment.role === "recovery" ? environment.tier : undefined;
  return { region, scenario: "region", ...(tier ? { tier } : {}), preparation, steps, manualSteps: steps.filter((s) => s.kind === "gate").length, notNeeded };
}

/** `stacks` ordered so that each comes after its dependencies among them; ties by name. */
export function topological(stacks: readonly string[], manifest: Manifest): string[] {
  const pending = [...stacks].sort();
  const done: string[] = [];
  while (pending.length > 0) {
    const next = pending.find((id) => manifest.stacks[id].dependencies.every((d) => done.includes(d) || !stacks.includes(d)));
    if (next === undefined) throw new Error(`dependency cycle among ${pending.join(", ")}`);
    done.push(next);
    pending.splice(pending.indexOf(next), 1);
  }
  return done;
}

/** A stack deployed in peacetime (its own synth; its dependencies deployed before it). */
function peacetime(stack: string, title: string): PlanStep {
  return {
    id: deployStepId(stack),
    title,
    kind: "deploy",
    stack,
    commands: [`npx cdktf deploy ${stack} --ignore-missing-stack-dependencies --auto-approve`],
    after: [],
    phase: "serve",
  };
}

/**
 * The pair's DNS stack and, for a pilot light, the recovery's networking stack: deployed in
 * peacetime, so that the site's traffic moves without a write during the outage.
 */
function dnsPreparation(environment: Environment & { role: "recovery" }, manifest: Manifest): PlanStep[] {
  const dnsStack = stackId("dns", environment.recoveryOf);
  if (!(dnsStack in manifest.stacks)) throw new Error(`manifest.json has no stack ${dnsStack}; synthesize again`);
  const steps: PlanStep[] = [
    {
      ...peacetime(
        dnsStack,
        `The site's zone ${environment.dns.domain} and its certificates in ${environment.recoveryOf} and ${environment.region} (deployed with ${environment.recoveryOf}'s stacks)`,
      ),
      note: `Once, unless the registrar lists them already: set the name servers of ${environment.dns.domain} to ${dnsStack}'s (npx cdktf output ${dnsStack}); they never change afterwards (reusable delegation set).`,
    },
  ];
  if (environment.tier === "pilot-light") {
    const networking = stackId("networking", environment.region);
    steps.push({
      ...peacetime(
        networking,
        `The pilot light: ${networking} (VPC, NAT gateway, the site's load balancer with its certificate, the SECONDARY record of ${siteHost(environment.dns)} and its health check)`,
      ),
      note: "Route 53 fails the site over to this load balancer by itself when the primary's health check fails; see docs/dns-failover.md for its monthly cost.",
    });
  }
  return steps;
}

/**
 * A warm standby's standing stacks (every layer of its region but the standby layer, already
 * listed, and the replication), deployed in peacetime after the Git credentials are in place:
 * its Flux syncs from the start.
 */
function warmStandbyPreparation(environment: Environment & { role: "recovery" }, manifest: Manifest): PlanStep[] {
  if (environment.tier !== "warm-standby") return [];
  const standing = Object.keys(manifest.stacks).filter((id) => {
    const parsed = parseStackId(id);
    return parsed?.region === environment.region && !parsed.rehearsal && parsed.layer !== "standby" && isPeacetimeLayer(environment, parsed.layer);
  });
  return topological(standing, manifest).map((stack) =>
    peacetime(stack, `The warm standby: ${stack} (${WARM_STANDBY_PREPARED[parseStackId(stack)!.layer] ?? "kept applied"})`),
  );
}

/** The site through its real host name: the failover record, the certificate and the pods, all at once. */
export function siteSmokeCheck(environment: Environment): Omit<PlanStep, "after"> {
  const url = `https://${siteHost(environment.dns)}${environment.dns.healthCheckPath}`;
  return {
    id: "smoke",
    title: `Smoke check: ${url} answers (the failover record, this region's certificate and load balancer, the site's pods)`,
    kind: "check",
    // Retried: Route 53 moves the record after 3 failed health checks 30 s apart, and resolvers keep the old answer for the alias TTL (60 s).
    commands: [`curl -fsS --retry 20 --retry-delay 15 --retry-all-errors -o /dev/null -w '%{http_code}\\n' ${url}`],
    phase: "serve",
    note: `Fails by itself; then ${drCommand("preflight", environment.role === "recovery" ? environment.region : "<recovery region>")} shows the health checks and the region ${siteHost(environment.dns)} resolves to.`,
  };
}

function notNeededSteps(environment: Environment): string[] {
  const region = environment.region;
  const workloads = stackId("workloads", region, environment.kubernetes.generation);
  const application = stackId("application", region);
  const lines: string[] = [];
  if (environment.role === "recovery") {
    const standby = stackId("standby", region);
    lines.push(
      `Deploying ${standby} on the day: it is peacetime only (its plan would call IAM, Route 53 and ${environment.recoveryOf}); deploy the stacks above by name, never '*-${region}'.`,
      environment.tier === "warm-standby"
        ? `Restoring the database: ${application}'s read replica of ${environment.recoveryOf}'s database is promoted (the promote step); nothing is restored or created.`
        : `Restoring the database by hand: ${application} restores it from ${environment.recoveryOf}'s replicated backups (and a restore that outlives Terraform's wait is adopted by the next recover run).`,
      `Pointing the assets at a new bucket: ${application} uses ${environment.recoveryOf}'s replica bucket, already in ${region}.`,
      `Updating the name servers of ${environment.dns.domain}: the zone is ${stackId("dns", environment.recoveryOf)}'s, made in peacetime with a reusable delegation set; nothing rebuilds it.`,
      isPeacetimeLayer(environment, "networking")
        ? `Moving the site's traffic: Route 53 answers ${siteHost(environment.dns)} with ${region}'s load balancer (SECONDARY record) once ${environment.recoveryOf}'s health check fails; no write during the outage.`
        : `Creating a certificate for ${siteHost(environment.dns)} in ${region}: ${stackId("dns", environment.recoveryOf)} made and validated it in peacetime.`,
      `Creating IAM roles, policies or an OIDC provider: ${standby} made them in peacetime; the cluster uses EKS Pod Identity.`,
      `Logging in to the cluster and waiting for Flux by hand: recover runs both (the flux step).`,
    );
  }
  lines.push("Reconfiguring services with the new datastore endpoints: Flux substitutes them from the cluster-vars ConfigMap.");
  if (environment.role === "recovery") {
    lines.push(
      environment.tier === "warm-standby"
        ? `Recreating the broker's queues, exchanges, bindings and policies: the standing broker has ${environment.recoveryOf}'s definitions, imported by ${workloads} (messages in flight are lost).`
        : `Recreating the broker's queues, exchanges, bindings and policies: ${workloads} imports ${environment.recoveryOf}'s newest definitions export before the workloads start (messages in flight are lost).`,
    );
  }
  if (environment.broker.users.length > 0) {
    lines.push(`Creating the RabbitMQ users (${environment.broker.users.join(", ")}): ${workloads} runs a job that creates them from their generated secrets.`);
  }
  lines.push(`Starting the database archive and broker definitions exports in the new region: ${workloads} schedules both (${environment.backups.schedule}).`);
  lines.push(
    environment.role === "recovery"
      ? `Re-encrypting the repository with SOPS on the day: its files already list ${environment.recoveryOf}'s key replica in ${region} (sops-config, checked by preflight --platform-repo).`
      : "Re-encrypting the repository with SOPS: the key is protected from destroy and survives a rebuild of this environment.",
  );
  return lines;
}
