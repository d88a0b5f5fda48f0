import type { Construct } from "constructs";
import { DataTerraformRemoteStateS3, S3Backend, type TerraformStack } from "cdktf";
import type { AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import { stateKey } from "../naming";
import type { DeploymentTarget, StateLocation } from "./deployment-target";

/**
 * A real AWS account: state in the state bucket (`state.bucket` in `state.region`, another region
 * than any environment's, so an outage leaves it readable) under `<stack-id>.tfstate`, encrypted,
 * with S3-native locking; providers exactly as the environment configures them; nothing left out.
 * The state bootstrap keeps Terraform's default local state (`terraform.<stack-id>.tfstate`).
 */
export class AwsAccountTarget implements DeploymentTarget {
  public readonly description = "AWS account (state in S3, providers as configured)";
  public readonly gaps = [];

  bindState(stack: TerraformStack, location: StateLocation): void {
    new S3Backend(stack, { bucket: location.bucket, key: stateKey(stack.node.id), region: location.region, encrypt: true });
    // cdktf 0.21's S3Backend has no `use_lockfile` field yet (Terraform >= 1.10 supports it).
    stack.addOverride("terraform.backend.s3.use_lockfile", true);
  }

  bindBootstrapState(): void {
    // Terraform's default local backend.
  }

  readState(scope: Construct, id: string, stackId: string, location: StateLocation): DataTerraformRemoteStateS3 {
    return new DataTerraformRemoteStateS3(scope, id, { bucket: location.bucket, region: location.region, key: stateKey(stackId) });
  }

  awsProviderConfig(config: AwsProviderConfig): AwsProviderConfig {
    return config;
  }

  finishStack(): void {
    // Nothing to add: a real account serves everything.
  }
}
