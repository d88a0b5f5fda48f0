import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { PublicHostedZone } from "../lib/constructs/public-hosted-zone";
import { Vpc } from "../lib/constructs/vpc";
import type { Environment } from "../lib/environment";
import { globalNames, regionalNames, siteHost } from "../lib/naming";
import { EnvironmentStack } from "./environment-stack";

/** `networking-<region>`: the VPC and the public hosted zone. Deployed first. */
export class NetworkingStack extends EnvironmentStack {
  public readonly vpc: Vpc;
  public readonly zone: PublicHostedZone;

  constructor(scope: Construct, environment: Environment) {
    super(scope, "networking", environment);
    const { network, dns } = environment;

    this.vpc = new Vpc(this, "vpc", {
      name: regionalNames(environment.project, environment.region).vpc,
      cidr: network.cidr,
      availabilityZones: network.availabilityZones,
      natGateways: network.natGateways,
      flowLogs: {
        retentionDays: network.flowLogRetentionDays,
        role: { roleName: globalNames(environment.project, environment.region).flowLogsRole, accountId: environment.accountId },
      },
    });
    this.zone = new PublicHostedZone(this, "zone", {
      domain: dns.domain,
      delegationSetId: dns.delegationSetId,
      siteRecord: dns.loadBalancerHostname ? { name: siteHost(dns), target: dns.loadBalancerHostname } : undefined,
    });

    new TerraformOutput(this, "vpc_id", { value: this.vpc.vpcId });
    new TerraformOutput(this, "public_subnet_ids", { value: this.vpc.publicSubnets.map((s) => s.id) });
    new TerraformOutput(this, "private_subnet_ids", { value: this.vpc.privateSubnets.map((s) => s.id) });
    new TerraformOutput(this, "zone_id", { value: this.zone.zoneId });
    new TerraformOutput(this, "name_servers", {
      value: this.zone.nameServers,
      description: dns.delegationSetId
        ? "Name servers of the reusable delegation set: already known to the registrar"
        : "Set these as the domain's name servers at the registrar",
    });
  }
}
