import { PLACEHOLDER_CREDENTIALS, RegistryPullThroughCache, type RegistryPullThroughCacheProps } from "../../lib/constructs/registry-pull-through-cache";
import { ref, resourceAt, resources, synthJson, testStack } from "../support/synth";

const SECRET = "ecr-pullthroughcache/acme-github-us-east-2";
const KEY = "arn:aws:kms:us-east-2:123456789012:key/data";
const PROPS: RegistryPullThroughCacheProps = { credentialSecretNames: { github: SECRET }, secretsKmsKeyArn: KEY };

function synth(props: Partial<RegistryPullThroughCacheProps> = {}) {
  const stack = testStack();
  new RegistryPullThroughCache(stack, "registry-cache", { ...PROPS, ...props });
  return synthJson(stack);
}

describe("RegistryPullThroughCache", () => {
  const json = synth();

  it("caches every upstream the library's images come from under its prefix", () => {
    const rules = Object.values(resources(json, "aws_ecr_pull_through_cache_rule")).map((r: any) => [
      r.ecr_repository_prefix,
      r.upstream_registry_url,
      r.credential_arn,
    ]);
    expect(rules.sort()).toEqual([
      ["ecr-public", "public.ecr.aws", undefined],
      ["github", "ghcr.io", ref("aws_secretsmanager_secret", resourceAt(json, "aws_secretsmanager_secret", "registry-cache/credentials-github").id, "arn")],
      ["quay", "quay.io", undefined],
    ]);
  });

  it("gives ghcr.io a credentials secret on the data key, created with a placeholder the operator replaces and Terraform never overwrites", () => {
    const secret = resourceAt(json, "aws_secretsmanager_secret", "registry-cache/credentials-github");
    expect(secret.config).toEqual({
      name: SECRET,
      description: "Credentials of ghcr.io for the ECR pull through cache (username and accessToken, put by the operator)",
      kms_key_id: KEY,
      recovery_window_in_days: 7,
    });
    const version = resourceAt(json, "aws_secretsmanager_secret_version", "registry-cache/placeholder-github");
    expect(version.config).toEqual({
      secret_id: ref("aws_secretsmanager_secret", secret.id, "id"),
      secret_string: JSON.stringify(PLACEHOLDER_CREDENTIALS),
      lifecycle: { ignore_changes: ["secret_string"] },
    });
    // ECR reads the secret when it creates the rule: after the placeholder exists.
    expect(resourceAt(json, "aws_ecr_pull_through_cache_rule", "registry-cache/rule-github").config.depends_on).toEqual([
      `aws_secretsmanager_secret_version.${version.id}`,
    ]);
  });

  it("caches only the upstreams given; one without credentials needs no secret", () => {
    const only = synth({ upstreams: ["quay"], credentialSecretNames: {} });
    expect(Object.values(resources(only, "aws_ecr_pull_through_cache_rule")).map((r: any) => r.ecr_repository_prefix)).toEqual(["quay"]);
    expect(resources(only, "aws_secretsmanager_secret")).toEqual({});
  });

  it("refuses missing, superfluous and misnamed credential secrets, and no upstream, all at once", () => {
    expect(() => synth({ credentialSecretNames: {} })).toThrow(
      "RegistryPullThroughCache: credentialSecretNames.github is required: ECR caches ghcr.io only with credentials",
    );
    expect(() => synth({ upstreams: [], credentialSecretNames: { quay: "ecr-pullthroughcache/x", github: "acme/github" } })).toThrow(
      "RegistryPullThroughCache: upstreams must list at least one registry (got none); credentialSecretNames.quay must not be set: quay is not cached with credentials (got ecr-pullthroughcache/x); credentialSecretNames.github must not be set: github is not cached with credentials (got acme/github)",
    );
    expect(() => synth({ credentialSecretNames: { github: "acme/github" } })).toThrow(
      "RegistryPullThroughCache: credentialSecretNames.github must start with ecr-pullthroughcache/ (got acme/github)",
    );
  });
});
