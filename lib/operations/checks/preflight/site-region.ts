import { stackId } from "../../../naming";
import type { Site } from "../../probes/site";
import type { PreflightCheck } from "./check";
import { siteUnreachable } from "./health-checks";

/** The site host resolves to one of the two regions' load balancers (which one is reported). */
export function siteRegionCheck(site: Site, primaryRegion: string): PreflightCheck {
  // Without a load balancer's name (its state unreadable) the answer cannot be placed: not a failure.
  const undetermined = site.lookupError === undefined && site.resolvesTo === undefined && site.regions.some(siteUnreachable);
  const lookupProblem = site.lookupError && `${site.host} does not resolve: ${site.lookupError.code} ${site.lookupError.message}`;
  const failed = lookupProblem !== undefined || site.resolvesTo === undefined;
  return {
    id: "site-region",
    title: `Region ${site.host} resolves to`,
    status: undetermined ? "unreachable" : failed ? "fail" : "pass",
    detail:
      lookupProblem ??
      (site.resolvesTo === undefined
        ? `${site.host} resolves to ${site.addresses.join(", ")}, the address of neither region's load balancer`
        : `${site.host} resolves to ${site.resolvesTo}'s load balancer (${site.addresses.join(", ")})`),
    fix: failed
      ? `check that the registrar lists ${stackId("dns", primaryRegion)}'s name servers (npx cdktf output ${stackId("dns", primaryRegion)}) and that both networking stacks are applied; then run again`
      : "",
  };
}
