import { TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { VaultKey } from "../../lib/constructs/vault-key";
import { onlyResource, ref, synthJson, testStack } from "../support/synth";

const WRITERS = ["arn:aws:iam::123456789012:role/acme-vault-state-us-east-1", "arn:aws:iam::123456789012:role/acme-vault-archives-us-east-1"];

function build(writerRoleArns: readonly string[] = WRITERS) {
  const stack = testStack();
  const provider = new AwsProvider(stack, "aws-vault", { region: "us-west-2", alias: "vault" });
  const key = new VaultKey(stack, "key", {
    aliasName: "alias/acme-vault-us-east-1",
    vaultAccountId: "210987654321",
    vaultRegion: "us-west-2",
    sourceAccountId: "123456789012",
    writerRoleArns,
    provider,
  });
  new TerraformOutput(stack, "arn", { value: key.keyArn });
  return synthJson(stack);
}

describe("VaultKey", () => {
  const json = build();
  const resource = onlyResource(json, "aws_kms_key");

  it("is the vault account's key in the vault's region, with its alias there", () => {
    expect(resource.config.provider).toBe("aws.vault");
    expect(onlyResource(json, "aws_kms_alias").config).toEqual({
      name: "alias/acme-vault-us-east-1",
      target_key_id: ref("aws_kms_key", resource.id, "key_id"),
      provider: "aws.vault",
    });
    expect(json.output!.arn.value).toBe(ref("aws_kms_key", resource.id, "arn"));
  });

  it("lets the workload account only encrypt, through S3 in the vault's region, as one of its replication roles", () => {
    expect(JSON.parse(resource.config.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: "arn:aws:iam::210987654321:root" }, Action: "kms:*", Resource: "*" },
        {
          Sid: "SourceReplicationEncrypts",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: ["kms:Encrypt", "kms:GenerateDataKey"],
          Resource: "*",
          Condition: { StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com", "aws:PrincipalArn": WRITERS } },
        },
      ],
    });
  });

  it("rotates yearly, keeps 30 days to cancel a deletion and is protected from destroy", () => {
    expect(resource.config).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
  });

  it("refuses a key that no replication role may write with", () => {
    expect(() => build([])).toThrow("VaultKey: writerRoleArns must name at least one replication role (got none)");
  });
});
