import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import { archivesOf, type Environment, type PrimaryEnvironment, type ResolvedEnvironment } from "../environment";
import { environmentNames, roleArn, stackId, stateKey, vaultNames, vaultStateCopier } from "../naming";
import { reading, type Reading } from "./aws/errors";
import { archiveFolderNamed } from "./probes/newest-archive";
import { probeCallerIdentity } from "./probes/caller-identity";

/**
 * `from-vault <region> <copy>`: what a rebuild of a primary in a new account (issue 26, the
 * runbook's account scenario) takes out of its vault account. The environment file is the
 * primary's as edited for the new account (accountId, bucketSuffix, state.bucket); the vault's
 * names do not depend on the workload account, so the copies are found from it. Reads go through
 * the vault role; writes use the caller's credentials, which must be the new account's. This file
 * holds the plan and the identities; the copies are in from-vault-copies.ts and from-vault-archive.ts.
 */

export const VAULT_COPIES = ["state", "archive", "git-credentials", "assets", "images", "check"] as const;
export type VaultCopy = (typeof VAULT_COPIES)[number];

type Vault = NonNullable<PrimaryEnvironment["vault"]>;

/** Everything `from-vault` reads and writes, derived from the environment files only. */
export interface FromVaultPlan {
  readonly copy: VaultCopy;
  readonly environment: PrimaryEnvironment & { readonly vault: Vault };
  /** The role the reads go through (`vault.roleName` in the vault account). */
  readonly vaultRoleArn: string;
  readonly state: {
    /** `vault-<region>.tfstate`. */
    readonly key: string;
    /** The vault's state copies that may hold it, in vault.region, in the order they are looked in. */
    readonly sources: readonly string[];
    /** The new state bucket and its region. */
    readonly target: { readonly bucket: string; readonly region: string };
  };
  readonly archive: {
    /** The vault's archive copy, in vault.region. */
    readonly source: string;
    /** The new hosting-services bucket (its name carries the new bucketSuffix) and its region. */
    readonly target: { readonly bucket: string; readonly region: string };
    /** `--key`: this archive's folder instead of the newest. */
    readonly folder?: string;
  };
  readonly secret: { readonly name: string; readonly region: string };
  /** The vault's assets copy (in vault.region) and the new assets bucket (its name carries the new bucketSuffix). */
  readonly assets: { readonly source: string; readonly target: { readonly bucket: string; readonly region: string } };
  /** The vault's registry (the vault account's, in vault.region), the repository prefixes it copies, and the new account's registry. */
  readonly images: {
    readonly source: { readonly registryId: string; readonly region: string };
    readonly prefixes: readonly string[];
    readonly target: { readonly registryId: string; readonly region: string };
  };
}

/**
 * The plan of `from-vault <side's region> <copy>`. Throws, naming what is needed, for a recovery's
 * file, a primary without a vault, an unknown copy, or `key` with anything but an archive.
 */
export function fromVaultPlan(side: ResolvedEnvironment, environments: readonly Environment[], copy: string, key?: string): FromVaultPlan {
  const region = side.environment.region;
  if (!(VAULT_COPIES as readonly string[]).includes(copy)) throw new Error(`unknown copy "${copy}": one of ${VAULT_COPIES.join(", ")}`);
  if (key !== undefined && copy !== "archive") throw new Error(`--key names an archive: it goes with archive only (got ${copy})`);
  if (side.role === "recovery") {
    throw new Error(
      `${region} is a recovery of ${side.primary.region}: the vault keeps the primary's copies; run from-vault ${side.primary.region} ${copy} (environments/${side.primary.region}.ts, edited for the new account)`,
    );
  }
  const environment = side.environment;
  if (environment.vault === undefined) {
    throw new Error(
      `environments/${region}.ts has no vault section: from-vault reads the vault account's copies; add vault: { accountId, region } of the vault as it was before the account was lost (docs/vault.md)`,
    );
  }
  const vault = environment.vault;
  const withVault = { ...environment, vault };
  const folder = key === undefined ? undefined : archiveFolderNamed(key);
  if (key !== undefined && folder === undefined) {
    throw new Error(`--key must name an archive: postgres/<database>/<stamp>/archive.dump, its manifest.json or its folder (got ${key})`);
  }
  // The old state bucket replicated into the vault of the primary that vaultStateCopier named: this
  // one's normally; the edited files keep the primaries' relation, so the copier of the new bucket
  // is looked at too.
  const copier = vaultStateCopier(environment.state.bucket, environments);
  const copierEnvironment = environments.find((e) => e.role === "primary" && e.region === copier && e.vault !== undefined);
  const sources = [vaultNames(environment, vault).stateBucket];
  if (copierEnvironment?.vault && copier !== region) sources.push(vaultNames(copierEnvironment, copierEnvironment.vault).stateBucket);
  return {
    copy: copy as VaultCopy,
    environment: withVault,
    vaultRoleArn: roleArn(vault.accountId, vault.roleName),
    state: { key: stateKey(stackId("vault", region)), sources, target: { bucket: environment.state.bucket, region: environment.state.region } },
    archive: { source: vaultNames(environment, vault).archivesBucket, target: archivesOf(side), ...(folder ? { folder } : {}) },
    secret: { name: environment.flux.gitCredentialsSecretName, region },
    assets: { source: vaultNames(environment, vault).assetsBucket, target: { bucket: environmentNames(environment).assetsBucket, region } },
    images: {
      source: { registryId: vault.accountId, region: vault.region },
      // The repositories the registry's replication rule copies into the vault (the standby layer's rule).
      prefixes: environment.registry.replicatedPrefixes ?? [environment.project],
      target: { registryId: environment.accountId, region },
    },
  };
}

