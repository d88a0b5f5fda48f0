import type { PrimaryEnvironment, PrimarySide, RecoveryEnvironment } from "../../environment";
import { isPeacetimeLayer } from "../../operations/day-stacks";
import type { Manifest } from "../../operations/stack-graph";
import { databaseIdentifier, drCommand, parseStackId, stackId, stateStackId, vaultNames } from "../../naming";
import { buildPlan, deployCommand, deployStepId, topological, type PlanStep, type RecoveryPlan } from "../plan";
import { connectionUrl } from "./database";

/** One change to an environment file that a rebuild in a new account needs. */
export interface AccountEdit {
  /** `environments/<region>.ts` */
  readonly file: string;
  /** The field's path, dotted (`state.bucket`). */
  readonly field: string;
  readonly from: unknown;
  /** `undefined`: the field is removed. */
  readonly to: unknown;
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * The edits that move a pair of environment files to account `newAccount`: the account id in both;
 * a bucket suffix of the new account's id (bucket names are global and the lost account's stay
 * reserved); a new state bucket; the admin roles' ARNs; no reusable delegation set (it was the lost
 * account's); and the primary's broker imports its newest definitions export (copied from the
 * vault). Empty when the primary's file already names `newAccount` (the files are edited).
 */
export function accountEdits(side: PrimarySide, newAccount: string): AccountEdit[] {
  const primary = side.environment;
  const problems: string[] = [];
  if (!ACCOUNT_ID.test(newAccount)) problems.push(`--new-account must be a 12-digit AWS account id (got ${newAccount})`);
  if (primary.vault === undefined) {
    problems.push(`environments/${primary.region}.ts declares no vault: a rebuild in a new account restores from the vault's copies (docs/vault.md)`);
  } else if (primary.vault.accountId === newAccount) {
    problems.push(`--new-account ${newAccount} is the vault account: rebuild in another account (the vault keeps the copies, apart)`);
  }
  if (problems.length > 0) throw new Error(problems.join("; "));
  if (primary.accountId === newAccount) {
    // Already edited: the names must not be the lost account's.
    if (primary.bucketSuffix === undefined) {
      throw new Error(
        `environments/${primary.region}.ts names account ${newAccount} but no bucketSuffix: the bucket names of the lost account stay reserved; set bucketSuffix: "${newAccount}"`,
      );
    }
    const stale = side.recoveries.filter((r) => r.accountId !== newAccount).map((r) => `environments/${r.region}.ts`);
    if (stale.length > 0) throw new Error(`${stale.join(", ")} still name account ${side.recoveries[0].accountId}: set accountId "${newAccount}" there too`);
    return [];
  }
  const old = primary.accountId;
  const newStateBucket = renamedStateBucket(primary.state.bucket, primary.bucketSuffix, newAccount);
  const edits: AccountEdit[] = [];
  const edit = (environment: PrimaryEnvironment | RecoveryEnvironment, field: string, from: unknown, to: unknown) => {
    if (JSON.stringify(from) !== JSON.stringify(to)) edits.push({ file: `environments/${environment.region}.ts`, field, from, to });
  };
  for (const environment of [primary, ...side.recoveries]) {
    edit(environment, "accountId", environment.accountId, newAccount);
    edit(environment, "bucketSuffix", environment.bucketSuffix, newAccount);
    if (environment.state.bucket === primary.state.bucket) edit(environment, "state.bucket", environment.state.bucket, newStateBucket);
    const roles = environment.kubernetes.adminRoleArns;
    edit(
      environment,
      "kubernetes.adminRoleArns",
      roles,
      roles.map((arn) => arn.replace(`:${old}:`, `:${newAccount}:`)),
    );
    if (environment.role === "recovery" && environment.standby.alarmTopicArn !== undefined) {
      edit(environment, "standby.alarmTopicArn", environment.standby.alarmTopicArn, environment.standby.alarmTopicArn.replace(`:${old}:`, `:${newAccount}:`));
    }
    if (environment.role === "primary") {
      edit(environment, "dns.delegationSetId", environment.dns.delegationSetId, undefined);
      edit(environment, "broker.importDefinitions", environment.broker.importDefinitions, true);
    }
  }
  return edits;
}

