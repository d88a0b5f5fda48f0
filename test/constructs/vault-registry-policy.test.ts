import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { VaultRegistryPolicy } from "../../lib/constructs/vault-registry-policy";
import { onlyResource, synthJson, testStack } from "../support/synth";

function build(sourceAccountId = "123456789012") {
  const stack = testStack();
  const provider = new AwsProvider(stack, "aws-vault", { region: "us-west-2", alias: "vault" });
  new VaultRegistryPolicy(stack, "registry-policy", { provider, vaultAccountId: "210987654321", vaultRegion: "us-west-2", sourceAccountId });
  return synthJson(stack);
}

describe("VaultRegistryPolicy", () => {
  it("lets the workload account replicate images into the vault's registry, and nothing else", () => {
    const policy = onlyResource(build(), "aws_ecr_registry_policy").config;
    expect(policy.provider).toBe("aws.vault");
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "SourceAccountReplicates",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: ["ecr:CreateRepository", "ecr:ReplicateImage"],
          Resource: "arn:aws:ecr:us-west-2:210987654321:repository/*",
        },
      ],
    });
  });

  it("refuses a vault in the workload account itself", () => {
    expect(() => build("210987654321")).toThrow("VaultRegistryPolicy: the vault must be another account than the source's (got 210987654321 for both)");
  });
});
