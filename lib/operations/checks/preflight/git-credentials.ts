import type { PrimaryEnvironment, RecoveryEnvironment } from "../../../environment";
import { deployStackCommand, stackId } from "../../../naming";
import type { Reading } from "../../aws/errors";
import type { CredentialsShape, GitCredentials } from "../../probes/git-credentials";
import { failedRead, type PreflightCheck } from "./check";

/** What is wrong with a value of a shape Flux cannot use; undefined for a usable one. */
export function credentialsProblem(shape: CredentialsShape): string | undefined {
  switch (shape.kind) {
    case "https":
    case "ssh":
      return undefined;
    case "binary":
      return "the value is binary (SecretBinary), not a JSON string";
    case "not-json":
      return "the value is not JSON";
    case "not-object":
      return "the value is JSON but not an object";
    case "incomplete":
      return `the JSON has neither non-empty "username" and "password" (HTTPS) nor "identity" (SSH); its keys: ${shape.keys.length ? shape.keys.map((k) => JSON.stringify(k)).join(", ") : "none"}`;
  }
}

/** Flux's Git credentials secret has a replica in the recovery region with a usable value (never printed). */
export function gitCredentialsCheck(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, secret: Reading<GitCredentials>): PreflightCheck {
  const name = recovery.flux.gitCredentialsSecretName;
  const id = "git-credentials";
  const title = `Flux Git credentials secret ${name} in ${recovery.region}`;
  const putValue = [
    `aws secretsmanager put-secret-value --region ${primary.region} --secret-id ${name} --secret-string file://git-credentials.json`,
    `# git-credentials.json: {"username": "...", "password": "<token>"} (HTTPS) or {"identity": "<private key>", "identity.pub": "...", "known_hosts": "..."} (SSH)`,
    `# with ${primary.region} down: aws secretsmanager stop-replication-to-replica --region ${recovery.region} --secret-id ${name}, then the same put-secret-value with --region ${recovery.region}`,
  ].join("\n");
  if (!secret.ok) return failedRead(id, title, secret.failure);
  const found = secret.value;
  if (!found.exists) {
    return {
      id,
      title,
      status: "fail",
      detail: `no secret ${name} in ${recovery.region}: its replica was never created`,
      fix: `${deployStackCommand(stackId("application", primary.region))}   # in peacetime: creates ${name} in ${primary.region} with a replica in ${recovery.region}\n${putValue}`,
    };
  }
  const origin = found.primaryRegion ? `replica of ${found.primaryRegion}` : "a standalone secret (not a replica)";
  if (found.shape === undefined) {
    return { id, title, status: "fail", detail: `${name} in ${recovery.region} (${origin}) has no value: nobody has put the credentials`, fix: putValue };
  }
  const problem = credentialsProblem(found.shape);
  if (problem !== undefined) return { id, title, status: "fail", detail: `${name} in ${recovery.region} (${origin}): ${problem}`, fix: putValue };
  return {
    id,
    title,
    status: "pass",
    detail: `${origin}; the value has ${found.shape.kind === "https" ? "username and password (HTTPS)" : "identity (SSH)"}`,
    fix: "",
  };
}
