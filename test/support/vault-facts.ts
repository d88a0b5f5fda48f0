import type { PrimaryEnvironment } from "../../lib/environment";
import type { VaultedPrimary } from "../../lib/operations/checks/status/vault-replication";
import { environment, primaryInput } from "./environments";

/** The fixture primary (test/support/facts.ts) with a vault account in us-west-2, and its vault's names. */
export const vaulted = environment(primaryInput({ vault: { accountId: "210987654321", region: "us-west-2" } })) as PrimaryEnvironment as VaultedPrimary;
export const VAULT_ACCOUNT = "210987654321";
export const VAULT_ARCHIVES = "acme-vault-archives-us-east-1-210987654321";
export const VAULT_ASSETS = "acme-vault-assets-us-east-1-210987654321";
export const VAULT_STATE = "acme-vault-state-us-east-1-210987654321";
export const BACKUP_VAULT_ARN = "arn:aws:backup:us-west-2:210987654321:backup-vault:acme-vault-us-east-1";
export const HOSTING = "acme-hosting-services-us-east-1";
export const ASSETS = "acme-assets-us-east-1";
export const STATE = "acme-terraform-state";
