import { BROKER_ROTATION_SCRIPT, BROKER_SECRET_VARIABLE_PREFIX } from "../../../naming";
import { asList, firstBlock, PolicyRule, type SynthesizedStack } from "../../rule";

/** A scheduled, unsuspended CronJob's container that runs the rotation script: its namespace and environment. */
export interface RotationContainer {
  readonly namespace: unknown;
  readonly env: ReadonlyMap<string, unknown>;
}

/** The containers of the stack's scheduled, unsuspended CronJobs that run the rotation script. */
export function rotationContainers(stack: SynthesizedStack): RotationContainer[] {
  const found: RotationContainer[] = [];
  for (const cronJob of stack.resources.filter((r) => r.type === "kubernetes_cron_job_v1")) {
    const spec = firstBlock(cronJob.config.spec);
    if (typeof spec?.schedule !== "string" || spec.schedule.trim() === "" || spec.suspend === true) continue;
    const pod = firstBlock(firstBlock(firstBlock(firstBlock(spec.job_template)?.spec)?.template)?.spec);
    for (const container of asList<Record<string, any>>(pod?.container)) {
      if (!asList<unknown>(container.command).some((part) => typeof part === "string" && part.endsWith(`/${BROKER_ROTATION_SCRIPT}`))) continue;
      const env = new Map(asList<Record<string, any>>(container.env).map((e) => [e.name as string, e.value as unknown]));
      found.push({ namespace: firstBlock(cronJob.config.metadata)?.namespace, env });
    }
  }
  return found;
}

/**
 * The broker users' secrets live in the application stack and the job that rotates them in the
 * workloads stack, and a rule sees one stack. So it judges what the workloads stack can see: every
 * secret its cluster-vars ConfigMap hands to the workloads (BROKER_SECRET_*) is in the USERS list of
 * a CronJob there that runs the rotation script with a schedule. A user listed in the environment
 * is always in cluster-vars, so every broker user of an environment is covered.
 */
function rotatedSecrets(stack: SynthesizedStack): Set<string> {
  const rotated = new Set<string>();
  for (const { env } of rotationContainers(stack)) {
    const users = env.get("USERS");
    if (typeof users !== "string") continue;
    for (const entry of users.split(/\s+/)) if (entry.includes("=")) rotated.add(entry.slice(entry.indexOf("=") + 1));
  }
  return rotated;
}

export const BrokerUsersRotated: PolicyRule = {
  id: "DR-MQ-3",
  description: `Every broker user secret the workloads are given (cluster-vars ${BROKER_SECRET_VARIABLE_PREFIX}*) is rotated by a scheduled, unsuspended CronJob running ${BROKER_ROTATION_SCRIPT} in the same stack (in-cluster rotation: the broker is private).`,
  fix: "Leave broker.passwordRotationSchedule at its default (monthly) or set a cron; the workloads stack then adds BrokerPasswordRotation for every broker user. false turns rotation off and needs a suppression with its reason.",
  counterparts: { checkov: "CKV2_AWS_57 (equivalent by in-cluster rotation)" },
  evaluate(resource, stack) {
    if (resource.type !== "kubernetes_config_map_v1") return "not-applicable";
    const data = resource.config.data;
    const secrets = Object.entries(data && typeof data === "object" ? data : {})
      .filter(([key]) => key.startsWith(BROKER_SECRET_VARIABLE_PREFIX))
      .map(([, value]) => value);
    if (secrets.length === 0) return "not-applicable";
    const rotated = rotatedSecrets(stack);
    return secrets.every((secret) => typeof secret === "string" && rotated.has(secret)) ? "compliant" : "non-compliant";
  },
};
