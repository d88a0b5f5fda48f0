import { DescribePullThroughCacheRulesCommand, ValidatePullThroughCacheRuleCommand, type ECRClient } from "@aws-sdk/client-ecr";
import { reading, type Reading } from "../aws/errors";
import { paginate } from "../aws/paginate";

/** A pull through cache rule of a region's registry and, for one with credentials, whether ECR can use them upstream. */
export interface CacheRule {
  readonly prefix: string;
  readonly upstreamUrl?: string;
  readonly credentialArn?: string;
  /** ValidatePullThroughCacheRule's verdict (rules with credentials only). */
  readonly valid?: boolean;
  readonly failure?: string;
}

/** ECR DescribePullThroughCacheRules in `region` (every page), and ValidatePullThroughCacheRule of each rule with credentials. */
export function probeRegistryCache(ecr: ECRClient, region: string): Promise<Reading<readonly CacheRule[]>> {
  return reading("ECR DescribePullThroughCacheRules", region, async () => {
    const rules = await paginate(
      (token) => ecr.send(new DescribePullThroughCacheRulesCommand({ nextToken: token })),
      (page) => page.pullThroughCacheRules,
      (page) => page.nextToken,
    );
    return Promise.all(
      rules.map(async (rule): Promise<CacheRule> => {
        const base = { prefix: rule.ecrRepositoryPrefix ?? "", upstreamUrl: rule.upstreamRegistryUrl, credentialArn: rule.credentialArn };
        if (!rule.credentialArn) return base;
        const validation = await ecr.send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: rule.ecrRepositoryPrefix }));
        return { ...base, valid: validation.isValid, failure: validation.failure };
      }),
    );
  });
}
