import * as path from "path";
import { ConfigurationError, loadEnvironments } from "../../lib/environment";
import { ROLE_STACK_KINDS, stackId, stateStackId } from "../../lib/naming";
import { primaryInput, recoveryInput } from "../support/environments";
import { SHIPPED_STACK_IDS } from "../support/shipped";
import { environmentFile, environmentsFolder } from "../support/temp";

/** The rules that read the environment files together (lib/environment/across-files.ts). */

function problemsOf(files: Record<string, unknown>): readonly string[] {
  const dir = environmentsFolder(Object.fromEntries(Object.entries(files).map(([name, value]) => [name, environmentFile(value)])));
  try {
    loadEnvironments(dir);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

/** A second primary, in another region with its own state bucket, network and domain. */
const otherPrimary = (overrides: Record<string, unknown> = {}) =>
  primaryInput({
    region: "eu-west-1",
    drRegion: "eu-west-2",
    state: { bucket: "acme-eu-terraform-state", region: "eu-central-1" },
    network: { cidr: "10.30.0.0/16", azCount: 3, natGateways: "single" },
    dns: { domain: "example.eu" },
    ...overrides,
  });

describe("one primary per domain", () => {
  it("refuses a second primary of a domain, naming both files", () => {
    expect(problemsOf({ "us-east-1.ts": primaryInput(), "eu-west-1.ts": otherPrimary({ dns: { domain: "example.com" } }) })).toEqual([
      `environments/us-east-1.ts: dns.domain: is also the domain of the primary environments/eu-west-1.ts: one primary per domain (two would make two hosted zones and two PRIMARY failover records for one site); make this file a recovery of environments/eu-west-1.ts, or give it its own domain (got "example.com")`,
    ]);
  });

  it("accepts primaries of different domains, and a primary and its recovery on one domain", () => {
    expect(problemsOf({ "us-east-1.ts": primaryInput(), "eu-west-1.ts": otherPrimary(), "us-east-2.ts": recoveryInput() })).toEqual([]);
  });
});

describe("distinct state keys", () => {
  it("are the keys of the stacks the app makes for each role", () => {
    const made = [
      stateStackId("acme-terraform-state"),
      ...ROLE_STACK_KINDS.primary.map((kind) => stackId(kind, "us-east-1")),
      // The shipped primary declares a vault: its vault stack keeps its state beside the others.
      stackId("vault", "us-east-1"),
      ...ROLE_STACK_KINDS.recovery.map((kind) => stackId(kind, "us-east-2")),
    ];
    expect(made.sort()).toEqual([...SHIPPED_STACK_IDS]);
  });

  it("refuses two environments that would write one key in one bucket, and only in one bucket", () => {
    // Two files claiming one region (the second misnamed), sharing the bucket: their keys collide.
    const copy = { ...otherPrimary({ region: "us-east-1", drRegion: "us-east-2" }), state: primaryInput().state };
    const shared = problemsOf({ "us-east-1.ts": primaryInput(), "eu-west-1.ts": copy });
    expect(shared.filter((p) => p.includes("state.bucket"))).toEqual([
      `environments/us-east-1.ts: state.bucket: environments/eu-west-1.ts writes the same state keys in this bucket (dns-us-east-1.tfstate, networking-us-east-1.tfstate, application-us-east-1.tfstate, kubernetes-us-east-1.tfstate, gitops-us-east-1.tfstate, workloads-us-east-1.tfstate): the two environments would overwrite each other's state (got "acme-terraform-state")`,
    ]);
    // With a vault on both, the vault stack's key collides too.
    const vault = { accountId: "210987654321", region: "us-west-1" };
    const vaulted = problemsOf({ "us-east-1.ts": primaryInput({ vault }), "eu-west-1.ts": { ...copy, vault } });
    expect(vaulted.filter((p) => p.includes("state.bucket"))).toEqual([
      `environments/us-east-1.ts: state.bucket: environments/eu-west-1.ts writes the same state keys in this bucket (dns-us-east-1.tfstate, networking-us-east-1.tfstate, application-us-east-1.tfstate, kubernetes-us-east-1.tfstate, gitops-us-east-1.tfstate, workloads-us-east-1.tfstate, vault-us-east-1.tfstate): the two environments would overwrite each other's state (got "acme-terraform-state")`,
    ]);
    const apart = problemsOf({ "us-east-1.ts": primaryInput(), "eu-west-1.ts": otherPrimary({ region: "us-east-1", drRegion: "us-east-2" }) });
    expect(apart.length).toBeGreaterThan(0);
    expect(apart.filter((p) => p.includes("state.bucket"))).toEqual([]);
  });
});

describe("disjoint VPC ranges", () => {
  const withCidr = (cidr: string) => recoveryInput({ network: { cidr, azCount: 3, natGateways: "single" } });

  it("refuses a range inside another environment's, naming both files", () => {
    expect(problemsOf({ "us-east-1.ts": primaryInput(), "us-east-2.ts": withCidr("10.10.128.0/17") })).toEqual([
      `environments/us-east-2.ts: network.cidr: overlaps 10.10.0.0/16, the network.cidr of environments/us-east-1.ts: environments that are peered, share a network or fail over to each other need disjoint VPC ranges; choose a range outside 10.10.0.0/16 (got "10.10.128.0/17")`,
    ]);
  });

  it("refuses a range around another environment's", () => {
    const small = primaryInput({ network: { cidr: "10.10.16.0/20", azCount: 2, natGateways: "single" } });
    expect(problemsOf({ "us-east-1.ts": small, "us-east-2.ts": withCidr("10.10.0.0/16") })).toEqual([
      `environments/us-east-2.ts: network.cidr: overlaps 10.10.16.0/20, the network.cidr of environments/us-east-1.ts: environments that are peered, share a network or fail over to each other need disjoint VPC ranges; choose a range outside 10.10.16.0/20 (got "10.10.0.0/16")`,
    ]);
  });

  it("compares every pair: a third file overlapping both is refused twice", () => {
    const network = (cidr: string) => ({ network: { cidr, azCount: 3, natGateways: "single" } });
    const problems = problemsOf({
      "us-east-1.ts": primaryInput(network("10.10.0.0/17")),
      "us-east-2.ts": recoveryInput(network("10.10.128.0/17")),
      "eu-west-1.ts": otherPrimary(network("10.10.0.0/16")),
    });
    expect(problems.map((p) => p.replace(/: environments that .*/, ""))).toEqual([
      "environments/us-east-1.ts: network.cidr: overlaps 10.10.0.0/16, the network.cidr of environments/eu-west-1.ts",
      "environments/us-east-2.ts: network.cidr: overlaps 10.10.0.0/16, the network.cidr of environments/eu-west-1.ts",
    ]);
  });

  it("accepts adjacent ranges, and leaves a range that is no CIDR to the schema", () => {
    expect(problemsOf({ "us-east-1.ts": primaryInput(), "us-east-2.ts": withCidr("10.11.0.0/16") })).toEqual([]);
    expect(problemsOf({ "us-east-1.ts": primaryInput(), "us-east-2.ts": withCidr("10.10.0.0/33") })).toEqual([
      `environments/us-east-2.ts: network.cidr: must be an IPv4 CIDR block like 10.0.0.0/16 (got "10.10.0.0/33")`,
    ]);
  });
});

describe("a recovery's site is its primary's", () => {
  it("refuses another Service behind the load balancer, field by field, with defaults resolved", () => {
    const primary = primaryInput({ dns: { domain: "example.com", siteService: { namespace: "web" } } });
    const recovery = recoveryInput({ dns: { domain: "example.com", siteService: { port: 81, targetPort: 8080 } } });
    expect(problemsOf({ "us-east-1.ts": primary, "us-east-2.ts": recovery })).toEqual([
      `environments/us-east-2.ts: dns.siteService.namespace: must match environments/us-east-1.ts ("web"): the failover records move the site between the regions, and each region's load balancer must reach the same Service (got nothing)`,
      `environments/us-east-2.ts: dns.siteService.port: must match environments/us-east-1.ts (80): the failover records move the site between the regions, and each region's load balancer must reach the same Service (got 81)`,
    ]);
  });

  it("accepts the same Service written out or left to the defaults", () => {
    const recovery = recoveryInput({ dns: { domain: "example.com", siteService: { namespace: "site", name: "site", port: 80, targetPort: 8080 } } });
    expect(problemsOf({ "us-east-1.ts": primaryInput(), "us-east-2.ts": recovery })).toEqual([]);
  });
});

describe("a warm standby's database is a read replica of its primary's", () => {
  const warm = (database: Record<string, unknown> = {}) => {
    const base = recoveryInput();
    return recoveryInput({ tier: "warm-standby", database: { ...(base.database as object), ...database } });
  };

  it("accepts a warm standby of the primary's major with no restore source", () => {
    expect(problemsOf({ "us-east-1.ts": primaryInput(), "us-east-2.ts": warm() })).toEqual([]);
  });

  it("refuses a restore source and another major, both at once", () => {
    expect(problemsOf({ "us-east-1.ts": primaryInput(), "us-east-2.ts": warm({ engineVersion: "17", restore: { from: "primary-backups" } }) })).toEqual([
      `environments/us-east-2.ts: database.restore: is not used by the tier "warm-standby": its database is a cross-Region read replica of the primary's, promoted on the day (remove database.restore, or choose the tier "pilot-light" to restore from backups) (got {"from":"primary-backups"})`,
      `environments/us-east-2.ts: database.engineVersion: must match environments/us-east-1.ts ("16"): a warm standby's database is a read replica of the primary's, which runs its source's major version (got "17")`,
    ]);
  });

  it("leaves both to the other tiers", () => {
    const pilot = recoveryInput({ database: { ...(recoveryInput().database as object), engineVersion: "17", restore: { from: "primary-backups" } } });
    expect(problemsOf({ "us-east-1.ts": primaryInput(), "us-east-2.ts": pilot })).toEqual([]);
  });
});

it("the shipped environments pass every rule", () => {
  expect(loadEnvironments(path.resolve(__dirname, "../../environments"))).toHaveLength(2);
});

describe("one vault per state bucket", () => {
  const vault = { accountId: "210987654321", region: "us-west-1" };
  const shared = { state: primaryInput().state };

  it("refuses another vault for a primary whose state is in the same bucket, naming both files", () => {
    const other = { accountId: "310987654321", region: "us-west-1" };
    expect(problemsOf({ "us-east-1.ts": primaryInput({ vault: other }), "eu-west-1.ts": otherPrimary({ ...shared, vault }) })).toEqual([
      `environments/us-east-1.ts: vault: must be the vault of environments/eu-west-1.ts (account 210987654321 in us-west-1), whose state is in the same bucket acme-terraform-state: the state bucket replicates into one vault (one replication configuration per bucket); give this environment its own state bucket to use another vault (got {"accountId":"310987654321","region":"us-west-1"})`,
    ]);
    expect(
      problemsOf({ "us-east-1.ts": primaryInput({ vault: { ...vault, region: "us-west-2" } }), "eu-west-1.ts": otherPrimary({ ...shared, vault }) }),
    ).toHaveLength(1);
  });

  it("accepts the same vault, a primary without one, and another vault with its own bucket", () => {
    expect(problemsOf({ "us-east-1.ts": primaryInput({ vault }), "eu-west-1.ts": otherPrimary({ ...shared, vault }) })).toEqual([]);
    expect(problemsOf({ "us-east-1.ts": primaryInput({ vault }), "eu-west-1.ts": otherPrimary(shared) })).toEqual([]);
    expect(problemsOf({ "us-east-1.ts": primaryInput({ vault }), "eu-west-1.ts": otherPrimary({ vault: { ...vault, accountId: "310987654321" } }) })).toEqual(
      [],
    );
  });
});
