import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Environment } from "./environment";
import { standardTags } from "./tags";
import { targetOf } from "./targets";

/**
 * An AWS provider for one region of an environment. `allowed_account_ids` makes Terraform refuse
 * to plan with credentials of another account, before anything is read or changed. `alias` is set
 * for the providers of other regions (e.g. `dr` for `drRegion`). The deployment target may add
 * its own settings (the emulator's endpoints and account).
 */
export function awsProvider(scope: Construct, environment: Environment, region: string, alias?: string): AwsProvider {
  const config = targetOf(scope).awsProviderConfig({
    region,
    alias,
    allowedAccountIds: [environment.accountId],
    defaultTags: [{ tags: standardTags(environment) }],
  });
  return new AwsProvider(scope, alias ? `aws-${alias}` : "aws", config);
}
