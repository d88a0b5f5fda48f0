import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";

export interface ManagedKeyProps {
  readonly aliasName: string;
  readonly description: string;
  /** The key policy (JSON). */
  readonly policy: string;
  readonly provider?: TerraformProvider;
}

/**
 * A symmetric customer-managed key with its alias: yearly rotation, 30 days to cancel a deletion
 * (the longest KMS allows: data encrypted with a deleted key is lost), protected from destroy.
 */
export function addManagedKey(scope: Construct, props: ManagedKeyProps): { readonly key: KmsKey; readonly alias: KmsAlias } {
  const key = new KmsKey(scope, "resource", {
    provider: props.provider,
    description: props.description,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: props.policy,
    lifecycle: { preventDestroy: true },
  });
  const alias = new KmsAlias(scope, "alias", { provider: props.provider, name: props.aliasName, targetKeyId: key.keyId });
  return { key, alias };
}
