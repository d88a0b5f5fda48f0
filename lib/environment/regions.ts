/**
 * AWS regions this library knows, with the availability-zone letters that exist in each.
 *
 * Zone names are static on purpose: deriving them from the `aws_availability_zones` data source
 * would need AWS credentials at plan time, and a typo in a region code at 3 a.m. should fail at
 * load, not halfway through a deploy. A region missing here is a one-line addition.
 *
 * Zone letters are account-independent names as AWS documents them; some older accounts see a
 * subset (notably us-west-1 and ap-northeast-1): list `network.availabilityZones` explicitly there.
 */
export const REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
  "us-east-1": ["a", "b", "c", "d", "e", "f"],
  "us-east-2": ["a", "b", "c"],
  "us-west-1": ["b", "c"],
  "us-west-2": ["a", "b", "c", "d"],
  "ca-central-1": ["a", "b", "d"],
  "ca-west-1": ["a", "b", "c"],
  "sa-east-1": ["a", "b", "c"],
  "eu-west-1": ["a", "b", "c"],
  "eu-west-2": ["a", "b", "c"],
  "eu-west-3": ["a", "b", "c"],
  "eu-central-1": ["a", "b", "c"],
  "eu-central-2": ["a", "b", "c"],
  "eu-north-1": ["a", "b", "c"],
  "eu-south-1": ["a", "b", "c"],
  "eu-south-2": ["a", "b", "c"],
  "ap-south-1": ["a", "b", "c"],
  "ap-south-2": ["a", "b", "c"],
  "ap-southeast-1": ["a", "b", "c"],
  "ap-southeast-2": ["a", "b", "c"],
  "ap-southeast-3": ["a", "b", "c"],
  "ap-southeast-4": ["a", "b", "c"],
  "ap-northeast-1": ["a", "c", "d"],
  "ap-northeast-2": ["a", "b", "c", "d"],
  "ap-northeast-3": ["a", "b", "c"],
  "ap-east-1": ["a", "b", "c"],
  "me-central-1": ["a", "b", "c"],
  "me-south-1": ["a", "b", "c"],
  "af-south-1": ["a", "b", "c"],
  "il-central-1": ["a", "b", "c"],
};

export const KNOWN_REGIONS: readonly string[] = Object.keys(REGION_ZONES);

/** Availability-zone names of a known region, in order (`us-east-2a`, `us-east-2b`, ...). */
export function zonesOf(region: string): string[] {
  return (REGION_ZONES[region] ?? []).map((letter) => `${region}${letter}`);
}
