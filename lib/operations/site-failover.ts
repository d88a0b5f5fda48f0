import { promises as dnsPromises } from "dns";
import { GetHealthCheckStatusCommand, Route53Client } from "@aws-sdk/client-route-53";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../environment";
import { siteHost, SITE_OUTPUTS, stackId, stateKey } from "../naming";

/**
 * Where the site's traffic goes: the state of each region's Route 53 health check and the region
 * the site host resolves to. Only Route 53 data-plane reads (GetHealthCheckStatus: what the
 * checkers observe) and a DNS lookup, plus the networking stacks' outputs from the state bucket.
 * `preflight` shows it as two rows; `status` can call `siteFailoverStatus` itself.
 */

/** Resolves a host name to its IPv4 addresses; throws an error with `code` ENOTFOUND/ENODATA for no answer. */
export type Resolve4 = (host: string) => Promise<string[]>;

export interface SiteFailoverClients {
  /** S3 in the state bucket's region: the networking stacks' outputs. */
  readonly stateS3: S3Client;
  /** Route 53 (a global API; its health-check status reads are answered by the health checkers' data). */
  readonly route53: Route53Client;
  /** @default - the system resolver (dns.promises.resolve4) */
  readonly resolve4?: Resolve4;
}

export interface RegionSite {
  readonly region: string;
  readonly failover: "PRIMARY" | "SECONDARY";
  /** Why nothing more is known (stack not deployed, state unreadable). */
  readonly problem?: string;
  /** The state read failed for lack of an answer (not a missing object). */
  readonly unreachable?: boolean;
  readonly loadBalancerDnsName?: string;
  readonly healthCheckId?: string;
  /** Health checkers that report success, of those that answered. */
  readonly checkersHealthy?: number;
  readonly checkersTotal?: number;
}

export interface SiteFailoverStatus {
  readonly host: string;
  /** The recovery's mode: a backup-and-restore recovery has no SECONDARY target before the day. */
  readonly failoverMode: RecoveryEnvironment["dns"]["failover"];
  readonly regions: readonly RegionSite[];
  /** Addresses the site host resolves to now. */
  readonly addresses: readonly string[];
  /** The region whose load balancer holds those addresses, if any. */
  readonly resolvesTo?: string;
  /** Why the lookup gave nothing (no such name, resolver error). */
  readonly lookupProblem?: string;
}

/**
 * Route 53 counts an endpoint healthy when more than 18% of its checkers do
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html).
 */
export function isHealthy(site: RegionSite): boolean | undefined {
  if (site.checkersTotal === undefined || site.checkersHealthy === undefined || site.checkersTotal === 0) return undefined;
  return site.checkersHealthy / site.checkersTotal > 0.18;
}

async function stackOutputs(s3: S3Client, bucket: string, stack: string): Promise<Record<string, { value: unknown }>> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: stateKey(stack) }));
  const state = JSON.parse((await object.Body!.transformToString()) || "{}") as { outputs?: Record<string, { value: unknown }> };
  return state.outputs ?? {};
}

async function regionSite(recovery: RecoveryEnvironment, region: string, failover: RegionSite["failover"], clients: SiteFailoverClients): Promise<RegionSite> {
  const stack = stackId("networking", region);
  let outputs: Record<string, { value: unknown }>;
  try {
    outputs = await stackOutputs(clients.stateS3, recovery.state.bucket, stack);
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    if (e.name === "NoSuchKey" || e.$metadata?.httpStatusCode === 404) return { region, failover, problem: `${stack} was never applied (no state object)` };
    return { region, failover, unreachable: true, problem: `reading ${stack}'s state failed: ${e.name}: ${e.message}` };
  }
  const loadBalancerDnsName = outputs[SITE_OUTPUTS.loadBalancerDnsName]?.value as string | undefined;
  const healthCheckId = outputs[SITE_OUTPUTS.healthCheckId]?.value as string | undefined;
  if (healthCheckId === undefined)
    return { region, failover, loadBalancerDnsName, problem: `${stack} has no health check (backup-and-restore record, or an older state)` };
  try {
    const observations = (await clients.route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId }))).HealthCheckObservations ?? [];
    const healthy = observations.filter((o) => o.StatusReport?.Status?.startsWith("Success")).length;
    return { region, failover, loadBalancerDnsName, healthCheckId, checkersHealthy: healthy, checkersTotal: observations.length };
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    const unreachable = e.$metadata?.httpStatusCode === undefined || e.$metadata.httpStatusCode >= 500;
    return {
      region,
      failover,
      loadBalancerDnsName,
      healthCheckId,
      unreachable,
      problem: `Route 53 GetHealthCheckStatus of ${healthCheckId} failed: ${e.name}: ${e.message}`,
    };
  }
}