/** Session name of from-vault's reads in the vault account (its CloudTrail shows it). */
export const FROM_VAULT_SESSION_NAME = "dr-platform-from-vault";

/** Credentials of an assumed role (with its session token). */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/** STS AssumeRole of the vault role with the caller's credentials (`sts`): the credentials every vault read uses. */
export async function assumeVaultRole(sts: STSClient, plan: FromVaultPlan): Promise<Reading<SessionCredentials>> {
  return reading(`STS AssumeRole of ${plan.vaultRoleArn}`, plan.environment.vault.region, async () => {
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: plan.vaultRoleArn, RoleSessionName: FROM_VAULT_SESSION_NAME }));
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey || !Credentials.SessionToken) throw new Error("STS answered without credentials");
    return { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken };
  });
}

/** What a command prints and exits with. */
export interface FromVaultResult {
  readonly exitCode: 0 | 1;
  readonly lines: readonly string[];
}

/** The account of an identity's ARN (`arn:aws:sts::<account>:assumed-role/...`). */
function accountOf(arn: string): string {
  return arn.split(":")[4] ?? "";
}

/**
 * Who writes and who reads: the caller (GetCallerIdentity with `callerSts`) must be the file's
 * accountId, the new account, so a rebuild never writes with another account's credentials; the
 * vault role's session (`vaultSts`, made with the assumed credentials) must be the vault account.
 * Resolves to the one line naming both, or to a refusal. `vaultSts` is made only when the caller passes.
 */
export async function checkFromVaultIdentities(
  plan: FromVaultPlan,
  callerSts: STSClient,
  vaultSts: () => Promise<Reading<STSClient>>,
): Promise<FromVaultResult> {
  const { environment } = plan;
  const vault = environment.vault;
  const caller = await probeCallerIdentity(callerSts, environment.region);
  if (!caller.ok) return refusal(`cannot tell who the caller is: ${caller.failure.call} in ${environment.region}: ${caller.failure.description}`);
  if (accountOf(caller.value) !== environment.accountId) {
    return refusal(
      `the caller is account ${accountOf(caller.value)} (${caller.value}), and environments/${environment.region}.ts names accountId ${environment.accountId}: from-vault writes only with the new account's credentials; use them, or set accountId to the new account's id`,
    );
  }
  const sts = await vaultSts();
  if (!sts.ok) {
    return refusal(
      `cannot assume the vault role: ${sts.failure.call}: ${sts.failure.description}; the role must trust the new account ${environment.accountId} (docs/vault.md, step 1)`,
    );
  }
  const reader = await probeCallerIdentity(sts.value, vault.region);
  if (!reader.ok) return refusal(`cannot tell who the vault role is: ${reader.failure.call} in ${vault.region}: ${reader.failure.description}`);
  if (accountOf(reader.value) !== vault.accountId)
    return refusal(`the vault role's session is account ${accountOf(reader.value)} (${reader.value}), not the vault account ${vault.accountId}`);
  return {
    exitCode: 0,
    lines: [`writes as account ${environment.accountId} (${caller.value}); reads the vault as account ${vault.accountId} (${reader.value})`],
  };
}

function refusal(line: string): FromVaultResult {
  return { exitCode: 1, lines: [line, "nothing was read from the vault or written"] };
}
