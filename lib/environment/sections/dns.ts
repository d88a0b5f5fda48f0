import { z } from "zod";
import { domainName, onlyWhen, strictObject } from "../fields";
import { MOVED_FAILOVER } from "./tier";

/**
 * The site's DNS: one public zone per domain, shared by a primary and its recoveries and made in
 * peacetime by the `dns-<primary region>` stack, with failover alias records for the site host
 * (PRIMARY: the primary's load balancer, SECONDARY: each recovery's). See docs/dns-failover.md.
 */

const REMOVED_LOAD_BALANCER_HOSTNAME =
  "is no longer supported: each region gets its own load balancer and a failover alias record for dns.siteHost; remove this field (the old CNAME dr.<domain> would point at a load balancer the library does not manage)";

/** The Kubernetes Service the load balancer's target group sends traffic to (TargetGroupBinding). */
const siteService = strictObject({
  /** Namespace of the site's Service. @default "site" */
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { error: "must be a Kubernetes namespace name (lowercase, digits, hyphens, at most 63 characters)" })
    .default("site"),
  /** Name of the site's Service. @default "site" */
  name: z
    .string()
    .regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, { error: "must be a Kubernetes Service name (lowercase, starting with a letter, at most 63 characters)" })
    .default("site"),
  /** Port of the Service that the TargetGroupBinding names. @default 80 */
  port: z
    .number({ error: "must be a port number from 1 to 65535" })
    .int({ error: "must be a port number from 1 to 65535" })
    .min(1, { error: "must be a port number from 1 to 65535" })
    .max(65535, { error: "must be a port number from 1 to 65535" })
    .default(80),
  /**
   * Port the site's pods listen on: the target group's port, and the only port the load
   * balancer's security group may reach in the VPC.
   * @default 8080
   */
  targetPort: z
    .number({ error: "must be a port number from 1 to 65535" })
    .int({ error: "must be a port number from 1 to 65535" })
    .min(1, { error: "must be a port number from 1 to 65535" })
    .max(65535, { error: "must be a port number from 1 to 65535" })
    .default(8080),
});

/** What a site's unset fields mean; a recovery's effective values must equal its primary's. */
export const SITE_DEFAULTS = { healthCheckPath: "/healthz", siteService: siteService.parse({}) } as const;

/** Fields both roles share; the pair must agree on them (checked across files by the loader). */
const shared = {
  /** Domain of the public hosted zone, e.g. `example.com`; the same in a primary and its recoveries. */
  domain: domainName,
  /** Host name of the site, in `domain`. @default - the domain itself (an alias record at the apex) */
  siteHost: domainName.optional(),
  /** Path the Route 53 health checks request over HTTPS on port 443; must answer 2xx or 3xx. @default "/healthz" */
  healthCheckPath: z
    .string()
    .regex(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,254}$/, { error: "must be an absolute URL path like /healthz (at most 255 characters, no query)" })
    .default(SITE_DEFAULTS.healthCheckPath),
  /** The site's Kubernetes Service behind the load balancer. @default { namespace: "site", name: "site", port: 80, targetPort: 8080 } */
  siteService: siteService.prefault({}),
  loadBalancerHostname: onlyWhen(REMOVED_LOAD_BALANCER_HOSTNAME),
};

/** Messages of the site host rule (exact-message tests import nothing: they spell them out). */
function siteHostInDomain<T extends { domain: string; siteHost?: string }>(value: T, ctx: z.core.$RefinementCtx<T>): void {
  const host = value.siteHost;
  if (host !== undefined && host !== value.domain && !host.endsWith(`.${value.domain}`)) {
    ctx.addIssue({
      code: "custom",
      path: ["siteHost"],
      input: host,
      message: `must be ${value.domain} or a name inside it (the zone serves ${value.domain} only)`,
    });
  }
}

/** A primary's DNS: it names the zone's reusable delegation set when one exists already. */
export const primaryDns = strictObject({
  ...shared,
  /** Reusable delegation set of the zone (the registrar already lists its name servers). @default - the dns stack creates one */
  delegationSetId: z
    .string()
    .regex(/^N[A-Z0-9]{1,31}$/, { error: "must be a Route53 delegation set id like N1PA6795SAMPLE" })
    .optional(),
}).superRefine(siteHostInDomain);

/** A recovery's DNS: the primary's zone and site (same `domain`, `siteHost`). */
export const recoveryDns = strictObject({
  ...shared,
  delegationSetId: onlyWhen(
    "is set in the primary's environment file only: the zone belongs to the primary and its recoveries together (dns-<primary region>)",
  ),
  /** Replaced by the top-level `tier` (sections/tier.ts); refused with what to write instead. */
  failover: onlyWhen(MOVED_FAILOVER),
}).superRefine(siteHostInDomain);
