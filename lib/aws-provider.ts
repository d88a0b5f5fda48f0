import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Environment } from "./environment";
import { roleArn } from "./naming";
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

/** Session name of the platform's sessions in a vault account (CloudTrail there shows it). */
export const VAULT_SESSION_NAME = "dr-platform-vault";

/**
 * The AWS provider of a primary's vault account (`vault`), in the vault's region: it assumes the
 * vault role from the deployer's credentials, and `allowed_account_ids` is the vault account's,
 * so a role ARN pointing anywhere else is refused before anything is read or changed.
 */
export function vaultProvider(
  scope: Construct,
  environment: Environment,
  vault: { readonly accountId: string; readonly region: string; readonly roleName: string },
): AwsProvider {
  const config = targetOf(scope).awsProviderConfig({
    region: vault.region,
    alias: "vault",
    allowedAccountIds: [vault.accountId],
    assumeRole: [{ roleArn: roleArn(vault.accountId, vault.roleName), sessionName: VAULT_SESSION_NAME }],
    defaultTags: [{ tags: standardTags(environment) }],
  });
  return new AwsProvider(scope, "aws-vault", config);
}
