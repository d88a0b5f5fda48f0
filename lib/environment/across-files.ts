import { ROLE_STACK_KINDS, stackId, stateKey } from "../naming";
import { parseCidr } from "../network/cidr";
import { problem } from "./problems";
import { SITE_DEFAULTS } from "./sections/dns";

/**
 * Rules that read the environment files together, on the objects as the files export them (not
 * the parsed ones), so that they report even when a file has problems of its own. Each names both
 * files. The loader runs them after its own (file names, regions, recoveryOf, state bucket).
 */
export type RawEnvironment = Readonly<Record<string, unknown>>;
export type AcrossFilesRule = (files: ReadonlyMap<string, RawEnvironment>) => string[];

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * One primary per domain: the zone of a domain belongs to one primary and its recoveries
 * (`dns-<primary region>`); a second primary would make a second zone and a second PRIMARY
 * failover record for the same site.
 */
export const onePrimaryPerDomain: AcrossFilesRule = (files) => {
  const owners = new Map<string, string>();
  const problems: string[] = [];
  for (const [file, env] of files) {
    const domain = record(env.dns)?.domain;
    if (env.role !== "primary" || typeof domain !== "string") continue;
    const owner = owners.get(domain);
    if (owner === undefined) {
      owners.set(domain, file);
    } else {
      problems.push(
        problem(
          file,
          ["dns", "domain"],
          `is also the domain of the primary ${owner}: one primary per domain (two would make two hosted zones and two PRIMARY failover records for one site); make this file a recovery of ${owner}, or give it its own domain`,
          domain,
        ),
      );
    }
  }
  return problems;
};

/**
 * Distinct state keys: each stack keeps its state under its own key in its state bucket (the
 * emulator keeps every key in one folder), so two environments writing one key would overwrite
 * each other's state. Keys come from the naming module, as the stacks use them.
 */
export const distinctStateKeys: AcrossFilesRule = (files) => {
  const writers = new Map<string, string>();
  const problems: string[] = [];
  for (const [file, env] of files) {
    const bucket = record(env.state)?.bucket;
    if (typeof env.region !== "string" || typeof bucket !== "string" || (env.role !== "primary" && env.role !== "recovery")) continue;
    const shared = new Map<string, string[]>();
    // A primary with a vault has its vault stack as well (app/assemble.ts).
    const kinds = env.role === "primary" && record(env.vault) !== undefined ? [...ROLE_STACK_KINDS.primary, "vault" as const] : ROLE_STACK_KINDS[env.role];
    for (const kind of kinds) {
      const key = stateKey(stackId(kind, env.region));
      const writer = writers.get(`${bucket}/${key}`);
      if (writer === undefined) writers.set(`${bucket}/${key}`, file);
      else shared.set(writer, [...(shared.get(writer) ?? []), key]);
    }
    for (const [writer, keys] of shared) {
      problems.push(
        problem(
          file,
          ["state", "bucket"],
          `${writer} writes the same state keys in this bucket (${keys.join(", ")}): the two environments would overwrite each other's state`,
          bucket,
        ),
      );
    }
  }
  return problems;
};

/**
 * Disjoint VPC ranges: environments of one folder are peered, share a VPN or a transit gateway,
 * or fail over to each other's networks; overlapping ranges make their routes ambiguous.
 */
export const disjointNetworks: AcrossFilesRule = (files) => {
  const seen: { file: string; cidr: string; first: number; last: number }[] = [];
  const problems: string[] = [];
  for (const [file, env] of files) {
    const cidr = record(env.network)?.cidr;
    const parsed = typeof cidr === "string" ? parseCidr(cidr) : undefined;
    if (parsed === undefined || typeof cidr !== "string") continue;
    const size = 2 ** (32 - parsed.prefix);
    const first = Math.floor(parsed.address / size) * size;
    const range = { file, cidr, first, last: first + size - 1 };
    for (const other of seen) {
      if (range.first <= other.last && other.first <= range.last) {
        problems.push(
          problem(
            file,
            ["network", "cidr"],
            `overlaps ${other.cidr}, the network.cidr of ${other.file}: environments that are peered, share a network or fail over to each other need disjoint VPC ranges; choose a range outside ${other.cidr}`,
            cidr,
          ),
        );
      }
    }
    seen.push(range);
  }
  return problems;
};

/** The rules above, in the order their problems are listed. */
/**
 * One vault per state bucket: a bucket has one replication configuration, so the state bucket
 * replicates into one vault. Primaries that keep their state in one bucket and declare a vault
 * declare the same one (account and region); the first of them by region copies the state.
 */
