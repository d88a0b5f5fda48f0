import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { ConfigurationError, loadEnvironments } from "../../lib/environment";
import { addEnvironments } from "../../app/assemble";
import { primaryInput, recoveryInput } from "../support/environments";
import { environmentFile, environmentsFolder } from "../support/temp";

const REPO = path.resolve(__dirname, "../..");

/** The problems a folder produces; fails the test if it loads. */
function problemsOf(dir: string): readonly string[] {
  try {
    loadEnvironments(dir);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error("expected the folder to be rejected");
}

describe("loadEnvironments", () => {
  it("loads every environment file, sorted, with its file label", () => {
    const dir = environmentsFolder({
      "us-east-2.ts": environmentFile(recoveryInput()),
      "us-east-1.ts": environmentFile(primaryInput()),
      "notes.md": "not an environment",
      "helpers.d.ts": "export {};",
    });
    const loaded = loadEnvironments(dir);
    expect(loaded.map((l) => [l.file, l.environment.region])).toEqual([
      ["environments/us-east-1.ts", "us-east-1"],
      ["environments/us-east-2.ts", "us-east-2"],
    ]);
  });

  it("accepts files written with defineEnvironment, like the shipped ones", () => {
    const dir = environmentsFolder({
      "us-east-1.ts": `import { defineEnvironment } from ${JSON.stringify(path.join(REPO, "lib/environment"))};\nexport default defineEnvironment(${JSON.stringify(primaryInput())});\n`,
    });
    expect(loadEnvironments(dir)[0].environment.project).toBe("acme");
  });

  it("requires the file name to equal the region", () => {
    const dir = environmentsFolder({ "eu-west-1.ts": environmentFile(primaryInput()) });
    expect(problemsOf(dir)).toEqual([
      `environments/eu-west-1.ts: region: must equal the file name "eu-west-1" (one file per region, named after it) (got "us-east-1")`,
    ]);
  });

  it("names both files when two environments claim one region", () => {
    const dir = environmentsFolder({
      "us-east-1.ts": environmentFile(primaryInput()),
      "us-east-1-copy.ts": environmentFile(primaryInput()),
    });
    expect(problemsOf(dir)).toEqual([
      `environments/us-east-1-copy.ts: region: must equal the file name "us-east-1-copy" (one file per region, named after it) (got "us-east-1")`,
      `environments/us-east-1.ts: region: is also the region of environments/us-east-1-copy.ts; one environment per region (got "us-east-1")`,
      // A copy made by hand collides everywhere: every consequence is listed at once.
      `environments/us-east-1.ts: dns.domain: is also the domain of the primary environments/us-east-1-copy.ts: one primary per domain (two would make two hosted zones and two PRIMARY failover records for one site); make this file a recovery of environments/us-east-1-copy.ts, or give it its own domain (got "example.com")`,
      `environments/us-east-1.ts: state.bucket: environments/us-east-1-copy.ts writes the same state keys in this bucket (dns-us-east-1.tfstate, networking-us-east-1.tfstate, application-us-east-1.tfstate, kubernetes-us-east-1.tfstate, gitops-us-east-1.tfstate, workloads-us-east-1.tfstate): the two environments would overwrite each other's state (got "acme-terraform-state")`,
      `environments/us-east-1.ts: network.cidr: overlaps 10.10.0.0/16, the network.cidr of environments/us-east-1-copy.ts: environments that are peered, share a network or fail over to each other need disjoint VPC ranges; choose a range outside 10.10.0.0/16 (got "10.10.0.0/16")`,
    ]);
  });

  it("requires recoveryOf to name an existing environment file", () => {
    const dir = environmentsFolder({ "us-east-2.ts": environmentFile(recoveryInput()) });
    expect(problemsOf(dir)).toEqual([
      `environments/us-east-2.ts: recoveryOf: must name an existing environment: there is no environments/us-east-1.ts (got "us-east-1")`,
    ]);
  });

  it("requires recoveryOf to name a primary", () => {
    const dir = environmentsFolder({
      "us-east-2.ts": environmentFile(recoveryInput()),
      "us-west-2.ts": environmentFile(
        recoveryInput({
          region: "us-west-2",
          drRegion: "us-east-2",
          recoveryOf: "us-east-2",
          state: { bucket: "acme-terraform-state", region: "us-west-2" },
          network: { cidr: "10.30.0.0/16", azCount: 3, natGateways: "single" },
        }),
      ),
    });
    // us-west-2 keeps its state in its own region too: both problems are reported.
    expect(problemsOf(dir)).toEqual([
      `environments/us-west-2.ts: state.region: must differ from region: the state must stay readable when region is down (got "us-west-2")`,
      `environments/us-east-2.ts: recoveryOf: must name an existing environment: there is no environments/us-east-1.ts (got "us-east-1")`,
      `environments/us-west-2.ts: recoveryOf: must name a primary environment, but environments/us-east-2.ts has role "recovery" (got "us-east-2")`,
    ]);
  });

  it("requires environments sharing a state bucket to agree on its region and account", () => {
    const dir = environmentsFolder({
      "us-east-1.ts": environmentFile(primaryInput()),
      "us-east-2.ts": environmentFile(recoveryInput({ state: { bucket: "acme-terraform-state", region: "eu-west-1" } })),
      "us-west-2.ts": environmentFile(
        primaryInput({
          region: "us-west-2",
          drRegion: "us-east-2",
          accountId: "210987654321",
          state: { bucket: "acme-terraform-state", region: "us-east-1" },
          network: { cidr: "10.30.0.0/16", azCount: 2, natGateways: "single" },
          dns: { domain: "example.org" },
        }),
      ),
    });
    expect(problemsOf(dir)).toEqual([
      `environments/us-east-2.ts: state.region: must match environments/us-east-1.ts, which keeps state bucket "acme-terraform-state" in "us-west-2" (got "eu-west-1")`,
      `environments/us-west-2.ts: state.region: must match environments/us-east-1.ts, which keeps state bucket "acme-terraform-state" in "us-west-2" (got "us-east-1")`,
    ]);
    const otherAccount = environmentsFolder({
      "us-east-1.ts": environmentFile(primaryInput()),
      "eu-west-1.ts": environmentFile(
        primaryInput({
          region: "eu-west-1",
          drRegion: "eu-west-2",
          accountId: "210987654321",
          network: { cidr: "10.40.0.0/16", azCount: 3, natGateways: "single" },
          dns: { domain: "example.eu" },
        }),
      ),
    });
    expect(problemsOf(otherAccount)).toEqual([
      `environments/us-east-1.ts: accountId: must match environments/eu-west-1.ts, which shares state bucket "acme-terraform-state" (one bucket, one account) (got "123456789012")`,
    ]);
  });

  it("requires a recovery to run in its primary's drRegion, in the same project and account", () => {
    const dir = environmentsFolder({
      "us-east-1.ts": environmentFile(primaryInput({ drRegion: "us-west-2" })),
      "us-east-2.ts": environmentFile(
        recoveryInput({ project: "acme-dr", accountId: "210987654321", state: { bucket: "acme-dr-state", region: "us-west-2" } }),
      ),
    });
    expect(problemsOf(dir)).toEqual([
      `environments/us-east-2.ts: region: must be the drRegion of environments/us-east-1.ts ("us-west-2"), where its replicas are (got "us-east-2")`,
      `environments/us-east-2.ts: project: must match environments/us-east-1.ts ("acme"): a recovery takes over the primary's resources (got "acme-dr")`,
      `environments/us-east-2.ts: accountId: must match environments/us-east-1.ts ("123456789012"): a recovery takes over the primary's resources (got "210987654321")`,
    ]);
  });

  it("requires a recovery's dns to name its primary's zone, site host and health path (one zone, one site per pair)", () => {
    const dir = environmentsFolder({
      "us-east-1.ts": environmentFile(primaryInput({ dns: { domain: "example.com", siteHost: "www.example.com" } })),
      "us-east-2.ts": environmentFile(recoveryInput({ dns: { domain: "dr.example.com", healthCheckPath: "/ready" } })),
    });
    expect(problemsOf(dir)).toEqual([
      `environments/us-east-2.ts: dns.domain: must match environments/us-east-1.ts ("example.com"): a recovery shares its primary's zone and site, and the failover records move the same host between the regions (got "dr.example.com")`,
      `environments/us-east-2.ts: dns.siteHost: must match environments/us-east-1.ts ("www.example.com"): a recovery shares its primary's zone and site, and the failover records move the same host between the regions (got nothing)`,
      `environments/us-east-2.ts: dns.healthCheckPath: must match environments/us-east-1.ts ("/healthz"): a recovery shares its primary's zone and site, and the failover records move the same host between the regions (got "/ready")`,
    ]);
    const same = environmentsFolder({
      "us-east-1.ts": environmentFile(primaryInput({ dns: { domain: "example.com", siteHost: "www.example.com" } })),
      "us-east-2.ts": environmentFile(recoveryInput({ tier: "backup-and-restore", dns: { domain: "example.com", siteHost: "www.example.com" } })),
    });
    expect(loadEnvironments(same).map((l) => l.environment.region)).toEqual(["us-east-1", "us-east-2"]);
    // Unset and the default are the same site.
    const defaults = environmentsFolder({
      "us-east-1.ts": environmentFile(primaryInput({ dns: { domain: "example.com" } })),
      "us-east-2.ts": environmentFile(recoveryInput({ dns: { domain: "example.com", siteHost: "example.com", healthCheckPath: "/healthz" } })),
    });
    expect(loadEnvironments(defaults)).toHaveLength(2);
  });

  it("reports a file that does not load, and one without a default export, next to the others", () => {
    const dir = environmentsFolder({
      "eu-west-1.ts": "export default {\n  project: 'acme',,\n};\n",
      "eu-west-2.ts": "export const environment = {};\n",
      "us-east-1.ts": environmentFile({ ...primaryInput(), role: "main" }),
    });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^environments\/eu-west-1\.ts: cannot be loaded: /);
    expect(problems[1]).toBe("environments/eu-west-2.ts: must `export default defineEnvironment({ ... })` (got no default export)");
    expect(problems[2]).toBe(`environments/us-east-1.ts: role: must be one of "primary", "recovery" (got "main")`);
  });

  describe("on a day (the EKS calendar, warnings that do not stop the synth)", () => {
    const withVersion = (version: string) =>
      environmentsFolder({
        "us-east-1.ts": environmentFile(primaryInput({ kubernetes: { ...(primaryInput().kubernetes as object), version } })),
        "us-east-2.ts": environmentFile(recoveryInput({ standby: { alarmTopicArn: "arn:aws:sns:us-east-2:123456789012:alerts" } })),
      });

    it("refuses a Kubernetes version past EKS extended support on the given day, with every other problem", () => {
      let problems: readonly string[] = [];
      try {
        loadEnvironments(withVersion("1.31"), { now: new Date("2026-12-02T00:00:00Z") });
      } catch (error) {
        problems = (error as ConfigurationError).problems;
      }
      expect(problems).toEqual([
        `environments/us-east-1.ts: kubernetes.version: EKS ended extended support of Kubernetes 1.31 on 2026-11-26: CreateCluster refuses it and EKS upgrades clusters left on it; the next version still supported is 1.32 (extended support until 2027-03-23); the newest is 1.35 (standard support until 2027-03-27), with add-on versions of that version (got "1.31")`,
      ]);
      // The same file loaded before that day only warns (extended support, charged).
      expect(loadEnvironments(withVersion("1.31"), { now: new Date("2026-11-01T00:00:00Z") })[0].warnings).toEqual([
        `environments/us-east-1.ts: kubernetes.version: Kubernetes 1.31 left EKS standard support on 2025-11-26 and is in extended support (charged per cluster hour) until 2026-11-26; plan the upgrade: the next version still supported is 1.32 (extended support until 2027-03-23); the newest is 1.35 (standard support until 2027-03-27), with add-on versions of that version (got "1.31")`,
      ]);
    });

    it("warns, per file, about a version leaving standard support within 90 days and about an alarm that notifies nobody", () => {
      const dir = environmentsFolder({
        "us-east-1.ts": environmentFile(primaryInput({ kubernetes: { ...(primaryInput().kubernetes as object), version: "1.34" } })),
        "us-east-2.ts": environmentFile(recoveryInput()),
      });
      const loaded = loadEnvironments(dir, { now: new Date("2026-11-02T00:00:00Z") });
      expect(loaded.map((l) => l.warnings)).toEqual([
        [
          `environments/us-east-1.ts: kubernetes.version: Kubernetes 1.34 leaves EKS standard support on 2026-12-02 (in 30 days), then extended support (charged per cluster hour) ends 2027-12-02; plan the upgrade: the next version still supported is 1.35 (extended support until 2028-03-27); the newest is 1.35 (standard support until 2027-03-27), with add-on versions of that version (got "1.34")`,
        ],
        [
          "environments/us-east-2.ts: standby.alarmTopicArn: is not set: the scheduled readiness check's alarm notifies nobody (its state shows in CloudWatch only); name the SNS topic of your on-call in this region (got nothing)",
        ],
      ]);
      expect(loadEnvironments(withVersion("1.35"), { now: new Date("2026-11-02T00:00:00Z") }).map((l) => l.warnings)).toEqual([[], []]);
    });
  });

  it("refuses an empty or missing folder", () => {
    const empty = environmentsFolder({});
    expect(problemsOf(empty)).toEqual(["environments/: no environment files; add one named after its region, like environments/us-east-1.ts"]);
    const missing = path.join(path.dirname(empty), "nowhere");
    expect(problemsOf(missing)).toEqual([`nowhere/: folder not found (looked in ${missing})`]);
  });
});

