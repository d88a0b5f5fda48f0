import { isKubernetesResource, toKubernetesObject } from "../../../kubernetes/from-terraform";
import { podTemplatesOf } from "../../../kubernetes/pod-security";
import { BROKER_ROTATION_SCRIPT } from "../../../naming";
import { PolicyRule } from "../../rule";
import { rotationContainers } from "./broker-users-rotated";

/** The administrator's secrets the object's pods read when they run (`ADMIN_SECRET` of any container, init containers too). */
function adminSecretsRead(config: Record<string, any>, type: string): string[] {
  const secrets = new Set<string>();
  for (const template of podTemplatesOf(toKubernetesObject(type, config))) {
    const spec = template.spec as { containers?: unknown[]; initContainers?: unknown[] };
    for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as { env?: { name: string; value?: unknown }[] }[]) {
      for (const variable of container.env ?? []) if (variable.name === "ADMIN_SECRET" && typeof variable.value === "string") secrets.add(variable.value);
    }
  }
  return [...secrets];
}

/**
 * The administrator's password lives in the application stack (Secrets Manager) and the pods
 * that use it in the workloads stack, and a rule sees one stack. So it judges what the workloads
 * stack can see: every administrator's secret its pods read (ADMIN_SECRET) is rotated by a
 * scheduled, unsuspended CronJob there running the rotation script with that ADMIN_SECRET and
 * ROTATE_ADMIN not false. The pods read it when they run, so no copy lags the rotation.
 */
export const BrokerAdminRotated: PolicyRule = {
  id: "DR-MQ-4",
  description: `The broker administrator's password the pods read (ADMIN_SECRET) is rotated: a scheduled, unsuspended CronJob of the same stack runs ${BROKER_ROTATION_SCRIPT} with that ADMIN_SECRET and ROTATE_ADMIN not false.`,
  fix: "Leave broker.passwordRotationSchedule at its default (monthly) or set a cron: the workloads stack's BrokerPasswordRotation then rotates the administrator too (rotateAdmin). false turns rotation off and needs a suppression with its reason.",
  counterparts: { checkov: "CKV2_AWS_57 (equivalent by in-cluster rotation)" },
  evaluate(resource, stack) {
    if (!isKubernetesResource(resource.type)) return "not-applicable";
    const read = adminSecretsRead(resource.config, resource.type);
    if (read.length === 0) return "not-applicable";
    const rotated = rotationContainers(stack)
      .filter(({ env }) => env.get("ROTATE_ADMIN") !== "false")
      .map(({ env }) => env.get("ADMIN_SECRET"));
    return read.every((secret) => rotated.includes(secret)) ? "compliant" : "non-compliant";
  },
};
