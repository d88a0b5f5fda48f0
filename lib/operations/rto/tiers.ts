/**
 * The modelled recovery time of a region for each recovery tier (docs/tiers.md). Backup and
 * restore and pilot light deploy stacks on the day: the stack model (model.ts) over the stacks the
 * tier leaves to the day. A warm standby deploys no stack that creates anything: its day is a few
 * regional calls on what peacetime prepared (promote the read replica, scale the node groups, point
 * the workloads at the promoted database), modelled here from the figures of WARM_STANDBY_DAY.
 */
import type { Environment, RecoveryTier } from "../../environment";
import { parseStackId } from "../../naming";
import { CREATION_TIMES, type CreationTimeTable } from "../creation-times";
import { isPeacetimeLayer, isServingGeneration } from "../day-stacks";
import { DEFAULT_PARALLELISM, modelRto, stacksToServe, type RtoResult, type StackTiming } from "./model";
import { readSynthesizedApp } from "./synthesized";

/** One call of a warm standby's day: what it does, what it waits for, its typical minutes and their source. */
export interface DayAction {
  /** Short id, shown as the row of the model. */
  readonly id: string;
  /** The call or command, as the day runs it. */
  readonly call: string;
  /** Ids of the actions it starts after. */
  readonly after: readonly string[];
  /** Typical minutes until the call's effect is there (the instance available, the nodes ready). */
  readonly minutes: number;
  /** Where the figure comes from. */
  readonly source: string;
  /** True when the figure is our judgement rather than a published or measured value. */
  readonly estimate: boolean;
}

const RDS_PROMOTE =
  'Amazon RDS User Guide, "Promoting a read replica to be a standalone DB instance": RDS reboots the instance before making it available, and the promotion "can take several minutes or longer to complete, depending on the size of the read replica"; 5 min is our judgement for a replica that keeps up';

/**
 * A warm standby's day, in the recovery region only: no IAM or Route 53 write, no call to the lost
 * region, no cluster, node group or database created. The broker is standing already (definitions
 * imported on a schedule), so it has no action.
 */
export const WARM_STANDBY_DAY: readonly DayAction[] = [
  {
    id: "promote-database",
    call: "aws rds promote-read-replica, then aws rds wait db-instance-available",
    after: [],
    minutes: 5,
    source: RDS_PROMOTE,
    estimate: true,
  },
  {
    id: "database-credentials",
    call: "aws rds modify-db-instance --manage-master-user-password --apply-immediately",
    after: ["promote-database"],
    minutes: 1,
    source:
      "the promoted instance gets a master-user secret of its own in the recovery region (the replica's was the primary's): a modification without reboot; RDS creates the secret in about a minute (our judgement)",
    estimate: true,
  },
  {
    id: "scale-node-groups",
    call: "aws eks update-nodegroup-config --scaling-config (the file's sizes)",
    after: [],
    minutes: 3,
    source:
      "EC2 instances launched by the node group's Auto Scaling group, booted and joined as Ready nodes: typically 2-4 min (our judgement; issue 16 gives 3-6 min for a whole node group created)",
    estimate: true,
  },
  {
    id: "application",
    call: "application-<region> applied again: its outputs name the promoted database's secret",
    after: ["database-credentials"],
    minutes: 1,
    source: "the creation-time table: a stack's overhead (1 min); nothing is created or changed in AWS",
    estimate: true,
  },
  {
    id: "workloads",
    call: "workloads-<region> applied again: cluster-vars name the promoted database's secret, replicas from zero to the manifests' own",
    after: ["application", "scale-node-groups"],
    minutes: 1.1,
    source: "the creation-time table: a stack's overhead (1 min) and a config map (0.1 min); nothing is created in AWS",
    estimate: true,
  },
  {
    id: "pods-ready",
    call: "Flux reconciles; pods scheduled, images pulled from the region's pull through cache, ready",
    after: ["workloads"],
    minutes: 2,
    source: "Flux's interval and the image pulls of fresh nodes, like a helm release with wait in the creation-time table (2 min)",
    estimate: true,
  },
  {
    id: "smoke-check",
    call: "the smoke check: an HTTPS request for the health check path through the region's load balancer",
    after: ["pods-ready"],
    minutes: 0.1,
    source: "one HTTPS request",
    estimate: true,
  },
];