/** The environment as its file reads after `edits`. */
export function editedEnvironment<E extends PrimaryEnvironment | RecoveryEnvironment>(environment: E, edits: readonly AccountEdit[]): E {
  const copy = structuredClone(environment) as E & Record<string, unknown>;
  for (const e of edits.filter((x) => x.file === `environments/${environment.region}.ts`)) {
    const path = e.field.split(".");
    let at = copy as Record<string, unknown>;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
    if (e.to === undefined) delete at[path[path.length - 1]];
    else at[path[path.length - 1]] = e.to;
  }
  return copy;
}

/** `<bucket>-<account>`, without the old suffix when the bucket ends with it; at most 63 characters. */
function renamedStateBucket(bucket: string, oldSuffix: string | undefined, newAccount: string): string {
  const base = oldSuffix !== undefined && bucket.endsWith(`-${oldSuffix}`) ? bucket.slice(0, -oldSuffix.length - 1) : bucket;
  const renamed = `${base}-${newAccount}`;
  if (renamed.length > 63)
    throw new Error(`the new state bucket ${renamed} is longer than 63 characters: set state.bucket to a shorter new name in the files first`);
  return renamed;
}

/**
 * The account scenario (the seed's "AWS account or resources deleted: terraform is run in a new
 * account, services pointed at the new datastores, RabbitMQ users created"): a primary rebuilt in
 * account `newAccount` from its vault (docs/vault.md, "Rebuilding in a new account"). The files are
 * edited first (accountEdits); one synth; the new state bucket; the vault stack's state copied out
 * of the vault, its vault resources only, so that the vault stack adopts the vault's buckets, key,
 * secret and backup vault and makes its workload side again; the primary's stacks; the newest
 * archive copied from the vault and loaded into the empty database and checked; the Git
 * credentials from the vault's secret; the broker's definitions imported by the workloads stack;
 * the smoke check; then the recovery's peacetime stacks.
 *
 * Built from the files before or after the edit: the steps are the same, so a run resumes across it.
 */
