import type { ECRClient } from "@aws-sdk/client-ecr";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { reading, type Reading } from "./aws/errors";
import { getObject, listObjects } from "./aws/s3-objects";
import { credentialsProblem } from "./checks/preflight/git-credentials";
import type { FromVaultPlan, FromVaultResult } from "./from-vault";
import { vaultResourcesOnly } from "./from-vault-state";
import { probeGitCredentials, type GitCredentials } from "./probes/git-credentials";
import { probeNewestArchive, type ArchiveFound } from "./probes/newest-archive";
import { probeRepositoryDetails, probeTaggedImages } from "./probes/registry-repositories";

/**
 * `from-vault <region> check`: what a rebuild would find in the vault today, read through the vault
 * role and written nowhere: the vault stack's state (and how many of its resources are the
 * vault's), the newest archive and its age, the Git credentials' value (its shape, never the
 * value), the assets' copy and the images. Readiness decays (a rule stops, a secret is never
 * filled, the role's trust changes): a game day or a scheduled job runs it with the identity that
 * would run the rebuild. Probes return facts (probeVaultReadiness); the judge (vaultReadiness) is pure.
 */

export interface VaultReadinessClients {
  /** Every client in vault.region with the vault role's credentials. */
  readonly s3: S3Client;
  readonly secrets: SecretsManagerClient;
  readonly ecr: ECRClient;
}

export type StateFound =
  | { readonly found: "state"; readonly bucket: string; readonly kept: number; readonly dropped: number; readonly lastModified?: Date }
  | { readonly found: "none"; readonly looked: readonly string[] }
  | { readonly found: "invalid"; readonly problem: string };

export interface VaultReadinessFacts {
  readonly state: Reading<StateFound>;
  readonly archive: Reading<ArchiveFound>;
  readonly secret: Reading<GitCredentials>;
  /** Objects of the assets copy. */
  readonly assets: Reading<number>;
  readonly images: Reading<{ readonly repositories: number; readonly images: number }>;
}

/** The vault stack's state in the vault's state copies: the first that holds it, with its resources counted. */
async function probeVaultState(plan: FromVaultPlan, s3: S3Client): Promise<Reading<StateFound>> {
  const { key, sources } = plan.state;
  const region = plan.environment.vault.region;
  const looked: string[] = [];
  for (const bucket of sources) {
    const read = await reading(`S3 GetObject of s3://${bucket}/${key}`, region, async () => {
      const object = await getObject(s3, bucket, key);
      const chunks: Buffer[] = [];
      for await (const chunk of object.body) chunks.push(Buffer.from(chunk as Uint8Array));
      return Buffer.concat(chunks).toString("utf8");
    });
    if (!read.ok) {
      if (read.failure.kind !== "not-found") return read;
      looked.push(`s3://${bucket}/${key}`);
      continue;
    }
    try {
      const filtered = vaultResourcesOnly(read.value, `s3://${bucket}/${key}`);
      return { ok: true, value: { found: "state", bucket, kept: filtered.kept.length, dropped: filtered.dropped.length } };
    } catch (error) {
      return { ok: true, value: { found: "invalid", problem: (error as Error).message } };
    }
  }
  return { ok: true, value: { found: "none", looked } };
}

