import { z } from "zod";

/**
 * The recovery tiers of AWS's disaster recovery strategies, cheapest and slowest first: what a
 * recovery prepares in peacetime and what its day does (docs/tiers.md). `dr rto <region> --tier`
 * models each one for an environment.
 */
export const RECOVERY_TIERS = ["backup-and-restore", "pilot-light", "warm-standby"] as const;
export type RecoveryTier = (typeof RECOVERY_TIERS)[number];

const quoted = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(", ");

/**
 * A recovery's tier. `backup-and-restore`: only the standby layer is deployed in peacetime; the
 * day deploys the networking (one Route 53 write: the SECONDARY record), restores the database and
 * builds the cluster. `pilot-light`: the networking stack (VPC, NAT, load balancer, SECONDARY
 * record and health check) is deployed in peacetime too, so traffic moves without any write
 * during an outage; the day restores the database and builds the cluster. `warm-standby`: every
 * stack is deployed in peacetime (the database a cross-Region read replica of the primary's, the
 * cluster with one node and the workloads at zero); the day promotes the replica and scales out,
 * creating nothing. See docs/tiers.md.
 * @default "pilot-light"
 */
export const tier = z.enum(RECOVERY_TIERS).default("pilot-light");

/** What `dns.failover` says now that the tier is a field of its own. */
export const MOVED_FAILOVER = `has moved: the recovery's tier is the top-level field \`tier\` (${quoted(RECOVERY_TIERS)}; default "pilot-light"): replace dns.failover with it`;
