import { healthChecksCheck, isHealthy, siteProblem } from "../../../../lib/operations/checks/preflight/health-checks";
import type { RegionSite, Site } from "../../../../lib/operations/probes/site";
import { failed } from "../../../support/facts";

const LB1 = "lb-1.us-east-1.elb.amazonaws.com";
const LB2 = "lb-2.us-east-2.elb.amazonaws.com";
const PRIMARY: RegionSite = {
  region: "us-east-1",
  failover: "PRIMARY",
  loadBalancerDnsName: LB1,
  healthCheckId: "hc-1",
  checkersHealthy: 0,
  checkersTotal: 16,
};
const SECONDARY: RegionSite = {
  region: "us-east-2",
  failover: "SECONDARY",
  loadBalancerDnsName: LB2,
  healthCheckId: "hc-2",
  checkersHealthy: 15,
  checkersTotal: 16,
};
const site = (regions: RegionSite[], failoverMode: Site["failoverMode"] = "pilot-light"): Site => ({
  host: "example.com",
  failoverMode,
  regions,
  addresses: [],
});
const TITLE = "Route 53 health checks of example.com (PRIMARY us-east-1, SECONDARY us-east-2)";
const stateFailure = failed("unreachable", "S3 GetObject of s3://acme-terraform-state/networking-us-east-2.tfstate", "us-west-2", "TimeoutError: late").failure;

describe("isHealthy", () => {
  it("counts an endpoint healthy when more than 18% of the checkers that answered do", () => {
    expect(isHealthy({ ...PRIMARY, checkersHealthy: 3, checkersTotal: 16 })).toBe(true);
    expect(isHealthy({ ...PRIMARY, checkersHealthy: 2, checkersTotal: 16 })).toBe(false);
    expect(isHealthy({ ...PRIMARY, checkersTotal: 0 })).toBeUndefined();
  });
});

describe("siteProblem", () => {
  it("names why nothing more is known of a region", () => {
    expect(siteProblem(PRIMARY)).toBeUndefined();
    expect(siteProblem({ region: "us-east-2", failover: "SECONDARY", notApplied: true })).toBe("networking-us-east-2 was never applied (no state object)");
    expect(siteProblem({ region: "us-east-2", failover: "SECONDARY", stateFailure })).toBe("reading networking-us-east-2's state failed: TimeoutError: late");
    expect(siteProblem({ region: "us-east-2", failover: "SECONDARY", loadBalancerDnsName: LB2 })).toBe(
      "networking-us-east-2 has no health check (backup-and-restore record, or an older state)",
    );
    const refused = failed("refused", "Route 53 GetHealthCheckStatus of hc-2", "us-east-1").failure;
    expect(siteProblem({ ...SECONDARY, checkersHealthy: undefined, checkersTotal: undefined, healthCheckFailure: refused })).toBe(
      "Route 53 GetHealthCheckStatus of hc-2 failed: AccessDenied (HTTP 403): not authorized",
    );
  });
});

describe("healthChecksCheck", () => {
  it("passes when both health checks were read, healthy or not", () => {
    expect(healthChecksCheck(site([PRIMARY, SECONDARY]))).toEqual({
      id: "health-checks",
      title: TITLE,
      status: "pass",
      detail: [
        `PRIMARY us-east-1: health check hc-1 UNHEALTHY (0 of 16 checkers report success) for ${LB1}`,
        `SECONDARY us-east-2: health check hc-2 healthy (15 of 16 checkers report success) for ${LB2}`,
      ].join("\n"),
      fix: "",
    });
  });

  it("fails a pilot light whose networking stack was never applied, with its deploy", () => {
    const check = healthChecksCheck(site([PRIMARY, { region: "us-east-2", failover: "SECONDARY", notApplied: true }]));
    expect(check.status).toBe("fail");
    expect(check.detail.split("\n")[1]).toBe("SECONDARY us-east-2: networking-us-east-2 was never applied (no state object)");
    expect(check.fix).toBe(
      "npx cdktf deploy networking-us-east-2 --ignore-missing-stack-dependencies   # in peacetime (pilot light): the load balancer, the SECONDARY record of example.com and its health check",
    );
  });

  it("accepts a backup-and-restore recovery without its networking stack (made on the day)", () => {
    expect(healthChecksCheck(site([PRIMARY, { region: "us-east-2", failover: "SECONDARY", notApplied: true }], "backup-and-restore")).status).toBe("pass");
  });

  it("is unreachable when a state or Route 53 gave no answer", () => {
    expect(healthChecksCheck(site([PRIMARY, { region: "us-east-2", failover: "SECONDARY", stateFailure }]))).toMatchObject({
      status: "unreachable",
      fix: "check the network path to the state bucket's region and to Route 53, then run again",
    });
    const dark = failed("unreachable", "Route 53 GetHealthCheckStatus of hc-1", "us-east-1").failure;
    expect(healthChecksCheck(site([{ ...PRIMARY, healthCheckFailure: dark }, SECONDARY])).status).toBe("unreachable");
  });
});