export const oneVaultPerStateBucket: AcrossFilesRule = (files) => {
  const vaulted = new Map<string, { file: string; accountId: unknown; region: unknown }>();
  const problems: string[] = [];
  for (const [file, env] of files) {
    const bucket = record(env.state)?.bucket;
    const vault = record(env.vault);
    if (env.role !== "primary" || vault === undefined || typeof bucket !== "string") continue;
    const first = vaulted.get(bucket);
    if (first === undefined) vaulted.set(bucket, { file, accountId: vault.accountId, region: vault.region });
    else if (first.accountId !== vault.accountId || first.region !== vault.region)
      problems.push(
        problem(
          file,
          ["vault"],
          `must be the vault of ${first.file} (account ${String(first.accountId)} in ${String(first.region)}), whose state is in the same bucket ${bucket}: the state bucket replicates into one vault (one replication configuration per bucket); give this environment its own state bucket to use another vault`,
          env.vault,
        ),
      );
  }
  return problems;
};

export const ACROSS_FILES_RULES: readonly AcrossFilesRule[] = [onePrimaryPerDomain, distinctStateKeys, disjointNetworks, oneVaultPerStateBucket];

/**
 * A recovery shares its primary's zone and site (dns-<primary region>): its `dns` must name the
 * same domain, site host and health check, and the same Service behind the load balancer, never a
 * zone of its own (`dr.<domain>`). Compared as the schema resolves them: an unset field equals its
 * default.
 */
export function recoverySiteProblems(file: string, env: RawEnvironment, primaryFile: string, primary: RawEnvironment): string[] {
  const dns = record(env.dns);
  const primaryDns = record(primary.dns);
  if (dns === undefined || primaryDns === undefined) return [];
  const site = { domain: dns.domain, siteHost: dns.siteHost, healthCheckPath: dns.healthCheckPath };
  const effective = (d: Record<string, unknown>) => ({
    domain: d.domain,
    siteHost: d.siteHost ?? d.domain,
    healthCheckPath: d.healthCheckPath ?? SITE_DEFAULTS.healthCheckPath,
  });
  const problems: string[] = [];
  const reason = "a recovery shares its primary's zone and site, and the failover records move the same host between the regions";
  const [mine, theirs] = [effective(dns), effective(primaryDns)];
  for (const field of ["domain", "siteHost", "healthCheckPath"] as const) {
    if (JSON.stringify(mine[field]) !== JSON.stringify(theirs[field])) {
      problems.push(problem(file, ["dns", field], `must match ${primaryFile} (${JSON.stringify(theirs[field])}): ${reason}`, site[field]));
    }
  }
  const service = record(dns.siteService) ?? {};
  const primaryService = record(primaryDns.siteService) ?? {};
  for (const field of ["namespace", "name", "port", "targetPort"] as const) {
    const expected = primaryService[field] ?? SITE_DEFAULTS.siteService[field];
    if (JSON.stringify(service[field] ?? SITE_DEFAULTS.siteService[field]) !== JSON.stringify(expected)) {
      problems.push(
        problem(
          file,
          ["dns", "siteService", field],
          `must match ${primaryFile} (${JSON.stringify(expected)}): the failover records move the site between the regions, and each region's load balancer must reach the same Service`,
          service[field],
        ),
      );
    }
  }
  return problems;
}

/**
 * A warm standby's database is a cross-Region read replica of its primary's: nothing is restored
 * (a restore source is a mistake), and it runs its source's major version (the file must say the
 * same one: RDS refuses a replica of another major).
 */
export function warmStandbyProblems(file: string, env: RawEnvironment, primaryFile: string, primary: RawEnvironment): string[] {
  if (env.tier !== "warm-standby") return [];
  const problems: string[] = [];
  const restore = record(env.database)?.restore;
  if (restore !== undefined) {
    problems.push(
      problem(
        file,
        ["database", "restore"],
        'is not used by the tier "warm-standby": its database is a cross-Region read replica of the primary\'s, promoted on the day (remove database.restore, or choose the tier "pilot-light" to restore from backups)',
        restore,
      ),
    );
  }
  const mine = record(env.database)?.engineVersion;
  const theirs = record(primary.database)?.engineVersion;
  if (mine !== undefined && theirs !== undefined && mine !== theirs) {
    problems.push(
      problem(
        file,
        ["database", "engineVersion"],
        `must match ${primaryFile} (${JSON.stringify(theirs)}): a warm standby's database is a read replica of the primary's, which runs its source's major version`,
        mine,
      ),
    );
  }
  return problems;
}
