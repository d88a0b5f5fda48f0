import { TerraformStack } from "cdktf";
import { forgetGitCredentialsSecret, GitCredentialsSecret, type GitCredentialsSecretProps } from "../../lib/constructs/git-credentials-secret";
import { onlyResource, synthJson, testStack } from "../support/synth";

const PROPS: GitCredentialsSecretProps = {
  secretName: "acme/flux/platform-k8s.git+ro",
  repositoryUrl: "https://github.com/acme/platform-k8s",
  kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/data",
  replicas: [{ region: "us-east-2", kmsKeyArn: "arn:aws:kms:us-east-2:123456789012:key/git" }],
};

function build(props: Partial<GitCredentialsSecretProps> = {}, stack: TerraformStack = testStack()) {
  new GitCredentialsSecret(stack, "git-credentials", { ...PROPS, ...props });
  return synthJson(stack);
}

describe("GitCredentialsSecret", () => {
  const json = build();
  const secret = onlyResource(json, "aws_secretsmanager_secret");

  it("is the secret on the data key, with a replica on a key of each replica region, protected, no value", () => {
    expect(secret.config).toEqual({
      name: "acme/flux/platform-k8s.git+ro",
      description: "Flux Git credentials of https://github.com/acme/platform-k8s (value put by the operator), replicated into us-east-2",
      kms_key_id: "arn:aws:kms:us-east-1:123456789012:key/data",
      replica: [{ region: "us-east-2", kms_key_id: "arn:aws:kms:us-east-2:123456789012:key/git" }],
      recovery_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(json.resource!.aws_secretsmanager_secret_version).toBeUndefined();
  });

  it("adopts a secret of exactly its name that exists (an import for each ARN of that name, none of a longer one)", () => {
    const existing = onlyResource({ resource: json.data } as never, "aws_secretsmanager_secrets");
    expect(existing.config).toEqual({ filter: [{ name: "name", values: ["acme/flux/platform-k8s.git+ro"] }] });
    expect(json.import).toEqual([
      {
        for_each:
          `\${toset([for arn in data.aws_secretsmanager_secrets.${existing.id}.arns : arn if can(regex(` +
          '"^arn:[^:]+:secretsmanager:[^:]+:[0-9]{12}:secret:acme/flux/platform-k8s\\\\.git\\\\+ro-[A-Za-z0-9]{6}$", arn))])}',
        to: `aws_secretsmanager_secret.${secret.id}`,
        id: "${each.value}",
      },
    ]);
  });

  it("adopts nothing when told not to, and may have no replica", () => {
    const alone = build({ adoptExisting: false, replicas: [] });
    expect(alone.import).toBeUndefined();
    expect(alone.data).toBeUndefined();
    expect(onlyResource(alone, "aws_secretsmanager_secret").config).toMatchObject({
      description: "Flux Git credentials of https://github.com/acme/platform-k8s (value put by the operator)",
      replica: [],
    });
  });

  it("refuses two replicas in one region", () => {
    expect(() => build({ replicas: [PROPS.replicas[0], { region: "us-east-2", kmsKeyArn: "k" }] })).toThrow(
      "GitCredentialsSecret: a region may have one replica (got us-east-2, us-east-2)",
    );
  });
});

describe("forgetGitCredentialsSecret", () => {
  it("forgets, without destroying, the secret a stack made at its root under the id git-credentials", () => {
    const stack = testStack();
    forgetGitCredentialsSecret(stack);
    const json = synthJson(stack);
    expect(json.removed).toEqual([{ from: "aws_secretsmanager_secret.git-credentials", lifecycle: { destroy: false } }]);
    expect(json.resource).toBeUndefined();
  });
});
