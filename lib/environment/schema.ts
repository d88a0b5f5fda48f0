import { z } from "zod";
import { accountId, crossFieldRule, fail, onlyWhen, projectSlug, regionCode, ROLES, s3BucketName, strictObject, tags } from "./fields";
import { zonesOf } from "./regions";
import { differentRegions, nameLengths, recoveryTarget, rehearsalNameLengths, stateLogBucketLength, zoneLayout } from "./rules";
import { assets } from "./sections/assets";
import { backups } from "./sections/backups";
import { broker, importDefinitionsOnPrimary } from "./sections/broker";
import { primaryDatabase, recoveryDatabase } from "./sections/database";
import { primaryDns, recoveryDns } from "./sections/dns";
import { primaryFlux, recoveryFlux } from "./sections/flux";
import { kubernetes } from "./sections/kubernetes";
import { logRetention } from "./sections/log-retention";
import { network } from "./sections/network";
import { recoveryObjectives } from "./sections/recovery-objectives";
import { registry } from "./sections/registry";
import { waf } from "./sections/waf";
import { snsTopicRegion, standby } from "./sections/standby";
import { tier } from "./sections/tier";
import { recoveryVault, vault, vaultApart } from "./sections/vault";

/**
 * The environment schema: the single source of truth for what an environment file may say. It is
 * a union discriminated on `role`, so only a recovery has `recoveryOf` and `database.restore`; the
 * TypeScript types below are inferred from it. Each section keeps its own rules
 * (./sections/*); rules across sections are in ./rules.ts. Field names are a contract.
 */

const REQUIRED_RECOVERY_OF = 'is required when role is "recovery": name the region of the primary this environment recovers';

/**
 * The fields of either role, in the order the "allowed fields" message lists them. The
 * role-specific ones are filled in by each role's schema.
 */
function environmentShape<R extends z.ZodType, O extends z.ZodType, D extends z.ZodType, N extends z.ZodType, S extends z.ZodType, F extends z.ZodType>(
  role: R,
  recoveryOf: O,
  database: D,
  dns: N,
  standbyLayer: S,
  flux: F,
) {
  return {
    /** Lowercase slug used in every resource name. */
    project: projectSlug,
    /** Region this environment runs in; the file must be named `<region>.ts`. */
    region: regionCode,
    /** Region that receives replicas and backup archives; must differ from `region`. */
    drRegion: regionCode,
    /** `primary` serves production; `recovery` takes over from the primary named in `recoveryOf`. */
    role,
    /** Region of the primary environment this one recovers (recovery environments only). */
    recoveryOf,
    /** The only AWS account the providers may touch (`allowed_account_ids`). */
    accountId,
    /**
     * Appended to every S3 bucket name the environment creates (`<project>-assets-<region>-<suffix>`).
     * Bucket names are global across all accounts and a closed account's stay reserved, so an
     * environment rebuilt in a new account needs names of its own: its account id is a good suffix.
     * Never change it on a deployed environment: a bucket cannot be renamed (the change would
     * replace every bucket, which prevent_destroy refuses).
     * @default - no suffix: the names deployments have always had
     */
    bucketSuffix: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$/, {
        error:
          "must be 1 to 20 lowercase letters, digits or hyphens, starting and ending with a letter or digit (it ends S3 bucket names), e.g. the account id",
      })
      .optional(),
    /** S3 remote state: bucket and its region, which must differ from `region`. */
    state: strictObject({ bucket: s3BucketName, region: regionCode }),
    network,
    /** The assets bucket and its DR replica. */
    assets: assets.prefault({}),
    /** The database-archive bucket and the backup user. */
    backups: backups.prefault({}),
    /** How old each store's newest copy in drRegion may be (`npm run dr -- status`). */
    recoveryObjectives: recoveryObjectives.prefault({}),
    /** RDS PostgreSQL. */
    database,
    /** Amazon MQ for RabbitMQ. */
    broker,
    /** EKS. */
    kubernetes,
    /** Flux syncing the platform-k8s repository. */
    flux,
    /** The shared public zone, the site host and its health check (see docs/dns-failover.md). */
    dns,
    /** The web application firewall in front of the site's load balancer. */
    waf: waf.prefault({}),
    /** Container images replicated into the recovery region. */
    registry: registry.prefault({}),
    /** Days each kind of log is kept (flow logs, EKS control plane, DNS queries, WAF, load balancer access logs). */
    logRetention: logRetention.prefault({}),
    /** A recovery's standby layer: warm or not, and its scheduled readiness check (recovery environments only). */
    standby: standbyLayer,
    /** Extra tags on every resource; the library's own tags (Project, Environment, ...) win. */
    tags: tags.optional(),
  };
}

const primary = strictObject({
  ...environmentShape(
    z.literal("primary"),
    onlyWhen('is only allowed when role is "recovery"'),
    primaryDatabase,
    primaryDns,
    onlyWhen('is only allowed when role is "recovery" (a primary has no standby layer: set it in the file of the recovery that takes over from it)'),
    primaryFlux,
  ),
  tier: onlyWhen(
    'is only allowed when role is "recovery" (the tier is what a recovery prepares: set it in the file of the recovery that takes over from this primary)',
  ),
  rehearsal: onlyWhen(
    'is only allowed when role is "recovery" (a rehearsal rehearses a recovery: set it in the file of the recovery that takes over from this primary)',
  ),
  /**
   * The vault account that keeps copies of what a rebuild in a new account needs (docs/vault.md).
   * Primary environments only.
   * @default - none: every copy lives in the workload account and is lost with it
   */
  vault: vault.optional(),
})
  .superRefine(...differentRegions)
  .superRefine(...vaultApart)
  .superRefine(...zoneLayout)
  .superRefine(...nameLengths)
  .superRefine(...stateLogBucketLength);

