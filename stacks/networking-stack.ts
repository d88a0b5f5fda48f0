import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import { LogsKey } from "../lib/constructs/logs-key";
import { PublicHostedZone } from "../lib/constructs/public-hosted-zone";
import { Vpc } from "../lib/constructs/vpc";
import type { Environment } from "../lib/environment";
import { DNSSEC_DS_RECORD_OUTPUT, globalNames, regionalNames, roleArn, siteHost } from "../lib/naming";
import { EnvironmentStack } from "./environment-stack";
import { DNSSEC_DS_RECORD_STEP, environmentLogsKeyProps, zoneHardening } from "./hardening";

/**
 * `networking-<region>`: the VPC and, for a primary, the public hosted zone. Deployed first. A
 * recovery's zone and flow-log role were made in peacetime by its standby stack: rebuilding the
 * network writes nothing to IAM or Route 53.
 */
export class NetworkingStack extends EnvironmentStack {
  public readonly vpc: Vpc;
  /** The public hosted zone (a primary's; a recovery's is in its standby stack). */
  public readonly zone?: PublicHostedZone;
  /** Key of the environment's log groups (flow logs, EKS): a primary's own, a recovery's from its standby stack. */
  public readonly logsKeyArn: string;

  constructor(scope: Construct, environment: Environment) {
    super(scope, "networking", environment);
    const { network, dns } = environment;
    const flowLogsRole = globalNames(environment.project, environment.region).flowLogsRole;
    const regional = regionalNames(environment.project, environment.region);
    // A recovery's key was made in peacetime (standby stack); reading its alias is a regional KMS call.
    this.logsKeyArn =
      environment.role === "recovery"
        ? new DataAwsKmsAlias(this, "logs-key", { name: regional.logsKeyAlias }).targetKeyArn
        : new LogsKey(this, "logs-key", environmentLogsKeyProps(environment)).keyArn;

    this.vpc = new Vpc(this, "vpc", {
      name: regional.vpc,
      cidr: network.cidr,
      availabilityZones: network.availabilityZones,
      natGateways: network.natGateways,
      flowLogs: {
        retentionDays: network.flowLogRetentionDays,
        kmsKeyArn: this.logsKeyArn,
        role:
          environment.role === "recovery"
            ? { roleArn: roleArn(environment.accountId, flowLogsRole) }
            : { roleName: flowLogsRole, accountId: environment.accountId },
      },
    });
    if (environment.role === "primary") {
      this.zone = new PublicHostedZone(this, "zone", {
        domain: dns.domain,
        delegationSetId: dns.delegationSetId,
        siteRecord: dns.loadBalancerHostname ? { name: siteHost(dns), target: dns.loadBalancerHostname } : undefined,
        ...zoneHardening(this, environment),
      });
    }

    new TerraformOutput(this, "vpc_id", { value: this.vpc.vpcId });
    new TerraformOutput(this, "public_subnet_ids", { value: this.vpc.publicSubnets.map((s) => s.id) });
    new TerraformOutput(this, "private_subnet_ids", { value: this.vpc.privateSubnets.map((s) => s.id) });
    if (this.zone) {
      new TerraformOutput(this, "zone_id", { value: this.zone.zoneId });
      new TerraformOutput(this, "name_servers", {
        value: this.zone.nameServers,
        description: dns.delegationSetId
          ? "Name servers of the reusable delegation set: already known to the registrar"
          : "Set these as the domain's name servers at the registrar",
      });
      if (this.zone.dnssec) new TerraformOutput(this, DNSSEC_DS_RECORD_OUTPUT, { value: this.zone.dnssec.dsRecord, description: DNSSEC_DS_RECORD_STEP });
    }
  }
}
