import { z } from "zod";
import { KNOWN_REGIONS } from "./regions";
import { contains, isNetworkAddress, parseCidr } from "../network/cidr";

/**
 * Field schemas shared by the environment schema. Every message says what is allowed; the
 * loader adds the file, the field path and the value that was given.
 */

/** A strict object: unknown keys are errors that list the allowed ones (typos must not pass). */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `unknown field; allowed fields: ${allowed}` : undefined),
  });
}

export const regionCode = z.string().refine((value) => KNOWN_REGIONS.includes(value), {
  error: `must be a known AWS region code (${KNOWN_REGIONS.join(", ")}); add a missing one to lib/environment/regions.ts`,
});

export const accountId = z.string().regex(/^\d{12}$/, { error: "must be a 12-digit AWS account id, as a string" });

const S3_NAME = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/;

/** Reasons an S3 bucket name is invalid; empty when valid. Dots are refused (they break TLS). */
export function s3BucketNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) problems.push(`must be 3 to 63 characters long (is ${name.length})`);
  if (!S3_NAME.test(name)) problems.push("may only hold lowercase letters, digits and hyphens, and must start and end with a letter or digit");
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name) || /(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(name)) {
    problems.push("must not use a prefix or suffix reserved by S3 (xn--, sthree-, amzn-s3-demo-, -s3alias, --ol-s3, --x-s3, --table-s3)");
  }
  return problems;
}

export const s3BucketName = z.string().check((ctx) => {
  const problems = s3BucketNameProblems(ctx.value);
  if (problems.length > 0) {
    ctx.issues.push({ code: "custom", input: ctx.value, message: `not a valid S3 bucket name: ${problems.join("; ")}` });
  }
});

/** Lowercase slug that prefixes every resource name. */
export const projectSlug = z
  .string()
  .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, {
    error: "must be a lowercase slug: letters, digits and hyphens, starting with a letter and not ending with a hyphen",
  })
  .refine((value) => !value.includes("--"), { error: "must not contain two hyphens in a row" })
  .refine((value) => !/^(xn--|sthree-|amzn-s3-demo-)/.test(value), { error: "must not start with a prefix reserved by S3 (xn--, sthree-, amzn-s3-demo-)" });

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((range) => parseCidr(range)!);

/** A private IPv4 range, /16 to /28, given by its network address. */
export const privateCidr = z.string().check((ctx) => {
  const cidr = parseCidr(ctx.value);
  const fail = (message: string): void => void ctx.issues.push({ code: "custom", input: ctx.value, message });
  if (!cidr) return fail("must be an IPv4 CIDR block like 10.0.0.0/16");
  if (cidr.prefix < 16 || cidr.prefix > 28) return fail("must have a prefix between /16 and /28 (the sizes AWS allows for a VPC)");
  if (!isNetworkAddress(cidr)) return fail("must be a network address: the bits after the prefix must be zero");
  if (!PRIVATE_RANGES.some((range) => contains(range, cidr))) fail("must lie inside a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)");
});

export const domainName = z
  .string()
  .max(253, { error: "must be at most 253 characters" })
  .regex(/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/, {
    error: "must be a lowercase DNS name with at least two labels and no trailing dot, like example.com",
  });

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const logRetentionDays = z.number().refine((value) => (LOG_RETENTION_DAYS as readonly number[]).includes(value), {
  error: `must be one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}`,
});

export const tags = z.record(
  z
    .string()
    .min(1, { error: "tag keys must not be empty" })
    .max(128, { error: "tag keys must be at most 128 characters" })
    .refine((key) => !key.toLowerCase().startsWith("aws:"), { error: "tag keys must not start with aws: (reserved by AWS)" }),
  z.string().max(256, { error: "must be at most 256 characters" }),
);

/** A whole number in a range; one message for every way to miss it. */
export function wholeNumber(min: number, max: number, error = `must be a whole number from ${min} to ${max}`) {
  return z.number().int({ error }).min(min, { error }).max(max, { error });
}

/** The roles an environment can have. */
export const ROLES = ["primary", "recovery"] as const;
export type Role = (typeof ROLES)[number];

/** A field that only the other role may set: any value is refused with `message`. */
export function onlyWhen(message: string) {
  return z.never({ error: message }).optional();
}

export type RefinementContext = z.core.$RefinementCtx<unknown>;

/**
 * A rule across several fields. It runs whenever the fields it reads are valid, even if other
 * fields are not, so that one load reports every problem. Use as `.superRefine(...rule)`.
 */
export function crossFieldRule<S extends z.ZodType>(reads: S, check: (value: z.output<S>, ctx: RefinementContext) => void) {
  return [
    (value: unknown, ctx: RefinementContext) => check(reads.parse(value), ctx),
    { when: (payload: { value: unknown }) => reads.safeParse(payload.value).success },
  ] as const;
}

/** Adds a problem at `path` (relative to the schema the rule is attached to). */
export function fail(ctx: RefinementContext, path: (string | number)[], message: string, input: unknown): void {
  ctx.addIssue({ code: "custom", path, message, input });
}
