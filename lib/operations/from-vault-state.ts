/**
 * The vault stack's state as a rebuild in a new account needs it. The state of `vault-<region>`
 * holds resources of two accounts: the vault account's (made through the vault provider, alias
 * `vault` in lib/aws-provider.ts) and the workload account's (the state bucket's replication, the
 * database's backup plan...). After the workload account is lost only the first still exist: the
 * state keeps them, so the deploy adopts the vault's buckets, key and secret, and drops the others,
 * so the deploy makes them again in the new account instead of reading them from the lost one.
 */

/** The provider address Terraform records for every resource of the vault provider (`aws` with alias `vault`). */
export const VAULT_PROVIDER_ADDRESS = 'provider["registry.terraform.io/hashicorp/aws"].vault';

/** One resource of a Terraform state (format version 4), as far as the filter reads it. */
export interface StateResource {
  readonly module?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly provider: string;
  readonly [field: string]: unknown;
}

/** A Terraform state document (format version 4); every other field is kept as it is. */
export interface TerraformStateDocument {
  readonly version: number;
  readonly serial: number;
  readonly lineage: string;
  readonly resources: readonly StateResource[];
  readonly [field: string]: unknown;
}

export interface VaultState {
  /** The state to write: the vault provider's resources only, `serial` one more, `lineage` the same. */
  readonly state: TerraformStateDocument;
  /** Addresses kept (`aws_s3_bucket.archives_resource_1234`, `data.aws_kms_alias...`), in the state's order. */
  readonly kept: readonly string[];
  /** Addresses dropped: the lost account's resources, made again by the deploy. */
  readonly dropped: readonly string[];
}

/** A resource's address as Terraform prints it: `[module.x.][data.]<type>.<name>`. */
export function resourceAddress(resource: Pick<StateResource, "module" | "mode" | "type" | "name">): string {
  return `${resource.module ? `${resource.module}.` : ""}${resource.mode === "data" ? "data." : ""}${resource.type}.${resource.name}`;
}

/**
 * Keeps the resources (managed and data) of `provider` in the state `text` (`where` names it in
 * errors), drops every other, bumps `serial` (a state written under the same lineage must have a
 * greater serial for Terraform to take it over any cached copy) and keeps `lineage` and every other
 * field. Throws when the text is not a version 4 state, or when no resource of `provider` is in it
 * (then it is not a vault stack's state, and writing it would make the deploy create the vault anew).
 */
export function vaultResourcesOnly(text: string, where: string, provider: string = VAULT_PROVIDER_ADDRESS): VaultState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} is not JSON: ${(error as Error).message}`);
  }
  const state = parsed as Partial<TerraformStateDocument> | null;
  const problems: string[] = [];
  if (state?.version !== 4) problems.push(`version must be 4 (got ${JSON.stringify(state?.version)})`);
  if (!Number.isInteger(state?.serial)) problems.push(`serial must be a whole number (got ${JSON.stringify(state?.serial)})`);
  if (typeof state?.lineage !== "string" || state.lineage === "") problems.push(`lineage must be a string (got ${JSON.stringify(state?.lineage)})`);
  if (!Array.isArray(state?.resources)) problems.push(`resources must be a list (got ${JSON.stringify(state?.resources)})`);
  if (problems.length > 0) throw new Error(`${where} is not a Terraform state:\n  ${problems.join("\n  ")}`);
  const document = state as TerraformStateDocument;
  const keep = document.resources.filter((r) => r.provider === provider);
  const drop = document.resources.filter((r) => r.provider !== provider);
  if (keep.length === 0) {
    throw new Error(`${where} holds no resource of ${provider} (${drop.length} of other providers): it is not a vault stack's state`);
  }
  return {
    state: { ...document, serial: document.serial + 1, resources: keep },
    kept: keep.map(resourceAddress),
    dropped: drop.map(resourceAddress),
  };
}
