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

const assets = strictObject({
  /**
   * Replicate delete markers to the DR replica. Off by default: a delete in production (or by an
   * attacker) must not erase the replica. @default false
   */
  replicateDeletes: z.boolean().default(false),
  /** S3 Replication Time Control: 99.99% of objects within 15 minutes, with metrics. @default false */
  replicationTimeControl: z.boolean().default(false),
});

const backups = strictObject({
  /** Days to keep non-current versions of database archives. @default 90 */
  noncurrentVersionRetentionDays: z
    .number()
    .int({ error: "must be a whole number of days from 1 to 3650" })
    .min(1, { error: "must be a whole number of days from 1 to 3650" })
    .max(3650, { error: "must be a whole number of days from 1 to 3650" })
    .default(90),
  /**
   * Create an access key for the backup user and keep it in Secrets Manager. The secret then also
   * sits in the Terraform state (encrypted in the state bucket). @default false
   */
  accessKey: z.boolean().default(false),
});

const databaseRestore = z.discriminatedUnion(
  "from",
  [
    strictObject({
      /** Point-in-time restore from the primary's automated backups replicated into this region. */
      from: z.literal("primary-backups"),
      /** ISO 8601 time to restore to. @default - the latest restorable time */
      restoreTime: z.iso.datetime({ error: "must be an ISO 8601 UTC time like 2026-11-20T03:00:00Z" }).optional(),
    }),
    strictObject({
      /** Restore from a DB snapshot in this region (name or ARN). */
      from: z.literal("snapshot"),
      snapshotIdentifier: z.string().regex(/^(arn:aws:rds:[a-z0-9-]+:\d{12}:snapshot:)?[a-zA-Z][a-zA-Z0-9-:]{0,254}$/, {
        error: "must be a DB snapshot identifier or ARN",
      }),
    }),
  ],
  { error: 'must be { from: "primary-backups", restoreTime? } or { from: "snapshot", snapshotIdentifier }' },
);

const wholeNumber = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.number().int({ error }).min(min, { error }).max(max, { error });
};

const database = strictObject({
  /** PostgreSQL engine version, e.g. "16.4". */
  engineVersion: z.string().regex(/^\d+(\.\d+)?$/, { error: 'must be a PostgreSQL version like "16.4"' }),
  /** RDS instance class, e.g. "db.t4g.medium". */
  instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an RDS instance class like "db.t4g.medium"' }),
  /** Initial storage in GiB. @default 50 */
  allocatedStorageGb: wholeNumber(20, 65536).default(50),
  /** Storage autoscaling ceiling in GiB. @default 200 */
  maxAllocatedStorageGb: wholeNumber(20, 65536).default(200),
  /** Standby in a second zone. @default true */
  multiAz: z.boolean().default(true),
  /** Days of automated backups (and of their replica in drRegion). @default 14 */
  backupRetentionDays: wholeNumber(7, 35).default(14),
  /** Database created in a new (not restored) instance. @default "app" */
  databaseName: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "must be a lowercase identifier of at most 63 characters" }).default("app"),
  /** Master user; its password is generated and kept by AWS (Secrets Manager). @default "dbadmin" */
  username: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "must be a lowercase identifier of at most 63 characters" })
    .refine((name) => !["postgres", "rdsadmin", "admin", "root"].includes(name), { error: "must not be a reserved name (postgres, rdsadmin, admin, root)" })
    .default("dbadmin"),
  /**
   * Recovery environments only: where the database comes from.
   * @default - recovery: { from: "primary-backups" } (latest restorable time); primary: a new, empty database
   */
  restore: databaseRestore.optional(),
});

const rabbitUser = z.string().regex(/^[A-Za-z0-9_.~-]{2,100}$/, { error: "must be 2-100 characters: letters, digits, and - . _ ~" }).refine((name) => name !== "guest", { error: "must not be guest" });

