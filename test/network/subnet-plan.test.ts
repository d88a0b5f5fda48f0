import { bitsFor, contains, formatCidr, isNetworkAddress, parseCidr, subnet } from "../../lib/network/cidr";
import { planSubnets, subnetPrefixes } from "../../lib/network/subnet-plan";

describe("cidr", () => {
  it("parses and formats IPv4 CIDR blocks", () => {
    expect(parseCidr("10.20.0.0/16")).toEqual({ address: 10 * 2 ** 24 + 20 * 2 ** 16, prefix: 16 });
    expect(formatCidr(parseCidr("192.168.4.128/25")!)).toBe("192.168.4.128/25");
    for (const bad of ["10.0.0/16", "10.0.0.256/16", "10.0.0.0/33", "10.0.0.0", "a.b.c.d/8"]) expect(parseCidr(bad)).toBeUndefined();
  });
  it("knows network addresses and containment", () => {
    expect(isNetworkAddress(parseCidr("10.0.0.0/16")!)).toBe(true);
    expect(isNetworkAddress(parseCidr("10.0.0.1/31")!)).toBe(false);
    expect(contains(parseCidr("172.16.0.0/12")!, parseCidr("172.31.255.0/24")!)).toBe(true);
    expect(contains(parseCidr("172.16.0.0/12")!, parseCidr("172.32.0.0/16")!)).toBe(false);
    expect(contains(parseCidr("10.0.0.0/16")!, parseCidr("10.0.0.0/8")!)).toBe(false);
  });
  it("matches Terraform's cidrsubnet", () => {
    // cidrsubnet("10.0.0.0/16", 4, 15) = "10.0.240.0/20"
    expect(formatCidr(subnet(parseCidr("10.0.0.0/16")!, 4, 15))).toBe("10.0.240.0/20");
    expect(() => subnet(parseCidr("10.0.0.0/16")!, 2, 4)).toThrow("subnet index 4 out of range for 2 bits");
    expect(bitsFor(1)).toBe(0);
    expect(bitsFor(3)).toBe(2);
    expect(bitsFor(4)).toBe(2);
    expect(bitsFor(5)).toBe(3);
  });
});

describe("planSubnets", () => {
  it("gives private subnets the large blocks and splits the last block into public subnets", () => {
    expect(planSubnets("10.10.0.0/16", ["a", "b", "c"])).toEqual([
      { zone: "a", privateCidr: "10.10.0.0/18", publicCidr: "10.10.192.0/20" },
      { zone: "b", privateCidr: "10.10.64.0/18", publicCidr: "10.10.208.0/20" },
      { zone: "c", privateCidr: "10.10.128.0/18", publicCidr: "10.10.224.0/20" },
    ]);
  });

  it.each([2, 3, 4, 5, 6])("never overlaps and stays inside the VPC for %i zones", (zones) => {
    const vpc = parseCidr("10.0.0.0/20")!;
    const plan = planSubnets(
      "10.0.0.0/20",
      Array.from({ length: zones }, (_, i) => `z${i}`),
    );
    const blocks = plan.flatMap((p) => [p.privateCidr, p.publicCidr]).map((c) => parseCidr(c)!);
    for (const block of blocks) expect(contains(vpc, block)).toBe(true);
    for (let i = 0; i < blocks.length; i++) {
      for (let j = i + 1; j < blocks.length; j++) {
        expect(contains(blocks[i], blocks[j]) || contains(blocks[j], blocks[i])).toBe(false);
      }
    }
  });

  it("reports the smallest VPC that fits", () => {
    expect(subnetPrefixes(16, 3)).toEqual({ blockBits: 2, publicBits: 2, privatePrefix: 18, publicPrefix: 20, largestVpcPrefix: 24 });
    expect(subnetPrefixes(16, 6).largestVpcPrefix).toBe(22);
  });
});