export function buildAccountPlan(side: PrimarySide, manifest: Manifest, newAccount: string): RecoveryPlan {
  const edits = accountEdits(side, newAccount);
  const primary = editedEnvironment(side.environment, edits);
  const recoveries = side.recoveries.map((r) => editedEnvironment(r, edits));
  const region = primary.region;
  const vault = primary.vault!;
  // The synthesized app may predate the edit: its state stack is the old bucket's.
  const stateStack = stateStackId(primary.state.bucket);
  const graph = renamedStack(manifest, stateStackId(side.environment.state.bucket), stateStack);
  const vaultStack = stackId("vault", region);
  if (!(vaultStack in graph.stacks)) throw new Error(`manifest.json has no stack ${vaultStack}; synthesize again`);
  const base = buildPlan(primary, graph);
  const application = stackId("application", region);
  const workloads = stackId("workloads", region, primary.kubernetes.generation);
  const files = [...new Set([`environments/${region}.ts`, ...recoveries.map((r) => `environments/${r.region}.ts`)])];

  const steps: PlanStep[] = [];
  const add = (s: Omit<PlanStep, "phase"> & Partial<Pick<PlanStep, "phase">>) => steps.push({ phase: "serve", ...s });
  add({
    id: "declare",
    title: `Declare the workload account lost: ${region} is rebuilt in account ${newAccount} from the vault (account ${vault.accountId}, ${vault.region})`,
    kind: "gate",
    commands: [
      `aws sts get-caller-identity --query Account --output text   # ${newAccount}: every call of the rebuild is signed by the new account (or the vault role)`,
    ],
    after: [],
    note: "A person decides. The vault's copies are what the rebuild has: the newest archive is its database's recovery point.",
  });
  add({
    id: "edit",
    title: `Edit ${files.join(" and ")} for account ${newAccount}`,
    kind: "gate",
    commands: files.map((file) => `grep -n -E 'accountId|bucketSuffix|bucket:|adminRoleArns|delegationSetId|importDefinitions' ${file}`),
    after: ["declare"],
    note:
      edits.length === 0
        ? "Already done: the files name the new account."
        : edits.map((e) => `${e.file}: ${e.field} ${show(e.from)} -> ${e.to === undefined ? "(removed)" : show(e.to)}`).join("; "),
  });
  add({
    id: "preflight",
    title: `Preflight: the vault holds what the rebuild takes (its state, the newest archive, the Git credentials, the assets, the images), read through the vault role`,
    kind: "check",
    commands: [drCommand("from-vault", region, "check")],
    after: ["edit"],
    note: "Reads only. The caller must be the new account and the vault role must trust it; every missing copy is named: stop there.",
  });
  add({ id: "synth", title: "Synthesize every stack (for the new account)", kind: "check", commands: ["npx cdktf synth"], after: ["preflight"] });
  add({
    id: "state-bucket",
    title: `The new state bucket ${primary.state.bucket} in ${primary.state.region}`,
    kind: "deploy",
    stack: stateStack,
    commands: [deployCommand(stateStack)],
    after: ["synth"],
  });
  add({
    id: "vault-state",
    title: `Copy ${vaultStack}'s state out of the vault (${vaultNames(primary, vault).stateBucket}): its vault resources only`,
    kind: "check",
    commands: [drCommand("from-vault", region, "state")],
    after: ["state-bucket"],
    note: `The lost account's resources are dropped from the copy: ${vaultStack} makes its workload side (the snapshot plan, the state replication) again, and admits the new account to the vault's buckets, key and backup vault.`,
  });
  const copies: PlanStep[] = [];
  for (const s of base.steps.filter((x) => x.kind === "deploy" && x.phase === "serve")) {
    // Every deploy after the new state bucket (the vault stack after its state copy); the workloads
    // after the archive is loaded into the empty database and the Git credentials are in.
    const after = s.after.filter((a) => a !== "synth");
    const first = s.stack === vaultStack ? ["vault-state"] : after.length === 0 ? ["state-bucket"] : [];
    const extra = s.stack === workloads ? ["load", "git-credentials"] : [];
    add({ ...s, after: [...new Set([...after, ...first, ...extra])].sort() });
    if (s.stack !== application) continue;
    copies.push(
      {
        id: "git-credentials",
        title: `Copy Flux's Git credentials from the vault's secret into ${primary.flux.gitCredentialsSecretName} of ${region} (${application} made it)`,
        kind: "check",
        commands: [drCommand("from-vault", region, "git-credentials")],
        after: [deployStepId(application)],
        phase: "serve",
        note: "The value is never printed. Its replica follows by itself.",
      },
      {
        id: "archive",
        title: `Copy the vault's newest database archive and broker definitions export into the new hosting-services bucket (${primary.drRegion})`,
        kind: "check",
        commands: [drCommand("from-vault", region, "archive", ...pinnedArchive(primary))],
        after: [deployStepId(application)],
        phase: "serve",
        note: "Prints the archive's key and its snapshot time: the rebuild's recovery point.",
      },
      {
        id: "load",
        title: `Load the archive into the empty ${databaseIdentifier(primary.project, region, 1)} and check it: its sha256, every table's rows and checksum against its manifest`,
        kind: "check",
        commands: [
          `${drCommand("verify-backup", primary.drRegion, ...pinnedArchive(primary, "--archive"))} --target "${connectionUrl(primary, databaseIdentifier(primary.project, region, 1), describeRds(region))}"`,
        ],
        after: ["archive"],
        phase: "serve",
        note: "From a host that reaches the database (inside the VPC or peered): it is private. Before the workloads start: the target must be empty.",
      },
    );
  }
  steps.push(...copies);
  add({
    id: "sops",
    title: `Re-encrypt the platform-k8s repository's secrets for the new account's SOPS key (${application} made it), with the offline break-glass age key`,
    kind: "gate",
    commands: [
      `${drCommand("sops-config", region)} > .sops.yaml   # in the platform-k8s repository`,
      "grep -rlZ --include='*.yaml' '^sops:' . | xargs -0 -r -n1 sops updatekeys -y   # SOPS_AGE_KEY_FILE names the break-glass age key; then commit and push",
    ],
    after: [deployStepId(application)],
    note: "The files were encrypted for the lost account's keys and flux.breakGlassAgeRecipients: only the offline age key still decrypts them (docs/gitops.md).",
  });
  add({
    id: "assets",
    title: `Copy the assets from the vault's copy (${vaultNames(primary, vault).assetsBucket}) into the new assets bucket`,
    kind: "check",
    commands: [drCommand("from-vault", region, "assets")],
    after: [deployStepId(application)],
    note: "Every object's newest version; an object already there with the same size is skipped. Replication to drRegion and the vault follows new writes.",
  });
  add({
    id: "images",
    title: `Copy the images from the vault's registry (${vault.accountId}.dkr.ecr.${vault.region}.amazonaws.com) into the new account's registry in ${region}`,
    kind: "check",
    commands: [drCommand("from-vault", region, "images")],
    after: [deployStepId(application)],
    note: "ECR replication copies new pushes only: every repository of the vault's registry is copied once with crane (not shipped with this library: the command says how to get it when it is missing). Images pulled through the pull through cache rules need nothing.",
  });
  // Not replicate-existing: every object of the new buckets is written after their replication rules (the vault's copies included).
  for (const s of base.steps.filter((x) => x.kind !== "deploy" || x.phase !== "serve").filter((x) => x.id !== "synth" && x.id !== "replicate-existing")) {
    const after = s.id === "flux" ? [...s.after, "sops", "images", "git-credentials"] : s.id === "smoke" ? [...s.after, "assets"] : s.after;
    add({ ...s, after: [...new Set(after)].sort() });
  }
  for (const recovery of recoveries) {
    const peacetime = Object.keys(graph.stacks).filter((id) => {
      const parsed = parseStackId(id);
      return parsed?.region === recovery.region && !parsed.rehearsal && parsed.layer !== "dns" && isPeacetimeLayer(recovery, parsed.layer);
    });
    for (const stack of topological(peacetime, graph)) {
      add({
        id: deployStepId(stack),
        title: `Deploy ${stack}: ${recovery.region} stands ready again for the next outage (peacetime)`,
        kind: "deploy",
        stack,
        commands: [deployCommand(stack)],
        after: ["smoke", ...graph.stacks[stack].dependencies.filter((d) => peacetime.includes(d)).map(deployStepId)].sort(),
        phase: "after-serving",
      });
    }
  }
  return {
    region,
    scenario: "account",
    preparation: [
      {
        id: "vault",
        title: `The vault: ${vaultStack} deployed in peacetime, its copies current (status ${primary.drRegion}: the vault rows), the Git credentials in its secret, cross-account backup on in the Organization`,
        kind: "check",
        commands: [drCommand("status", primary.drRegion)],
        after: [],
        phase: "serve",
        note: `The vault role ${vault.roleName} must trust the identity that runs the rebuild (docs/vault.md, "Bootstrapping the vault account").`,
      },
    ],
    steps: orderAfter(steps),
    manualSteps: steps.filter((s) => s.kind === "gate").length,
    runOptions: ["--new-account", newAccount],
    notNeeded: [
      "Recreating the RabbitMQ users by hand: the workloads stack imports the newest definitions export and its job sets each user's password from a new secret.",
      "Pointing the services at the new datastores: Flux substitutes the new endpoints from the cluster-vars ConfigMap.",
      "Writing the vault's bucket, key or backup vault policies by hand: the vault stack admits the new account when it is deployed.",
      "S3 Batch Replication (replicate-existing): every object of the new buckets, the vault's copies included, is written after their replication rules.",
    ],
  };
}

