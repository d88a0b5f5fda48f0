import { holdsContainers, isKubernetesResource, toKubernetesObject } from "../../../kubernetes/from-terraform";
import { podSecurityViolations, podTemplatesOf } from "../../../kubernetes/pod-security";
import type { PolicyRule } from "../../rule";

export const PodSecurityRestricted: PolicyRule = {
  id: "DR-K8S-1",
  description:
    "Every pod (Pod, Job, CronJob, Deployment and other pod-template carriers) meets Pod Security restricted and runs with a numeric non-root user and group, a read-only root file system and CPU and memory requests and limits.",
  fix: "Set the container's security_context (run_as_user/run_as_group as the image's numeric ids, run_as_non_root, allow_privilege_escalation false, capabilities drop ALL, seccomp_profile RuntimeDefault, read_only_root_filesystem) and resources requests and limits; podSecurityViolations() in lib/kubernetes/pod-security.ts lists each missing field.",
  counterparts: { checkov: "CKV_K8S_10-13 / CKV_K8S_20 / CKV_K8S_22 / CKV_K8S_23 / CKV_K8S_28 / CKV_K8S_31" },
  evaluate(resource) {
    if (!isKubernetesResource(resource.type)) {
      // A pod carrier the converter does not map yet cannot be vouched for: refuse it rather than pass it unseen.
      return resource.type.startsWith("kubernetes_") && holdsContainers(resource.config) ? "non-compliant" : "not-applicable";
    }
    const templates = podTemplatesOf(toKubernetesObject(resource.type, resource.config));
    if (templates.length === 0) return "not-applicable";
    return templates.every((template) => podSecurityViolations(template).length === 0) ? "compliant" : "non-compliant";
  },
};
