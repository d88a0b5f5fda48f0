import { Testing } from "cdktf";
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { ApplicationStack } from "../../stacks/application-stack";
import { awsClients, outcome } from "../support/aws";
import { environment, primaryInput, roleProps, networkingStack } from "../support/environments";
import { onlyResource, synthJson } from "../support/synth";
import { useEmulator } from "../support/emulator";

/**
 * The backup user's inline policy, exactly as the application stack synthesizes it, enforced by
 * the emulator's IAM (moto with INITIAL_NO_AUTH_ACTION_COUNT): it may list the hosting-services
 * bucket and put objects into it, nothing else.
 */
jest.setTimeout(120_000);

const ARCHIVES = "acme-hosting-services-us-east-1";
const OTHER = "acme-other-bucket";
/** Calls made before enforcement starts: the setup below, one each. */
const SETUP_CALLS = 6;

const emulator = useEmulator({ firstPort: 5300, enforceIamAfterCalls: SETUP_CALLS });

function synthesizedBackupPolicy(): string {
  const app = Testing.app();
  const env = environment(primaryInput());
  const networking = networkingStack(app, env);
  const stack = new ApplicationStack(app, { networking, ...roleProps(env) });
  const json = synthJson(stack);
  const bucketId = Object.entries(json.resource!.aws_s3_bucket).find(([, b]: [string, any]) => b.bucket === ARCHIVES)![0];
  const policy = onlyResource(json, "aws_iam_user_policy").config.policy as string;
  return policy.split(`\${aws_s3_bucket.${bucketId}.arn}`).join(`arn:aws:s3:::${ARCHIVES}`);
}

it("the backup user can list and upload archives, and cannot read, delete or touch another bucket", async () => {
  const policy = synthesizedBackupPolicy();
  expect(policy).not.toContain("${");
  const admin = awsClients(emulator.current(), "us-east-1");
  // Setup: exactly SETUP_CALLS calls before the emulator starts enforcing IAM.
  await admin.s3.send(new CreateBucketCommand({ Bucket: ARCHIVES }));
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
