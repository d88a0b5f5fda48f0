import { z } from "zod";

/**
 * The recovery tiers of AWS's disaster recovery strategies, cheapest and slowest first: what a
 * recovery prepares in peacetime and what its day does (docs/tiers.md). `dr rto <region> --tier`
 * models each one for an environment.
 */
export const RECOVERY_TIERS = ["backup-and-restore", "pilot-light", "warm-standby"] as const;
export type RecoveryTier = (typeof RECOVERY_TIERS)[number];

/** The tiers a recovery's file may choose: those the library synthesizes. */
export const SYNTHESIZED_TIERS = ["backup-and-restore", "pilot-light"] as const satisfies readonly RecoveryTier[];

const quoted = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(", ");

/**
 * Said when a file chooses warm standby: `dr rto --tier warm-standby` models it, but the stacks of
 * its peacetime (a read replica of the primary's database, a standing cluster scaled down, a
 * standby broker) are not synthesized yet, and a file must not promise what nothing builds.
 */
export const WARM_STANDBY_NOT_SYNTHESIZED = `"warm-standby" is modelled by \`npx dr-platform rto <region> --tier warm-standby\` but not synthesized yet (its read replica, standing cluster and standby broker are not built): choose one of ${quoted(SYNTHESIZED_TIERS)}`;

/**
 * A recovery's tier. `pilot-light`: the recovery's networking stack (VPC, NAT, load balancer,
 * SECONDARY record and health check) is deployed in peacetime, so traffic moves without any write
 * during an outage. `backup-and-restore`: it is deployed on the day, which makes one Route 53
 * write (the SECONDARY record) and costs nothing in peacetime. Both restore the database and build
 * the cluster on the day. See docs/tiers.md.
 * @default "pilot-light"
 */
export const tier = z
  .enum(RECOVERY_TIERS)
  .refine((value) => (SYNTHESIZED_TIERS as readonly string[]).includes(value), { error: WARM_STANDBY_NOT_SYNTHESIZED })
  .default("pilot-light") as z.ZodDefault<z.ZodType<(typeof SYNTHESIZED_TIERS)[number], RecoveryTier>>;

/** What `dns.failover` says now that the tier is a field of its own. */
export const MOVED_FAILOVER = `has moved: the recovery's tier is the top-level field \`tier\` (${quoted(SYNTHESIZED_TIERS)}; default "pilot-light"): replace dns.failover with it`;