const broker = strictObject({
  /** RabbitMQ engine version, e.g. "3.13". */
  engineVersion: z.string().regex(/^\d+\.\d+(\.\d+)?$/, { error: 'must be a RabbitMQ version like "3.13"' }),
  /** Amazon MQ instance type, e.g. "mq.m5.large". */
  instanceType: z.string().regex(/^mq\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an Amazon MQ instance type like "mq.m5.large"' }),
  /** `CLUSTER_MULTI_AZ` (three nodes) or `SINGLE_INSTANCE`. @default "CLUSTER_MULTI_AZ" */
  deploymentMode: z.enum(["SINGLE_INSTANCE", "CLUSTER_MULTI_AZ"]).default("CLUSTER_MULTI_AZ"),
  /** Administrator created with the broker; password generated into Secrets Manager. @default "admin" */
  adminUsername: rabbitUser.default("admin"),
  /** Application users: each gets a generated password in Secrets Manager. @default [] */
  users: z.array(rabbitUser).default([]),
});

const nodeGroup = strictObject({
  /** Node group name (unique in the cluster). */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "must be a lowercase name of letters, digits and hyphens, at most 63 characters" }),
  /** EC2 instance types, e.g. ["m6i.large"]. */
  instanceTypes: z
    .array(z.string().regex(/^[a-z0-9-]+\.[a-z0-9]+$/, { error: 'must be an EC2 instance type like "m6i.large"' }))
    .min(1, { error: "must list at least one instance type" }),
  /** @default "ON_DEMAND" */
  capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
  minSize: wholeNumber(0, 450),
  maxSize: wholeNumber(1, 450),
  desiredSize: wholeNumber(0, 450),
  /** Root volume size in GiB. @default 50 */
  diskSizeGb: wholeNumber(20, 16384).default(50),
});

const kubernetes = strictObject({
  /** EKS Kubernetes version, e.g. "1.31". */
  version: z.string().regex(/^1\.\d{2}$/, { error: 'must be an EKS Kubernetes version like "1.31"' }),
  /**
   * CIDRs allowed to reach the API endpoint from the internet. Empty: private endpoint only.
   * 0.0.0.0/0 is refused. @default []
   */
  publicAccessCidrs: z
    .array(
      z
        .string()
        .refine((c) => parseCidr(c) !== undefined, { error: "must be an IPv4 CIDR block like 203.0.113.0/24" })
        .refine((c) => parseCidr(c)?.prefix !== 0, { error: "must not be 0.0.0.0/0 (or any /0): list the networks of your operators" }),
    )
    .default([]),
  /** IAM roles that get cluster-admin access entries (the on-call engineers' roles). */
  adminRoleArns: z
    .array(z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@\/-]+$/, { error: "must be an IAM role ARN like arn:aws:iam::123456789012:role/platform-admin" }))
    .min(1, { error: "must list at least one role: without one, nobody can log in to a rebuilt cluster" }),
  /** Days to keep control-plane logs. @default 90 */
  logRetentionDays: logRetentionDays.default(90),
  /** Managed node groups. */
  nodeGroups: z.array(nodeGroup).min(1, { error: "must list at least one node group" }),
  /** Pinned versions of the core add-ons. */
  addons: strictObject({
    "vpc-cni": z.string().regex(/^v[\w.-]+$/, { error: 'must be an add-on version like "v1.19.2-eksbuild.1"' }),
    coredns: z.string().regex(/^v[\w.-]+$/, { error: 'must be an add-on version like "v1.11.4-eksbuild.2"' }),
    "kube-proxy": z.string().regex(/^v[\w.-]+$/, { error: 'must be an add-on version like "v1.31.3-eksbuild.2"' }),
  }),
  /** Service account of the workloads that get the assets management policy (IRSA). @default { namespace: "apps", name: "workload" } */
  workloadServiceAccount: strictObject({
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "must be a Kubernetes namespace name" }),
    name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: "must be a Kubernetes service account name" }),
  }).default({ namespace: "apps", name: "workload" }),
});

