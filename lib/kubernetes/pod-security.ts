/**
 * Pod security checks over Kubernetes objects as the API server sees them (camelCase, as
 * `kubectl get -o yaml` or `helm template` prints them). Pure functions: no cdktf, no I/O, so
 * the synth-time policy rule, the chart-render test and the unit tests share one judgement.
 *
 * Two sets of checks:
 * - `restrictedViolations`: the Pod Security Standards `restricted` profile (which includes
 *   `baseline`), as the Pod Security Admission controller enforces it in a namespace labelled
 *   `pod-security.kubernetes.io/enforce: restricted`
 *   (https://kubernetes.io/docs/concepts/security/pod-security-standards/, policy version 1.31).
 * - `libraryViolations`: what this library demands on top: a numeric user and group (the
 *   kubelet refuses `runAsNonRoot` with an image whose USER is a name), a read-only root file
 *   system, and CPU and memory requests and limits on every container.
 *
 * A violation is one line naming the field and what was found.
 */

type Obj = Record<string, any>;

/** Labels that make Pod Security Admission enforce, audit and warn on `restricted`. */
export const RESTRICTED_NAMESPACE_LABELS: Readonly<Record<string, string>> = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/audit": "restricted",
  "pod-security.kubernetes.io/warn": "restricted",
};

/** Volume sources `restricted` allows (every other source, hostPath included, is refused). */
const ALLOWED_VOLUME_SOURCES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]);

/** Sysctls `baseline` allows (the "safe" set up to policy version 1.29). */
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);

const ALLOWED_SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

/** Resource names the library wants both requested and limited. */
const REQUIRED_RESOURCES = ["cpu", "memory"] as const;

const isObject = (value: unknown): value is Obj => value !== null && typeof value === "object" && !Array.isArray(value);

/** A pod as a template carries it: the pod's metadata (annotations) and its spec. */
export interface PodTemplate {
  readonly metadata?: Obj;
  readonly spec: Obj;
}

/**
 * Every pod template an object carries, wherever its kind nests it: a Pod is its own template;
 * Jobs, Deployments, StatefulSets, DaemonSets and ReplicaSets hold `spec.template`, CronJobs
 * `spec.jobTemplate.spec.template`. Found by shape (a `spec` with a `containers` list, which
 * only a PodSpec has), so a kind added later needs no change here.
 */
export function podTemplatesOf(object: unknown): PodTemplate[] {
  const found: PodTemplate[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isObject(value)) return;
    if (isObject(value.spec) && Array.isArray(value.spec.containers)) {
      found.push({ metadata: isObject(value.metadata) ? value.metadata : undefined, spec: value.spec });
      return;
    }
    Object.values(value).forEach(visit);
  };
  visit(object);
  return found;
}

interface NamedContainer {
  /** `containers[name]`, `initContainers[name]`, `ephemeralContainers[name]`. */
  readonly where: string;
  readonly container: Obj;
}

function containersOf(pod: Obj): NamedContainer[] {
  return (["containers", "initContainers", "ephemeralContainers"] as const).flatMap((list) =>
    (Array.isArray(pod[list]) ? pod[list] : []).map((container: Obj, index: number) => ({
      where: `${list}[${container?.name ?? index}]`,
      container: isObject(container) ? container : {},
    })),
  );
}

const show = (value: unknown) => (value === undefined ? "unset" : JSON.stringify(value));

