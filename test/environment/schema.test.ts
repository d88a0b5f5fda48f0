import { environment, primaryInput, recoveryInput } from "../support/environments";
import { schemaProblems } from "../support/schema";

const FILE = "environments/us-east-1.ts";
const TOP_LEVEL_FIELDS =
  "project, region, drRegion, role, recoveryOf, accountId, bucketSuffix, state, network, assets, backups, recoveryObjectives, database, broker, kubernetes, flux, dns, waf, registry, logRetention, standby, tags, tier, rehearsal, vault";

/** The problem lines the loader would print for this input. */
/** The problem lines the loader would print for this input (named as us-east-1's file). */
const problems = (input: unknown): string[] => schemaProblems(input, FILE);

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
    expect(env.logRetention.vpcFlowLogsDays).toBe(365);
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
      expect(line).toMatch(
        /^environments\/us-east-1\.ts: region: must be a known AWS region code \(us-east-1, us-east-2, .*\); add a missing one to lib\/environment\/regions\.ts \(got "us-east-7"\)$/,
      );
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

  describe("bucketSuffix", () => {
    it("is optional, and ends every bucket name when set (either role)", () => {
      expect(environment(primaryInput()).bucketSuffix).toBeUndefined();
      expect(environment(primaryInput({ bucketSuffix: "210987654321" })).bucketSuffix).toBe("210987654321");
      expect(environment(recoveryInput({ bucketSuffix: "rebuilt-2026" })).bucketSuffix).toBe("rebuilt-2026");
    });
    it("takes bucket-name characters only, 1 to 20 of them", () => {
      for (const suffix of ["", "Acme", "-x", "x-", "a_b", "x".repeat(21)]) {
        expect(problems(primaryInput({ bucketSuffix: suffix }))).toEqual([
          `${FILE}: bucketSuffix: must be 1 to 20 lowercase letters, digits or hyphens, starting and ending with a letter or digit (it ends S3 bucket names), e.g. the account id (got ${JSON.stringify(suffix)})`,
        ]);
      }
    });
    it("counts in the length of the bucket names", () => {
      // "<project>-hosting-services-us-east-1-<suffix>": 15 + 27 + 21 = 63 fits, a 16-character project is one too many.
      expect(problems(primaryInput({ project: "a".repeat(15), bucketSuffix: "x".repeat(20) }))).toEqual([]);
      const project = "a".repeat(16);
      expect(problems(primaryInput({ project, bucketSuffix: "x".repeat(20) }))).toEqual([
        `${FILE}: project: too long: "${project}-hosting-services-us-east-1-${"x".repeat(20)}" would be 64 characters and S3 bucket names allow at most 63 (got "${project}")`,
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
      expect(problems(withNetwork({ ...base, cidr: "10.0.0.0" }))).toEqual([
        `${FILE}: network.cidr: must be an IPv4 CIDR block like 10.0.0.0/16 (got "10.0.0.0")`,
      ]);
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
      expect(problems(input)).toEqual([`${FILE}: network.azCount: us-east-2 has 3 availability zones (us-east-2a, us-east-2b, us-east-2c) (got 4)`]);
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
      expect(problems(withNetwork({ cidr: "10.0.0.0/16", natGateways: "single", availabilityZones: ["us-east-1a", "us-east-2b", "us-east-1a"] }))).toEqual([
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
    it("flowLogRetentionDays has moved to logRetention.vpcFlowLogsDays: any value is refused with the new field's name", () => {
      for (const days of [90, 365]) {
        expect(problems(withNetwork({ ...base, flowLogRetentionDays: days }))).toEqual([
          `${FILE}: network.flowLogRetentionDays: has moved to logRetention.vpcFlowLogsDays (days, default 365: log retention is a decision per log type); remove network.flowLogRetentionDays (got ${days})`,
        ]);
      }
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
    it("loadBalancerHostname is refused in either role: it made dr.dr.example.com in a recovery", () => {
      const message = `dns.loadBalancerHostname: is no longer supported: each region gets its own load balancer and a failover alias record for dns.siteHost; remove this field (the old CNAME dr.<domain> would point at a load balancer the library does not manage) (got "k8s-abc.elb.us-east-1.amazonaws.com")`;
      expect(problems(primaryInput({ dns: { domain: "example.com", loadBalancerHostname: "k8s-abc.elb.us-east-1.amazonaws.com" } }))).toEqual([
        `${FILE}: ${message}`,
      ]);
      expect(problems(recoveryInput({ dns: { domain: "example.com", loadBalancerHostname: "k8s-abc.elb.us-east-1.amazonaws.com" } }))).toEqual([
        `${FILE}: ${message}`,
      ]);
    });
    it("defaults: the site is the domain, health path /healthz, Service site/site:80 to pods on 8080; a recovery is a pilot light", () => {
      expect(environment(primaryInput()).dns).toEqual({
        domain: "example.com",
        healthCheckPath: "/healthz",
        siteService: { namespace: "site", name: "site", port: 80, targetPort: 8080 },
      });
      expect(environment(recoveryInput()).dns).toEqual({
        domain: "example.com",
        healthCheckPath: "/healthz",
        siteService: { namespace: "site", name: "site", port: 80, targetPort: 8080 },
      });
      expect(environment(recoveryInput()).tier).toBe("pilot-light");
    });
    it("siteHost must be the domain or a name inside it", () => {
      expect(problems(primaryInput({ dns: { domain: "example.com", siteHost: "www.example.com" } }))).toEqual([]);
      expect(problems(primaryInput({ dns: { domain: "example.com", siteHost: "example.com" } }))).toEqual([]);
      for (const host of ["www.example.org", "badexample.com"]) {
        expect(problems(primaryInput({ dns: { domain: "example.com", siteHost: host } }))).toEqual([
          `${FILE}: dns.siteHost: must be example.com or a name inside it (the zone serves example.com only) (got ${JSON.stringify(host)})`,
        ]);
      }
    });
    it("healthCheckPath must be an absolute path without a query", () => {
      for (const path of ["healthz", "/health?x=1", ""]) {
        expect(problems(primaryInput({ dns: { domain: "example.com", healthCheckPath: path } }))).toEqual([
          `${FILE}: dns.healthCheckPath: must be an absolute URL path like /healthz (at most 255 characters, no query) (got ${JSON.stringify(path)})`,
        ]);
      }
    });
    it("siteService: Kubernetes names and port numbers", () => {
      expect(problems(primaryInput({ dns: { domain: "example.com", siteService: { namespace: "Site", name: "1site", port: 0, targetPort: 70000 } } }))).toEqual(
        [
          `${FILE}: dns.siteService.namespace: must be a Kubernetes namespace name (lowercase, digits, hyphens, at most 63 characters) (got "Site")`,
          `${FILE}: dns.siteService.name: must be a Kubernetes Service name (lowercase, starting with a letter, at most 63 characters) (got "1site")`,
          `${FILE}: dns.siteService.port: must be a port number from 1 to 65535 (got 0)`,
          `${FILE}: dns.siteService.targetPort: must be a port number from 1 to 65535 (got 70000)`,
        ],
      );
    });
    it("failover has moved to the top-level tier, said with what to write instead", () => {
      expect(problems(recoveryInput({ dns: { domain: "example.com", failover: "backup-and-restore" } }))).toEqual([
        `${FILE}: dns.failover: has moved: the recovery's tier is the top-level field \`tier\` ("backup-and-restore", "pilot-light", "warm-standby"; default "pilot-light"): replace dns.failover with it (got "backup-and-restore")`,
      ]);
      expect(problems(primaryInput({ dns: { domain: "example.com", failover: "pilot-light" } }))).toEqual([
        `${FILE}: dns.failover: unknown field; allowed fields: domain, siteHost, healthCheckPath, siteService, loadBalancerHostname, delegationSetId (got "pilot-light")`,
      ]);
    });
    it("delegationSetId is the primary's only: the zone belongs to the pair", () => {
      expect(problems(recoveryInput({ dns: { domain: "example.com", delegationSetId: "N1PA6795SAMPLE" } }))).toEqual([
        `${FILE}: dns.delegationSetId: is set in the primary's environment file only: the zone belongs to the primary and its recoveries together (dns-<primary region>) (got "N1PA6795SAMPLE")`,
      ]);
    });
  });

  describe("tags", () => {
    it("keys must not use the aws: prefix", () => {
      expect(problems(primaryInput({ tags: { "aws:owner": "x" } }))).toEqual([
        `${FILE}: tags.aws:owner: tag keys must not start with aws: (reserved by AWS) (got "aws:owner")`,
      ]);
    });
    it("values must be strings", () => {
      expect(problems(primaryInput({ tags: { Team: 7 as any } }))).toEqual([`${FILE}: tags.Team: must be a string (got 7)`]);
    });
  });

  describe("assets", () => {
    it("defaults to no delete-marker replication and Replication Time Control on, which only an explicit false turns off", () => {
      expect(environment(primaryInput()).assets).toEqual({ replicateDeletes: false, replicationTimeControl: true });
      expect(environment(primaryInput({ assets: { replicateDeletes: true } })).assets).toEqual({ replicateDeletes: true, replicationTimeControl: true });
      expect(environment(primaryInput({ assets: { replicationTimeControl: false } })).assets).toEqual({
        replicateDeletes: false,
        replicationTimeControl: false,
      });
    });
    it("rejects unknown fields, listing the allowed ones", () => {
      expect(problems(primaryInput({ assets: { replicateDeletes: true, versioning: true } as any }))).toEqual([
        `${FILE}: assets.versioning: unknown field; allowed fields: replicateDeletes, replicationTimeControl (got true)`,
      ]);
    });
    it("switches must be booleans", () => {
      expect(problems(primaryInput({ assets: { replicateDeletes: "yes" as any } }))).toEqual([
        `${FILE}: assets.replicateDeletes: must be true or false (got "yes")`,
      ]);
    });
  });

  describe("recoveryObjectives", () => {
    const ALL = ["databaseBackupsMinutes", "databaseArchivesMinutes", "assetsMinutes", "brokerDefinitionsMinutes", "rtoMinutes"] as const;
    const FIELDS = [...ALL, "restoreTestDays", "pointInTimeRestoreTestDays", "rehearsalDays"];
    it("defaults to 5 minutes for replicated backups, 65 for hourly archives and definitions, 15 for assets, a recovery time of 240", () => {
      const defaults = {
        databaseBackupsMinutes: 5,
        databaseArchivesMinutes: 65,
        assetsMinutes: 15,
        brokerDefinitionsMinutes: 65,
        rtoMinutes: 240,
        restoreTestDays: 8,
        pointInTimeRestoreTestDays: 32,
        rehearsalDays: 92,
      };
      expect(environment(primaryInput()).recoveryObjectives).toEqual(defaults);
      expect(environment(recoveryInput()).recoveryObjectives).toEqual(defaults);
      expect(environment(primaryInput({ recoveryObjectives: { assetsMinutes: 30 } })).recoveryObjectives).toEqual({ ...defaults, assetsMinutes: 30 });
    });
    it("rejects unknown fields, listing the allowed ones", () => {
      expect(problems(primaryInput({ recoveryObjectives: { rpoMinutes: 5 } as any }))).toEqual([
        `${FILE}: recoveryObjectives.rpoMinutes: unknown field; allowed fields: ${FIELDS.join(", ")} (got 5)`,
      ]);
    });
    it("every target must be a whole number of minutes from 1 to 10080", () => {
      for (const field of ALL) {
        for (const minutes of [0, -5, 1.5, 10081]) {
          expect(problems(primaryInput({ recoveryObjectives: { [field]: minutes } }))).toEqual([
            `${FILE}: recoveryObjectives.${field}: must be a whole number of minutes from 1 to 10080 (one week) (got ${minutes})`,
          ]);
        }
        expect(problems(primaryInput({ recoveryObjectives: { [field]: 1 } }))).toEqual([]);
        expect(problems(primaryInput({ recoveryObjectives: { [field]: 10080 } }))).toEqual([]);
      }
    });
    it("targets must be numbers, not text with a unit", () => {
      expect(problems(primaryInput({ recoveryObjectives: { databaseBackupsMinutes: "5m" as any } }))).toEqual([
        `${FILE}: recoveryObjectives.databaseBackupsMinutes: must be a number (got "5m")`,
      ]);
    });
    it("the section must be an object", () => {
      expect(problems(primaryInput({ recoveryObjectives: 5 as any }))).toEqual([`${FILE}: recoveryObjectives: must be an object (got 5)`]);
    });
  });

  it("refuses a state bucket whose access-log bucket name would be too long, for either role", () => {
    const bucket = "a".repeat(51);
    for (const input of [primaryInput, recoveryInput]) {
      expect(problems(input({ state: { bucket: `${bucket}x`, region: "us-west-2" } }))).toEqual([
        `${FILE}: state.bucket: too long: its access-log bucket "${bucket}x-access-logs" would be 64 characters and S3 bucket names allow at most 63; choose a state bucket name of at most 51 characters (got "${bucket}x")`,
      ]);
      expect(problems(input({ state: { bucket, region: "us-west-2" } }))).toEqual([]);
    }
  });

  describe("backups", () => {
    it("defaults to 90 days of non-current versions and no access key", () => {
      const lock = { mode: "GOVERNANCE", retentionDays: 90 };
      const restoreTest = { schedule: "30 3 * * 0", windowDays: 7, restoreMinutesTarget: 30 };
      expect(environment(primaryInput()).backups).toEqual({
        noncurrentVersionRetentionDays: 90,
        accessKey: false,
        objectLock: lock,
        schedule: "0 * * * *",
        restoreTest,
      });
      expect(environment(primaryInput({ backups: { accessKey: true } })).backups).toEqual({
        noncurrentVersionRetentionDays: 90,
        accessKey: true,
        objectLock: lock,
        schedule: "0 * * * *",
        restoreTest,
      });
    });
    it("locks archives in governance mode for the archives' retention unless told otherwise", () => {
      expect(environment(primaryInput({ backups: { noncurrentVersionRetentionDays: 30 } })).backups.objectLock).toEqual({
        mode: "GOVERNANCE",
        retentionDays: 30,
      });
      expect(environment(primaryInput({ backups: { objectLock: { mode: "COMPLIANCE" } } })).backups.objectLock).toEqual({
        mode: "COMPLIANCE",
        retentionDays: 90,
      });
      expect(environment(primaryInput({ backups: { noncurrentVersionRetentionDays: 30, objectLock: { retentionDays: 7 } } })).backups.objectLock).toEqual({
        mode: "GOVERNANCE",
        retentionDays: 7,
      });
      expect(environment(recoveryInput({ backups: { objectLock: { mode: "COMPLIANCE", retentionDays: 365 } } })).backups.objectLock).toEqual({
        mode: "COMPLIANCE",
        retentionDays: 365,
      });
    });
    it("objectLock.mode must be GOVERNANCE or COMPLIANCE", () => {
      expect(problems(primaryInput({ backups: { objectLock: { mode: "governance" as any } } }))).toEqual([
        `${FILE}: backups.objectLock.mode: must be one of "GOVERNANCE", "COMPLIANCE" (got "governance")`,
      ]);
    });
    it("objectLock.retentionDays must be a whole number from 1 to 3650", () => {
      for (const days of [0, 3651, 2.5]) {
        expect(problems(primaryInput({ backups: { objectLock: { retentionDays: days } } }))).toEqual([
          `${FILE}: backups.objectLock.retentionDays: must be a whole number of days from 1 to 3650 (got ${days})`,
        ]);
      }
    });
    it("objectLock rejects unknown fields, listing the allowed ones", () => {
      expect(problems(primaryInput({ backups: { objectLock: { days: 3 } as any } }))).toEqual([
        `${FILE}: backups.objectLock.days: unknown field; allowed fields: mode, retentionDays (got 3)`,
      ]);
    });
    it("rejects unknown fields, listing the allowed ones", () => {
      expect(problems(primaryInput({ backups: { retentionDays: 30 } as any }))).toEqual([
        `${FILE}: backups.retentionDays: unknown field; allowed fields: noncurrentVersionRetentionDays, accessKey, objectLock, schedule, restoreTest (got 30)`,
      ]);
    });
    it("noncurrentVersionRetentionDays must be a whole number from 1 to 3650", () => {
      for (const days of [0, 3651, 1.5]) {
        expect(problems(primaryInput({ backups: { noncurrentVersionRetentionDays: days } }))).toEqual([
          `${FILE}: backups.noncurrentVersionRetentionDays: must be a whole number of days from 1 to 3650 (got ${days})`,
        ]);
      }
      expect(problems(primaryInput({ backups: { noncurrentVersionRetentionDays: 1 } }))).toEqual([]);
      expect(problems(primaryInput({ backups: { noncurrentVersionRetentionDays: 3650 } }))).toEqual([]);
    });
    it("accessKey must be a boolean", () => {
      expect(problems(primaryInput({ backups: { accessKey: "true" as any } }))).toEqual([`${FILE}: backups.accessKey: must be true or false (got "true")`]);
    });

    it("schedule: five cron fields or a macro, the jobs' schedule", () => {
      for (const schedule of ["*/15 * * * *", "30 2 * * 1-5", "@daily", "@hourly"]) {
        expect({ schedule, problems: problems(primaryInput({ backups: { schedule } })) }).toEqual({ schedule, problems: [] });
        expect(environment(primaryInput({ backups: { schedule } })).backups.schedule).toBe(schedule);
      }
    });

    it("schedule: refuses anything the CronJob controller would refuse only at apply time", () => {
      for (const schedule of ["hourly", "0 * * *", "0 * * * * *", "0  * * * *", "@every 1h", ""]) {
        expect(problems(primaryInput({ backups: { schedule } }))).toEqual([
          `${FILE}: backups.schedule: must be five cron fields separated by single spaces, like "0 * * * *", or a macro such as "@hourly" (got ${JSON.stringify(schedule)})`,
        ]);
      }
    });
  });

  describe("database", () => {
    const base = primaryInput().database;
    const withDatabase = (database: Record<string, unknown>, input = primaryInput) => input({ database: { ...base, ...database } as any });

    it("applies defaults", () => {
      expect(environment(primaryInput()).database).toEqual({
        engineVersion: "16",
        instanceClass: "db.t4g.medium",
        allocatedStorageGb: 50,
        maxAllocatedStorageGb: 200,
        multiAz: true,
        backupRetentionDays: 14,
        databaseName: "app",
        username: "dbadmin",
        monitoringIntervalSeconds: 60,
        timeouts: { createMinutes: 180, updateMinutes: 120 },
        generation: 1,
        restore: undefined,
      });
    });
    it("timeouts: whole minutes from 10 to 1440, each overridable alone, no other key", () => {
      expect(environment(withDatabase({ timeouts: { createMinutes: 300 } })).database.timeouts).toEqual({ createMinutes: 300, updateMinutes: 120 });
      expect(problems(withDatabase({ timeouts: { createMinutes: 5, updateMinutes: 90.5 } }))).toEqual([
        `${FILE}: database.timeouts.createMinutes: must be a whole number from 10 to 1440 (got 5)`,
        `${FILE}: database.timeouts.updateMinutes: must be a whole number from 10 to 1440 (got 90.5)`,
      ]);
      expect(problems(withDatabase({ timeouts: { deleteMinutes: 60 } }))).toEqual([
        `${FILE}: database.timeouts.deleteMinutes: unknown field; allowed fields: createMinutes, updateMinutes (got 60)`,
      ]);
    });
    it("monitoringIntervalSeconds must be an interval RDS enhanced monitoring accepts", () => {
      expect(problems(withDatabase({ monitoringIntervalSeconds: 2 }))).toEqual([
        `${FILE}: database.monitoringIntervalSeconds: must be one of 0, 1, 5, 10, 15, 30, 60 (seconds; 0 turns enhanced monitoring off) (got 2)`,
      ]);
      expect(problems(withDatabase({ monitoringIntervalSeconds: "60" }))).toEqual([`${FILE}: database.monitoringIntervalSeconds: must be a number (got "60")`]);
      for (const interval of [0, 1, 5, 10, 15, 30, 60]) expect(problems(withDatabase({ monitoringIntervalSeconds: interval }))).toEqual([]);
    });
    it("engineVersion must be a PostgreSQL major: a pinned minor plans a downgrade once RDS upgrades it", () => {
      for (const version of ["16.x", "16.4", "16.4.1"]) {
        expect(problems(withDatabase({ engineVersion: version }))).toEqual([
          `${FILE}: database.engineVersion: must be a PostgreSQL major version like "16": RDS upgrades minors itself (auto_minor_version_upgrade), so a pinned minor plans a downgrade once it does (got "${version}")`,
        ]);
      }
      expect(problems(withDatabase({ engineVersion: 16 }))).toEqual([`${FILE}: database.engineVersion: must be a string (got 16)`]);
      expect(problems(withDatabase({ engineVersion: "17" }))).toEqual([]);
    });
    it("instanceClass must look like an RDS instance class", () => {
      expect(problems(withDatabase({ instanceClass: "t4g.medium" }))).toEqual([
        `${FILE}: database.instanceClass: must be an RDS instance class like "db.t4g.medium" (got "t4g.medium")`,
      ]);
    });
    it("allocatedStorageGb must be a whole number from 20 to 65536", () => {
      expect(problems(withDatabase({ allocatedStorageGb: 19, maxAllocatedStorageGb: 100 }))).toEqual([
        `${FILE}: database.allocatedStorageGb: must be a whole number from 20 to 65536 (got 19)`,
      ]);
      expect(problems(withDatabase({ allocatedStorageGb: 65537 }))).toEqual([
        `${FILE}: database.allocatedStorageGb: must be a whole number from 20 to 65536 (got 65537)`,
      ]);
      expect(problems(withDatabase({ allocatedStorageGb: 20 }))).toEqual([]);
    });
    it("maxAllocatedStorageGb must not be below allocatedStorageGb", () => {
      expect(problems(withDatabase({ allocatedStorageGb: 100, maxAllocatedStorageGb: 50 }))).toEqual([
        `${FILE}: database.maxAllocatedStorageGb: must be at least allocatedStorageGb (100) (got 50)`,
      ]);
      expect(problems(withDatabase({ allocatedStorageGb: 100, maxAllocatedStorageGb: 100 }))).toEqual([]);
    });
    it("backupRetentionDays must be a whole number from 7 to 35", () => {
      for (const days of [6, 36, 7.5]) {
        expect(problems(withDatabase({ backupRetentionDays: days }))).toEqual([
          `${FILE}: database.backupRetentionDays: must be a whole number from 7 to 35 (got ${days})`,
        ]);
      }
      expect(problems(withDatabase({ backupRetentionDays: 7 }))).toEqual([]);
      expect(problems(withDatabase({ backupRetentionDays: 35 }))).toEqual([]);
    });
    it("username must be a lowercase identifier and not a reserved name", () => {
      for (const username of ["postgres", "rdsadmin", "admin", "root"]) {
        expect(problems(withDatabase({ username }))).toEqual([
          `${FILE}: database.username: must not be a reserved name (postgres, rdsadmin, admin, root) (got "${username}")`,
        ]);
      }
      expect(problems(withDatabase({ username: "Admin" }))).toEqual([
        `${FILE}: database.username: must be a lowercase identifier of at most 63 characters (got "Admin")`,
      ]);
      expect(problems(withDatabase({ username: "owner" }))).toEqual([]);
    });
    it("databaseName must be a lowercase identifier", () => {
      expect(problems(withDatabase({ databaseName: "1app" }))).toEqual([
        `${FILE}: database.databaseName: must be a lowercase identifier of at most 63 characters (got "1app")`,
      ]);
    });
    it("rejects unknown fields, listing the allowed ones", () => {
      expect(problems(withDatabase({ storageGb: 10 }))).toEqual([
        `${FILE}: database.storageGb: unknown field; allowed fields: engineVersion, instanceClass, allocatedStorageGb, maxAllocatedStorageGb, multiAz, backupRetentionDays, databaseName, username, monitoringIntervalSeconds, timeouts, generation, restoredFrom, restore (got 10)`,
      ]);
    });
    it("a primary restores from a snapshot or an archive, and starts empty without either", () => {
      expect(environment(primaryInput()).database.restore).toBeUndefined();
      const snapshot = { from: "snapshot", snapshotIdentifier: "arn:aws:rds:us-east-1:210987654321:snapshot:acme-vault-copy" };
      expect(environment(withDatabase({ restore: snapshot })).database.restore).toEqual(snapshot);
      const archive = { from: "archive", archiveKey: "postgres/app/20261201T090000Z/archive.dump" };
      expect(environment(withDatabase({ restore: archive })).database.restore).toEqual(archive);
      expect(problems(withDatabase({ restore: { from: "archive", archiveKey: "app.dump" } }))).toEqual([
        `${FILE}: database.restore.archiveKey: must be the key of an archive file like postgres/app/20261121T030000Z/archive.dump (postgres/<database>/<stamp>/<file>) (got "app.dump")`,
      ]);
      expect(problems(withDatabase({ restore: { from: "primary-backups" } }))).toEqual([
        `${FILE}: database.restore.from: must be { from: "snapshot", snapshotIdentifier } or { from: "archive", archiveKey }: a primary restores from a DB snapshot copied or shared into its account, or from an archive ("primary-backups" is a recovery's source) (got {"from":"primary-backups"})`,
      ]);
      expect(problems(withDatabase({ restore: { from: "snapshot", snapshotIdentifier: "1-bad" } }))).toEqual([
        `${FILE}: database.restore.snapshotIdentifier: must be a DB snapshot identifier or ARN (got "1-bad")`,
      ]);
    });
    it("a recovery restores from the primary's backups at the latest time by default", () => {
      expect(environment(recoveryInput()).database.restore).toEqual({ from: "primary-backups" });
    });
    it("restore must name a known source", () => {
      for (const restore of [{ from: "backup" }, {}]) {
        expect(problems(withDatabase({ restore }, recoveryInput))).toEqual([
          `${FILE}: database.restore.from: must be { from: "primary-backups", restoreTime? } or { from: "snapshot", snapshotIdentifier } (got ${JSON.stringify(restore)})`,
        ]);
      }
    });
    it("restoreTime must be an ISO 8601 UTC time", () => {
      expect(problems(withDatabase({ restore: { from: "primary-backups", restoreTime: "2026-11-20 03:00" } }, recoveryInput))).toEqual([
        `${FILE}: database.restore.restoreTime: must be an ISO 8601 UTC time like 2026-11-20T03:00:00Z (got "2026-11-20 03:00")`,
      ]);
      const env = environment(withDatabase({ restore: { from: "primary-backups", restoreTime: "2026-11-20T03:00:00Z" } }, recoveryInput));
      expect(env.database.restore).toEqual({ from: "primary-backups", restoreTime: "2026-11-20T03:00:00Z" });
    });
    it("a snapshot restore needs a valid snapshot identifier and nothing else", () => {
      expect(problems(withDatabase({ restore: { from: "snapshot" } }, recoveryInput))).toEqual([
        `${FILE}: database.restore.snapshotIdentifier: is required (a string) (got nothing)`,
      ]);
      expect(problems(withDatabase({ restore: { from: "snapshot", snapshotIdentifier: "1bad_snap" } }, recoveryInput))).toEqual([
        `${FILE}: database.restore.snapshotIdentifier: must be a DB snapshot identifier or ARN (got "1bad_snap")`,
      ]);
      expect(
        problems(withDatabase({ restore: { from: "snapshot", snapshotIdentifier: "acme-final", restoreTime: "2026-11-20T03:00:00Z" } }, recoveryInput)),
      ).toEqual([`${FILE}: database.restore.restoreTime: unknown field; allowed fields: from, snapshotIdentifier (got "2026-11-20T03:00:00Z")`]);
      expect(
        problems(withDatabase({ restore: { from: "snapshot", snapshotIdentifier: "arn:aws:rds:us-east-2:123456789012:snapshot:acme-final" } }, recoveryInput)),
      ).toEqual([]);
    });
  });

  describe("broker", () => {
    const base = primaryInput().broker;
    const withBroker = (broker: Record<string, unknown>) => primaryInput({ broker: { ...base, ...broker } as any });
    it("timeouts.createMinutes defaults to 60 and is a whole number from 10 to 1440", () => {
      expect(environment(primaryInput()).broker.timeouts).toEqual({ createMinutes: 60 });
      expect(environment(withBroker({ timeouts: { createMinutes: 90 } })).broker.timeouts).toEqual({ createMinutes: 90 });
      expect(problems(withBroker({ timeouts: { createMinutes: 0 } }))).toEqual([
        `${FILE}: broker.timeouts.createMinutes: must be a whole number from 10 to 1440 (got 0)`,
      ]);
    });

    it("applies defaults", () => {
      expect(environment(primaryInput({ broker: { engineVersion: "3.13", instanceType: "mq.m5.large" } })).broker).toEqual({
        engineVersion: "3.13",
        instanceType: "mq.m5.large",
        deploymentMode: "CLUSTER_MULTI_AZ",
        adminUsername: "admin",
        users: [],
        passwordRotationSchedule: "0 3 1 * *",
        timeouts: { createMinutes: 60 },
      });
    });
    it("importDefinitions is a primary's boolean; a recovery's file may not set it (it always imports)", () => {
      expect(environment(primaryInput()).broker.importDefinitions).toBeUndefined();
      expect(environment(withBroker({ importDefinitions: true })).broker.importDefinitions).toBe(true);
      expect(problems(withBroker({ importDefinitions: "yes" }))).toEqual([`${FILE}: broker.importDefinitions: must be true or false (got "yes")`]);
      const recovery = recoveryInput();
      expect(problems({ ...recovery, broker: { ...recovery.broker, importDefinitions: false } })).toEqual([
        `${FILE}: broker.importDefinitions: is only allowed when role is "primary": a recovery always imports its primary's newest definitions export (remove it from this file) (got false)`,
      ]);
    });
    it("passwordRotationSchedule takes a cron, a macro or false, and names anything else", () => {
      expect(environment(withBroker({ passwordRotationSchedule: false })).broker.passwordRotationSchedule).toBe(false);
      expect(environment(withBroker({ passwordRotationSchedule: "@weekly" })).broker.passwordRotationSchedule).toBe("@weekly");
      for (const value of ["monthly", true, "0 3 1 *"]) {
        expect(problems(withBroker({ passwordRotationSchedule: value }))).toEqual([
          `${FILE}: broker.passwordRotationSchedule: must be five cron fields separated by single spaces, like "0 3 1 * *", a macro such as "@monthly", or false (got ${JSON.stringify(value)})`,
        ]);
      }
    });
    it("engineVersion must look like a RabbitMQ version", () => {
      expect(problems(withBroker({ engineVersion: "3" }))).toEqual([`${FILE}: broker.engineVersion: must be a RabbitMQ version like "3.13" (got "3")`]);
      expect(problems(withBroker({ engineVersion: "3.13.7" }))).toEqual([]);
    });
    it("instanceType must look like an Amazon MQ instance type", () => {
      expect(problems(withBroker({ instanceType: "m5.large" }))).toEqual([
        `${FILE}: broker.instanceType: must be an Amazon MQ instance type like "mq.m5.large" (got "m5.large")`,
      ]);
    });
    it("deploymentMode must be SINGLE_INSTANCE or CLUSTER_MULTI_AZ", () => {
      expect(problems(withBroker({ deploymentMode: "ACTIVE_STANDBY_MULTI_AZ" }))).toEqual([
        `${FILE}: broker.deploymentMode: must be one of "SINGLE_INSTANCE", "CLUSTER_MULTI_AZ" (got "ACTIVE_STANDBY_MULTI_AZ")`,
      ]);
    });
    it("users must not repeat", () => {
      expect(problems(withBroker({ users: ["orders", "billing", "orders"] }))).toEqual([`${FILE}: broker.users[2]: is listed twice (got "orders")`]);
    });
    it("users must not include the administrator", () => {
      expect(problems(withBroker({ users: ["orders", "admin"] }))).toEqual([
        `${FILE}: broker.users[1]: is the adminUsername; list application users only (got "admin")`,
      ]);
      expect(problems(withBroker({ adminUsername: "ops", users: ["ops"] }))).toEqual([
        `${FILE}: broker.users[0]: is the adminUsername; list application users only (got "ops")`,
      ]);
    });
    it("no user may be called guest", () => {
      expect(problems(withBroker({ users: ["guest"] }))).toEqual([`${FILE}: broker.users[0]: must not be guest (got "guest")`]);
      expect(problems(withBroker({ adminUsername: "guest" }))).toEqual([`${FILE}: broker.adminUsername: must not be guest (got "guest")`]);
    });
    it("user names must use RabbitMQ's characters", () => {
      expect(problems(withBroker({ users: ["a b"] }))).toEqual([
        `${FILE}: broker.users[0]: must be 2-100 characters: letters, digits, and - . _ ~ (got "a b")`,
      ]);
    });
    it("rejects unknown fields, listing the allowed ones", () => {
      expect(problems(withBroker({ plugins: [] }))).toEqual([
        `${FILE}: broker.plugins: unknown field; allowed fields: engineVersion, instanceType, deploymentMode, adminUsername, users, passwordRotationSchedule, importDefinitions, timeouts (got [])`,
      ]);
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

describe("EnvironmentSchema: standby (a recovery's peacetime layer)", () => {
  const R = "environments/us-east-2.ts";
  const recoveryProblems = (input: unknown) => problems(input).map((p) => p.replace(FILE, R));

  it("defaults to a check every 30 minutes, its alarm notifying nobody", () => {
    expect((environment(recoveryInput()) as any).standby).toEqual({ readinessCheckMinutes: 30 });
  });

  it("takes the interval and the alarm's topic", () => {
    const standby = { readinessCheckMinutes: 15, alarmTopicArn: "arn:aws:sns:us-east-2:123456789012:on-call" };
    expect((environment(recoveryInput({ standby })) as any).standby).toEqual(standby);
  });

  it('refuses warm, saying it has moved to the tier "warm-standby"', () => {
    for (const warm of [true, false]) {
      expect(recoveryProblems(recoveryInput({ standby: { warm } }))).toEqual([
        `${R}: standby.warm: has moved: a recovery whose stacks are kept applied in peacetime is the tier "warm-standby" (the top-level field \`tier\`, docs/tiers.md): replace standby.warm with it (got ${warm})`,
      ]);
    }
  });

  it("refuses an interval outside 5-1440 minutes", () => {
    for (const minutes of [4, 1441, 7.5]) {
      expect(recoveryProblems(recoveryInput({ standby: { readinessCheckMinutes: minutes } }))).toEqual([
        `${R}: standby.readinessCheckMinutes: must be a whole number from 5 to 1440 (got ${minutes})`,
      ]);
    }
  });

  it("refuses a topic that is not an SNS topic ARN, or not in the recovery's region (CloudWatch notifies its own region only)", () => {
    expect(recoveryProblems(recoveryInput({ standby: { alarmTopicArn: "on-call" } }))).toEqual([
      `${R}: standby.alarmTopicArn: must be an SNS topic ARN like arn:aws:sns:us-east-2:123456789012:platform-alerts (got "on-call")`,
    ]);
    expect(recoveryProblems(recoveryInput({ standby: { alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:on-call" } }))).toEqual([
      `${R}: standby.alarmTopicArn: must be a topic in us-east-2: the readiness alarm is in us-east-2 and CloudWatch notifies topics of its own region only (got "arn:aws:sns:us-east-1:123456789012:on-call")`,
    ]);
  });

  it("refuses unknown fields, and a standby on a primary", () => {
    expect(recoveryProblems(recoveryInput({ standby: { hot: true } }))).toEqual([
      `${R}: standby.hot: unknown field; allowed fields: warm, readinessCheckMinutes, alarmTopicArn (got true)`,
    ]);
    expect(problems(primaryInput({ standby: { readinessCheckMinutes: 15 } }))).toEqual([
      `${FILE}: standby: is only allowed when role is "recovery" (a primary has no standby layer: set it in the file of the recovery that takes over from it) (got {"readinessCheckMinutes":15})`,
    ]);
  });
});
