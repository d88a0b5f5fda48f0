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
}

/** Secrets Manager DescribeSecret, then GetSecretValue: the value is read only to judge its shape. */
export async function probeGitCredentials(secrets: SecretsManagerClient, name: string, region: string): Promise<Reading<GitCredentials>> {
  const described = await reading(`Secrets Manager DescribeSecret of ${name}`, region, () => secrets.send(new DescribeSecretCommand({ SecretId: name })));
  if (!described.ok) return described.failure.name === "ResourceNotFoundException" ? { ok: true, value: { name, region, exists: false } } : described;
  const primaryRegion = described.value.PrimaryRegion;
  const value = await reading(`Secrets Manager GetSecretValue of ${name}`, region, () => secrets.send(new GetSecretValueCommand({ SecretId: name })));
  if (!value.ok) return value.failure.name === "ResourceNotFoundException" ? { ok: true, value: { name, region, exists: true, primaryRegion } } : value;
  return { ok: true, value: { name, region, exists: true, primaryRegion, shape: credentialsShape(value.value.SecretString) } };
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
