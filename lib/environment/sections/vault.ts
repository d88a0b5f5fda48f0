import { z } from "zod";
import { NAME_LIMITS, VAULT_NAME_KINDS, vaultNames } from "../../naming";
import { accountId, crossFieldRule, fail, onlyWhen, projectSlug, regionCode, strictObject, wholeNumber } from "../fields";

/** An IAM role name (path-less): letters, digits and +=,.@_- up to 64 characters. */
const roleName = z.string().regex(/^[\w+=,.@-]{1,64}$/, { error: "must be an IAM role name: 1 to 64 letters, digits or +=,.@_-" });

/**
 * The vault account of a primary (docs/vault.md): another AWS account that keeps copies of what a
 * rebuild needs (the Terraform state, the database archives and broker exports, the assets, the
 * images, the Git credentials), written by replication and never deletable from the workload
 * account. Its stack (`vault-<region>`) is deployed through `roleName`, a role made once when the
 * vault account is bootstrapped.
 */
export const vault = strictObject({
  /** The vault account: never the environment's own (a copy in the workload account dies with it). */
  accountId,
  /** Where the vault's buckets, key, secret and images are; must differ from the environment's region. */
  region: regionCode,
  /**
   * The role in the vault account the platform assumes to deploy the vault stack (docs/vault.md
   * says how the vault account is bootstrapped with it and what it may not do).
   * @default "dr-platform-vault"
   */
  roleName: roleName.default("dr-platform-vault"),
  /**
   * Days every copy is kept under S3 Object Lock in COMPLIANCE mode: no one, the vault account's
   * root user included, can delete or overwrite a version before then. Longer than the oldest
   * copy a rebuild may need (an archive from before a corruption was noticed).
   * @default 35
   */
  retentionDays: wholeNumber(1, 3650).default(35),
});

/** A recovery's file: the vault is its primary's (a recovery rebuilt in a new account restores from the primary's vault). */
export const recoveryVault = onlyWhen("is only allowed when role is \"primary\" (the vault keeps the primary's copies: set it in the primary's file)");

/** The vault is another account, in another region than the environment's, and its names fit. */
export const vaultApart = crossFieldRule(
  z.object({ project: projectSlug, accountId, region: regionCode, vault: z.object({ accountId, region: regionCode }).optional() }),
  (env, ctx) => {
    if (env.vault === undefined) return;
    const names = vaultNames(env, env.vault);
    for (const [key, kind] of Object.entries(VAULT_NAME_KINDS) as [keyof typeof names, keyof typeof NAME_LIMITS][]) {
      const name = names[key];
      if (name.length > NAME_LIMITS[kind]) {
        const what = { s3Bucket: "S3 bucket names", iam: "IAM names", backupVault: "AWS Backup vault names" }[kind];
        fail(
          ctx,
          ["project"],
          `too long for a vault: "${name}" would be ${name.length} characters and ${what} allow at most ${NAME_LIMITS[kind]}`,
          env.project,
        );
        break;
      }
    }
    if (env.vault.accountId === env.accountId) {
      fail(ctx, ["vault", "accountId"], "must be another account than accountId: a copy in the workload account is lost with it", env.vault.accountId);
    }
    if (env.vault.region === env.region) {
      fail(ctx, ["vault", "region"], "must differ from region: a copy in the environment's region is unreadable in a region outage", env.vault.region);
    }
  },
);
