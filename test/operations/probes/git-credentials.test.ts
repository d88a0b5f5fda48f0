import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { credentialsShape, probeGitCredentials } from "../../../lib/operations/probes/git-credentials";

const notFound = () => Object.assign(new Error("no"), { name: "ResourceNotFoundException", $metadata: { httpStatusCode: 400 } });
const client = () => new SecretsManagerClient({ region: "us-east-2", credentials: { accessKeyId: "test", secretAccessKey: "test" } });

describe("credentialsShape", () => {
  it.each([
    ['{"username":"u","password":"p"}', { kind: "https" }],
    ['{"identity":"-----BEGIN","known_hosts":"h"}', { kind: "ssh" }],
    [undefined, { kind: "binary" }],
    ["flux-bot:token", { kind: "not-json" }],
    ['["x"]', { kind: "not-object" }],
    ["null", { kind: "not-object" }],
    ['{"username":"u","password":""}', { kind: "incomplete", keys: ["password", "username"] }],
  ])("%s: %j", (value, shape) => {
    expect(credentialsShape(value)).toEqual(shape);
  });
});

describe("probeGitCredentials", () => {
  it("reads whether the secret exists, its primary region and its value's shape, never the value", async () => {
    const secrets = client();
    mockClient(secrets)
      .on(DescribeSecretCommand, { SecretId: "acme/flux/git" })
      .resolves({ PrimaryRegion: "us-east-1" })
      .on(GetSecretValueCommand, { SecretId: "acme/flux/git" })
      .resolves({ SecretString: '{"username":"flux-bot","password":"secret-token"}' });
    const found = await probeGitCredentials(secrets, "acme/flux/git", "us-east-2");
    expect(found).toEqual({
      ok: true,
      value: { name: "acme/flux/git", region: "us-east-2", exists: true, primaryRegion: "us-east-1", shape: { kind: "https" } },
    });
    expect(JSON.stringify(found)).not.toContain("secret-token");
  });

  it("tells a missing secret from a secret without a value", async () => {
    const secrets = client();
    mockClient(secrets).on(DescribeSecretCommand).rejectsOnce(notFound()).resolves({}).on(GetSecretValueCommand).rejects(notFound());
    expect(await probeGitCredentials(secrets, "n", "us-east-2")).toEqual({ ok: true, value: { name: "n", region: "us-east-2", exists: false } });
    expect(await probeGitCredentials(secrets, "n", "us-east-2")).toEqual({
      ok: true,
      value: { name: "n", region: "us-east-2", exists: true, primaryRegion: undefined },
    });
  });

  it("keeps the failure of the call that failed", async () => {
    const secrets = client();
    mockClient(secrets)
      .on(DescribeSecretCommand)
      .resolves({})
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException", $metadata: { httpStatusCode: 400 } }));
    expect(await probeGitCredentials(secrets, "n", "us-east-2")).toMatchObject({
      ok: false,
      failure: { kind: "refused", call: "Secrets Manager GetSecretValue of n" },
    });
  });
});
