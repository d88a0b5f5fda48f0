import { Construct } from "constructs";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc as VpcResource } from "@cdktf/provider-aws/lib/vpc";
import { planSubnets } from "../network/subnet-plan";
import { VpcFlowLogs, type VpcFlowLogsProps } from "./vpc-flow-logs";

export type NatGatewayMode = "single" | "per-az";

export interface VpcProps {
  /** Name tag prefix, e.g. `acme-us-east-1`. */
  readonly name: string;
  /** VPC range; subnets are computed from it (see `planSubnets`). */
  readonly cidr: string;
  /** Zones to spread over, one public and one private subnet each. */
  readonly availabilityZones: readonly string[];
  /** `single`: one NAT gateway in the first zone; `per-az`: one per zone (no cross-zone egress). */
  readonly natGateways: NatGatewayMode;
  /** Flow logs: retention, and the delivery role to create (name, account) or to use (ARN). */
  readonly flowLogs: { readonly retentionDays: number; readonly role: VpcFlowLogsProps["role"]; readonly kmsKeyArn?: string };
}

/**
 * A VPC laid out for EKS and private datastores: public subnets (load balancers, NAT) and
 * private subnets (nodes, databases, brokers) in every zone, an internet gateway, NAT gateways,
 * one route table for the public side and one per zone for the private side, the default
 * security group stripped of all rules, and flow logs.
 */
export class Vpc extends Construct {
  public readonly resource: VpcResource;
  public readonly vpcId: string;
  public readonly cidrBlock: string;
  public readonly publicSubnets: Subnet[];
  public readonly privateSubnets: Subnet[];
  public readonly natGateways: NatGateway[];
  public readonly flowLogs: VpcFlowLogs;

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const zones = props.availabilityZones;
    if (zones.length < 2 || new Set(zones).size !== zones.length) {
      throw new Error(`Vpc: availabilityZones must list at least two distinct zones (got ${JSON.stringify(zones)})`);
    }
    const plan = planSubnets(props.cidr, zones);

    this.resource = new VpcResource(this, "resource", {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });
    this.vpcId = this.resource.id;
    this.cidrBlock = props.cidr;

    // Without rules, anything attached to the default group by mistake is isolated (CIS 5.4).
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: this.resource.id,
      tags: { Name: `${props.name}-default-deny` },
    });

    const internetGateway = new InternetGateway(this, "internet-gateway", {
      vpcId: this.resource.id,
      tags: { Name: props.name },
    });

    this.publicSubnets = plan.map(
      (p) =>
        new Subnet(this, `public-${p.zone}`, {
          vpcId: this.resource.id,
          availabilityZone: p.zone,
          cidrBlock: p.publicCidr,
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.name}-public-${p.zone}`, Tier: "public", "kubernetes.io/role/elb": "1" },
        }),
    );
    this.privateSubnets = plan.map(
      (p) =>
        new Subnet(this, `private-${p.zone}`, {
          vpcId: this.resource.id,
          availabilityZone: p.zone,
          cidrBlock: p.privateCidr,
          tags: { Name: `${props.name}-private-${p.zone}`, Tier: "private", "kubernetes.io/role/internal-elb": "1" },
        }),
    );

    const publicRoutes = new RouteTable(this, "public-routes", {
      vpcId: this.resource.id,
      route: [{ cidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id }],
      tags: { Name: `${props.name}-public` },
    });
    this.publicSubnets.forEach((subnet, i) => {
      new RouteTableAssociation(this, `public-routes-${zones[i]}`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
    });

    const natZones = props.natGateways === "single" ? zones.slice(0, 1) : zones;
    this.natGateways = natZones.map((zone, i) => {
      const address = new Eip(this, `nat-address-${zone}`, { domain: "vpc", tags: { Name: `${props.name}-nat-${zone}` } });
      return new NatGateway(this, `nat-${zone}`, {
        allocationId: address.id,
        subnetId: this.publicSubnets[i].id,
        tags: { Name: `${props.name}-${zone}` },
        dependsOn: [internetGateway],
      });
    });

    this.privateSubnets.forEach((subnet, i) => {
      const nat = this.natGateways[props.natGateways === "single" ? 0 : i];
      const routes = new RouteTable(this, `private-routes-${zones[i]}`, {
        vpcId: this.resource.id,
        route: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
        tags: { Name: `${props.name}-private-${zones[i]}` },
      });
      new RouteTableAssociation(this, `private-routes-association-${zones[i]}`, { subnetId: subnet.id, routeTableId: routes.id });
    });

    this.flowLogs = new VpcFlowLogs(this, "flow-logs", {
      vpcId: this.resource.id,
      name: props.name,
      role: props.flowLogs.role,
      retentionDays: props.flowLogs.retentionDays,
      kmsKeyArn: props.flowLogs.kmsKeyArn,
    });
  }
}
