import * as path from "path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateKeyCommand } from "@aws-sdk/client-kms";
import { CreateBucketCommand, PutBucketEncryptionCommand, PutObjectLockConfigurationCommand } from "@aws-sdk/client-s3";
import { BackupUser } from "../../lib/constructs/backup-user";
import { HostingServicesBucket } from "../../lib/constructs/hosting-services-bucket";
import { portInUse, startEmulator, stopProcess, type Emulator } from "../../lib/tooling/emulator";
import { createLocalCertificate } from "../../lib/tooling/tls";
import { awsClients } from "./aws";
import { onlyResource, synthJson, testStack } from "./synth";
import { tempDir } from "./temp";

export const ARCHIVE_BUCKET = "acme-hosting-services-us-east-1";
const REGION = "us-east-1";

type Credentials = { accessKeyId: string; secretAccessKey: string };

/** A hosting-services bucket in moto with IAM enforced, encrypted with its archive key, an uploader with the backup policy and a reader. */
export interface ArchiveBucket {
  readonly emulator: Emulator;
  readonly bucket: string;
  readonly region: string;
  /** The archive key (a KMS key of the emulator): the bucket's default SSE-KMS key. */
  readonly keyArn: string;
  /** The BackupUser's policy as synthesized, with the bucket's ARN filled in. */
  readonly uploaderPolicy: string;
  readonly uploader: Credentials;
  /** May list the bucket and get objects: what verify-backup's role does. */
  readonly reader: Credentials;
  /** s3:* on every bucket: an administrator, or ransomware holding an administrator's keys. */
  readonly admin: Credentials;
  /** Environment for the local aws CLI as `credentials`, over TLS to the emulator, ignoring ~/.aws. */
  cliEnv(credentials: Credentials): NodeJS.ProcessEnv;
  stop(): void;
}

/** The hosting-services bucket as the application stack makes it, in the fixture's region with `keyArn`. */
function hostingServices(bucket: string, keyArn: string) {
  const stack = testStack();
  const provider = new AwsProvider(stack, "aws-dr", { region: REGION, alias: "dr" });
  return { stack, hosting: new HostingServicesBucket(stack, "hosting-services", { bucketName: bucket, provider, region: REGION, kmsKeyArn: keyArn }) };
}

/** The inline policy BackupUser synthesizes, with the bucket reference resolved to `bucket`'s ARN. */
export function backupUserPolicy(bucket: string, keyArn: string): string {
  const { stack, hosting } = hostingServices(bucket, keyArn);
  new BackupUser(stack, "backup-user", { userName: "acme-backups-us-east-1", bucket: hosting });
  const json = synthJson(stack);
  const bucketId = onlyResource(json, "aws_s3_bucket").id;
  const policy = onlyResource(json, "aws_iam_user_policy").config.policy as string;
  const resolved = policy.split(`\${aws_s3_bucket.${bucketId}.arn}`).join(`arn:aws:s3:::${bucket}`);
  if (resolved.includes("${")) throw new Error(`unresolved reference left in the backup policy: ${resolved}`);
  return resolved;
}

/** Calls made before moto starts enforcing IAM: exactly the setup in startArchiveBucket (3 more per extra user). */
const SETUP_CALLS = 13;
const CALLS_PER_USER = 3;

/** The Object Lock default retention HostingServicesBucket synthesizes by default. */
export function archiveObjectLock(bucket: string): { mode: "GOVERNANCE" | "COMPLIANCE"; days: number } {
  return onlyResource(synthJson(hostingServices(bucket, "arn:aws:kms:us-east-1:000000000042:key/unused").stack), "aws_s3_bucket_object_lock_configuration")
    .config.rule.default_retention;
}

/** The default encryption HostingServicesBucket synthesizes with `keyArn`. */
export function archiveEncryption(
  bucket: string,
  keyArn: string,
): { apply_server_side_encryption_by_default: Record<string, string>; bucket_key_enabled?: boolean } {
  return onlyResource(synthJson(hostingServices(bucket, keyArn).stack), "aws_s3_bucket_server_side_encryption_configuration").config.rule[0];
}

/**
 * `options.users`: more IAM users, name to a policy document (or a function of the bucket's archive
 * key ARN to one), created before IAM is enforced; their keys are in the result's `users`.
 */
export async function startArchiveBucket(
  firstPort: number,
  options: { users?: Record<string, string | ((keyArn: string) => string)> } = {},
): Promise<ArchiveBucket & { readonly users: Record<string, Credentials> }> {
  const extraUsers = Object.entries(options.users ?? {});
  let port = firstPort;
  while (await portInUse(port)) port++;
  const dir = tempDir("archive-bucket-");
  const emulator = await startEmulator({
    port,
    tls: createLocalCertificate(dir),
    logFile: path.join(dir, "emulator.log"),
    enforceIamAfterCalls: SETUP_CALLS + CALLS_PER_USER * extraUsers.length,
  });
  try {
    const admin = awsClients(emulator, REGION);
    // The archive key (ArchiveKey, in the bucket's region).
    const { KeyMetadata } = await admin.kms.send(new CreateKeyCommand({ Description: "archive key" }));
    const keyArn = KeyMetadata!.Arn!;
    // As HostingServicesBucket makes it: Object Lock on (which turns versioning on) with its default retention, SSE-KMS with the key.
    await admin.s3.send(new CreateBucketCommand({ Bucket: ARCHIVE_BUCKET, ObjectLockEnabledForBucket: true }));
    const encryption = archiveEncryption(ARCHIVE_BUCKET, keyArn);
    await admin.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: ARCHIVE_BUCKET,
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: encryption.apply_server_side_encryption_by_default.sse_algorithm as "aws:kms",
                KMSMasterKeyID: encryption.apply_server_side_encryption_by_default.kms_master_key_id,
              },
              BucketKeyEnabled: encryption.bucket_key_enabled,
            },
          ],
        },
      }),
    );
    const { mode, days } = archiveObjectLock(ARCHIVE_BUCKET);
    await admin.s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: ARCHIVE_BUCKET,
        ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: mode, Days: days } } },
      }),
    );
    const user = async (name: string, policy: string): Promise<Credentials> => {
      await admin.iam.send(new CreateUserCommand({ UserName: name }));
      await admin.iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: name, PolicyDocument: policy }));
      const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: name }));
      return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    };
    const uploaderPolicy = backupUserPolicy(ARCHIVE_BUCKET, keyArn);
    const uploader = await user("acme-backups-us-east-1", uploaderPolicy);
    const reader = await user(
      "acme-verify-backup",
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:aws:s3:::${ARCHIVE_BUCKET}` },
          { Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${ARCHIVE_BUCKET}/*` },
        ],
      }),
    );
    const administrator = await user(
      "acme-administrator",
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
    );
    const users: Record<string, Credentials> = {};
    for (const [name, policy] of extraUsers) users[name] = await user(name, typeof policy === "string" ? policy : policy(keyArn));
    return {
      users,
      admin: administrator,
      emulator,
      bucket: ARCHIVE_BUCKET,
      region: REGION,
      keyArn,
      uploaderPolicy,
      uploader,
      reader,
      cliEnv: (credentials) => ({
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_DEFAULT_REGION: REGION,
        AWS_REGION: REGION,
        AWS_ENDPOINT_URL: emulator.endpoint,
        AWS_CA_BUNDLE: emulator.caFile,
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      }),
      stop: () => stopProcess(emulator.pid),
    };
  } catch (error) {
    stopProcess(emulator.pid);
    throw error;
  }
}
