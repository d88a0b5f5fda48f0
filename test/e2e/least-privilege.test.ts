import { Testing } from "cdktf";
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateKeyCommand } from "@aws-sdk/client-kms";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { ApplicationStack } from "../../stacks/application-stack";
import { awsClients, outcome } from "../support/aws";
import { environment, primaryInput, roleProps, networkingStack } from "../support/environments";
import { onlyResource, resourceAt, synthJson } from "../support/synth";
import { useEmulator } from "../support/emulator";

/**
 * The backup user's inline policy, exactly as the application stack synthesizes it, enforced by
 * the emulator's IAM (moto with INITIAL_NO_AUTH_ACTION_COUNT): it may list the hosting-services
 * bucket and put objects into it (encrypted by default with the archive key), nothing else. moto
 * does not evaluate the KMS half of a put (S3 calling KMS for the caller): the policy's key
 * statement is compared exactly in test/constructs/backup-user.test.ts.
 */
jest.setTimeout(120_000);

const ARCHIVES = "acme-hosting-services-us-east-1";
const OTHER = "acme-other-bucket";
/** Calls made before enforcement starts: the setup below, one each. */
const SETUP_CALLS = 8;

const emulator = useEmulator({ firstPort: 5300, enforceIamAfterCalls: SETUP_CALLS });

/** The synthesized policy with the bucket's and the archive key's references resolved (to `keyArn`). */
function synthesizedBackupPolicy(keyArn: string): string {
  const app = Testing.app();
  const env = environment(primaryInput());
  const networking = networkingStack(app, env);
  const stack = new ApplicationStack(app, { networking, ...roleProps(env) });
  const json = synthJson(stack);
  const bucketId = Object.entries(json.resource!.aws_s3_bucket).find(([, b]: [string, any]) => b.bucket === ARCHIVES)![0];
  const keyId = resourceAt(json, "aws_kms_key", "archive-key/resource").id;
  const policy = onlyResource(json, "aws_iam_user_policy").config.policy as string;
  return policy.split(`\${aws_s3_bucket.${bucketId}.arn}`).join(`arn:aws:s3:::${ARCHIVES}`).split(`\${aws_kms_key.${keyId}.arn}`).join(keyArn);
}

it("the backup user can list and upload archives, and cannot read, delete or touch another bucket", async () => {
  const admin = awsClients(emulator.current(), "us-east-1");
  // Setup: exactly SETUP_CALLS calls before the emulator starts enforcing IAM.
  const { KeyMetadata } = await admin.kms.send(new CreateKeyCommand({ Description: "archive key" }));
  const policy = synthesizedBackupPolicy(KeyMetadata!.Arn!);
  expect(policy).not.toContain("${");
  await admin.s3.send(new CreateBucketCommand({ Bucket: ARCHIVES }));
  await admin.s3.send(
    new PutBucketEncryptionCommand({
      Bucket: ARCHIVES,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KeyMetadata!.Arn! }, BucketKeyEnabled: true }],
      },
    }),
  );
  await admin.s3.send(new CreateBucketCommand({ Bucket: OTHER }));
  await admin.iam.send(new CreateUserCommand({ UserName: "acme-backups-us-east-1" }));
  await admin.iam.send(new PutUserPolicyCommand({ UserName: "acme-backups-us-east-1", PolicyName: "upload-database-archives", PolicyDocument: policy }));
  const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: "acme-backups-us-east-1" }));
  await admin.s3.send(new PutObjectCommand({ Bucket: ARCHIVES, Key: "existing.dump", Body: "yesterday" }));

  const user = awsClients(emulator.current(), "us-east-1", { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }).s3;
  expect(await outcome(() => user.send(new ListObjectsV2Command({ Bucket: ARCHIVES })))).toBe("ok");
  expect(await outcome(() => user.send(new PutObjectCommand({ Bucket: ARCHIVES, Key: "today.dump", Body: "today" })))).toBe("ok");
  expect(await outcome(() => user.send(new GetObjectCommand({ Bucket: ARCHIVES, Key: "existing.dump" })))).toBe("AccessDenied");
  expect(await outcome(() => user.send(new DeleteObjectCommand({ Bucket: ARCHIVES, Key: "existing.dump" })))).toBe("AccessDenied");
  expect(await outcome(() => user.send(new PutObjectCommand({ Bucket: OTHER, Key: "x", Body: "x" })))).toBe("AccessDenied");
  expect(await outcome(() => user.send(new ListObjectsV2Command({ Bucket: OTHER })))).toBe("AccessDenied");
  // Enforcement is really on: the emulator's default credentials are now refused too.
  expect(await outcome(() => admin.s3.send(new ListObjectsV2Command({ Bucket: ARCHIVES })))).toBe("InvalidAccessKeyId");
});