/** The health checks of the primary and the recovery, and where the site host resolves now. */
export async function siteFailoverStatus(
  recovery: RecoveryEnvironment,
  primary: PrimaryEnvironment,
  clients: SiteFailoverClients,
): Promise<SiteFailoverStatus> {
  const resolve4 = clients.resolve4 ?? ((host: string) => dnsPromises.resolve4(host));
  const host = siteHost(primary.dns);
  const regions = await Promise.all([regionSite(recovery, primary.region, "PRIMARY", clients), regionSite(recovery, recovery.region, "SECONDARY", clients)]);
  let addresses: string[] = [];
  try {
    addresses = (await resolve4(host)).sort();
  } catch (error) {
    const e = error as Error & { code?: string };
    return { host, failoverMode: recovery.dns.failover, regions, addresses, lookupProblem: `${host} does not resolve: ${e.code ?? e.name} ${e.message}` };
  }
  let resolvesTo: string | undefined;
  for (const site of regions) {
    if (!site.loadBalancerDnsName) continue;
    const lbAddresses = await resolve4(site.loadBalancerDnsName).catch(() => [] as string[]);
    if (lbAddresses.some((a) => addresses.includes(a))) resolvesTo = site.region;
  }
  return { host, failoverMode: recovery.dns.failover, regions, addresses, resolvesTo };
}

/** The preflight rows: `health-checks` and `site-region`. */
export function siteFailoverChecks(status: SiteFailoverStatus) {
  const describe = (s: RegionSite) =>
    s.problem !== undefined
      ? `${s.failover} ${s.region}: ${s.problem}`
      : `${s.failover} ${s.region}: health check ${s.healthCheckId} ${isHealthy(s) ? "healthy" : "UNHEALTHY"} (${s.checkersHealthy} of ${s.checkersTotal} checkers report success) for ${s.loadBalancerDnsName}`;
  const [primary, recovery] = status.regions;
  // Backup-and-restore: the recovery's load balancer and record are made on the day, by design.
  const expectedAbsent = (s: RegionSite) => s.failover === "SECONDARY" && status.failoverMode === "backup-and-restore";
  const missing = status.regions.filter((s) => s.problem !== undefined && !s.unreachable && !expectedAbsent(s));
  const unreachable = status.regions.some((s) => s.unreachable);
  const healthChecks = {
    id: "health-checks" as const,
    title: `Route 53 health checks of ${status.host} (PRIMARY ${primary.region}, SECONDARY ${recovery.region})`,
    status: missing.length > 0 ? ("fail" as const) : unreachable ? ("unreachable" as const) : ("pass" as const),
    detail: status.regions.map(describe).join("\n"),
    fix:
      missing.length > 0
        ? missing
            .map(
              (s) =>
                `npx cdktf deploy ${stackId("networking", s.region)}   # in peacetime (pilot light): the load balancer, the ${s.failover} record of ${status.host} and its health check`,
            )
            .join("\n")
        : unreachable
          ? "check the network path to the state bucket's region and to Route 53, then run again"
          : "",
  };
  // Without a load balancer's name (its state unreadable) the answer cannot be placed: not a failure.
  const undetermined = status.lookupProblem === undefined && status.resolvesTo === undefined && unreachable;
  const siteRegion = {
    id: "site-region" as const,
    title: `Region ${status.host} resolves to`,
    status: undetermined
      ? ("unreachable" as const)
      : status.lookupProblem !== undefined || status.resolvesTo === undefined
        ? ("fail" as const)
        : ("pass" as const),
    detail:
      status.lookupProblem ??
      (status.resolvesTo === undefined
        ? `${status.host} resolves to ${status.addresses.join(", ")}, the address of neither region's load balancer`
        : `${status.host} resolves to ${status.resolvesTo}'s load balancer (${status.addresses.join(", ")})`),
    fix:
      status.lookupProblem !== undefined || status.resolvesTo === undefined
        ? `check that the registrar lists ${stackId("dns", primary.region)}'s name servers (npx cdktf output ${stackId("dns", primary.region)}) and that both networking stacks are applied; then run again`
        : "",
  };
  return [healthChecks, siteRegion];
}
