import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { addManagedKey } from "./private/managed-key";
import { accountKeyPolicy } from "./private/iam";

export interface ArchiveKeyProps {
  /** Alias, `alias/<project>-archives-<region>` (lib/naming.ts), in the archives' region. */
  readonly aliasName: string;
  /** Account that administers the key; its IAM policies grant the use of it. */
  readonly accountId: string;
  /** The environment whose database the archives hold (the key's description says it). */
  readonly environmentRegion: string;
  /** Provider of the archives' region (`drRegion`): S3 encrypts only with a key of the bucket's region. */
  readonly provider: TerraformProvider;
}

/**
 * The customer-managed key of an environment's database archives, in the archive bucket's region.
 * It is the environment's data key for the archives: the data key itself lives in the
 * environment's region, and S3 uses only a key of the bucket's own region (Amazon S3 User Guide,
 * "Using server-side encryption with AWS KMS keys"). Its policy is the account's default key
 * policy and nothing else: no principal may use the key unless an IAM policy grants it, which the
 * backup user and the backup-job role get for S3 in this region only (`kms:ViaService`), for this
 * bucket only (`kms:EncryptionContext:aws:s3:arn`). Yearly rotation, 30-day deletion window,
 * protected from destroy.
 */
export class ArchiveKey extends Construct {
  public readonly resource: KmsKey;
  public readonly keyArn: string;
  public readonly aliasName: string;

  constructor(scope: Construct, id: string, props: ArchiveKeyProps) {
    super(scope, id);
    const { key } = addManagedKey(this, {
      provider: props.provider,
      aliasName: props.aliasName,
      description: `Database archives of ${props.environmentRegion} (S3 SSE-KMS of its hosting-services bucket)`,
      policy: accountKeyPolicy(props.accountId),
    });
    this.resource = key;
    this.keyArn = key.arn;
    this.aliasName = props.aliasName;
  }
}
