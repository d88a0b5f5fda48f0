/**
 * Can the stacks build a new, empty cluster? Two things a plan cannot see until an earlier apply
 * made them:
 * - a custom resource (`kubernetes_manifest`) is planned against the live API server
 *   (terraform-provider-kubernetes#1367): its CRD must exist before the plan, so it must come from
 *   a stack deployed earlier, never from a chart in the same stack;
 * - a namespaced object needs its namespace: from a system namespace, an earlier stack, or a
 *   namespace of the same stack that the object references (so Terraform creates it first).
 * Pure: it reads the synthesized stacks (cdk.tf.json) and the manifest's dependencies.
 */

/** API groups whose CRDs each pinned chart installs (checked against real helm renders in the tests). */
export const CHART_CRD_GROUPS: Readonly<Record<string, readonly string[]>> = {
  flux2: ["helm.toolkit.fluxcd.io", "image.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io", "notification.toolkit.fluxcd.io", "source.toolkit.fluxcd.io"],
  "aws-load-balancer-controller": ["elbv2.k8s.aws"],
};

/** API groups of the custom resources each pinned chart creates (its release needs their CRDs when it is applied). */
export const CHART_RESOURCE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  "flux2-sync": ["kustomize.toolkit.fluxcd.io", "source.toolkit.fluxcd.io"],
};

/** Namespaces every cluster has. */
export const SYSTEM_NAMESPACES_OF_A_CLUSTER: readonly string[] = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** A synthesized stack as the check reads it. */
export interface OrderStack {
  readonly id: string;
  /** Its direct dependencies (manifest.json). */
  readonly dependencies: readonly string[];
  /** Its `resource` block: type -> logical id -> configuration. */
  readonly resources: Readonly<Record<string, Readonly<Record<string, any>>>>;
}

/** A group is built into Kubernetes when it has no dot (core, apps, batch...) or ends in `.k8s.io`. */
export function isBuiltInGroup(group: string): boolean {
  return !group.includes(".") || group.endsWith(".k8s.io");
}

/** The API group of an `apiVersion` (`elbv2.k8s.aws/v1beta1` -> `elbv2.k8s.aws`; `v1` -> ``). */
export function apiGroup(apiVersion: string): string {
  return apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.lastIndexOf("/")) : "";
}

const NAMESPACE_TYPES = ["kubernetes_namespace", "kubernetes_namespace_v1"];
const REFERENCE = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.[^}]*\}$/;

/** `metadata` is a block: an object in cdktf's JSON (a list of one in Terraform's own). */
function block(value: unknown): Record<string, any> {
  return (Array.isArray(value) ? value[0] : value) ?? {};
}

interface Entry {
  readonly stack: OrderStack;
  readonly address: string;
  readonly config: Record<string, any>;
}

function entries(stack: OrderStack): Entry[] {
  return Object.entries(stack.resources).flatMap(([type, byId]) =>
    Object.entries(byId).map(([id, config]) => ({ stack, address: `${type}.${id}`, config: config as Record<string, any> })),
  );
}

/** Every stack `id` depends on, directly or not. */
function earlierStacks(stacks: ReadonlyMap<string, OrderStack>, id: string, seen = new Set<string>()): Set<string> {
  for (const dependency of stacks.get(id)?.dependencies ?? []) {
    if (seen.has(dependency)) continue;
    seen.add(dependency);
    earlierStacks(stacks, dependency, seen);
  }
  return seen;
}

/** Addresses `config` waits for in its own stack: references in its values and `depends_on`. */
function waitsFor(config: Record<string, any>): Set<string> {
  const found = new Set<string>((config.depends_on ?? []) as string[]);
  const walk = (value: unknown) => {
    if (typeof value === "string") {
      for (const match of value.matchAll(/\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)[.}]/g)) found.add(match[1]);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") Object.entries(value).forEach(([key, v]) => key !== "depends_on" && walk(v));
  };
  walk(config);
  return found;
}

