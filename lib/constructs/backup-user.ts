import { Construct } from "constructs";
import { IamAccessKey } from "@cdktf/provider-aws/lib/iam-access-key";
import { IamUser } from "@cdktf/provider-aws/lib/iam-user";
import { IamUserPolicy } from "@cdktf/provider-aws/lib/iam-user-policy";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Fn } from "cdktf";
import { policyDocument } from "./private/iam";
import { bucketKeyStatement, UPLOAD_KEY_ACTIONS } from "./private/bucket-key";
import type { IEncryptedBucket } from "./bucket";

export interface BackupUserProps {
  /** IAM user name, `<project>-backups-<region>`. */
  readonly userName: string;
  /**
   * The only bucket the user may touch, and its key: the HostingServicesBucket, or one referenced
   * by name (a recovery's standby stack makes the user before its bucket exists).
   */
  readonly bucket: IEncryptedBucket;
  /**
   * Create an access key and keep it in a Secrets Manager secret named `<userName>/access-key`.
   * Trade-off: the key's secret then also sits in the Terraform state (encrypted in the state
   * bucket, readable by whoever reads the state). Without it, create the key outside Terraform
   * (`aws iam create-access-key --user-name <userName>`) and hand it to the backup job directly.
   * @default false
   */
  readonly createAccessKey?: boolean;
  /**
   * Customer-managed key of the access key's secret (the environment's data key).
   * @default - the AWS managed key aws/secretsmanager (DR-SM-1 refuses it)
   */
  readonly secretKmsKeyArn?: string;
}

/**
 * The IAM user that uploads database archives. It has no console password and exactly these
 * permissions: list the hosting-services bucket, put objects into it, and use the bucket's key
 * through S3 for that bucket only (GenerateDataKey for a put, Decrypt for the multipart uploads of
 * large dumps). It can neither read nor delete an archive, so stolen credentials cannot destroy
 * the backups.
 */
export class BackupUser extends Construct {
  public readonly resource: IamUser;
  public readonly userName: string;
  public readonly policy: IamUserPolicy;
  /** ARN of the secret holding the access key, when one was asked for. */
  public readonly accessKeySecretArn?: string;

  constructor(scope: Construct, id: string, props: BackupUserProps) {
    super(scope, id);
    this.resource = new IamUser(this, "resource", {
      name: props.userName,
      forceDestroy: false,
      tags: { Purpose: `uploads database archives to ${props.bucket.bucketName}` },
    });
    this.userName = this.resource.name;
    this.policy = new IamUserPolicy(this, "policy", {
      name: "upload-database-archives",
      user: this.resource.name,
      policy: policyDocument(
        { Sid: "ListObjectsInBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [props.bucket.bucketArn] },
        { Sid: "ObjectActions", Effect: "Allow", Action: "s3:PutObject", Resource: [`${props.bucket.bucketArn}/*`] },
        bucketKeyStatement("EncryptArchives", props.bucket, UPLOAD_KEY_ACTIONS),
      ),
    });

    if (props.createAccessKey) {
      const key = new IamAccessKey(this, "access-key", { user: this.resource.name });
      const secret = new SecretsmanagerSecret(this, "access-key-secret", {
        name: `${props.userName}/access-key`,
        description: `Access key of ${props.userName} (uploads database archives)`,
        kmsKeyId: props.secretKmsKeyArn,
        recoveryWindowInDays: 30,
      });
      new SecretsmanagerSecretVersion(this, "access-key-secret-value", {
        secretId: secret.id,
        secretString: Fn.jsonencode({ AccessKeyId: key.id, SecretAccessKey: key.secret }),
      });
      this.accessKeySecretArn = secret.arn;
    }
  }
}