/** The day's actions scheduled by their dependencies, as the stack model's result (each action a row). */
export function modelDayActions(actions: readonly DayAction[], tier: RecoveryTier): RtoResult {
  const byId = new Map(actions.map((a) => [a.id, a]));
  const problems = actions.flatMap((a) => a.after.filter((d) => !byId.has(d)).map((d) => `${a.id} waits for unknown action ${d}`));
  if (problems.length > 0) throw new Error(`modelDayActions: ${problems.join("; ")}`);
  const finish = new Map<string, number>();
  const finishOf = (action: DayAction, seen: string[] = []): number => {
    if (seen.includes(action.id)) throw new Error(`modelDayActions: a cycle through ${[...seen, action.id].join(" -> ")}`);
    const known = finish.get(action.id);
    if (known !== undefined) return known;
    const start = Math.max(0, ...action.after.map((d) => finishOf(byId.get(d)!, [...seen, action.id])));
    finish.set(action.id, start + action.minutes);
    return start + action.minutes;
  };
  for (const action of actions) finishOf(action);
  const total = Math.max(...finish.values());
  const criticalPath: string[] = [];
  let current = actions.find((a) => finish.get(a.id) === total);
  while (current) {
    criticalPath.unshift(current.id);
    const start = finish.get(current.id)! - current.minutes;
    current = current.after.map((d) => byId.get(d)!).find((d) => finish.get(d.id) === start);
  }
  const rows: StackTiming[] = actions.map((a) => ({
    stackId: a.id,
    dependencies: [...a.after],
    minutes: a.minutes,
    unlimitedMinutes: a.minutes,
    startMinute: finish.get(a.id)! - a.minutes,
    finishMinute: finish.get(a.id)!,
    critical: criticalPath.includes(a.id),
    longestChain: [{ address: a.id, type: a.call, minutes: a.minutes }],
  }));
  return {
    tier,
    rows: "actions",
    stacks: rows.sort((a, b) => a.startMinute - b.startMinute || (a.stackId < b.stackId ? -1 : 1)),
    criticalPath,
    criticalPathMinutes: total,
    serialMinutes: actions.reduce((sum, a) => sum + a.minutes, 0),
    parallelism: DEFAULT_PARALLELISM,
    restores: [],
    defaultedTypes: [],
    defaultMinutes: CREATION_TIMES.unknownResource.minutes,
  };
}

/**
 * The modelled recovery time of a recovery environment in `tier` (its file's tier when not given),
 * from the synthesized app in `outdir`: the stacks the tier leaves to the day, or a warm standby's
 * actions.
 */
export function modelTierRto(outdir: string, environment: Environment, tier?: RecoveryTier, creationTimes: CreationTimeTable = CREATION_TIMES): RtoResult {
  if (environment.role !== "recovery") {
    throw new Error(`${environment.region} is a primary: a tier is a recovery's (model the primary's rebuild without --tier)`);
  }
  const chosen = tier ?? environment.tier;
  if (chosen === "warm-standby") return modelDayActions(WARM_STANDBY_DAY, chosen);
  const modelled = { ...environment, tier: chosen };
  const onTheDay = (id: string) =>
    stacksToServe(environment.region)(id) && !isPeacetimeLayer(modelled, parseStackId(id)!.layer) && isServingGeneration(environment, parseStackId(id)!);
  const result = modelRto({
    ...readSynthesizedApp(outdir),
    stacks: onTheDay,
    databaseAllocatedStorageGib: environment.database.allocatedStorageGb,
    creationTimes,
  });
  return { ...result, tier: chosen };
}

/** WARM_STANDBY_DAY as the Markdown table of docs/rto.md. */
export function dayActionsMarkdown(actions: readonly DayAction[]): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  return [
    "| action | call | after | minutes | kind | source |",
    "| --- | --- | --- | ---: | --- | --- |",
    ...actions.map(
      (a) =>
        `| \`${a.id}\` | ${cell(a.call)} | ${a.after.map((d) => `\`${d}\``).join(", ") || "-"} | ${a.minutes} | ${a.estimate ? "estimate" : "published"} | ${cell(a.source)} |`,
    ),
  ].join("\n");
}
