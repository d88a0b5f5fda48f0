import { randomUUID } from "crypto";
import { PutSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { reading, type Reading } from "../aws/errors";

/**
 * Puts a new value into the Flux Git credentials secret (in its primary region): it becomes
 * AWSCURRENT, the previous one AWSPREVIOUS, and Secrets Manager copies it to the replicas. The
 * value goes to AWS and nowhere else; the answer's version id is all that is kept.
 */
export async function putGitCredentials(
  secrets: SecretsManagerClient,
  name: string,
  region: string,
  value: string,
  clientRequestToken: string = randomUUID(),
): Promise<Reading<{ readonly versionId: string }>> {
  const put = await reading(`Secrets Manager PutSecretValue of ${name}`, region, () =>
    secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString: value, ClientRequestToken: clientRequestToken })),
  );
  return put.ok ? { ok: true, value: { versionId: put.value.VersionId ?? clientRequestToken } } : put;
}
