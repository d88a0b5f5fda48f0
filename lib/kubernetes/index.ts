export { isKubernetesResource, KUBERNETES_RESOURCE_KINDS, toKubernetesObject } from "./from-terraform";
export type { KubernetesObject } from "./from-terraform";
export {
  libraryViolations,
  namespaceLabelViolations,
  podSecurityViolations,
  podTemplatesOf,
  restrictedViolations,
  RESTRICTED_NAMESPACE_LABELS,
} from "./pod-security";
export type { PodTemplate } from "./pod-security";
