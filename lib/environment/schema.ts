import { z } from "zod";
import { NAME_KINDS, NAME_LIMITS, resourceNames } from "../naming";
import { parseCidr } from "../network/cidr";
import { subnetPrefixes } from "../network/subnet-plan";
import {
  accountId,
  domainName,
  logRetentionDays,
  privateCidr,
  projectSlug,
  regionCode,
  s3BucketName,
  strictObject,
  tags,
} from "./fields";
import { zonesOf } from "./regions";

/**
 * The environment schema: the single source of truth for what an environment file may say.
 * The TypeScript types below are inferred from it. Field names are a contract (docs, later layers).
 */

const network = strictObject({
  /** VPC range; public and private subnets per zone are computed from it. */
  cidr: privateCidr,
  /** Number of zones to spread over (the first N zones of the region). Give this or `availabilityZones`. */
  azCount: z
    .number()
    .int({ error: "must be a whole number from 2 to 6" })
    .min(2, { error: "must be a whole number from 2 to 6" })
    .max(6, { error: "must be a whole number from 2 to 6" })
    .optional(),
  /** Explicit zone names, e.g. for accounts that do not see every zone. Give this or `azCount`. */
  availabilityZones: z
    .array(z.string())
    .min(2, { error: "must list 2 to 6 zones" })
    .max(6, { error: "must list 2 to 6 zones" })
    .optional(),
  /** `single`: one NAT gateway (cheaper, one zone's outage cuts egress); `per-az`: one per zone. */
  natGateways: z.enum(["single", "per-az"]),
  /** Days to keep VPC flow logs. @default 90 */
  flowLogRetentionDays: logRetentionDays.default(90),
});

const baseShape = {
  /** Lowercase slug used in every resource name. */
  project: projectSlug,
  /** Region this environment runs in; the file must be named `<region>.ts`. */
  region: regionCode,
  /** Region that receives replicas and backup archives; must differ from `region`. */
  drRegion: regionCode,
  /** `primary` serves production; `recovery` takes over from the primary named in `recoveryOf`. */
  role: z.enum(["primary", "recovery"]),
  /** Region of the primary environment this one recovers (recovery environments only). */
  recoveryOf: regionCode.optional(),
  /** The only AWS account the providers may touch (`allowed_account_ids`). */
  accountId,
  /** S3 remote state: bucket and its region, which must differ from `region`. */
  state: strictObject({ bucket: s3BucketName, region: regionCode }),
  network,
  dns: strictObject({
    /** Public hosted zone to create. */
    domain: domainName,
    /** Reusable delegation set: a rebuilt zone keeps the same name servers. */
    delegationSetId: z
      .string()
      .regex(/^N[A-Z0-9]{1,31}$/, { error: "must be a Route53 delegation set id like N1PA6795SAMPLE" })
      .optional(),
  }),
  /** Extra tags on every resource; the library's own tags (Project, Environment, ...) win. */
  tags: tags.optional(),
};

type Ctx = z.core.$RefinementCtx<unknown>;

/**
 * A rule across several fields. It runs whenever the fields it reads are valid, even if other
 * fields are not, so that one load reports every problem.
 */
function crossFieldRule<S extends z.ZodType>(reads: S, check: (value: z.output<S>, ctx: Ctx) => void) {
  return [
    (value: unknown, ctx: Ctx) => check(reads.parse(value), ctx),
    { when: (payload: { value: unknown }) => reads.safeParse(payload.value).success },
  ] as const;
}

function fail(ctx: Ctx, path: (string | number)[], message: string, input: unknown) {
  ctx.addIssue({ code: "custom", path, message, input });
}

const differentRegions = crossFieldRule(
  z.object({ region: regionCode, drRegion: regionCode, state: z.object({ region: regionCode }) }),
  (env, ctx) => {
    if (env.drRegion === env.region) {
      fail(ctx, ["drRegion"], "must differ from region: replicas and backups must survive an outage of region", env.drRegion);
    }
    if (env.state.region === env.region) {
      fail(ctx, ["state", "region"], "must differ from region: the state must stay readable when region is down", env.state.region);
    }
  },
);

const recoveryTarget = crossFieldRule(
  z.object({ region: regionCode, role: z.enum(["primary", "recovery"]), recoveryOf: regionCode.optional() }),
  (env, ctx) => {
    if (env.role === "recovery" && env.recoveryOf === undefined) {
      fail(ctx, ["recoveryOf"], "is required when role is \"recovery\": name the region of the primary this environment recovers", undefined);
    }
    if (env.role === "primary" && env.recoveryOf !== undefined) {
      fail(ctx, ["recoveryOf"], "is only allowed when role is \"recovery\"", env.recoveryOf);
    }
    if (env.recoveryOf !== undefined && env.recoveryOf === env.region) {
      fail(ctx, ["recoveryOf"], "must name another region: an environment cannot recover itself", env.recoveryOf);
    }
  },
);

const zoneLayout = crossFieldRule(
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

const nameLengths = crossFieldRule(z.object({ project: projectSlug, region: regionCode }), (env, ctx) => {
  const names = resourceNames(env.project, env.region);
  for (const [key, name] of Object.entries(names) as [keyof typeof names, string][]) {
    const kind = NAME_KINDS[key];
    const limit = NAME_LIMITS[kind];
    if (name.length > limit) {
      const what = kind === "s3Bucket" ? "S3 bucket names" : "IAM names";
      fail(ctx, ["project"], `too long: "${name}" would be ${name.length} characters and ${what} allow at most ${limit}`, env.project);
      return;
    }
  }
});

export const EnvironmentSchema = strictObject(baseShape)
  .superRefine(...differentRegions)
  .superRefine(...recoveryTarget)
  .superRefine(...zoneLayout)
  .superRefine(...nameLengths)
  .transform((env) => ({
    ...env,
    network: {
      ...env.network,
      availabilityZones: env.network.availabilityZones ?? zonesOf(env.region).slice(0, env.network.azCount),
    },
  }));

/** What an environment file writes (defaults may be left out). */
export type EnvironmentInput = z.input<typeof EnvironmentSchema>;
/** A validated environment with defaults applied and zones resolved. */
export type Environment = z.output<typeof EnvironmentSchema>;
