import { z } from "zod";
import { strictObject } from "../fields";

/** The assets bucket and its DR replica. */
export const assets = strictObject({
  /**
   * Replicate delete markers to the DR replica. Off by default: a delete in production (or by an
   * attacker) must not erase the replica. @default false
   */
  replicateDeletes: z.boolean().default(false),
  /**
   * S3 Replication Time Control: 99.99% of objects within 15 minutes, with replication metrics. On
   * by default: without it S3 promises no replication time and the assets' recovery point has no
   * bound. It adds a fee per GB replicated (see docs/status.md); `false` turns it off. @default true
   */
  replicationTimeControl: z.boolean().default(true),
});
