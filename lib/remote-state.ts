import * as path from "path";
import { LocalBackend, S3Backend, TerraformBackend, TerraformStack } from "cdktf";
import { sandboxOf } from "./sandbox";
import type { Environment } from "./environment";

/**
 * S3 remote state for a stack: `state.bucket` in `state.region` (another region than the
 * environment, so an outage leaves the state readable), key `<stack-id>.tfstate`, encrypted,
 * with S3-native locking. cdktf 0.21's S3Backend has no `use_lockfile` field yet (Terraform >= 1.10
 * supports it), hence the override.
 */
export function useRemoteState(stack: TerraformStack, environment: Environment): TerraformBackend {
  const sandbox = sandboxOf(stack);
  if (sandbox) return new LocalBackend(stack, { path: path.join(sandbox.stateDir, `${stack.node.id}.tfstate`) });
  const backend = new S3Backend(stack, {
    bucket: environment.state.bucket,
    key: `${stack.node.id}.tfstate`,
    region: environment.state.region,
    encrypt: true,
  });
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
  return backend;
}
