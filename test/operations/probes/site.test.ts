import { GetHealthCheckStatusCommand, Route53Client } from "@aws-sdk/client-route-53";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../../../lib/environment";
import { healthChecksCheck } from "../../../lib/operations/checks/preflight/health-checks";
import { siteRegionCheck } from "../../../lib/operations/checks/preflight/site-region";
import { probeSite, type Site } from "../../../lib/operations/probes/site";
import { environment, primaryInput, recoveryInput } from "../../support/environments";

const primary = environment(primaryInput()) as PrimaryEnvironment;
const recovery = environment(recoveryInput()) as RecoveryEnvironment;
const credentials = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "example" };
const LB = { "us-east-1": "acme-us-east-1-site-1.us-east-1.elb.amazonaws.com", "us-east-2": "acme-us-east-2-site-2.us-east-2.elb.amazonaws.com" };
const ADDRESSES: Record<string, string[]> = { [LB["us-east-1"]]: ["192.0.2.10", "192.0.2.11"], [LB["us-east-2"]]: ["198.51.100.20"] };

function state(outputs: Record<string, unknown>) {
  // The part of the SDK's stream body the code reads.
  const text = JSON.stringify({ outputs: Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { value }])) });
  return { Body: { transformToString: async () => text } };
}

function observations(successes: number, failures: number) {
  return {
    HealthCheckObservations: [
      ...Array.from({ length: successes }, () => ({ StatusReport: { Status: "Success: HTTP Status Code 200, OK" } })),
      ...Array.from({ length: failures }, () => ({ StatusReport: { Status: "Failure: Connection timed out." } })),
    ],
  };
}

function clients(site: string[], options: { recoveryState?: boolean } = {}) {
  const stateS3 = new S3Client({ region: "us-west-2", credentials });
  const route53 = new Route53Client({ region: "us-east-1", credentials });
  const s3 = mockClient(stateS3);
  s3.on(GetObjectCommand, { Key: "networking-us-east-1.tfstate" }).resolves(
    state({ site_load_balancer_dns_name: LB["us-east-1"], site_health_check_id: "hc-primary" }) as any,
  );
  if (options.recoveryState === false) {
    s3.on(GetObjectCommand, { Key: "networking-us-east-2.tfstate" }).rejects(
      Object.assign(new Error("The specified key does not exist."), { name: "NoSuchKey", $metadata: { httpStatusCode: 404 } }),
    );
  } else {
    s3.on(GetObjectCommand, { Key: "networking-us-east-2.tfstate" }).resolves(
      state({ site_load_balancer_dns_name: LB["us-east-2"], site_health_check_id: "hc-recovery" }) as any,
    );
  }
  const r53 = mockClient(route53);
  r53.on(GetHealthCheckStatusCommand, { HealthCheckId: "hc-primary" }).resolves(observations(0, 16));
  r53.on(GetHealthCheckStatusCommand, { HealthCheckId: "hc-recovery" }).resolves(observations(15, 1));
  const resolve4 = async (host: string) => {
    if (host === "example.com") return site;
    return ADDRESSES[host] ?? [];
  };
  return { stateS3, route53, resolve4 };
}

/** The preflight's two rows of the site. */
const siteFailoverChecks = (site: Site) => [healthChecksCheck(site), siteRegionCheck(site, "us-east-1")];

