import { z } from "zod";
import { strictObject } from "../fields";

/** Container images: which of the primary's ECR repositories are replicated into the recovery region. */
export const registry = strictObject({
  /**
   * Repository name prefixes replicated into `drRegion` by the registry's replication rule.
   * @default - the project slug
   */
  replicatedPrefixes: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9._/-]{0,255}$/, { error: "must be an ECR repository name prefix (lowercase letters, digits, . _ - /)" }))
    .min(1, { error: "must list at least one prefix" })
    .max(100, { error: "must list at most 100 prefixes (ECR's limit per rule)" })
    .optional(),
});
