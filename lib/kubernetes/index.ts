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
export {
  AWS_CLI,
  cachedRepository,
  CURL,
  FLUX_IMAGE_USER,
  FLUX_IMAGES,
  IMAGE_CATALOGUE,
  imageProblems,
  JOB_USER_ID,
  LB_CONTROLLER,
  NODE,
  parseRegionalReference,
  pendingDigestReason,
  pinnedImageProblems,
  POSTGRES,
  regionalImage,
  regionalReference,
  regionalRepository,
  registryHostOf,
  UPSTREAM_REGISTRIES,
  upstreamReference,
} from "./images";
export type { ContainerImage, ImageRegistry, PinnedImage, Upstream } from "./images";
