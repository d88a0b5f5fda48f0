import { bitsFor, formatCidr, Ipv4Cidr, parseCidr, subnet } from "./cidr";

/** AWS allows subnets between /16 and /28. */
export const SMALLEST_SUBNET_PREFIX = 28;

export interface ZoneSubnets {
  readonly zone: string;
  readonly publicCidr: string;
  readonly privateCidr: string;
}

/**
 * Lays out one public and one private subnet per zone inside the VPC range.
 *
 * The VPC is cut into `2^b` equal blocks with `2^b >= zones + 1`. Private subnets (where EKS nodes,
 * databases and brokers live, and which need the addresses) take blocks `0..zones-1`, one each.
 * The last block is split again into one public subnet per zone (load balancers and NAT gateways
 * only). Blocks in between stay free for later use. For a /16 and three zones: private /18s,
 * public /20s.
 *
 * The layout depends only on the CIDR and the zone count, so adding a zone to an environment
 * changes the layout; that is a rebuild of the VPC and shows in `cdktf diff`.
 */
export function planSubnets(vpcCidr: string, zones: readonly string[]): ZoneSubnets[] {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) throw new Error(`not an IPv4 CIDR block: ${vpcCidr}`);
  const layout = subnetPrefixes(vpc.prefix, zones.length);
  const publicBlock = subnet(vpc, layout.blockBits, 2 ** layout.blockBits - 1);
  return zones.map((zone, index) => ({
    zone,
    privateCidr: formatCidr(subnet(vpc, layout.blockBits, index)),
    publicCidr: formatCidr(subnet(publicBlock, layout.publicBits, index)),
  }));
}

/** Prefix lengths the layout gives for a VPC prefix and a zone count. */
export function subnetPrefixes(vpcPrefix: number, zoneCount: number) {
  const blockBits = bitsFor(zoneCount + 1);
  const publicBits = bitsFor(zoneCount);
  return {
    blockBits,
    publicBits,
    privatePrefix: vpcPrefix + blockBits,
    publicPrefix: vpcPrefix + blockBits + publicBits,
    /** The largest VPC prefix (smallest VPC) that still fits this many zones. */
    largestVpcPrefix: SMALLEST_SUBNET_PREFIX - blockBits - publicBits,
  };
}

export type { Ipv4Cidr };