const describeRds = (region: string) => (identifier: string, query: string) =>
  `aws rds describe-db-instances --region ${region} --db-instance-identifier ${identifier} --query '${query}' --output text`;

/** `--key`/`--archive <key>` when the file pins the archive (database.restore), nothing for the newest. */
function pinnedArchive(environment: PrimaryEnvironment, flag = "--key"): string[] {
  const restore = environment.database.restore;
  return restore?.from === "archive" ? [flag, restore.archiveKey] : [];
}

function show(value: unknown): string {
  return value === undefined ? "(none)" : JSON.stringify(value);
}

/** The manifest with stack `from` called `to` (and every dependency on it). */
function renamedStack(manifest: Manifest, from: string, to: string): Manifest {
  if (from === to || !(from in manifest.stacks)) return manifest;
  const rename = (id: string) => (id === from ? to : id);
  return {
    ...manifest,
    stacks: Object.fromEntries(Object.entries(manifest.stacks).map(([id, stack]) => [rename(id), { ...stack, dependencies: stack.dependencies.map(rename) }])),
  };
}

/** The steps in an order where each comes after every step it names (stable otherwise). */
function orderAfter(steps: readonly PlanStep[]): PlanStep[] {
  const ids = new Set(steps.map((s) => s.id));
  const done = new Set<string>();
  const ordered: PlanStep[] = [];
  const pending = [...steps];
  while (pending.length > 0) {
    const next = pending.findIndex((s) => s.after.every((a) => done.has(a) || !ids.has(a)));
    if (next < 0) throw new Error(`the account plan's steps wait on each other: ${pending.map((s) => s.id).join(", ")}`);
    const [step] = pending.splice(next, 1);
    ordered.push(step);
    done.add(step.id);
  }
  return ordered;
}
