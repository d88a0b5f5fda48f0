import { DataKey } from "../../lib/constructs/data-key";
import { onlyResource, ref, synthJson, testStack } from "../support/synth";

function synth(snapshotCopyAccountIds?: readonly string[]) {
  const stack = testStack();
  const key = new DataKey(stack, "data-key", {
    aliasName: "alias/acme-data-us-east-1",
    accountId: "123456789012",
    region: "us-east-1",
    snapshotCopyAccountIds,
  });
  return { json: synthJson(stack), key };
}

const throughService = (sid: string, service: string) => ({
  Sid: sid,
  Effect: "Allow",
  Principal: { AWS: "*" },
  Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:ListGrants", "kms:DescribeKey"],
  Resource: "*",
  Condition: { StringEquals: { "kms:CallerAccount": "123456789012", "kms:ViaService": `${service}.us-east-1.amazonaws.com` } },
});

describe("DataKey", () => {
  it("is a rotated symmetric key with a 30-day deletion window, protected from destroy", () => {
    const { policy, ...config } = onlyResource(synth().json, "aws_kms_key").config;
    expect(typeof policy).toBe("string");
    expect(config).toEqual({
      description: "Data of us-east-1: Secrets Manager secrets, RDS storage and Performance Insights",
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("lets the account administer it and its principals use it through Secrets Manager and RDS of its region only", () => {
    expect(JSON.parse(onlyResource(synth().json, "aws_kms_key").config.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" },
        throughService("UseThroughSecretsManager", "secretsmanager"),
        throughService("UseThroughRds", "rds"),
      ],
    });
  });

  it("shares itself with the snapshot copy accounts: read, re-encrypt from and grant AWS services, never encrypt or administer", () => {
    const statements = JSON.parse(onlyResource(synth(["210987654321"]).json, "aws_kms_key").config.policy).Statement;
    expect(statements.slice(3)).toEqual([
      {
        Sid: "SnapshotCopyAccountsRead",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::210987654321:root"] },
        Action: ["kms:Decrypt", "kms:DescribeKey", "kms:ReEncryptFrom"],
        Resource: "*",
      },
      {
        Sid: "SnapshotCopyAccountsGrantServices",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::210987654321:root"] },
        Action: "kms:CreateGrant",
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    ]);
    expect(statements).toHaveLength(5);
    expect(JSON.parse(onlyResource(synth([]).json, "aws_kms_key").config.policy).Statement).toHaveLength(3);
  });

  it("has the alias it was given, and exposes the key's ARN", () => {
    const { json, key } = synth();
    const id = onlyResource(json, "aws_kms_key").id;
    expect(onlyResource(json, "aws_kms_alias").config).toEqual({ name: "alias/acme-data-us-east-1", target_key_id: ref("aws_kms_key", id, "key_id") });
    expect(key.aliasName).toBe("alias/acme-data-us-east-1");
  });
});
