import type { Readable } from "stream";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { deployStackCommand, stackId, stateStackId } from "../naming";
import { putGitCredentials } from "./actions/git-credentials";
import { reading } from "./aws/errors";
import { getObject, putObject } from "./aws/s3-objects";
import { credentialsProblem } from "./checks/preflight/git-credentials";
import type { FromVaultPlan, FromVaultResult } from "./from-vault";
import { vaultResourcesOnly } from "./from-vault-state";
import { probeGitCredentials, readSecretValue } from "./probes/git-credentials";
import { probeStateObject } from "./probes/state-objects";

/**
 * Two of `from-vault`'s copies: the vault stack's state (its vault resources only) and the Git
 * credentials. Each leaves a copy already in place as it is: the new account's deploys may have
 * written the state since, and an equal secret value needs no new version.
 */

/** Clients of one side: bound to the region each call goes to, with that side's credentials. */
export interface StateCopyClients {
  /** S3 of vault.region, vault role credentials. */
  readonly vault: S3Client;
  /** S3 of the new state bucket's region, the caller's (new account's) credentials. */
  readonly target: S3Client;
}

const failed = (...lines: string[]): FromVaultResult => ({ exitCode: 1, lines });

/**
 * `from-vault <region> state`: the newest version of `vault-<region>.tfstate` in the vault's state
 * copy, with the vault provider's resources only (vaultResourcesOnly), written once into the new
 * state bucket as the S3 backend writes a state (JSON, `encrypt = true`: SSE with AES256).
 */
export async function copyStateFromVault(plan: FromVaultPlan, clients: StateCopyClients): Promise<FromVaultResult> {
  const { key, sources, target } = plan.state;
  const vault = plan.environment.vault;
  const destination = `s3://${target.bucket}/${key}`;
  const present = await probeStateObject(clients.target, target.bucket, stackId("vault", plan.environment.region), target.region);
  if (!present.ok) return failed(`${present.failure.call} in ${target.region}: ${present.failure.description}`, "nothing was written");
  if (present.value.exists) {
    return {
      exitCode: 0,
      lines: [`state: ${destination} is already in place (written ${present.value.lastModified?.toISOString() ?? "before"}); left as it is`],
    };
  }

  const looked: string[] = [];
  let found: { bucket: string; text: string; versionId?: string } | undefined;
  for (const bucket of sources) {
    const read = await reading(`S3 GetObject of s3://${bucket}/${key}`, vault.region, async () => {
      const object = await getObject(clients.vault, bucket, key);
      return { text: await textOf(object.body), versionId: object.versionId };
    });
    if (read.ok) {
      found = { bucket, ...read.value };
      break;
    }
    if (read.failure.kind !== "not-found") return failed(`${read.failure.call} in ${vault.region}: ${read.failure.description}`, "nothing was written");
    looked.push(`s3://${bucket}/${key} (${read.failure.name === "NoSuchBucket" ? "no such bucket" : "no such key"})`);
  }
  if (!found) {
    return failed(
      `no ${key} in the vault's state copy (account ${vault.accountId}, ${vault.region}): looked in ${looked.join(", ")}`,
      `  fix: the vault stack's state reaches the vault by the old state bucket's replication; check vault.accountId, vault.region and project in environments/${plan.environment.region}.ts against the vault account's buckets (aws s3 ls with the vault role's credentials)`,
      "nothing was written",
    );
  }

  const source = `s3://${found.bucket}/${key}${found.versionId ? ` (version ${found.versionId})` : ""}`;
  let filtered;
  try {
    filtered = vaultResourcesOnly(found.text, source);
  } catch (error) {
    return failed((error as Error).message, "nothing was written");
  }
  const put = await reading(`S3 PutObject of ${destination}`, target.region, () =>
    putObject(clients.target, {
      Bucket: target.bucket,
      Key: key,
      Body: `${JSON.stringify(filtered.state, null, 2)}\n`,
      ContentType: "application/json",
      ServerSideEncryption: "AES256",
      // Written once: a state that appeared since the check above is the new account's, never overwritten.
      IfNoneMatch: "*",
    }),
  );
  if (!put.ok) {
    if (put.failure.name === "PreconditionFailed") return { exitCode: 0, lines: [`state: ${destination} appeared meanwhile; left as it is`] };
    const fix = put.failure.name === "NoSuchBucket" ? [`  fix: make the new state bucket first: ${deployStackCommand(stateStackId(target.bucket))}`] : [];
    return failed(`${put.failure.call} in ${target.region}: ${put.failure.description}`, ...fix, "nothing was written");
  }
  const { serial, lineage } = filtered.state;
  return {
    exitCode: 0,
    lines: [
      `state: ${source} -> ${destination} (serial ${serial}, lineage ${lineage})`,
      `kept ${filtered.kept.length} resources of the vault account; dropped ${filtered.dropped.length} of the lost account (the deploy makes them again)${filtered.dropped.length ? ":" : ""}`,
      ...filtered.dropped.map((address) => `  dropped ${address}`),
    ],
  };
}

