import { BROKER_ADMIN_KUBERNETES_SECRET, BROKER_ROTATION_SCRIPT } from "../../../naming";
import { firstBlock, PolicyRule, reference } from "../../rule";
import { rotationContainers } from "./broker-users-rotated";

/**
 * The administrator's password is in the application stack (Secrets Manager) and in the workloads
 * stack (the Kubernetes secret the broker jobs mount); a rule sees one stack, so it judges the
 * copy the pods get: a rotation CronJob of its namespace rotates the administrator (ADMIN_SECRET)
 * and writes each new password into this very secret (ADMIN_KUBERNETES_SECRET), so the copy never
 * lags the broker.
 */
export const BrokerAdminRotated: PolicyRule = {
  id: "DR-MQ-4",
  description: `The broker administrator's password the pods are given (the Kubernetes secret ${BROKER_ADMIN_KUBERNETES_SECRET}) is rotated: a scheduled, unsuspended CronJob of its namespace runs ${BROKER_ROTATION_SCRIPT} with ADMIN_SECRET and writes each new password into that secret (ADMIN_KUBERNETES_SECRET).`,
  fix: "Leave broker.passwordRotationSchedule at its default (monthly) or set a cron: the workloads stack's BrokerPasswordRotation then rotates the administrator too (rotateAdmin). false turns rotation off and needs a suppression with its reason.",
  counterparts: { checkov: "CKV2_AWS_57 (equivalent by in-cluster rotation)" },
  evaluate(resource, stack) {
    if (resource.type !== "kubernetes_secret_v1") return "not-applicable";
    const metadata = firstBlock(resource.config.metadata);
    if (metadata?.name !== BROKER_ADMIN_KUBERNETES_SECRET) return "not-applicable";
    const names = [metadata.name, reference(resource, "metadata[0].name"), reference(resource, "metadata.0.name")];
    return rotationContainers(stack).some(({ namespace, env }) => {
      const secret = env.get("ADMIN_SECRET");
      return namespace === metadata.namespace && typeof secret === "string" && secret !== "" && names.includes(env.get("ADMIN_KUBERNETES_SECRET") as string);
    })
      ? "compliant"
      : "non-compliant";
  },
};
