import { S3Backend, TerraformStack } from "cdktf";
import type { Environment } from "./environment";

/**
 * S3 remote state for a stack: `state.bucket` in `state.region` (another region than the
 * environment, so an outage leaves the state readable), key `<stack-id>.tfstate`, encrypted,
 * with S3-native locking. cdktf 0.21's S3Backend has no `use_lockfile` field yet (Terraform >= 1.10
 * supports it), hence the override.
 */
export function useRemoteState(stack: TerraformStack, environment: Environment): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: environment.state.bucket,
    key: `${stack.node.id}.tfstate`,
    region: environment.state.region,
    encrypt: true,
  });
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
  return backend;
}
