import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Environment } from "./environment";
import { SANDBOX_ACCOUNT_ID, sandboxOf } from "./sandbox";
import { standardTags } from "./tags";

/** Services the stacks use; in sandbox mode each is pointed at the emulator. */
const SANDBOX_SERVICES = ["ec2", "eks", "iam", "kms", "logs", "mq", "rds", "route53", "s3", "s3Control", "secretsmanager", "sts"] as const;

/**
 * An AWS provider for one region of an environment. `allowed_account_ids` makes Terraform refuse
 * to plan with credentials of another account, before anything is read or changed.
 * `alias` is set for the providers of other regions (e.g. `dr` for `drRegion`).
 */
export function awsProvider(scope: Construct, environment: Environment, region: string, alias?: string): AwsProvider {
  const sandbox = sandboxOf(scope);
  return new AwsProvider(scope, alias ? `aws-${alias}` : "aws", {
    region,
    alias,
    allowedAccountIds: [sandbox ? SANDBOX_ACCOUNT_ID : environment.accountId],
    defaultTags: [{ tags: standardTags(environment) }],
    // Sandbox: the emulator's endpoint for every service; credentials come from the environment.
    ...(sandbox && {
      endpoints: [Object.fromEntries(SANDBOX_SERVICES.map((service) => [service, sandbox.endpoint]))],
      s3UsePathStyle: true,
      skipCredentialsValidation: true,
      skipMetadataApiCheck: "true",
    }),
  });
}