/** Clients of the Git credentials copy. */
export interface SecretCopyClients {
  /** Secrets Manager of vault.region, vault role credentials. */
  readonly vault: SecretsManagerClient;
  /** Secrets Manager of the environment's region, the caller's (new account's) credentials. */
  readonly target: SecretsManagerClient;
}

/** A stream's text (a state file: small). */
async function textOf(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * `from-vault <region> git-credentials`: the vault secret's value (never printed) into the new
 * account's secret of the same name in the environment's region, which its application stack made
 * (and replicates into its drRegion). An equal value is left as it is.
 */
export async function copyGitCredentialsFromVault(plan: FromVaultPlan, clients: SecretCopyClients): Promise<FromVaultResult> {
  const { name, region } = plan.secret;
  const vault = plan.environment.vault;
  const inVault = `${name} in the vault (account ${vault.accountId}, ${vault.region})`;
  const nothing = "nothing was written";

  const vaultSecret = await probeGitCredentials(clients.vault, name, vault.region);
  if (!vaultSecret.ok) return failed(`${vaultSecret.failure.call} in ${vault.region}: ${vaultSecret.failure.description}`, nothing);
  if (!vaultSecret.value.exists) return failed(`no secret ${inVault}: the vault stack makes it (docs/vault.md, step 3)`, nothing);
  if (vaultSecret.value.shape === undefined)
    return failed(`${inVault} has no value: docs/vault.md step 4 ("Put the Git credentials into the vault's secret") was not done`, nothing);
  const problem = credentialsProblem(vaultSecret.value.shape);
  if (problem !== undefined) return failed(`${inVault} holds a value Flux cannot use: ${problem}`, nothing);

  const targetSecret = await probeGitCredentials(clients.target, name, region);
  if (!targetSecret.ok) return failed(`${targetSecret.failure.call} in ${region}: ${targetSecret.failure.description}`, nothing);
  if (!targetSecret.value.exists) {
    return failed(
      `no secret ${name} in ${region} of account ${plan.environment.accountId}: ${deployStackCommand(stackId("application", region))} makes it`,
      nothing,
    );
  }

  const value = await readSecretValue(clients.vault, name, vault.region);
  if (!value.ok) return failed(`${value.failure.call} in ${vault.region}: ${value.failure.description}`, nothing);
  if (value.value === undefined) return failed(`${inVault} has no value: docs/vault.md step 4 ("Put the Git credentials into the vault's secret")`, nothing);
  const current = await readSecretValue(clients.target, name, region);
  if (!current.ok) return failed(`${current.failure.call} in ${region}: ${current.failure.description}`, nothing);
  if (current.value === value.value) return { exitCode: 0, lines: [`git-credentials: ${name} in ${region} already holds the vault's value; nothing put`] };

  const put = await putGitCredentials(clients.target, name, region, value.value);
  if (!put.ok) return failed(`${put.failure.call} in ${region}: ${put.failure.description}`, nothing);
  return {
    exitCode: 0,
    lines: [
      `git-credentials: put the vault's value into ${name} in ${region}: version ${put.value.versionId} is AWSCURRENT (the value is not printed)`,
      `  its replica in ${plan.environment.drRegion} follows (the application stack replicates the secret)`,
    ],
  };
}
