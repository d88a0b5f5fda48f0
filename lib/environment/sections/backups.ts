import { z } from "zod";
import { strictObject, wholeNumber } from "../fields";

/** The database-archive bucket and the backup user. */
export const backups = strictObject({
  /** Days to keep non-current versions of database archives. @default 90 */
  noncurrentVersionRetentionDays: wholeNumber(1, 3650, "must be a whole number of days from 1 to 3650").default(90),
  /**
   * Create an access key for the backup user and keep it in Secrets Manager. The secret then also
   * sits in the Terraform state (encrypted in the state bucket). @default false
   */
  accessKey: z.boolean().default(false),
});