/** Violations of the Pod Security Standards `restricted` profile (and so of `baseline`). */
export function restrictedViolations(template: PodTemplate): string[] {
  const { spec: pod, metadata } = template;
  const problems: string[] = [];
  const podContext: Obj = isObject(pod.securityContext) ? pod.securityContext : {};
  const containers = containersOf(pod);

  for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) {
    if (pod[field] !== undefined && pod[field] !== false) problems.push(`${field} must be false or unset (got ${show(pod[field])})`);
  }
  if (podContext.windowsOptions?.hostProcess === true) problems.push("securityContext.windowsOptions.hostProcess must not be true");

  for (const volume of Array.isArray(pod.volumes) ? pod.volumes : []) {
    const sources = Object.keys(volume ?? {}).filter((key) => key !== "name");
    for (const source of sources) {
      if (!ALLOWED_VOLUME_SOURCES.has(source)) problems.push(`volumes[${volume.name}] uses ${source}, which restricted does not allow`);
    }
  }

  for (const sysctl of Array.isArray(podContext.sysctls) ? podContext.sysctls : []) {
    if (!SAFE_SYSCTLS.has(sysctl?.name)) problems.push(`securityContext.sysctls: ${show(sysctl?.name)} is not a safe sysctl`);
  }
  problems.push(...seLinuxProblems("securityContext", podContext.seLinuxOptions));
  problems.push(...appArmorProblems("securityContext", podContext.appArmorProfile));
  for (const [key, value] of Object.entries(metadata?.annotations ?? {})) {
    if (key.startsWith("container.apparmor.security.beta.kubernetes.io/") && value !== "runtime/default" && !String(value).startsWith("localhost/")) {
      problems.push(`annotation ${key} must be runtime/default or localhost/* (got ${show(value)})`);
    }
  }
  if (podContext.runAsUser === 0) problems.push("securityContext.runAsUser must not be 0");
  const podSeccomp = podContext.seccompProfile?.type;
  if (podSeccomp !== undefined && podSeccomp !== "RuntimeDefault" && podSeccomp !== "Localhost") {
    problems.push(`securityContext.seccompProfile.type must be RuntimeDefault or Localhost (got ${show(podSeccomp)})`);
  }

  for (const { where, container } of containers) {
    const context: Obj = isObject(container.securityContext) ? container.securityContext : {};
    const at = `${where}.securityContext`;
    if (context.privileged !== undefined && context.privileged !== false)
      problems.push(`${at}.privileged must be false or unset (got ${show(context.privileged)})`);
    if (context.windowsOptions?.hostProcess === true) problems.push(`${at}.windowsOptions.hostProcess must not be true`);
    if (context.procMount !== undefined && context.procMount !== "Default")
      problems.push(`${at}.procMount must be Default or unset (got ${show(context.procMount)})`);
    for (const port of Array.isArray(container.ports) ? container.ports : []) {
      if (port?.hostPort !== undefined && port.hostPort !== 0) problems.push(`${where}.ports: hostPort must be unset or 0 (got ${show(port.hostPort)})`);
    }
    problems.push(...seLinuxProblems(at, context.seLinuxOptions));
    problems.push(...appArmorProblems(at, context.appArmorProfile));

    if (context.allowPrivilegeEscalation !== false)
      problems.push(`${at}.allowPrivilegeEscalation must be false (got ${show(context.allowPrivilegeEscalation)})`);

    const nonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
    if (nonRoot !== true) problems.push(`${at}.runAsNonRoot must be true, here or on the pod (got ${show(context.runAsNonRoot)})`);
    if (context.runAsUser === 0) problems.push(`${at}.runAsUser must not be 0`);

    const seccomp = context.seccompProfile?.type ?? podSeccomp;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") {
      problems.push(`${at}.seccompProfile.type must be RuntimeDefault or Localhost, here or on the pod (got ${show(context.seccompProfile?.type)})`);
    }

    const drop: unknown[] = Array.isArray(context.capabilities?.drop) ? context.capabilities.drop : [];
    if (!drop.includes("ALL")) problems.push(`${at}.capabilities.drop must include ALL (got ${show(context.capabilities?.drop)})`);
    const added: unknown[] = Array.isArray(context.capabilities?.add) ? context.capabilities.add : [];
    for (const capability of added.filter((c) => c !== "NET_BIND_SERVICE")) {
      problems.push(`${at}.capabilities.add may hold only NET_BIND_SERVICE (got ${show(capability)})`);
    }
  }
  return problems;
}

function seLinuxProblems(at: string, options: unknown): string[] {
  if (!isObject(options)) return [];
  const problems: string[] = [];
  if (options.type !== undefined && !ALLOWED_SELINUX_TYPES.has(options.type)) problems.push(`${at}.seLinuxOptions.type ${show(options.type)} is not allowed`);
  for (const field of ["user", "role"] as const) {
    if (options[field] !== undefined && options[field] !== "") problems.push(`${at}.seLinuxOptions.${field} must be unset (got ${show(options[field])})`);
  }
  return problems;
}

function appArmorProblems(at: string, profile: unknown): string[] {
  if (!isObject(profile) || profile.type === "RuntimeDefault" || profile.type === "Localhost") return [];
  return [`${at}.appArmorProfile.type must be RuntimeDefault or Localhost (got ${show(profile.type)})`];
}

const isId = (value: unknown): boolean => typeof value === "number" && Number.isInteger(value) && value > 0;

/** The library's own demands on top of `restricted`. */
export function libraryViolations(template: PodTemplate): string[] {
  const pod = template.spec;
  const problems: string[] = [];
  const podContext: Obj = isObject(pod.securityContext) ? pod.securityContext : {};
  for (const { where, container } of containersOf(pod)) {
    const context: Obj = isObject(container.securityContext) ? container.securityContext : {};
    const at = `${where}.securityContext`;
    // A user name in the image cannot be proven non-root by the kubelet: the pod never starts.
    for (const field of ["runAsUser", "runAsGroup"] as const) {
      const value = context[field] ?? podContext[field];
      if (!isId(value)) problems.push(`${at}.${field} must be a non-zero integer, here or on the pod (got ${show(context[field])})`);
    }
    if (context.readOnlyRootFilesystem !== true) problems.push(`${at}.readOnlyRootFilesystem must be true (got ${show(context.readOnlyRootFilesystem)})`);
    for (const kind of ["requests", "limits"] as const) {
      for (const resource of REQUIRED_RESOURCES) {
        const value = container.resources?.[kind]?.[resource];
        if (value === undefined || value === "") problems.push(`${where}.resources.${kind}.${resource} must be set`);
      }
    }
  }
  return problems;
}

/** Everything a pod of this library must satisfy: `restricted`, then the library's own demands. */
export function podSecurityViolations(template: PodTemplate): string[] {
  return [...restrictedViolations(template), ...libraryViolations(template)];
}

/** Whether a namespace's labels make Pod Security Admission enforce, audit and warn on `restricted`. */
export function namespaceLabelViolations(labels: Readonly<Record<string, unknown>> | undefined): string[] {
  return Object.entries(RESTRICTED_NAMESPACE_LABELS)
    .filter(([key, value]) => labels?.[key] !== value)
    .map(([key, value]) => `label ${key} must be ${value} (got ${show(labels?.[key])})`);
}
