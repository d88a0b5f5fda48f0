import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { DataAwsSecretsmanagerSecrets } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secrets";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { ForgottenResource } from "./private/forgotten-resource";
import { ImportIfExists } from "./private/import-if-exists";

export interface GitCredentialsSecretProps {
  /** Secrets Manager name (`flux.gitCredentialsSecretName`). */
  readonly secretName: string;
  /** The repository Flux reads with these credentials (for the description). */
  readonly repositoryUrl: string;
  /** Key of the secret in its region (the environment's data key). */
  readonly kmsKeyArn: string;
  /** A replica in each of these regions, each with a key of its region. */
  readonly replicas: readonly { readonly region: string; readonly kmsKeyArn: string }[];
  /**
   * Adopt a secret of this name that already exists (one made by an earlier layout, forgotten by
   * the stack that made it: `forgetGitCredentialsSecret`), by a Terraform `import` block, instead
   * of failing to create it again; where none exists, the secret is created.
   * @default true
   */
  readonly adoptExisting?: boolean;
  /**
   * Provider of the secret's region.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * Flux's Git credentials: a Secrets Manager secret with a replica in each recovery region. Its
 * value is put by the operator (`aws secretsmanager put-secret-value`, the runbooks say when),
 * never by code; pods read it when they run (FluxGitCredentials). 30-day recovery window,
 * protected from destroy.
 */
export class GitCredentialsSecret extends Construct {
  public readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: GitCredentialsSecretProps) {
    super(scope, id);
    const regions = props.replicas.map((r) => r.region);
    if (new Set(regions).size !== regions.length) throw new Error(`GitCredentialsSecret: a region may have one replica (got ${regions.join(", ")})`);
    const where = regions.length > 0 ? `, replicated into ${regions.join(", ")}` : "";
    this.secret = new SecretsmanagerSecret(this, "secret", {
      provider: props.provider,
      name: props.secretName,
      description: `Flux Git credentials of ${props.repositoryUrl} (value put by the operator)${where}`,
      kmsKeyId: props.kmsKeyArn,
      replica: props.replicas.map((r) => ({ region: r.region, kmsKeyId: r.kmsKeyArn })),
      recoveryWindowInDays: 30,
      lifecycle: { preventDestroy: true },
    });
    if (props.adoptExisting ?? true) {
      // ListSecrets' name filter matches prefixes: keep the ARN of exactly this name (AWS adds "-" and 6 characters).
      const existing = new DataAwsSecretsmanagerSecrets(this, "existing", {
        provider: props.provider,
        filter: [{ name: "name", values: [props.secretName] }],
      });
      const exact = `^arn:[^:]+:secretsmanager:[^:]+:[0-9]{12}:secret:${props.secretName.replace(/[.+]/g, (c) => `\\\\${c}`)}-[A-Za-z0-9]{6}$`;
      new ImportIfExists(this, "adopt", {
        to: this.secret,
        ids: () => `toset([for arn in data.aws_secretsmanager_secrets.${existing.friendlyUniqueId}.arns : arn if can(regex("${exact}", arn))])`,
      });
    }
  }
}

/**
 * In a stack that made the Git credentials secret at its root, under the id `git-credentials`
 * (a recovery's standby layer did, for its primary, until the primary made its own): forget it on
 * the next apply, without deleting it; the primary's GitCredentialsSecret adopts it.
 */
export function forgetGitCredentialsSecret(stack: Construct): void {
  new ForgottenResource(stack, "git-credentials", { resourceType: "aws_secretsmanager_secret" });
}
