import type { Environment } from "../environment";
import { AFTER_SERVING_KINDS, parseStackId, type Layer } from "../naming";
import type { Manifest } from "./stack-graph";

/**
 * Whether a layer of `environment` is deployed in peacetime, never on the day of a recovery: the
 * standby layer, the pair's dns stack, and a pilot light's networking stack (VPC, load balancer,
 * SECONDARY record).
 */
export function isPeacetimeLayer(environment: Environment, layer: Layer | string): boolean {
  const pilotLight = environment.role === "recovery" && environment.dns.failover === "pilot-light";
  return layer === "standby" || layer === "dns" || (pilotLight && layer === "networking");
}

/**
 * The stacks of `environment` a recovery (or a primary's rebuild) deploys on the day, sorted by id:
 * those needed to serve traffic, and those deployed once it serves (nothing depends on them).
 */
export function dayStacks(environment: Environment, manifest: Manifest): { readonly serve: string[]; readonly afterServing: string[] } {
  const region = environment.region;
  const ofDay = (id: string) => {
    const parsed = parseStackId(id);
    return parsed?.region === region && (environment.role === "primary" ? parsed.layer !== "standby" : !isPeacetimeLayer(environment, parsed.layer));
  };
  const afterServing = (id: string) => AFTER_SERVING_KINDS.includes(parseStackId(id)!.layer);
  const ids = Object.keys(manifest.stacks).filter(ofDay).sort();
  return { serve: ids.filter((id) => !afterServing(id)), afterServing: ids.filter(afterServing) };
}