/** Every problem with building the stacks' Kubernetes objects into a new cluster, one line each. */
export function clusterOrderProblems(stackList: readonly OrderStack[]): string[] {
  const stacks = new Map(stackList.map((s) => [s.id, s]));
  const all = stackList.flatMap(entries);
  const problems: string[] = [];

  for (const stack of stackList) {
    const before = earlierStacks(stacks, stack.id);
    const own = entries(stack);
    const byAddress = new Map(own.map((e) => [e.address, e]));
    // Transitive waits inside the stack: what is created before `entry`.
    const createdBefore = (entry: Entry, seen = new Set<string>()): Set<string> => {
      for (const address of waitsFor(entry.config)) {
        if (seen.has(address)) continue;
        seen.add(address);
        const next = byAddress.get(address);
        if (next) createdBefore(next, seen);
      }
      return seen;
    };
    // What supplies a CRD group, and where.
    const suppliers = (group: string) =>
      all.filter(
        (e) =>
          (e.address.startsWith("helm_release.") && (CHART_CRD_GROUPS[e.config.chart] ?? []).includes(group)) ||
          (e.address.startsWith("kubernetes_manifest.") && e.config.manifest?.kind === "CustomResourceDefinition" && e.config.manifest?.spec?.group === group),
      );
    const namespaceMakers = (name: string) =>
      all.filter(
        (e) =>
          (NAMESPACE_TYPES.some((t) => e.address.startsWith(`${t}.`)) && block(e.config.metadata).name === name) ||
          (e.address.startsWith("helm_release.") && e.config.create_namespace === true && e.config.namespace === name),
      );
    const where = (e: Entry) => `${e.address} in ${e.stack.id}`;

    for (const entry of own) {
      const waits = createdBefore(entry);
      // Custom resources: their CRD must exist when the plan is made.
      if (entry.address.startsWith("kubernetes_manifest.")) {
        const manifest = entry.config.manifest ?? {};
        const group = apiGroup(String(manifest.apiVersion ?? ""));
        if (!isBuiltInGroup(group)) {
          const found = suppliers(group);
          if (!found.some((s) => before.has(s.stack.id))) {
            const same = found.filter((s) => s.stack.id === stack.id);
            problems.push(
              `${stack.id}: ${entry.address} (${manifest.apiVersion} ${manifest.kind}) needs the CRD of ${group}, ` +
                (same.length > 0
                  ? `which ${same.map(where).join(", ")} installs in the same stack: a kubernetes_manifest is planned against the live API, so on a new cluster the plan fails before the chart exists (terraform-provider-kubernetes#1367); move it to a stack deployed after ${stack.id}`
                  : found.length > 0
                    ? `which only ${found.map(where).join(", ")} installs, in a stack ${stack.id} does not depend on`
                    : "which no stack installs"),
            );
          }
        }
      }
      // Releases whose charts create custom resources: the CRDs must be there when they are applied.
      if (entry.address.startsWith("helm_release.")) {
        for (const group of CHART_RESOURCE_GROUPS[entry.config.chart] ?? []) {
          const found = suppliers(group);
          const ok = found.some((s) => before.has(s.stack.id) || (s.stack.id === stack.id && waits.has(s.address)));
          if (!ok)
            problems.push(`${stack.id}: ${entry.address} (chart ${entry.config.chart}) creates ${group} resources, but no earlier stack installs that CRD`);
        }
      }
      // Namespaced objects: the namespace must exist first.
      const namespace: unknown = entry.address.startsWith("kubernetes_manifest.")
        ? entry.config.manifest?.metadata?.namespace
        : entry.address.startsWith("helm_release.")
          ? entry.config.create_namespace === true
            ? undefined
            : entry.config.namespace
          : NAMESPACE_TYPES.some((t) => entry.address.startsWith(`${t}.`))
            ? undefined
            : block(entry.config.metadata).namespace;
      if (typeof namespace !== "string") continue;
      const referenced = REFERENCE.exec(namespace);
      if (referenced) {
        const target = byAddress.get(referenced[1]);
        if (target && !NAMESPACE_TYPES.some((t) => target.address.startsWith(`${t}.`))) {
          problems.push(`${stack.id}: ${entry.address} takes its namespace from ${referenced[1]}, which is not a namespace`);
        }
        continue;
      }
      if (SYSTEM_NAMESPACES_OF_A_CLUSTER.includes(namespace)) continue;
      const makers = namespaceMakers(namespace);
      if (makers.some((m) => before.has(m.stack.id) || (m.stack.id === stack.id && waits.has(m.address)))) continue;
      const sameStack = makers.filter((m) => m.stack.id === stack.id);
      problems.push(
        `${stack.id}: ${entry.address} is put in namespace "${namespace}", ` +
          (sameStack.length > 0
            ? `which ${sameStack.map(where).join(", ")} creates without ${entry.address} waiting for it: reference its name (metadata[0].name) or depend on it`
            : makers.length > 0
              ? `which only ${makers.map(where).join(", ")} creates, in a stack ${stack.id} does not depend on`
              : "which no stack creates: create it (kubernetes_namespace_v1) before anything is put in it"),
      );
    }
  }
  return problems;
}
