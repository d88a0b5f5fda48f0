import { siteRegionCheck } from "../../../../lib/operations/checks/preflight/site-region";
import type { Site } from "../../../../lib/operations/probes/site";
import { failed } from "../../../support/facts";

const REGIONS: Site["regions"] = [
  { region: "us-east-1", failover: "PRIMARY", loadBalancerDnsName: "lb-1", healthCheckId: "hc-1", checkersHealthy: 16, checkersTotal: 16 },
  { region: "us-east-2", failover: "SECONDARY", loadBalancerDnsName: "lb-2", healthCheckId: "hc-2", checkersHealthy: 16, checkersTotal: 16 },
];
const site = (fields: Partial<Site>): Site => ({ host: "example.com", failoverMode: "pilot-light", regions: REGIONS, addresses: ["192.0.2.10"], ...fields });
const FIX =
  "check that the registrar lists dns-us-east-1's name servers (npx cdktf output dns-us-east-1) and that both networking stacks are applied; then run again";

describe("siteRegionCheck", () => {
  it("passes when the host resolves to a region's load balancer, naming it", () => {
    expect(siteRegionCheck(site({ resolvesTo: "us-east-2", addresses: ["198.51.100.20"] }), "us-east-1")).toEqual({
      id: "site-region",
      title: "Region example.com resolves to",
      status: "pass",
      detail: "example.com resolves to us-east-2's load balancer (198.51.100.20)",
      fix: "",
    });
  });

  it("fails when the host resolves to neither load balancer, or not at all", () => {
    expect(siteRegionCheck(site({ addresses: ["203.0.113.5"] }), "us-east-1")).toEqual({
      id: "site-region",
      title: "Region example.com resolves to",
      status: "fail",
      detail: "example.com resolves to 203.0.113.5, the address of neither region's load balancer",
      fix: FIX,
    });
    expect(siteRegionCheck(site({ addresses: [], lookupError: { code: "ENOTFOUND", message: "queryA ENOTFOUND example.com" } }), "us-east-1")).toMatchObject({
      status: "fail",
      detail: "example.com does not resolve: ENOTFOUND queryA ENOTFOUND example.com",
      fix: FIX,
    });
  });

  it("is unreachable when a load balancer's name could not be read: the answer cannot be placed", () => {
    const stateFailure = failed("unreachable", "S3 GetObject of s3://b/networking-us-east-1.tfstate", "us-west-2").failure;
    expect(siteRegionCheck(site({ regions: [{ region: "us-east-1", failover: "PRIMARY", stateFailure }, REGIONS[1]] }), "us-east-1").status).toBe(
      "unreachable",
    );
  });
});
