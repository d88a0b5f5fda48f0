import type { Environment } from "../environment";
import { AFTER_SERVING_KINDS, isClusterLayer, parseStackId, type Layer } from "../naming";
import type { Manifest } from "./stack-graph";

/**
 * Whether a layer of `environment` is deployed in peacetime, never created on the day of a
 * recovery: the standby layer, the pair's dns stack, a pilot light's networking stack (VPC, load
 * balancer, SECONDARY record), and a warm standby's every layer but the replication of its
 * database's backups (a read replica's cannot be replicated: it is deployed once the replica is
 * promoted).
 */
export function isPeacetimeLayer(environment: Environment, layer: Layer | string): boolean {
  if (layer === "standby" || layer === "dns") return true;
  if (environment.role !== "recovery") return false;
  if (environment.tier === "warm-standby") return !(AFTER_SERVING_KINDS as readonly string[]).includes(layer);
  return environment.tier === "pilot-light" && layer === "networking";
}

/**
 * Whether a stack of the environment's region is of its serving cluster generation (every stack
 * that is not a cluster layer is): a retiring generation beside it is not rebuilt in a region's recovery.
 */
export function isServingGeneration(environment: Environment, parsed: { readonly layer: Layer; readonly generation: number }): boolean {
  return !isClusterLayer(parsed.layer) || parsed.generation === environment.kubernetes.generation;
}

/**
 * The stacks of `environment` a recovery (or a primary's rebuild) deploys on the day, sorted by id:
 * those needed to serve traffic, and those deployed once it serves (nothing depends on them).
 */
export function dayStacks(environment: Environment, manifest: Manifest): { readonly serve: string[]; readonly afterServing: string[] } {
  const region = environment.region;
  const ofDay = (id: string) => {
    const parsed = parseStackId(id);
    // A rehearsal generation's stacks (`-rehearsal`) are deployed by `dr rehearse` only.
    if (parsed?.region !== region || parsed.rehearsal || !isServingGeneration(environment, parsed)) return false;
    return environment.role === "primary" ? parsed.layer !== "standby" : !isPeacetimeLayer(environment, parsed.layer);
  };
  const afterServing = (id: string) => AFTER_SERVING_KINDS.includes(parseStackId(id)!.layer);
  const ids = Object.keys(manifest.stacks).filter(ofDay).sort();
  return { serve: ids.filter((id) => !afterServing(id)), afterServing: ids.filter(afterServing) };
}