/** CloudWatch alarms notify SNS topics of their own region only. */
const alarmTopicInRegion = crossFieldRule(z.object({ region: z.string(), standby: z.object({ alarmTopicArn: z.string().optional() }) }), (env, ctx) => {
  const arn = env.standby.alarmTopicArn;
  const region = arn === undefined ? undefined : snsTopicRegion(arn);
  if (region !== undefined && region !== env.region) {
    fail(
      ctx,
      ["standby", "alarmTopicArn"],
      `must be a topic in ${env.region}: the readiness alarm is in ${env.region} and CloudWatch notifies topics of its own region only`,
      arn,
    );
  }
});

/** A recovery restores the primary's backups for real on the day; the point-in-time test belongs to the primary that makes them. */
const pointInTimeTestOnPrimary = crossFieldRule(
  z.object({ backups: z.object({ restoreTest: z.object({ pointInTime: z.unknown().optional() }).optional() }).optional() }),
  (env, ctx) => {
    const given = env.backups?.restoreTest?.pointInTime;
    if (given !== undefined) {
      fail(
        ctx,
        ["backups", "restoreTest", "pointInTime"],
        "is only allowed when role is \"primary\": the point-in-time restore test restores the primary's own backups in its region (set it in the primary's file)",
        given,
      );
    }
  },
);

const recovery = strictObject({
  ...environmentShape(
    z.literal("recovery"),
    z.string({ error: (issue) => (issue.input === undefined ? REQUIRED_RECOVERY_OF : undefined) }).pipe(regionCode),
    recoveryDatabase,
    recoveryDns,
    standby.prefault({}),
    recoveryFlux,
  ),
  /**
   * The recovery's tier (docs/tiers.md): `pilot-light` keeps its networking (VPC, load balancer,
   * SECONDARY record and health check) deployed in peacetime; `backup-and-restore` deploys it on
   * the day; `warm-standby` keeps every stack deployed (a read replica of the primary's database,
   * a cluster of one node per group) and its day promotes and scales. Recovery environments only.
   * @default "pilot-light"
   */
  tier,
  /**
   * Synthesize the rehearsal generation of this recovery (`dr rehearse <region>`): its layers again
   * under `-rehearsal` stack ids and `<project>-rehearsal` names, deployed only by a rehearsal and
   * destroyed by its teardown (docs/rehearsal.md). Recovery environments only.
   * @default false
   */
  rehearsal: z.boolean({ error: "must be true or false" }).default(false),
  vault: recoveryVault,
})
  .superRefine(...differentRegions)
  .superRefine(...recoveryTarget)
  .superRefine(...alarmTopicInRegion)
  .superRefine(...pointInTimeTestOnPrimary)
  .superRefine(...importDefinitionsOnPrimary)
  .superRefine(...zoneLayout)
  .superRefine(...nameLengths)
  .superRefine(...rehearsalNameLengths)
  .superRefine(...stateLogBucketLength);

/** Defaults that depend on other fields: the Flux path and the zones of `azCount`. */
function resolveDefaults<E extends z.output<typeof primary> | z.output<typeof recovery>>(env: E) {
  return {
    ...env,
    flux: { ...env.flux, path: env.flux.path ?? `clusters/${env.region}` },
    network: { ...env.network, availabilityZones: env.network.availabilityZones ?? zonesOf(env.region).slice(0, env.network.azCount) },
    registry: { replicatedPrefixes: env.registry.replicatedPrefixes ?? [env.project] },
  };
}

export const PrimaryEnvironmentSchema = primary.transform(resolveDefaults);
export const RecoveryEnvironmentSchema = recovery.transform(resolveDefaults);

export const EnvironmentSchema = z
  .discriminatedUnion("role", [primary, recovery], {
    error: (issue) => (issue.code === "invalid_union" ? `must be one of ${ROLES.map((r) => JSON.stringify(r)).join(", ")}` : undefined),
  })
  .transform(resolveDefaults);

/** What an environment file writes (defaults may be left out). */
export type EnvironmentInput = z.input<typeof EnvironmentSchema>;
/**
 * Set only on the environment a recovery's rehearsal generation is synthesized from
 * (`rehearsalSide`), never by a file: its stacks take `-rehearsal` ids and lift stateful protection.
 */
export interface RehearsalMark {
  readonly rehearsing?: true;
}
/** A validated primary environment with defaults applied and zones resolved. */
export type PrimaryEnvironment = z.output<typeof PrimaryEnvironmentSchema> & RehearsalMark;
/** A validated recovery environment with defaults applied and zones resolved. */
export type RecoveryEnvironment = z.output<typeof RecoveryEnvironmentSchema> & RehearsalMark;
/** Either role; `role` tells them apart. */
export type Environment = PrimaryEnvironment | RecoveryEnvironment;