describe("adding a region", () => {
  it("a copy of us-east-1.ts with its region, domain and network replaced yields that region's stacks and no colliding names", () => {
    const shipped = fs.readFileSync(path.join(REPO, "environments/us-east-1.ts"), "utf8");
    // Another primary needs its own domain and VPC range (both checked across files).
    const copy = shipped
      .replace(/us-east-1/g, "eu-west-1")
      .replace('domain: "example.com"', 'domain: "example.eu"')
      .replace('cidr: "10.10.0.0/16"', 'cidr: "10.50.0.0/16"')
      .replace('from "../lib/environment"', `from ${JSON.stringify(path.join(REPO, "lib/environment"))}`);
    expect(copy).toContain('domain: "example.eu"');
    expect(copy).toContain('cidr: "10.50.0.0/16"');
    const original = shipped.replace('from "../lib/environment"', `from ${JSON.stringify(path.join(REPO, "lib/environment"))}`);
    const dir = environmentsFolder({ "us-east-1.ts": original, "eu-west-1.ts": copy });

    const app = Testing.app();
    addEnvironments(app, loadEnvironments(dir));
    const ids = app.node.children.map((c) => c.node.id).sort();
    expect(ids).toEqual(expect.arrayContaining(["networking-eu-west-1", "networking-us-east-1"]));

    const roleNames = ["networking-eu-west-1", "networking-us-east-1"].map((id) => {
      const json = JSON.parse(Testing.synth(app.node.findChild(id) as any));
      return Object.values(json.resource.aws_iam_role).map((r: any) => r.name);
    });
    expect(roleNames[0]).toEqual(["acme-flow-logs-eu-west-1"]);
    expect(roleNames[1]).toEqual(["acme-flow-logs-us-east-1"]);
  });
});
