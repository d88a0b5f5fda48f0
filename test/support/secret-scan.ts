/** Scanners for secrets in synthesized Terraform JSON. */
import { PLACEHOLDER_CREDENTIALS } from "../../lib/constructs/registry-pull-through-cache";

/**
 * The one literal a secret_string may hold: the registry credentials' placeholder, which says
 * "set by the operator" (RegistryPullThroughCache; Terraform never writes over the real value).
 */
export const KNOWN_PLACEHOLDERS: readonly string[] = [JSON.stringify(PLACEHOLDER_CREDENTIALS)];

/** Paths of every key named `name` (any case) anywhere in `value`. */
export function keysNamed(value: unknown, name: string, at = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => keysNamed(item, name, `${at}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => [...(key.toLowerCase() === name ? [`${at}.${key}`] : []), ...keysNamed(child, name, `${at}.${key}`)]);
}

const SECRET_KEYS = ["token", "password", "secret_string"];
const isReference = (value: unknown) => typeof value === "string" && /^\$\{[\s\S]*\}$/.test(value);

/**
 * Paths of keys named token, password or secret_string (any case) that hold a literal rather than
 * a `${...}` expression. Strings holding JSON (helm values, policies) are searched too.
 */
export function literalSecrets(value: unknown, at = "$"): string[] {
  if (typeof value === "string") {
    if (!/^\s*[[{]/.test(value)) return [];
    try {
      return literalSecrets(JSON.parse(value), `${at}(json)`);
    } catch {
      return [];
    }
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => literalSecrets(item, `${at}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(SECRET_KEYS.includes(key.toLowerCase()) && child !== null && !isReference(child) && !KNOWN_PLACEHOLDERS.includes(child as string)
      ? [`${at}.${key}`]
      : []),
    ...literalSecrets(child, `${at}.${key}`),
  ]);
}

/** Access key ids and PEM blocks in the raw text of a synthesized stack. */
export function credentialPatterns(text: string): string[] {
  return [...(text.match(/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g) ?? []), ...(text.includes("-----BEGIN") ? ["-----BEGIN"] : [])];
}

/** Attributes whose value is secret: an output that references one must be sensitive. */
const SECRET_ATTRIBUTE = /\.(secret_string|password|secret|token|private_key|random_password|secret_access_key)\b/;

/** Outputs whose value references a secret attribute but are not marked sensitive. */
export function insensitiveSecretOutputs(json: { output?: Record<string, { value: unknown; sensitive?: boolean }> }): string[] {
  return Object.entries(json.output ?? {})
    .filter(([, output]) => SECRET_ATTRIBUTE.test(JSON.stringify(output.value)) && output.sensitive !== true)
    .map(([name]) => name);
}
