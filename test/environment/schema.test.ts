import { EnvironmentSchema } from "../../lib/environment";
import { formatIssues } from "../../lib/environment/problems";
import { environment, primaryInput, recoveryInput } from "../support/environments";

const FILE = "environments/us-east-1.ts";
const TOP_LEVEL_FIELDS = "project, region, drRegion, role, recoveryOf, accountId, state, network, assets, backups, database, broker, kubernetes, flux, dns, tags";

/** The problem lines the loader would print for this input. */
function problems(input: unknown): string[] {
  const result = EnvironmentSchema.safeParse(input, { reportInput: true });
  return result.success ? [] : formatIssues(FILE, result.error.issues);
}

function withNetwork(network: Record<string, unknown>) {
  return { ...primaryInput(), network: network as any };
}

describe("EnvironmentSchema", () => {
  it("accepts the valid primary and recovery inputs", () => {
    expect(problems(primaryInput())).toEqual([]);
    expect(problems(recoveryInput())).toEqual([]);
  });

  it("resolves azCount into the region's first zones and applies defaults", () => {
    const env = environment(primaryInput());
    expect(env.network.availabilityZones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(env.network.flowLogRetentionDays).toBe(90);
  });

  it("keeps explicit availabilityZones in the given order", () => {
    const env = environment(withNetwork({ cidr: "10.0.0.0/16", availabilityZones: ["us-east-1d", "us-east-1b"], natGateways: "single" }) as any);
    expect(env.network.availabilityZones).toEqual(["us-east-1d", "us-east-1b"]);
  });

  describe("project", () => {
    it("must be a lowercase slug", () => {
      expect(problems(primaryInput({ project: "Acme_Corp" }))).toEqual([
        `${FILE}: project: must be a lowercase slug: letters, digits and hyphens, starting with a letter and not ending with a hyphen (got "Acme_Corp")`,
      ]);
    });
    it("must not hold two hyphens in a row", () => {
      expect(problems(primaryInput({ project: "ac--me" }))).toEqual([`${FILE}: project: must not contain two hyphens in a row (got "ac--me")`]);
    });
    it("must not start with a prefix S3 reserves", () => {
      expect(problems(primaryInput({ project: "sthree-shop" }))).toEqual([
        `${FILE}: project: must not start with a prefix reserved by S3 (xn--, sthree-, amzn-s3-demo-) (got "sthree-shop")`,
      ]);
    });
    it("must leave room for the longest bucket name", () => {
      const project = "a".repeat(37);
      expect(problems(primaryInput({ project }))).toEqual([
        `${FILE}: project: too long: "${project}-hosting-services-us-east-1" would be 64 characters and S3 bucket names allow at most 63 (got "${project}")`,
      ]);
      expect(problems(primaryInput({ project: "a".repeat(36) }))).toEqual([]);
    });
    it("must be a string", () => {
      expect(problems(primaryInput({ project: 42 as any }))).toEqual([`${FILE}: project: must be a string (got 42)`]);
    });
    it("is required", () => {
      const { project: _omitted, ...rest } = primaryInput();
      expect(problems(rest)).toEqual([`${FILE}: project: is required (a string) (got nothing)`]);
    });
  });

  describe("regions", () => {
    it("region must be a known region code", () => {
      const [line] = problems(primaryInput({ region: "us-east-7" }));
      expect(line).toMatch(/^environments\/us-east-1\.ts: region: must be a known AWS region code \(us-east-1, us-east-2, .*\); add a missing one to lib\/environment\/regions\.ts \(got "us-east-7"\)$/);
    });
    it("drRegion must differ from region", () => {
      expect(problems(primaryInput({ drRegion: "us-east-1" }))).toEqual([
        `${FILE}: drRegion: must differ from region: replicas and backups must survive an outage of region (got "us-east-1")`,
      ]);
    });
    it("state.region must differ from region", () => {
      expect(problems(primaryInput({ state: { bucket: "acme-terraform-state", region: "us-east-1" } }))).toEqual([
        `${FILE}: state.region: must differ from region: the state must stay readable when region is down (got "us-east-1")`,
      ]);
    });
  });

  describe("role and recoveryOf", () => {
    it("role must be primary or recovery", () => {
      expect(problems(primaryInput({ role: "standby" as any }))).toEqual([`${FILE}: role: must be one of "primary", "recovery" (got "standby")`]);
    });
    it("a recovery environment must name the primary it recovers", () => {
      const { recoveryOf: _omitted, ...rest } = recoveryInput();
      expect(problems(rest)).toEqual([
        `${FILE}: recoveryOf: is required when role is "recovery": name the region of the primary this environment recovers (got nothing)`,
      ]);
    });
    it("a primary must not name one", () => {
      expect(problems(primaryInput({ recoveryOf: "us-west-2" }))).toEqual([`${FILE}: recoveryOf: is only allowed when role is "recovery" (got "us-west-2")`]);
    });
    it("an environment cannot recover itself", () => {
      expect(problems(recoveryInput({ recoveryOf: "us-east-2" }))).toEqual([
        `${FILE}: recoveryOf: must name another region: an environment cannot recover itself (got "us-east-2")`,
      ]);
    });
  });

  describe("accountId", () => {
    it("must be 12 digits", () => {
      expect(problems(primaryInput({ accountId: "12345" }))).toEqual([`${FILE}: accountId: must be a 12-digit AWS account id, as a string (got "12345")`]);
    });
    it("must be a string (leading zeros matter)", () => {
      expect(problems(primaryInput({ accountId: 123456789012 as any }))).toEqual([`${FILE}: accountId: must be a string (got 123456789012)`]);
    });
  });

  describe("state", () => {
    it("bucket must be a valid S3 bucket name", () => {
      expect(problems(primaryInput({ state: { bucket: "Acme.State", region: "us-west-2" } }))).toEqual([
        `${FILE}: state.bucket: not a valid S3 bucket name: may only hold lowercase letters, digits and hyphens, and must start and end with a letter or digit (got "Acme.State")`,
      ]);
      expect(problems(primaryInput({ state: { bucket: "ab", region: "us-west-2" } }))).toEqual([
        `${FILE}: state.bucket: not a valid S3 bucket name: must be 3 to 63 characters long (is 2) (got "ab")`,
      ]);
    });
    it("rejects unknown fields, listing the allowed ones", () => {
      expect(problems(primaryInput({ state: { bucket: "acme-terraform-state", region: "us-west-2", table: "locks" } as any }))).toEqual([
        `${FILE}: state.table: unknown field; allowed fields: bucket, region (got "locks")`,
      ]);
    });
  });

  describe("network", () => {
    const base = { cidr: "10.0.0.0/16", azCount: 3, natGateways: "single" };
    it("cidr must be an IPv4 CIDR block", () => {
      expect(problems(withNetwork({ ...base, cidr: "10.0.0.0" }))).toEqual([`${FILE}: network.cidr: must be an IPv4 CIDR block like 10.0.0.0/16 (got "10.0.0.0")`]);
      expect(problems(withNetwork({ ...base, cidr: "10.0.300.0/16" }))).toEqual([
        `${FILE}: network.cidr: must be an IPv4 CIDR block like 10.0.0.0/16 (got "10.0.300.0/16")`,
      ]);
    });
    it("cidr must be /16 to /28", () => {
      expect(problems(withNetwork({ ...base, cidr: "10.0.0.0/8" }))).toEqual([
        `${FILE}: network.cidr: must have a prefix between /16 and /28 (the sizes AWS allows for a VPC) (got "10.0.0.0/8")`,
      ]);
    });
    it("cidr must be a network address", () => {
      expect(problems(withNetwork({ ...base, cidr: "10.0.1.0/16" }))).toEqual([
        `${FILE}: network.cidr: must be a network address: the bits after the prefix must be zero (got "10.0.1.0/16")`,
      ]);
    });
    it("cidr must be private", () => {
      expect(problems(withNetwork({ ...base, cidr: "8.8.0.0/16" }))).toEqual([
        `${FILE}: network.cidr: must lie inside a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) (got "8.8.0.0/16")`,
      ]);
      expect(problems(withNetwork({ ...base, cidr: "172.32.0.0/16" }))).toHaveLength(1);
      expect(problems(withNetwork({ ...base, cidr: "172.31.0.0/16" }))).toEqual([]);
    });
    it("cidr must fit the subnets of every zone", () => {
      expect(problems(withNetwork({ ...base, cidr: "10.0.0.0/25" }))).toEqual([
        `${FILE}: network.cidr: a /25 VPC is too small for 3 zones: public subnets would be /29 and AWS allows at most /28; use /24 or larger (got "10.0.0.0/25")`,
      ]);
      expect(problems(withNetwork({ ...base, cidr: "10.0.0.0/24" }))).toEqual([]);
    });
    it("azCount must be a whole number from 2 to 6", () => {
      for (const azCount of [1, 7, 2.5]) {
        expect(problems(withNetwork({ ...base, azCount }))).toEqual([`${FILE}: network.azCount: must be a whole number from 2 to 6 (got ${azCount})`]);
      }
    });
    it("azCount must not exceed the region's zones", () => {
      const input = { ...recoveryInput(), network: { ...base, azCount: 4 } as any };
      expect(problems(input)).toEqual([
        `${FILE}: network.azCount: us-east-2 has 3 availability zones (us-east-2a, us-east-2b, us-east-2c) (got 4)`,
      ]);
    });
    it("needs azCount or availabilityZones, not both", () => {
      expect(problems(withNetwork({ cidr: "10.0.0.0/16", natGateways: "single" }))).toEqual([
        `${FILE}: network.azCount: is required unless availabilityZones is given (a whole number from 2 to 6) (got nothing)`,
      ]);
      expect(problems(withNetwork({ ...base, availabilityZones: ["us-east-1a", "us-east-1b"] }))).toEqual([
        `${FILE}: network.azCount: set azCount or availabilityZones, not both (got 3)`,
      ]);
    });
    it("availabilityZones must exist in the region and not repeat", () => {
      expect(
        problems(withNetwork({ cidr: "10.0.0.0/16", natGateways: "single", availabilityZones: ["us-east-1a", "us-east-2b", "us-east-1a"] })),
      ).toEqual([
        `${FILE}: network.availabilityZones[1]: not an availability zone of us-east-1; allowed: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f (got "us-east-2b")`,
        `${FILE}: network.availabilityZones[2]: is listed twice (got "us-east-1a")`,
      ]);
    });
    it("availabilityZones must list 2 to 6 zones", () => {
      expect(problems(withNetwork({ cidr: "10.0.0.0/16", natGateways: "single", availabilityZones: ["us-east-1a"] }))).toEqual([
        `${FILE}: network.availabilityZones: must list 2 to 6 zones (got ["us-east-1a"])`,
      ]);
    });
    it("natGateways must be single or per-az", () => {
      expect(problems(withNetwork({ ...base, natGateways: "none" }))).toEqual([`${FILE}: network.natGateways: must be one of "single", "per-az" (got "none")`]);
    });
    it("flowLogRetentionDays must be a CloudWatch retention", () => {
      expect(problems(withNetwork({ ...base, flowLogRetentionDays: 10 }))).toEqual([
        `${FILE}: network.flowLogRetentionDays: must be one of the retention periods CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 10)`,
      ]);
    });
  });

  describe("dns", () => {
    it("domain must be a lowercase DNS name", () => {
      for (const domain of ["Example.com", "example", "example.com.", "-a.example.com"]) {
        expect(problems(primaryInput({ dns: { domain } }))).toEqual([
          `${FILE}: dns.domain: must be a lowercase DNS name with at least two labels and no trailing dot, like example.com (got ${JSON.stringify(domain)})`,
        ]);
      }
    });
    it("delegationSetId must look like a delegation set id", () => {
      expect(problems(primaryInput({ dns: { domain: "example.com", delegationSetId: "/delegationset/N1" } }))).toEqual([
        `${FILE}: dns.delegationSetId: must be a Route53 delegation set id like N1PA6795SAMPLE (got "/delegationset/N1")`,
      ]);
    });
  });

  describe("tags", () => {
    it("keys must not use the aws: prefix", () => {
      expect(problems(primaryInput({ tags: { "aws:owner": "x" } }))).toEqual([`${FILE}: tags.aws:owner: tag keys must not start with aws: (reserved by AWS) (got "aws:owner")`]);
    });
    it("values must be strings", () => {
      expect(problems(primaryInput({ tags: { Team: 7 as any } }))).toEqual([`${FILE}: tags.Team: must be a string (got 7)`]);
    });
  });

  it("rejects unknown top-level fields, listing the allowed ones", () => {
    expect(problems({ ...primaryInput(), dnsZone: "example.com" })).toEqual([
      `${FILE}: dnsZone: unknown field; allowed fields: ${TOP_LEVEL_FIELDS} (got "example.com")`,
    ]);
  });

  it("rejects a default export that is not an object", () => {
    expect(problems("us-east-1")).toEqual([`${FILE}: (default export): must be an object (got "us-east-1")`]);
  });

  it("lists every problem at once, including cross-field rules next to type errors", () => {
    const input = {
      ...primaryInput({ drRegion: "us-east-1", accountId: "x" }),
      network: { cidr: "10.0.0.0/33", azCount: 9, natGateways: "single" },
      extra: true,
    };
    expect(problems(input)).toEqual([
      `${FILE}: accountId: must be a 12-digit AWS account id, as a string (got "x")`,
      `${FILE}: network.cidr: must be an IPv4 CIDR block like 10.0.0.0/16 (got "10.0.0.0/33")`,
      `${FILE}: network.azCount: must be a whole number from 2 to 6 (got 9)`,
      `${FILE}: extra: unknown field; allowed fields: ${TOP_LEVEL_FIELDS} (got true)`,
      `${FILE}: drRegion: must differ from region: replicas and backups must survive an outage of region (got "us-east-1")`,
    ]);
  });
});
