/**
 * The Kubernetes object a `kubernetes_*` resource of the Terraform kubernetes provider (2.x)
 * creates, from its synthesized snake_case JSON. Pure: no cdktf, no I/O. The policy rules judge
 * pods on the result, and the unit tests validate it against the Kubernetes API schema.
 *
 * What the provider does between its configuration and the API, and so what this does:
 * - block and attribute names become camelCase; the blocks the provider names in the singular
 *   become the API's lists (`container` -> `containers`, `volume_mount` -> `volumeMounts`, a Role's
 *   `rule` -> `rules`, a RoleBinding's `subject` -> `subjects`);
 * - a block that may appear once (`metadata`, `spec`, `security_context`) becomes an object,
 *   whether Terraform JSON wrote it as an object or as a list of one;
 * - attributes the provider types as strings but the API as integers (`run_as_user`,
 *   `ttl_seconds_after_finished`, octal `default_mode`) become numbers;
 * - a secret's `data` is base64-encoded by the provider, `binary_data` is already base64;
 * - provider-only settings (`wait_for_completion`, `timeouts`, Terraform meta-arguments) are
 *   not part of the object.
 * Terraform expressions (`${...}`) are kept as they are: their values exist only at apply time.
 * A block this module does not know how to map fails loudly rather than being guessed.
 */

type Obj = Record<string, any>;

export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: Obj;
  readonly [field: string]: unknown;
}

/** Resource types this converter maps, and the API type each one creates. */
export const KUBERNETES_RESOURCE_KINDS: Readonly<Record<string, { readonly apiVersion: string; readonly kind: string }>> = {
  kubernetes_namespace_v1: { apiVersion: "v1", kind: "Namespace" },
  kubernetes_namespace: { apiVersion: "v1", kind: "Namespace" },
  kubernetes_secret_v1: { apiVersion: "v1", kind: "Secret" },
  kubernetes_secret: { apiVersion: "v1", kind: "Secret" },
  kubernetes_config_map_v1: { apiVersion: "v1", kind: "ConfigMap" },
  kubernetes_config_map: { apiVersion: "v1", kind: "ConfigMap" },
  kubernetes_pod_v1: { apiVersion: "v1", kind: "Pod" },
  kubernetes_pod: { apiVersion: "v1", kind: "Pod" },
  kubernetes_job_v1: { apiVersion: "batch/v1", kind: "Job" },
  kubernetes_job: { apiVersion: "batch/v1", kind: "Job" },
  kubernetes_cron_job_v1: { apiVersion: "batch/v1", kind: "CronJob" },
  kubernetes_service_account_v1: { apiVersion: "v1", kind: "ServiceAccount" },
  kubernetes_deployment_v1: { apiVersion: "apps/v1", kind: "Deployment" },
  kubernetes_deployment: { apiVersion: "apps/v1", kind: "Deployment" },
  kubernetes_stateful_set_v1: { apiVersion: "apps/v1", kind: "StatefulSet" },
  kubernetes_stateful_set: { apiVersion: "apps/v1", kind: "StatefulSet" },
  kubernetes_daemon_set_v1: { apiVersion: "apps/v1", kind: "DaemonSet" },
  kubernetes_daemonset: { apiVersion: "apps/v1", kind: "DaemonSet" },
  kubernetes_replication_controller_v1: { apiVersion: "v1", kind: "ReplicationController" },
  kubernetes_replication_controller: { apiVersion: "v1", kind: "ReplicationController" },
  kubernetes_role_v1: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role" },
  kubernetes_role: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role" },
  kubernetes_role_binding_v1: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding" },
  kubernetes_role_binding: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding" },
};

/** Settings of the provider or of Terraform, not fields of the object. */
const NOT_OBJECT_FIELDS = new Set([
  "//",
  "count",
  "for_each",
  "provider",
  "depends_on",
  "lifecycle",
  "timeouts",
  "connection",
  "provisioner",
  "wait_for_completion",
  "wait_for_rollout",
  "wait_for_default_service_account",
  "wait_for_service_account_token",
  "wait_for_load_balancer",
  "target_state",
]);

/** Provider block names whose API field is a list under another name. */
const LIST_BLOCKS: Readonly<Record<string, string>> = {
  container: "containers",
  init_container: "initContainers",
  volume: "volumes",
  volume_mount: "volumeMounts",
  port: "ports",
  toleration: "tolerations",
  host_aliases: "hostAliases",
  topology_spread_constraint: "topologySpreadConstraints",
  readiness_gate: "readinessGates",
  sysctl: "sysctls",
  option: "options",
  http_header: "httpHeaders",
  env: "env",
  env_from: "envFrom",
  image_pull_secrets: "imagePullSecrets",
  items: "items",
  match_expressions: "matchExpressions",
  match_fields: "matchFields",
  node_selector_term: "nodeSelectorTerms",
  preferred_during_scheduling_ignored_during_execution: "preferredDuringSchedulingIgnoredDuringExecution",
  required_during_scheduling_ignored_during_execution: "requiredDuringSchedulingIgnoredDuringExecution",
  volume_claim_template: "volumeClaimTemplates",
  sources: "sources",
  finalizers: "finalizers",
  rule: "rules",
  subject: "subjects",
};

