import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { addManagedKey } from "./private/managed-key";
import { accountAdministersStatement, policyDocument } from "./private/iam";

export interface VaultKeyProps {
  /** Alias, `alias/<project>-vault-<region>` (lib/naming.ts vaultNames), in the vault's region. */
  readonly aliasName: string;
  /** The vault account: it administers the key. */
  readonly vaultAccountId: string;
  /** The vault's region (the provider's): S3 there encrypts the replicas with this key. */
  readonly vaultRegion: string;
  /** The workload account whose copies the vault keeps. */
  readonly sourceAccountId: string;
  /**
   * The workload account's replication roles (ARNs): S3 encrypts replicas with the key on their
   * behalf. Named by ARN in a condition, not as principals, so the key can be made before them.
   */
  readonly writerRoleArns: readonly string[];
  /** Provider of the vault account in `vaultRegion` (it assumes the vault role). */
  readonly provider: TerraformProvider;
}

/**
 * The vault account's key of the copies it keeps (S3 SSE-KMS of the vault buckets, the Git
 * credentials secret). The vault account administers it; the workload account may only, through
 * S3 in the vault's region and as one of its replication roles, encrypt replicas with it: it can
 * neither decrypt a copy nor schedule the key's deletion. Yearly rotation, 30-day deletion window, protected from destroy.
 */
export class VaultKey extends Construct {
  public readonly resource: KmsKey;
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: VaultKeyProps) {
    super(scope, id);
    if (props.writerRoleArns.length === 0) throw new Error("VaultKey: writerRoleArns must name at least one replication role (got none)");
    const source = { AWS: `arn:aws:iam::${props.sourceAccountId}:root` };
    const { key } = addManagedKey(this, {
      provider: props.provider,
      aliasName: props.aliasName,
      description: `Copies of account ${props.sourceAccountId} kept in this vault (S3 SSE-KMS of the vault buckets, the Git credentials)`,
      policy: policyDocument(accountAdministersStatement(props.vaultAccountId), {
        Sid: "SourceReplicationEncrypts",
        Effect: "Allow",
        Principal: source,
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${props.vaultRegion}.amazonaws.com`, "aws:PrincipalArn": [...props.writerRoleArns] },
        },
      }),
    });
    this.resource = key;
    this.keyArn = key.arn;
  }
}
