import { TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BackupUser } from "../../lib/constructs/backup-user";
import { HostingServicesBucket } from "../../lib/constructs/hosting-services-bucket";
import { ARCHIVE_KEY } from "../support/expected";
import { onlyResource, ref, resources, StackJson, synthJson, testStack } from "../support/synth";

function build(createAccessKey?: boolean) {
  const stack = testStack();
  const provider = new AwsProvider(stack, "aws-dr", { region: "us-east-2", alias: "dr" });
  const bucket = new HostingServicesBucket(stack, "hosting-services", {
    bucketName: "acme-hosting-services-us-east-1",
    provider,
    region: "us-east-2",
    kmsKeyArn: ARCHIVE_KEY,
  });
  const user = new BackupUser(stack, "backup-user", { userName: "acme-backups-us-east-1", bucket, createAccessKey });
  return { stack, user };
}

function synth(createAccessKey?: boolean): StackJson {
  return synthJson(build(createAccessKey).stack);
}

const bucketId = (json: StackJson) => onlyResource(json, "aws_s3_bucket").id;

describe("BackupUser", () => {
  it("creates the IAM user by name, without force_destroy", () => {
    const json = synth();
    const { config } = onlyResource(json, "aws_iam_user");
    expect(config.name).toBe("acme-backups-us-east-1");
    expect(config.force_destroy).toBe(false);
    expect(config.tags).toEqual({ Purpose: `uploads database archives to ${ref("aws_s3_bucket", bucketId(json), "bucket")}` });
  });

  it("allows exactly listing the bucket, putting objects into it, and the bucket's key through S3 for that bucket", () => {
    const json = synth();
    const arn = ref("aws_s3_bucket", bucketId(json), "arn");
    const policy = onlyResource(json, "aws_iam_user_policy").config;
    expect(policy.name).toBe("upload-database-archives");
    expect(policy.user).toBe(ref("aws_iam_user", onlyResource(json, "aws_iam_user").id, "name"));
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ListObjectsInBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [arn] },
        { Sid: "ObjectActions", Effect: "Allow", Action: "s3:PutObject", Resource: [`${arn}/*`] },
        {
          Sid: "EncryptArchives",
          Effect: "Allow",
          // GenerateDataKey for a put; Decrypt for S3 to complete a multipart upload (dumps over 8 MB).
          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
          Resource: ARCHIVE_KEY,
          Condition: {
            StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com" },
            StringLike: { "kms:EncryptionContext:aws:s3:arn": [arn, `${arn}/*`] },
          },
        },
      ],
    });
  });

  it("has no other permissions: no attached or group policies", () => {
    const json = synth();
    for (const type of ["aws_iam_user_policy_attachment", "aws_iam_policy", "aws_iam_user_group_membership", "aws_iam_group_policy"]) {
      expect([type, Object.keys(resources(json, type))]).toEqual([type, []]);
    }
  });

  it("has no console password and, by default, no access key or secret", () => {
    const { stack, user } = build();
    const json = synthJson(stack);
    for (const type of ["aws_iam_user_login_profile", "aws_iam_access_key", "aws_secretsmanager_secret", "aws_secretsmanager_secret_version"]) {
      expect([type, Object.keys(resources(json, type))]).toEqual([type, []]);
    }
    expect(user.accessKeySecretArn).toBeUndefined();
  });

  it("with createAccessKey, keeps the key in a secret built from references only", () => {
    const json = synth(true);
    const user = onlyResource(json, "aws_iam_user").id;
    const key = onlyResource(json, "aws_iam_access_key");
    const secret = onlyResource(json, "aws_secretsmanager_secret");
    const version = onlyResource(json, "aws_secretsmanager_secret_version").config;
    expect(key.config.user).toBe(ref("aws_iam_user", user, "name"));
    expect(secret.config).toEqual({
      name: "acme-backups-us-east-1/access-key",
      description: "Access key of acme-backups-us-east-1 (uploads database archives)",
      recovery_window_in_days: 30,
    });
    expect(version.secret_id).toBe(ref("aws_secretsmanager_secret", secret.id, "id"));
    expect(version.secret_string).toBe(
      `\${jsonencode({"AccessKeyId" = aws_iam_access_key.${key.id}.id, "SecretAccessKey" = aws_iam_access_key.${key.id}.secret})}`,
    );
    expect(Object.keys(resources(json, "aws_iam_user_login_profile"))).toEqual([]);
  });

  it("exposes the user name and, with an access key, the secret's ARN", () => {
    const { stack, user } = build(true);
    new TerraformOutput(stack, "user", { value: user.userName });
    new TerraformOutput(stack, "secret", { value: user.accessKeySecretArn });
    const json = synthJson(stack);
    expect(json.output!.user.value).toBe(ref("aws_iam_user", onlyResource(json, "aws_iam_user").id, "name"));
    expect(json.output!.secret.value).toBe(ref("aws_secretsmanager_secret", onlyResource(json, "aws_secretsmanager_secret").id, "arn"));
  });
});