/** Reads every copy a rebuild takes (concurrently); nothing is written. */
export async function probeVaultReadiness(plan: FromVaultPlan, clients: VaultReadinessClients): Promise<VaultReadinessFacts> {
  const region = plan.environment.vault.region;
  const images = async (): Promise<Reading<{ repositories: number; images: number }>> => {
    const all = await probeRepositoryDetails(clients.ecr, region, plan.images.source.registryId);
    if (!all.ok) return all;
    const repositories = all.value.filter((r) => plan.images.prefixes.some((p) => r.repositoryName!.startsWith(p)));
    let count = 0;
    for (const repository of repositories) {
      const tagged = await probeTaggedImages(clients.ecr, region, plan.images.source.registryId, repository.repositoryName!);
      if (!tagged.ok) return tagged;
      count += tagged.value.length;
    }
    return { ok: true, value: { repositories: repositories.length, images: count } };
  };
  const [state, archive, secret, assets, found] = await Promise.all([
    probeVaultState(plan, clients.s3),
    probeNewestArchive(clients.s3, plan.archive.source, region),
    probeGitCredentials(clients.secrets, plan.secret.name, region),
    reading(`S3 ListObjectsV2 of ${plan.assets.source}`, region, async () => (await listObjects(clients.s3, plan.assets.source)).objects.length),
    images(),
  ]);
  return { state, archive, secret, assets, images: found };
}

/** One line per copy (`ok` or `MISSING`), judged from the facts; exit 1 when a rebuild would miss one. */
export function vaultReadiness(plan: FromVaultPlan, facts: VaultReadinessFacts, now: Date): FromVaultResult {
  const vault = plan.environment.vault;
  const lines: string[] = [];
  let missing = 0;
  const line = (ok: boolean, copy: string, detail: string) => {
    if (!ok) missing += 1;
    lines.push(`${ok ? "ok     " : "MISSING"} ${copy}: ${detail}`);
  };
  const failed = (r: { failure: { call: string; region: string; description: string } }) =>
    `${r.failure.call} in ${r.failure.region}: ${r.failure.description}`;

  const { state, archive, secret, assets, images } = facts;
  if (!state.ok) line(false, "state", failed(state));
  else if (state.value.found === "none")
    line(
      false,
      "state",
      `no ${plan.state.key} in ${state.value.looked.join(", ")} (the state bucket's replication into the vault: status's vault-replication row)`,
    );
  else if (state.value.found === "invalid") line(false, "state", state.value.problem);
  else
    line(
      true,
      "state",
      `s3://${state.value.bucket}/${plan.state.key}: ${state.value.kept} resources of the vault account to adopt, ${state.value.dropped} of the workload account to make again`,
    );

  if (!archive.ok) line(false, "archive", failed(archive));
  else if (archive.value.found !== "archive") line(false, "archive", `no usable archive in s3://${plan.archive.source} (${archive.value.found})`);
  else {
    const snapshot = new Date(archive.value.archive.manifest.snapshotAt);
    const hours = ((now.getTime() - snapshot.getTime()) / 3_600_000).toFixed(1);
    line(true, "archive", `${archive.value.archive.archiveKey}, snapshot ${snapshot.toISOString()} (${hours} h old): the rebuild's recovery point`);
  }

  const where = `${plan.secret.name} in ${vault.region}`;
  if (!secret.ok) line(false, "git-credentials", failed(secret));
  else if (!secret.value.exists) line(false, "git-credentials", `no secret ${where}: the vault stack makes it`);
  else if (secret.value.shape === undefined) line(false, "git-credentials", `${where} has no value: docs/vault.md step 4`);
  else {
    const problem = credentialsProblem(secret.value.shape);
    line(problem === undefined, "git-credentials", problem === undefined ? `${where} holds credentials Flux can use (not printed)` : `${where}: ${problem}`);
  }

  if (!assets.ok) line(false, "assets", failed(assets));
  else line(true, "assets", `${assets.value} objects in s3://${plan.assets.source}`);

  if (!images.ok) line(false, "images", failed(images));
  else line(true, "images", `${images.value.images} tagged images in ${images.value.repositories} repositories under ${plan.images.prefixes.join(", ")}`);

  lines.push(
    missing === 0
      ? `the vault (account ${vault.accountId}, ${vault.region}) holds what a rebuild of ${plan.environment.region} takes; nothing was written`
      : `${missing} of 5 copies a rebuild takes are missing or unreadable; nothing was written`,
  );
  return { exitCode: missing === 0 ? 0 : 1, lines };
}
