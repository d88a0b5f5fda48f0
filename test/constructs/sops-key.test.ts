import { TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SopsKey, SopsKeyProps } from "../../lib/constructs/sops-key";
import { onlyResource, ref, resourceAt, resources, StackJson, synthJson, testStack } from "../support/synth";

const KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [{ Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }],
};

/** The key in us-east-1 (default provider), its replica with provider `aws.dr` (us-east-2). */
function build(props: Partial<Omit<SopsKeyProps, "replicaProvider">> = {}) {
  const stack = testStack();
  const replicaProvider = new AwsProvider(stack, "aws-dr", { region: "us-east-2", alias: "dr" });
  const construct = new SopsKey(stack, "sops-key", { aliasName: "alias/acme-sops-us-east-1", accountId: "123456789012", replicaProvider, ...props });
  return { stack, construct };
}

function synth(props: Partial<Omit<SopsKeyProps, "replicaProvider">> = {}): StackJson {
  return synthJson(build(props).stack);
}

describe("SopsKey", () => {
  it("creates a multi-Region key with rotation, in the default provider's region, protected from destroy", () => {
    expect(onlyResource(synth(), "aws_kms_key").config).toMatchObject({
      description: "SOPS: secrets of the GitOps repository",
      multi_region: true,
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(synth(), "aws_kms_key").config.provider).toBeUndefined();
  });

  it("replicates the key with the replica provider, protected from destroy", () => {
    const json = synth();
    const key = onlyResource(json, "aws_kms_key").id;
    expect(onlyResource(json, "aws_kms_replica_key").config).toMatchObject({
      provider: "aws.dr",
      description: "SOPS: replica for the recovery region",
      primary_key_arn: ref("aws_kms_key", key, "arn"),
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("lets the account's IAM administer the key and the replica, and nobody else", () => {
    const json = synth();
    expect(JSON.parse(onlyResource(json, "aws_kms_key").config.policy)).toEqual(KEY_POLICY);
    expect(JSON.parse(onlyResource(json, "aws_kms_replica_key").config.policy)).toEqual(KEY_POLICY);
  });

  it("gives the key and its replica the same alias in both regions", () => {
    const json = synth();
    expect(Object.keys(resources(json, "aws_kms_alias"))).toHaveLength(2);
    expect(resourceAt(json, "aws_kms_alias", "sops-key/alias").config).toEqual({
      name: "alias/acme-sops-us-east-1",
      target_key_id: ref("aws_kms_key", onlyResource(json, "aws_kms_key").id, "key_id"),
    });
    expect(resourceAt(json, "aws_kms_alias", "sops-key/replica-alias").config).toEqual({
      provider: "aws.dr",
      name: "alias/acme-sops-us-east-1",
      target_key_id: ref("aws_kms_replica_key", onlyResource(json, "aws_kms_replica_key").id, "key_id"),
    });
  });

  it("uses the given deletion window for the key and the replica", () => {
    const json = synth({ deletionWindowDays: 7 });
    expect(onlyResource(json, "aws_kms_key").config.deletion_window_in_days).toBe(7);
    expect(onlyResource(json, "aws_kms_replica_key").config.deletion_window_in_days).toBe(7);
  });

  it("rejects a deletion window outside 7 to 30 whole days", () => {
    for (const days of [6, 31, 10.5]) {
      expect(() => build({ deletionWindowDays: days })).toThrow(`SopsKey: deletionWindowDays must be a whole number from 7 to 30 (got ${days})`);
    }
    expect(() => build({ deletionWindowDays: 30 })).not.toThrow();
  });

  it("exposes both key ARNs", () => {
    const { stack, construct } = build();
    new TerraformOutput(stack, "key", { value: construct.keyArn });
    new TerraformOutput(stack, "replica", { value: construct.replicaKeyArn });
    const json = synthJson(stack);
    expect(json.output!.key.value).toBe(ref("aws_kms_key", onlyResource(json, "aws_kms_key").id, "arn"));
    expect(json.output!.replica.value).toBe(ref("aws_kms_replica_key", onlyResource(json, "aws_kms_replica_key").id, "arn"));
  });
});
