import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsReplicaKey } from "@cdktf/provider-aws/lib/kms-replica-key";
import { accountKeyPolicy } from "./private/iam";

export interface SopsKeyProps {
  /** Alias of the key and of its replica, e.g. `alias/acme-sops-us-east-1`. */
  readonly aliasName: string;
  /** Account that administers the key (the key policy delegates to its IAM). */
  readonly accountId: string;
  /** Provider of the region that holds the replica (`drRegion`). */
  readonly replicaProvider: TerraformProvider;
  /**
   * Create the replica in the replica provider's region. Without it, secrets encrypted with this
   * key cannot be decrypted when this key's region is lost.
   * @default true
   */
  readonly replicate?: boolean;
  /**
   * Days a scheduled deletion can still be cancelled.
   * @default 30
   */
  readonly deletionWindowDays?: number;
}

/**
 * The key SOPS encrypts the GitOps repository's secrets with: a multi-Region KMS key with a
 * replica in `drRegion`. A replica shares the key material, so secrets encrypted for the primary
 * decrypt in the recovery region and nobody has to re-encrypt the repository during an outage.
 */
export class SopsKey extends Construct {
  public readonly resource: KmsKey;
  public readonly replica?: KmsReplicaKey;
  public readonly keyArn: string;
  public readonly replicaKeyArn?: string;

  constructor(scope: Construct, id: string, props: SopsKeyProps) {
    super(scope, id);
    const deletionWindowDays = props.deletionWindowDays ?? 30;
    if (!Number.isInteger(deletionWindowDays) || deletionWindowDays < 7 || deletionWindowDays > 30) {
      throw new Error(`SopsKey: deletionWindowDays must be a whole number from 7 to 30 (got ${deletionWindowDays})`);
    }
    const policy = accountKeyPolicy(props.accountId);
    this.resource = new KmsKey(this, "resource", {
      description: "SOPS: secrets of the GitOps repository",
      multiRegion: true,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindowDays,
      policy,
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, "alias", { name: props.aliasName, targetKeyId: this.resource.keyId });
    this.keyArn = this.resource.arn;
    if (props.replicate === false) return;
    this.replica = new KmsReplicaKey(this, "replica", {
      provider: props.replicaProvider,
      description: "SOPS: replica for the recovery region",
      primaryKeyArn: this.resource.arn,
      deletionWindowInDays: deletionWindowDays,
      policy,
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, "replica-alias", { provider: props.replicaProvider, name: props.aliasName, targetKeyId: this.replica.keyId });
    this.replicaKeyArn = this.replica.arn;
  }
}
