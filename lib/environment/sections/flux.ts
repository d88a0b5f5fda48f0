import { z } from "zod";
import { strictObject, wholeNumber } from "../fields";

/** Flux syncing the platform-k8s repository. */
export const flux = strictObject({
  /** The platform-k8s repository: https:// or ssh:// URL. */
  repositoryUrl: z.string().regex(/^(https:\/\/|ssh:\/\/)[^\s]+$/, { error: "must be an https:// or ssh:// Git URL" }),
  /** @default "main" */
  branch: z
    .string()
    .regex(/^[\w./-]+$/, { error: "must be a Git branch name" })
    .default("main"),
  /** Path in the repository. @default "clusters/<region>" */
  path: z
    .string()
    .regex(/^[\w./-]+$/, { error: "must be a relative path in the repository" })
    .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), {
      error: "must be a relative path that stays inside the repository (no leading / and no ..)",
    })
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
