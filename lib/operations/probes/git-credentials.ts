import { DescribeSecretCommand, GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { reading, type Reading } from "../aws/errors";

/**
 * The shape of Flux's Git credentials JSON, never its value: HTTPS (`username` + `password`),
 * SSH (`identity`), or what is wrong with it (with the key names, which are not secret).
 */
export type CredentialsShape =
  | { readonly kind: "https" }
  | { readonly kind: "ssh" }
  | { readonly kind: "binary" }
  | { readonly kind: "not-json" }
  | { readonly kind: "not-object" }
  | { readonly kind: "incomplete"; readonly keys: readonly string[] };

export interface GitCredentials {
  readonly name: string;
  readonly region: string;
  /** False when no secret of that name is in the region. */
  readonly exists: boolean;
  /** The secret's primary region when it is a replica. */
  readonly primaryRegion?: string;
  /** The value's shape; undefined when the secret has no value yet. */
  readonly shape?: CredentialsShape;
  /** The version that is AWSCURRENT (a replica carries its primary's version ids); undefined without a value. */
  readonly versionId?: string;
  /** A primary secret's replicas, as Secrets Manager reports them (`InSync`, `InProgress`, `Failed`). */
  readonly replicas?: readonly ReplicaStatus[];
}

/** One replica of a secret, as its primary's DescribeSecret reports it. */
export interface ReplicaStatus {
  readonly region: string;
  readonly status: string;
  readonly message?: string;
}

/**
 * Secrets Manager DescribeSecret, then GetSecretValue: the value is read only to judge its shape
 * (and kept nowhere); its version id and the replicas' status say whether a replica follows.
 */
export async function probeGitCredentials(secrets: SecretsManagerClient, name: string, region: string): Promise<Reading<GitCredentials>> {
  const described = await reading(`Secrets Manager DescribeSecret of ${name}`, region, () => secrets.send(new DescribeSecretCommand({ SecretId: name })));
  if (!described.ok) return described.failure.name === "ResourceNotFoundException" ? { ok: true, value: { name, region, exists: false } } : described;
  const primaryRegion = described.value.PrimaryRegion;
  const replicas = described.value.ReplicationStatus?.map((r) => ({
    region: r.Region ?? "",
    status: r.Status ?? "",
    ...(r.StatusMessage ? { message: r.StatusMessage } : {}),
  }));
  const found = { name, region, exists: true, primaryRegion, ...(replicas && replicas.length > 0 ? { replicas } : {}) };
  const value = await reading(`Secrets Manager GetSecretValue of ${name}`, region, () => secrets.send(new GetSecretValueCommand({ SecretId: name })));
  if (!value.ok) return value.failure.name === "ResourceNotFoundException" ? { ok: true, value: found } : value;
  return {
    ok: true,
    value: { ...found, shape: credentialsShape(value.value.SecretString), ...(value.value.VersionId ? { versionId: value.value.VersionId } : {}) },
  };
}

/**
 * The AWSCURRENT value of a secret (undefined: the secret has none), for a copy of it
 * (`from-vault git-credentials`): never printed, never kept.
 */
export async function readSecretValue(secrets: SecretsManagerClient, name: string, region: string): Promise<Reading<string | undefined>> {
  const read = await reading(`Secrets Manager GetSecretValue of ${name}`, region, () => secrets.send(new GetSecretValueCommand({ SecretId: name })));
  if (!read.ok) return read.failure.name === "ResourceNotFoundException" ? { ok: true, value: undefined } : read;
  return { ok: true, value: read.value.SecretString };
}

/** The Git credentials JSON Flux reads, judged by its keys; the value is not kept. */
export function credentialsShape(value: string | undefined): CredentialsShape {
  if (value === undefined) return { kind: "binary" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { kind: "not-json" };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { kind: "not-object" };
  const fields = parsed as Record<string, unknown>;
  const filled = (key: string) => typeof fields[key] === "string" && (fields[key] as string) !== "";
  if (filled("username") && filled("password")) return { kind: "https" };
  if (filled("identity")) return { kind: "ssh" };
  return { kind: "incomplete", keys: Object.keys(fields).sort() };
}
