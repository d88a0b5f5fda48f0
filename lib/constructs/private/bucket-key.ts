import type { IEncryptedBucket } from "../bucket";
import type { PolicyStatement } from "./iam";

/**
 * An identity policy statement that lets a principal use an encrypted bucket's key for that
 * bucket's objects only: through S3 in the bucket's region (`kms:ViaService`), and with the
 * bucket's encryption context. With an S3 Bucket Key the context is the bucket's ARN; an object
 * written without one carries its own ARN: both are admitted, nothing else.
 * - uploaders: `kms:GenerateDataKey` for PutObject, and `kms:Decrypt` as well, which S3 needs for a
 *   multipart upload (the aws CLI splits files over 8 MB) to read the parts it completes;
 * - readers: `kms:Decrypt`.
 */
export function bucketKeyStatement(sid: string, bucket: IEncryptedBucket, actions: readonly ("kms:GenerateDataKey" | "kms:Decrypt")[]): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: [...actions],
    Resource: bucket.kmsKeyArn,
    Condition: {
      StringEquals: { "kms:ViaService": `s3.${bucket.region}.amazonaws.com` },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucket.bucketArn, `${bucket.bucketArn}/*`] },
    },
  };
}

/** What an uploader into an encrypted bucket needs of its key (PutObject and multipart uploads). */
export const UPLOAD_KEY_ACTIONS = ["kms:GenerateDataKey", "kms:Decrypt"] as const;
/** What a reader of an encrypted bucket needs of its key. */
export const READ_KEY_ACTIONS = ["kms:Decrypt"] as const;
