import { deployStackCommand, stackId } from "../../../naming";
import type { RegionSite, Site } from "../../probes/site";
import type { PreflightCheck } from "./check";

/**
 * Route 53 counts an endpoint healthy when more than 18% of its checkers do
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html).
 */
export function isHealthy(site: RegionSite): boolean | undefined {
  if (site.checkersTotal === undefined || site.checkersHealthy === undefined || site.checkersTotal === 0) return undefined;
  return site.checkersHealthy / site.checkersTotal > 0.18;
}

/** Why nothing more is known of a region's site; undefined when its health check was read. */
export function siteProblem(site: RegionSite): string | undefined {
  const stack = stackId("networking", site.region);
  if (site.notApplied) return `${stack} was never applied (no state object)`;
  if (site.stateFailure) return `reading ${stack}'s state failed: ${site.stateFailure.description}`;
  if (site.healthCheckId === undefined) return `${stack} has no health check (backup-and-restore record, or an older state)`;
  if (site.healthCheckFailure) return `${site.healthCheckFailure.call} failed: ${site.healthCheckFailure.description}`;
  return undefined;
}

/**
 * The state read failed for lack of an answer (any failure of the state bucket's region: without
 * the load balancer's name nothing can be judged), or Route 53 did not answer.
 */
export function siteUnreachable(site: RegionSite): boolean {
  return site.stateFailure !== undefined || site.healthCheckFailure?.kind === "unreachable";
}

/** Both regions' Route 53 health checks exist, as the checkers see them (a pilot light's SECONDARY included). */
export function healthChecksCheck(site: Site): PreflightCheck {
  const describe = (s: RegionSite) => {
    const problem = siteProblem(s);
    return problem !== undefined
      ? `${s.failover} ${s.region}: ${problem}`
      : `${s.failover} ${s.region}: health check ${s.healthCheckId} ${isHealthy(s) ? "healthy" : "UNHEALTHY"} (${s.checkersHealthy} of ${s.checkersTotal} checkers report success) for ${s.loadBalancerDnsName}`;
  };
  const [primary, recovery] = site.regions;
  // Backup-and-restore: the recovery's load balancer and record are made on the day, by design.
  const expectedAbsent = (s: RegionSite) => s.failover === "SECONDARY" && site.failoverMode === "backup-and-restore";
  const missing = site.regions.filter((s) => siteProblem(s) !== undefined && !siteUnreachable(s) && !expectedAbsent(s));
  const unreachable = site.regions.some(siteUnreachable);
  return {
    id: "health-checks",
    title: `Route 53 health checks of ${site.host} (PRIMARY ${primary.region}, SECONDARY ${recovery.region})`,
    status: missing.length > 0 ? "fail" : unreachable ? "unreachable" : "pass",
    detail: site.regions.map(describe).join("\n"),
    fix:
      missing.length > 0
        ? missing
            .map(
              (s) =>
                `${deployStackCommand(stackId("networking", s.region))}   # in peacetime (pilot light): the load balancer, the ${s.failover} record of ${site.host} and its health check`,
            )
            .join("\n")
        : unreachable
          ? "check the network path to the state bucket's region and to Route 53, then run again"
          : "",
  };
}
