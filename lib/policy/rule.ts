/**
 * A policy rule is a pure function over one synthesized resource (snake_case JSON, tokens
 * resolved to Terraform references), with the rest of its stack at hand for rules that need a
 * companion resource (a bucket's public-access block). It does not know how severe it is: the
 * pack decides.
 */
export type RuleOutcome = "compliant" | "non-compliant" | "not-applicable";

export interface SynthesizedResource {
  /** Terraform type, e.g. `aws_s3_bucket`. */
  readonly type: string;
  /** Logical id in the stack. */
  readonly id: string;
  /** The resource's configuration as synthesized. */
  readonly config: Record<string, any>;
}

export interface SynthesizedStack {
  /** Every resource of the stack. */
  readonly resources: readonly SynthesizedResource[];
  /** Provider configurations by provider type (`aws`: [...]). */
  readonly providers: Readonly<Record<string, readonly Record<string, any>[]>>;
}

export interface PolicyRule {
  /** Stable id, e.g. `DR-S3-1`. */
  readonly id: string;
  /** What the rule demands, one sentence. */
  readonly description: string;
  /** How to fix a violation. */
  readonly fix: string;
  /** Counterparts in other tools, for the docs table. */
  readonly counterparts: { readonly cdkNag?: string; readonly checkov?: string };
  evaluate(resource: SynthesizedResource, stack: SynthesizedStack): RuleOutcome;
}

/** `${type.id.attribute}`: how a resource is referenced in synthesized JSON. */
export function reference(resource: SynthesizedResource, attribute: string): string {
  return `\${${resource.type}.${resource.id}.${attribute}}`;
}

/**
 * Resources of a type whose `bucket` (or another field) points at the given resource: by
 * reference, or by the literal name the target is configured with (`bucket = "acme-assets"` on
 * a companion addresses the bucket named so just as well).
 */
export function companions(stack: SynthesizedStack, type: string, target: SynthesizedResource, field = "bucket"): SynthesizedResource[] {
  const refs: unknown[] = [reference(target, "id"), reference(target, "bucket")];
  const name = target.config[field];
  if (typeof name === "string" && name !== "" && !name.includes("${")) refs.push(name);
  return stack.resources.filter((r) => r.type === type && refs.includes(r.config[field]));
}

/**
 * Parses an IAM policy document when it is literal JSON (with references inside strings).
 * Undefined when it is not, or when it has no statement objects to judge.
 */
export function policyStatements(document: unknown): Record<string, any>[] | undefined {
  if (typeof document !== "string") return undefined;
  let parsed: any;
  try {
    parsed = JSON.parse(document);
  } catch {
    return undefined;
  }
  const statements: unknown[] = asList(parsed?.Statement);
  if (statements.length === 0 || !statements.every((s) => s !== null && typeof s === "object" && !Array.isArray(s))) return undefined;
  return statements as Record<string, any>[];
}

export function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Terraform JSON blocks may be an object or a list of objects. */
export function firstBlock(value: unknown): Record<string, any> | undefined {
  if (Array.isArray(value)) return value[0];
  return value && typeof value === "object" ? (value as Record<string, any>) : undefined;
}

/**
 * Whether `value` names the public hosted zone `zone`: by reference to its id or zone_id, or by
 * the zone id literal (a zone is never addressed by its domain, which two zones may share).
 */
export function namesZone(value: unknown, zone: SynthesizedResource): boolean {
  return value === reference(zone, "zone_id") || value === reference(zone, "id");
}

/** A zone with a vpc block is private: DNSSEC signing and query logging concern public zones. */
export function isPublicZone(resource: SynthesizedResource): boolean {
  return resource.type === "aws_route53_zone" && asList(resource.config.vpc).length === 0;
}
