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
  /**
   * When the in-cluster jobs archive the database and export the broker's definitions: five cron
   * fields (UTC on EKS) or a macro such as `@hourly`. The archive path's recovery point is at most
   * this interval old. @default "0 * * * *" (hourly)
   */
  schedule: z
    .string()
    .refine((value) => /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(value) || /^[\d*,\-/A-Za-z?]+( [\d*,\-/A-Za-z?]+){4}$/.test(value), {
      error: 'must be five cron fields separated by single spaces, like "0 * * * *", or a macro such as "@hourly"',
    })
    .default("0 * * * *"),
});
