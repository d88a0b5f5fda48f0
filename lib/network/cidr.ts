/**
 * IPv4 CIDR arithmetic, computed at load time so that subnet ranges are concrete values in the
 * synthesized JSON (readable in `cdktf diff`) and an impossible layout fails before synth.
 */
export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly address: number;
  /** Prefix length, 0-32. */
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/p`; returns undefined when the text is not an IPv4 CIDR block. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { address, prefix };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  const a = cidr.address;
  return `${Math.floor(a / 2 ** 24) % 256}.${Math.floor(a / 2 ** 16) % 256}.${Math.floor(a / 2 ** 8) % 256}.${a % 256}/${cidr.prefix}`;
}

/** True when no host bit is set (`10.0.0.0/16`, not `10.0.1.0/16`). */
export function isNetworkAddress(cidr: Ipv4Cidr): boolean {
  return cidr.address % 2 ** (32 - cidr.prefix) === 0;
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  if (inner.prefix < outer.prefix) return false;
  const size = 2 ** (32 - outer.prefix);
  return Math.floor(inner.address / size) === Math.floor(outer.address / size);
}

/** Terraform's `cidrsubnet(prefix, newbits, netnum)`. */
export function subnet(parent: Ipv4Cidr, newBits: number, index: number): Ipv4Cidr {
  const prefix = parent.prefix + newBits;
  if (prefix > 32) throw new RangeError(`cannot split /${parent.prefix} by ${newBits} bits`);
  if (index < 0 || index >= 2 ** newBits) throw new RangeError(`subnet index ${index} out of range for ${newBits} bits`);
  return { address: parent.address + index * 2 ** (32 - prefix), prefix };
}

/** Bits needed to number `count` items (`ceil(log2(count))`, 0 for one item). */
export function bitsFor(count: number): number {
  return Math.ceil(Math.log2(Math.max(count, 1)));
}
