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
export { apiGroup, CHART_CRD_GROUPS, CHART_RESOURCE_GROUPS, clusterOrderProblems, isBuiltInGroup } from "./cluster-order";
export type { OrderStack } from "./cluster-order";
