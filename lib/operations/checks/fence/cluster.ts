import { servingClusterName, type Environment } from "../../../environment";
import { FLUX_NAMESPACE, fluxSuspendCommand, SYSTEM_NAMESPACES } from "../../../naming";
import { lastLine, type CommandResult } from "../../kubectl";
import type { FenceAction } from "../../probes/fence-record";
import type { FluxState } from "../../probes/flux";
import type { Workload, Workloads } from "../../probes/workloads";
import type { FenceDecision } from "./action";

const FLUX_TITLE = `Suspend Flux's root Kustomization ${FLUX_NAMESPACE}/${FLUX_NAMESPACE}`;
const WORKLOADS_TITLE = "Scale every workload outside the system namespaces to zero";

/** Both cluster actions when the cluster does not answer. */
export function clusterUnreachable(environment: Environment, why: string): FenceAction[] {
  const detail = `cluster ${servingClusterName(environment)}: ${why}`;
  return [
    { id: "flux", title: FLUX_TITLE, status: "not reachable", detail },
    { id: "workloads", title: WORKLOADS_TITLE, status: "not reachable", detail },
  ];
}

/** Flux first: a running Flux would scale the workloads back up from Git. */
export function fluxDecision(flux: Extract<FluxState, { reachable: true }>, apply: boolean): FenceDecision<"suspend"> {
  if (flux.suspended) return { action: { id: "flux", title: FLUX_TITLE, status: "already done", detail: "spec.suspend is true" } };
  if (!apply) return { action: { id: "flux", title: FLUX_TITLE, status: "would do", detail: fluxSuspendCommand(true) } };
  return { act: "suspend" };
}

/** The outcome of the suspend patch. */
export function fluxOutcome(patched: CommandResult): FenceAction {
  return patched.status === 0
    ? { id: "flux", title: FLUX_TITLE, status: "done", detail: "spec.suspend set to true" }
    : { id: "flux", title: FLUX_TITLE, status: "failed", detail: lastLine(patched.stderr) };
}

/** Workloads the fence scales down: those with replicas outside the system namespaces. */
export function workloadsToFence(workloads: readonly Workload[]): Workload[] {
  return workloads.filter((w) => !SYSTEM_NAMESPACES.includes(w.namespace) && w.replicas > 0);
}

const named = (workloads: readonly Workload[]) => workloads.map((w) => `${w.namespace}/${w.kind}/${w.name} (${w.replicas})`).join(", ");

export function workloadsDecision(found: Workloads, apply: boolean): FenceDecision<readonly Workload[]> {
  if (!found.listed) return { action: { id: "workloads", title: WORKLOADS_TITLE, status: "not reachable", detail: found.problem } };
  const running = workloadsToFence(found.workloads);
  if (running.length === 0)
    return { action: { id: "workloads", title: WORKLOADS_TITLE, status: "already done", detail: "no workload outside the system namespaces has replicas" } };
  if (!apply) return { action: { id: "workloads", title: WORKLOADS_TITLE, status: "would do", detail: `scale to 0: ${named(running)}` } };
  return { act: running };
}

/** The outcome of scaling `running` down, with the failures (`<workload>: <error>`) among them. */
export function workloadsOutcome(running: readonly Workload[], failures: readonly string[]): FenceAction {
  return failures.length === 0
    ? { id: "workloads", title: WORKLOADS_TITLE, status: "done", detail: `scaled to 0: ${named(running)}` }
    : { id: "workloads", title: WORKLOADS_TITLE, status: "failed", detail: `not scaled: ${failures.join("; ")}` };
}