/** Names whose camelCase differs from the API's spelling. */
const RENAMED: Readonly<Record<string, string>> = {
  host_ipc: "hostIPC",
  host_pid: "hostPID",
  host_ip: "hostIP",
  downward_api: "downwardAPI",
  pod_ip: "podIP",
  cluster_ip: "clusterIP",
};

/** Attributes the provider types as strings and the API as integers. */
const INTEGER_STRINGS = new Set(["run_as_user", "run_as_group", "fs_group", "ttl_seconds_after_finished"]);
/** Attributes the provider takes as octal strings (`"0644"`) and the API as integers. */
const OCTAL_STRINGS = new Set(["default_mode", "mode"]);

const isObject = (value: unknown): value is Obj => value !== null && typeof value === "object" && !Array.isArray(value);
const isExpression = (value: unknown): value is string => typeof value === "string" && value.includes("${");
const camel = (name: string) => RENAMED[name] ?? name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Free-form maps: their keys are data, never converted. */
const MAPS = new Set(["labels", "annotations", "data", "binary_data", "string_data", "node_selector", "limits", "requests", "match_labels"]);

function convertValue(name: string, value: unknown, path: string): unknown {
  if (isExpression(value)) return value;
  if (INTEGER_STRINGS.has(name) && typeof value === "string") return integer(value, 10, path);
  if (OCTAL_STRINGS.has(name) && typeof value === "string") return integer(value, 8, path);
  if (MAPS.has(name)) return value;
  if (Array.isArray(value)) {
    if (!value.some(isObject)) return name === "supplemental_groups" ? value.map((v) => (typeof v === "string" ? integer(v, 10, path) : v)) : value;
    if (name in LIST_BLOCKS) return value.map((item, index) => convertBlock(item, `${path}[${index}]`));
    if (value.length === 1) return convertBlock(value[0], `${path}[0]`);
    throw new Error(`kubernetes converter: ${path} is a list of ${value.length} blocks, and ${name} is not a known list block`);
  }
  if (isObject(value)) {
    if (name in LIST_BLOCKS) return [convertBlock(value, path)];
    return convertBlock(value, path);
  }
  return value;
}

function integer(value: string, radix: number, path: string): number {
  const parsed = parseInt(value, radix);
  if (!/^[0-9]+$/.test(value) || Number.isNaN(parsed))
    throw new Error(`kubernetes converter: ${path} must be an integer string (got ${JSON.stringify(value)})`);
  return parsed;
}

function convertBlock(block: unknown, path: string): Obj {
  if (!isObject(block)) throw new Error(`kubernetes converter: ${path} must be a block (got ${JSON.stringify(block)})`);
  const out: Obj = {};
  for (const [name, value] of Object.entries(block)) {
    if (value === undefined || value === null) continue;
    const key = LIST_BLOCKS[name] ?? camel(name);
    out[key] = convertValue(name, value, `${path}.${name}`);
  }
  return out;
}

/** A block Terraform JSON may write as an object or as a list of one. */
function single(value: unknown): Obj | undefined {
  if (Array.isArray(value)) return value[0];
  return isObject(value) ? value : undefined;
}

/**
 * The object a resource creates. Throws for a resource type it does not map
 * (`KUBERNETES_RESOURCE_KINDS`) and for blocks it cannot map faithfully.
 */
export function toKubernetesObject(type: string, config: Obj): KubernetesObject {
  const target = KUBERNETES_RESOURCE_KINDS[type];
  if (!target) throw new Error(`kubernetes converter: no mapping for ${type} (mapped: ${Object.keys(KUBERNETES_RESOURCE_KINDS).join(", ")})`);
  const object: Obj = { apiVersion: target.apiVersion, kind: target.kind, metadata: convertBlock(single(config.metadata) ?? {}, `${type}.metadata`) };
  for (const [name, value] of Object.entries(config)) {
    if (name === "metadata" || NOT_OBJECT_FIELDS.has(name) || value === undefined || value === null) continue;
    object[LIST_BLOCKS[name] ?? camel(name)] = convertValue(name, value, `${type}.${name}`);
  }
  if (target.kind === "Secret") {
    // The provider base64-encodes `data` itself; an expression's value is known at apply time only.
    if (isObject(object.data)) {
      object.data = Object.fromEntries(Object.entries(object.data).map(([k, v]) => [k, isExpression(v) ? v : Buffer.from(String(v)).toString("base64")]));
    }
    // `binary_data` is base64 already; the API has one `data` map for both.
    if (object.binaryData !== undefined) {
      object.data = isObject(object.data) && isObject(object.binaryData) ? { ...object.data, ...object.binaryData } : object.binaryData;
      delete object.binaryData;
    }
    object.type ??= "Opaque";
  }
  return object as KubernetesObject;
}

/** Whether a resource's configuration holds a pod's `container` block anywhere (any pod carrier). */
export function holdsContainers(config: unknown): boolean {
  if (Array.isArray(config)) return config.some(holdsContainers);
  if (!isObject(config)) return false;
  const block = config.container;
  if (isObject(block) || (Array.isArray(block) && block.some(isObject))) return true;
  return Object.values(config).some(holdsContainers);
}

/** Whether a Terraform resource type is one of the provider's Kubernetes objects this module maps. */
export function isKubernetesResource(type: string): boolean {
  return type in KUBERNETES_RESOURCE_KINDS;
}