const flux = strictObject({
  /** The platform-k8s repository: https:// or ssh:// URL. */
  repositoryUrl: z.string().regex(/^(https:\/\/|ssh:\/\/)[^\s]+$/, { error: "must be an https:// or ssh:// Git URL" }),
  /** @default "main" */
  branch: z.string().regex(/^[\w./-]+$/, { error: "must be a Git branch name" }).default("main"),
  /** Path in the repository. @default "clusters/<region>" */
  path: z
    .string()
    .regex(/^[\w./-]+$/, { error: "must be a relative path in the repository" })
    .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), { error: "must be a relative path that stays inside the repository (no leading / and no ..)" })
    .optional(),
  /** @default 5 */
  intervalMinutes: wholeNumber(1, 1440).default(5),
  /** Delete what is removed from the repository. @default true */
  prune: z.boolean().default(true),
  /**
   * Secrets Manager secret holding the Git credentials as JSON: `{"username","password"}` for
   * HTTPS or `{"identity","identity.pub","known_hosts"}` for SSH. Never a literal in this file.
   */
  gitCredentialsSecretName: z.string().regex(/^[\w/+=.@-]{1,512}$/, { error: "must be a Secrets Manager secret name" }),
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
  /** The assets bucket and its DR replica. */
  assets: assets.prefault({}),
  /** The database-archive bucket and the backup user. */
  backups: backups.prefault({}),
  /** RDS PostgreSQL. */
  database,
  /** Amazon MQ for RabbitMQ. */
  broker,
  /** EKS. */
  kubernetes,
  /** Flux syncing the platform-k8s repository. */
  flux,
  dns: strictObject({
    /** Public hosted zone to create. */
    domain: domainName,
    /** Cluster load balancer hostname: creates the CNAME `dr.<domain>` to it. @default - no record */
    loadBalancerHostname: domainName.optional(),
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

const databaseChoices = crossFieldRule(
  z.object({
    role: z.enum(["primary", "recovery"]),
    database: z.object({ allocatedStorageGb: database.shape.allocatedStorageGb, maxAllocatedStorageGb: database.shape.maxAllocatedStorageGb, restore: database.shape.restore }),
  }),
  (env, ctx) => {
    if (env.role === "primary" && env.database.restore !== undefined) {
      fail(ctx, ["database", "restore"], 'is only allowed when role is "recovery" (a primary starts from an empty database)', env.database.restore);
    }
    if (env.database.maxAllocatedStorageGb < env.database.allocatedStorageGb) {
      fail(ctx, ["database", "maxAllocatedStorageGb"], `must be at least allocatedStorageGb (${env.database.allocatedStorageGb})`, env.database.maxAllocatedStorageGb);
    }
  },
);

const brokerUsers = crossFieldRule(z.object({ broker: z.object({ adminUsername: broker.shape.adminUsername, users: broker.shape.users }) }), (env, ctx) => {
  env.broker.users.forEach((user, index) => {
    if (user === env.broker.adminUsername) fail(ctx, ["broker", "users", index], "is the adminUsername; list application users only", user);
    else if (env.broker.users.indexOf(user) !== index) fail(ctx, ["broker", "users", index], "is listed twice", user);
  });
});

const nodeGroupSizes = crossFieldRule(z.object({ kubernetes: z.object({ nodeGroups: z.array(nodeGroup) }) }), (env, ctx) => {
  const names = env.kubernetes.nodeGroups.map((g) => g.name);
  env.kubernetes.nodeGroups.forEach((group, index) => {
    const path = ["kubernetes", "nodeGroups", index];
    if (group.minSize > group.maxSize) fail(ctx, [...path, "minSize"], `must be at most maxSize (${group.maxSize})`, group.minSize);
    else if (group.desiredSize < group.minSize || group.desiredSize > group.maxSize) {
      fail(ctx, [...path, "desiredSize"], `must be from minSize to maxSize (${group.minSize}-${group.maxSize})`, group.desiredSize);
    }
    if (names.indexOf(group.name) !== index) fail(ctx, [...path, "name"], "is used by another node group", group.name);
  });
});

export const EnvironmentSchema = strictObject(baseShape)
  .superRefine(...differentRegions)
  .superRefine(...recoveryTarget)
  .superRefine(...zoneLayout)
  .superRefine(...nameLengths)
  .superRefine(...databaseChoices)
  .superRefine(...brokerUsers)
  .superRefine(...nodeGroupSizes)
  .transform((env) => ({
    ...env,
    flux: { ...env.flux, path: env.flux.path ?? `clusters/${env.region}` },
    database: {
      ...env.database,
      restore: env.database.restore ?? (env.role === "recovery" ? { from: "primary-backups" as const, restoreTime: undefined } : undefined),
    },
    network: {
      ...env.network,
      availabilityZones: env.network.availabilityZones ?? zonesOf(env.region).slice(0, env.network.azCount),
    },
  }));

/** What an environment file writes (defaults may be left out). */
export type EnvironmentInput = z.input<typeof EnvironmentSchema>;
/** A validated environment with defaults applied and zones resolved. */
export type Environment = z.output<typeof EnvironmentSchema>;
