import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { EcrRegistryPolicy } from "@cdktf/provider-aws/lib/ecr-registry-policy";
import { policyDocument } from "./private/iam";

export interface VaultRegistryPolicyProps {
  /** Provider of the vault account in the vault's region. */
  readonly provider: TerraformProvider;
  readonly vaultAccountId: string;
  readonly vaultRegion: string;
  /** The workload account whose registry replicates its images into the vault's. */
  readonly sourceAccountId: string;
}

/**
 * The vault registry's policy (ECR private registry permissions): the workload account may
 * replicate images into it (and ECR create the repositories of the same names), nothing else: no
 * pull, no push, no delete. The replication rule itself is the workload registry's.
 */
export class VaultRegistryPolicy extends Construct {
  public readonly resource: EcrRegistryPolicy;

  constructor(scope: Construct, id: string, props: VaultRegistryPolicyProps) {
    super(scope, id);
    if (props.sourceAccountId === props.vaultAccountId) {
      throw new Error(`VaultRegistryPolicy: the vault must be another account than the source's (got ${props.vaultAccountId} for both)`);
    }
    this.resource = new EcrRegistryPolicy(this, "resource", {
      provider: props.provider,
      policy: policyDocument({
        Sid: "SourceAccountReplicates",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${props.sourceAccountId}:root` },
        Action: ["ecr:CreateRepository", "ecr:ReplicateImage"],
        Resource: `arn:aws:ecr:${props.vaultRegion}:${props.vaultAccountId}:repository/*`,
      }),
    });
  }
}
