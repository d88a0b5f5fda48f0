import { isKubernetesResource, toKubernetesObject } from "../../../kubernetes/from-terraform";
import { namespaceLabelViolations } from "../../../kubernetes/pod-security";
import type { PolicyRule } from "../../rule";

export const NamespaceRestricted: PolicyRule = {
  id: "DR-K8S-2",
  description: "Every namespace is labelled for Pod Security Admission to enforce, audit and warn on the restricted profile.",
  fix: "Add the labels pod-security.kubernetes.io/enforce, /audit and /warn, each restricted (RESTRICTED_NAMESPACE_LABELS in lib/kubernetes/pod-security.ts).",
  counterparts: {},
  evaluate(resource) {
    if (!isKubernetesResource(resource.type)) return "not-applicable";
    const object = toKubernetesObject(resource.type, resource.config);
    if (object.kind !== "Namespace") return "not-applicable";
    return namespaceLabelViolations(object.metadata.labels).length === 0 ? "compliant" : "non-compliant";
  },
};
