import { promises as dnsPromises } from "dns";
import { GetHealthCheckStatusCommand, type Route53Client } from "@aws-sdk/client-route-53";
import type { S3Client } from "@aws-sdk/client-s3";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../../environment";
import { siteHost, SITE_OUTPUTS, stackId } from "../../naming";
import { reading, type AwsFailure } from "../aws/errors";
import { probeStackOutputs } from "./state-objects";

/**
 * Where the site's traffic goes: the state of each region's Route 53 health check and the region
 * the site host resolves to. Only Route 53 data-plane reads (GetHealthCheckStatus: what the
 * checkers observe) and a DNS lookup, plus the networking stacks' outputs from the state bucket.
 */

/** Resolves a host name to its IPv4 addresses; throws an error with `code` ENOTFOUND/ENODATA for no answer. */
export type Resolve4 = (host: string) => Promise<string[]>;

export interface SiteClients {
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
  /** True when the region's networking stack (whose state holds the load balancer and health check) was never applied. */
  readonly notApplied?: boolean;
  /** Reading the stack's state failed. */
  readonly stateFailure?: AwsFailure;
  /** Reading the health check's status failed. */
  readonly healthCheckFailure?: AwsFailure;
  readonly loadBalancerDnsName?: string;
  /** Undefined in an applied state: a backup-and-restore record (no health check), or an older state. */
  readonly healthCheckId?: string;
  /** Health checkers that report success, of those that answered. */
  readonly checkersHealthy?: number;
  readonly checkersTotal?: number;
}

export interface Site {
  readonly host: string;
  /** The recovery's mode: a backup-and-restore recovery has no SECONDARY target before the day. */
  readonly failoverMode: RecoveryEnvironment["tier"];
  readonly regions: readonly RegionSite[];
  /** Addresses the site host resolves to now. */
  readonly addresses: readonly string[];
  /** The region whose load balancer holds those addresses, if any. */
  readonly resolvesTo?: string;
  /** The lookup's error when the host does not resolve (its code, e.g. ENOTFOUND, and message). */
  readonly lookupError?: { readonly code: string; readonly message: string };
}

async function regionSite(recovery: RecoveryEnvironment, region: string, failover: RegionSite["failover"], clients: SiteClients): Promise<RegionSite> {
  const stack = stackId("networking", region);
  const state = await probeStackOutputs(clients.stateS3, recovery.state.bucket, stack, recovery.state.region);
  if (!state.ok) return { region, failover, stateFailure: state.failure };
  if (!state.value.applied) return { region, failover, notApplied: true };
  const outputs = state.value.outputs;
  const loadBalancerDnsName = outputs[SITE_OUTPUTS.loadBalancerDnsName]?.value as string | undefined;
  const healthCheckId = outputs[SITE_OUTPUTS.healthCheckId]?.value as string | undefined;
  if (healthCheckId === undefined) return { region, failover, loadBalancerDnsName };
  const status = await reading(`Route 53 GetHealthCheckStatus of ${healthCheckId}`, "us-east-1", () =>
    clients.route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId })),
  );
  if (!status.ok) return { region, failover, loadBalancerDnsName, healthCheckId, healthCheckFailure: status.failure };
  const observations = status.value.HealthCheckObservations ?? [];
  const healthy = observations.filter((o) => o.StatusReport?.Status?.startsWith("Success")).length;
  return { region, failover, loadBalancerDnsName, healthCheckId, checkersHealthy: healthy, checkersTotal: observations.length };
}

/** The health checks of the primary and the recovery, and where the site host resolves now. */
export async function probeSite(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, clients: SiteClients): Promise<Site> {
  const resolve4 = clients.resolve4 ?? ((host: string) => dnsPromises.resolve4(host));
  const host = siteHost(primary.dns);
  const regions = await Promise.all([regionSite(recovery, primary.region, "PRIMARY", clients), regionSite(recovery, recovery.region, "SECONDARY", clients)]);
  let addresses: string[] = [];
  try {
    addresses = (await resolve4(host)).sort();
  } catch (error) {
    const e = error as Error & { code?: string };
    return { host, failoverMode: recovery.tier, regions, addresses, lookupError: { code: e.code ?? e.name, message: e.message } };
  }
  let resolvesTo: string | undefined;
  for (const site of regions) {
    if (!site.loadBalancerDnsName) continue;
    const lbAddresses = await resolve4(site.loadBalancerDnsName).catch(() => [] as string[]);
    if (lbAddresses.some((a) => addresses.includes(a))) resolvesTo = site.region;
  }
  return { host, failoverMode: recovery.tier, regions, addresses, resolvesTo };
}
