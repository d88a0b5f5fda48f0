import { z } from "zod";
import { environmentNames, NAME_KINDS, NAME_LIMITS, rehearsalProject, stateAccessLogsBucket, type GlobalNames } from "../naming";
import { parseCidr } from "../network/cidr";
import { subnetPrefixes } from "../network/subnet-plan";
import { crossFieldRule, fail, privateCidr, projectSlug, regionCode, s3BucketName } from "./fields";
import { zonesOf } from "./regions";
import { network } from "./sections/network";

/** Rules that read more than one section of an environment (each section's own rules live with it). */

export const differentRegions = crossFieldRule(z.object({ region: regionCode, drRegion: regionCode, state: z.object({ region: regionCode }) }), (env, ctx) => {
  if (env.drRegion === env.region) {
    fail(ctx, ["drRegion"], "must differ from region: replicas and backups must survive an outage of region", env.drRegion);
  }
  if (env.state.region === env.region) {
    fail(ctx, ["state", "region"], "must differ from region: the state must stay readable when region is down", env.state.region);
  }
});

/** A recovery names another region than its own (that the named file is a primary is checked across files). */
export const recoveryTarget = crossFieldRule(z.object({ region: regionCode, recoveryOf: regionCode }), (env, ctx) => {
  if (env.recoveryOf === env.region) {
    fail(ctx, ["recoveryOf"], "must name another region: an environment cannot recover itself", env.recoveryOf);
  }
});

export const zoneLayout = crossFieldRule(
  z.object({
    region: regionCode,
    network: z.object({
      cidr: privateCidr,
      azCount: network.shape.azCount,
      availabilityZones: network.shape.availabilityZones,
    }),
  }),
  (env, ctx) => {
    const { azCount, availabilityZones, cidr } = env.network;
    const known = zonesOf(env.region);
    if (azCount === undefined && availabilityZones === undefined) {
      fail(ctx, ["network", "azCount"], "is required unless availabilityZones is given (a whole number from 2 to 6)", undefined);
      return;
    }
    if (azCount !== undefined && availabilityZones !== undefined) {
      fail(ctx, ["network", "azCount"], "set azCount or availabilityZones, not both", azCount);
      return;
    }
    if (azCount !== undefined && azCount > known.length) {
      fail(ctx, ["network", "azCount"], `${env.region} has ${known.length} availability zones (${known.join(", ")})`, azCount);
      return;
    }
    (availabilityZones ?? []).forEach((zone, index) => {
      if (!known.includes(zone)) {
        fail(ctx, ["network", "availabilityZones", index], `not an availability zone of ${env.region}; allowed: ${known.join(", ")}`, zone);
      } else if (availabilityZones!.indexOf(zone) !== index) {
        fail(ctx, ["network", "availabilityZones", index], "is listed twice", zone);
      }
    });
    const zoneCount = azCount ?? availabilityZones!.length;
    const prefix = parseCidr(cidr)!.prefix;
    const layout = subnetPrefixes(prefix, zoneCount);
    if (prefix > layout.largestVpcPrefix) {
      fail(
        ctx,
        ["network", "cidr"],
        `a /${prefix} VPC is too small for ${zoneCount} zones: public subnets would be /${layout.publicPrefix} and AWS allows at most /28; use /${layout.largestVpcPrefix} or larger`,
        cidr,
      );
    }
  },
);

/** Every global name, of the cluster generation a rebuild would bring up next too (its names are the longest). */
export const nameLengths = crossFieldRule(
  z.object({
    project: projectSlug,
    region: regionCode,
    bucketSuffix: z.string().optional(),
    kubernetes: z.object({ generation: z.number().int().min(1).max(99) }),
  }),
  (env, ctx) => {
    const tooLong = firstTooLongName(environmentNames(env, env.kubernetes.generation + 1));
    if (tooLong) fail(ctx, ["project"], `too long: ${tooLong}`, env.project);
  },
);

/** A recovery's rehearsal generation names everything `<project>-rehearsal`: those names must fit too. */
export const rehearsalNameLengths = crossFieldRule(
  z.object({ project: projectSlug, region: regionCode, bucketSuffix: z.string().optional(), rehearsal: z.literal(true) }),
  (env, ctx) => {
    const tooLong = firstTooLongName(environmentNames({ ...env, project: rehearsalProject(env.project) }));
    if (tooLong)
      fail(ctx, ["rehearsal"], `cannot be true with this project: ${tooLong} (a rehearsal names everything "${rehearsalProject(env.project)}")`, true);
  },
);

/** The first global name over its kind's limit, said as the schema reports it. */
function firstTooLongName(names: GlobalNames): string | undefined {
  for (const [key, name] of Object.entries(names) as [keyof GlobalNames, string][]) {
    const kind = NAME_KINDS[key];
    const limit = NAME_LIMITS[kind];
    if (name.length > limit)
      return `"${name}" would be ${name.length} characters and ${kind === "s3Bucket" ? "S3 bucket names" : "IAM names"} allow at most ${limit}`;
  }
  return undefined;
}

/** The state bucket's access-log bucket (`<bucket>-access-logs`) must be a valid bucket name too. */
export const stateLogBucketLength = crossFieldRule(z.object({ state: z.object({ bucket: s3BucketName }) }), (env, ctx) => {
  const name = stateAccessLogsBucket(env.state.bucket);
  if (name.length > NAME_LIMITS.s3Bucket) {
    fail(
      ctx,
      ["state", "bucket"],
      `too long: its access-log bucket "${name}" would be ${name.length} characters and S3 bucket names allow at most ${NAME_LIMITS.s3Bucket}; choose a state bucket name of at most ${NAME_LIMITS.s3Bucket - (name.length - env.state.bucket.length)} characters`,
      env.state.bucket,
    );
  }
});
