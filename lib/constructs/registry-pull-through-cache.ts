import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { EcrPullThroughCacheRule } from "@cdktf/provider-aws/lib/ecr-pull-through-cache-rule";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { UPSTREAM_REGISTRIES, type Upstream } from "../kubernetes/images";
import { PULL_THROUGH_CACHE_SECRET_PREFIX } from "../naming";

/**
 * The placeholder a credential secret is created with: ECR reads the secret when the rule is
 * created, so the rule needs a value to exist; the operator replaces it (docs/images.md) and
 * preflight's registry-cache row asks ECR whether the rule can authenticate upstream.
 */
export const PLACEHOLDER_CREDENTIALS = { username: "set-by-the-operator", accessToken: "set-by-the-operator" } as const;

export interface RegistryPullThroughCacheProps {
  /**
   * The upstream registries to cache.
   * @default - every registry the library's images come from (UPSTREAM_REGISTRIES)
   */
  readonly upstreams?: readonly Upstream[];
  /**
   * Secrets Manager name of the credentials of each upstream that needs them (`github`): it must
   * start with `ecr-pullthroughcache/` (ECR reads no other). Upstreams without credentials take none.
   */
  readonly credentialSecretNames: Partial<Readonly<Record<Upstream, string>>>;
  /** Customer-managed key of the credential secrets (the environment's data key). */
  readonly secretsKmsKeyArn: string;
  /**
   * Provider of the registry's region.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * Pull through cache rules of the account's registry in one region: a pod there pulls
 * `<account>.dkr.ecr.<region>.amazonaws.com/<cache prefix>/<repository>@sha256:...`, and ECR fetches
 * the image from its upstream once, keeps it, and serves every later pull from the region. Made in
 * peacetime (a primary's kubernetes stack, a recovery's standby layer), so a recovery pulls nothing
 * from another region nor from a rate-limited public registry. An upstream that needs credentials
 * gets a secret created with a placeholder the operator replaces; Terraform never overwrites it.
 */
export class RegistryPullThroughCache extends Construct {
  public readonly rules: readonly EcrPullThroughCacheRule[];
  /** The credential secrets, by upstream. */
  public readonly credentialSecrets: Partial<Readonly<Record<Upstream, SecretsmanagerSecret>>>;

  constructor(scope: Construct, id: string, props: RegistryPullThroughCacheProps) {
    super(scope, id);
    const upstreams = props.upstreams ?? (Object.keys(UPSTREAM_REGISTRIES) as Upstream[]);
    const problems: string[] = [];
    if (upstreams.length === 0) problems.push("upstreams must list at least one registry (got none)");
    for (const upstream of Object.keys(UPSTREAM_REGISTRIES) as Upstream[]) {
      const name = props.credentialSecretNames[upstream];
      const needs = UPSTREAM_REGISTRIES[upstream].credentials && upstreams.includes(upstream);
      if (needs && name === undefined)
        problems.push(`credentialSecretNames.${upstream} is required: ECR caches ${UPSTREAM_REGISTRIES[upstream].host} only with credentials`);
      else if (!needs && name !== undefined)
        problems.push(`credentialSecretNames.${upstream} must not be set: ${upstream} is not cached with credentials (got ${name})`);
      else if (name !== undefined && !name.startsWith(PULL_THROUGH_CACHE_SECRET_PREFIX)) {
        problems.push(`credentialSecretNames.${upstream} must start with ${PULL_THROUGH_CACHE_SECRET_PREFIX} (got ${name})`);
      }
    }
    if (problems.length > 0) throw new Error(`RegistryPullThroughCache: ${problems.join("; ")}`);

    const secrets: Partial<Record<Upstream, SecretsmanagerSecret>> = {};
    this.rules = upstreams.map((upstream) => {
      const registry = UPSTREAM_REGISTRIES[upstream];
      const name = props.credentialSecretNames[upstream];
      let credentialArn: string | undefined;
      let placeholder: SecretsmanagerSecretVersion | undefined;
      if (name !== undefined) {
        const secret = new SecretsmanagerSecret(this, `credentials-${registry.cachePrefix}`, {
          provider: props.provider,
          name,
          description: `Credentials of ${registry.host} for the ECR pull through cache (username and accessToken, put by the operator)`,
          kmsKeyId: props.secretsKmsKeyArn,
          recoveryWindowInDays: 7,
        });
        placeholder = new SecretsmanagerSecretVersion(this, `placeholder-${registry.cachePrefix}`, {
          provider: props.provider,
          secretId: secret.id,
          secretString: JSON.stringify(PLACEHOLDER_CREDENTIALS),
          // The operator's value is never overwritten by a later apply.
          lifecycle: { ignoreChanges: ["secret_string"] },
        });
        secrets[upstream] = secret;
        credentialArn = secret.arn;
      }
      return new EcrPullThroughCacheRule(this, `rule-${registry.cachePrefix}`, {
        provider: props.provider,
        ecrRepositoryPrefix: registry.cachePrefix,
        upstreamRegistryUrl: registry.host,
        credentialArn,
        // ECR reads the secret's value when the rule is created.
        dependsOn: placeholder ? [placeholder] : undefined,
      });
    });
    this.credentialSecrets = secrets;
  }
}
