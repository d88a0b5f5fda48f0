import { z } from "zod";
import { onlyWhen, strictObject, wholeNumber } from "../fields";

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

/** An age public key: `age1` and 58 characters of the bech32 alphabet (age's X25519 recipients). */
export const AGE_RECIPIENT = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/;

/**
 * A primary's Flux section: also the break-glass recipients of the platform-k8s repository's
 * SOPS files, which are the primary's (its SOPS key, the `.sops.yaml` sops-config prints).
 */
export const primaryFlux = flux.extend({
  /**
   * age public keys every SOPS file is also encrypted for, besides the KMS keys: the private key,
   * kept offline (outside AWS), decrypts the repository's secrets when the account and its KMS
   * keys are gone. sops-config lists them; preflight --platform-repo checks every file has them.
   * @default [] (none: the secrets die with the account's keys)
   */
  breakGlassAgeRecipients: z
    .array(
      z.string().regex(AGE_RECIPIENT, { error: "must be an age public key: age1 and 58 letters and digits of the bech32 alphabet (age-keygen -y prints it)" }),
    )
    .refine((keys) => new Set(keys).size === keys.length, { error: "must not list a key twice" })
    .default([]),
});

/** A recovery's Flux section: the repository's break-glass recipients are set in its primary's file. */
export const recoveryFlux = flux.extend({
  breakGlassAgeRecipients: onlyWhen(
    "is only allowed when role is \"primary\" (the platform-k8s repository's SOPS files are the primary's: set it in the primary's file)",
  ),
});