describe("probeSite (with the preflight's rows)", () => {
  it("reads both health checks as the checkers see them and finds the region the site resolves to", async () => {
    const status = await probeSite(recovery, primary, clients(["198.51.100.20"]));
    expect(status).toEqual({
      host: "example.com",
      failoverMode: "pilot-light",
      addresses: ["198.51.100.20"],
      resolvesTo: "us-east-2",
      regions: [
        { region: "us-east-1", failover: "PRIMARY", loadBalancerDnsName: LB["us-east-1"], healthCheckId: "hc-primary", checkersHealthy: 0, checkersTotal: 16 },
        {
          region: "us-east-2",
          failover: "SECONDARY",
          loadBalancerDnsName: LB["us-east-2"],
          healthCheckId: "hc-recovery",
          checkersHealthy: 15,
          checkersTotal: 16,
        },
      ],
    });
    const [healthChecks, siteRegion] = siteFailoverChecks(status);
    expect(healthChecks).toEqual({
      id: "health-checks",
      title: "Route 53 health checks of example.com (PRIMARY us-east-1, SECONDARY us-east-2)",
      status: "pass",
      detail: [
        `PRIMARY us-east-1: health check hc-primary UNHEALTHY (0 of 16 checkers report success) for ${LB["us-east-1"]}`,
        `SECONDARY us-east-2: health check hc-recovery healthy (15 of 16 checkers report success) for ${LB["us-east-2"]}`,
      ].join("\n"),
      fix: "",
    });
    expect(siteRegion).toEqual({
      id: "site-region",
      title: "Region example.com resolves to",
      status: "pass",
      detail: "example.com resolves to us-east-2's load balancer (198.51.100.20)",
      fix: "",
    });
  });

  it("fails the health-checks row when a pilot light's networking stack was never applied, with the deploy as the fix", async () => {
    const status = await probeSite(recovery, primary, clients(["192.0.2.10"], { recoveryState: false }));
    const [healthChecks, siteRegion] = siteFailoverChecks(status);
    expect(healthChecks.status).toBe("fail");
    expect(healthChecks.detail.split("\n")[1]).toBe("SECONDARY us-east-2: networking-us-east-2 was never applied (no state object)");
    expect(healthChecks.fix).toBe(
      "npx cdktf deploy networking-us-east-2 --ignore-missing-stack-dependencies   # in peacetime (pilot light): the load balancer, the SECONDARY record of example.com and its health check",
    );
    expect(siteRegion.detail).toBe("example.com resolves to us-east-1's load balancer (192.0.2.10)");
  });

  it("accepts a backup-and-restore recovery without its networking stack (made on the day)", async () => {
    const bnr = environment(recoveryInput({ tier: "backup-and-restore" })) as RecoveryEnvironment;
    const [healthChecks] = siteFailoverChecks(await probeSite(bnr, primary, clients(["192.0.2.10"], { recoveryState: false })));
    expect(healthChecks.status).toBe("pass");
  });

  it("fails the site-region row when the site resolves to neither load balancer, or not at all", async () => {
    const [, neither] = siteFailoverChecks(await probeSite(recovery, primary, clients(["203.0.113.5"])));
    expect(neither.status).toBe("fail");
    expect(neither.detail).toBe("example.com resolves to 203.0.113.5, the address of neither region's load balancer");
    expect(neither.fix).toBe(
      "check that the registrar lists dns-us-east-1's name servers (npx cdktf output dns-us-east-1) and that both networking stacks are applied; then run again",
    );
    const c = clients([]);
    const nx = { ...c, resolve4: async () => Promise.reject(Object.assign(new Error("queryA ENOTFOUND example.com"), { code: "ENOTFOUND" })) };
    const [, missing] = siteFailoverChecks(await probeSite(recovery, primary, nx));
    expect(missing.status).toBe("fail");
    expect(missing.detail).toBe("example.com does not resolve: ENOTFOUND queryA ENOTFOUND example.com");
  });
});

describe("probeSite's failures", () => {
  it("keeps a failed state read and a failed health-check read as facts", async () => {
    const c = clients(["192.0.2.10"]);
    mockClient(c.stateS3)
      .on(GetObjectCommand, { Key: "networking-us-east-1.tfstate" })
      .rejects(Object.assign(new Error("denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }))
      .on(GetObjectCommand, { Key: "networking-us-east-2.tfstate" })
      .resolves(state({ site_load_balancer_dns_name: LB["us-east-2"], site_health_check_id: "hc-recovery" }) as any);
    mockClient(c.route53)
      .on(GetHealthCheckStatusCommand)
      .rejects(Object.assign(new Error("socket hang up"), { $metadata: {} }));
    const site = await probeSite(recovery, primary, c);
    expect(site.regions[0]).toEqual({
      region: "us-east-1",
      failover: "PRIMARY",
      stateFailure: {
        kind: "refused",
        name: "AccessDenied",
        description: "AccessDenied (HTTP 403): denied",
        call: "S3 GetObject of s3://acme-terraform-state/networking-us-east-1.tfstate",
        region: "us-west-2",
      },
    });
    expect(site.regions[1]).toEqual({
      region: "us-east-2",
      failover: "SECONDARY",
      loadBalancerDnsName: LB["us-east-2"],
      healthCheckId: "hc-recovery",
      healthCheckFailure: {
        kind: "unreachable",
        name: "Error",
        description: "Error: socket hang up",
        call: "Route 53 GetHealthCheckStatus of hc-recovery",
        region: "us-east-1",
      },
    });
    expect(siteFailoverChecks(site).map((c) => c.status)).toEqual(["unreachable", "unreachable"]);
  });
});
