import { Construct } from "constructs";
import { TerraformElement } from "cdktf";

export interface ForgottenResourceProps {
  /** Terraform type of the resource an earlier version of the library made at this construct's path. */
  readonly resourceType: string;
}

/**
 * A Terraform `removed` block (`lifecycle { destroy = false }`) for a resource an earlier version
 * of the library made at this construct's path, under the same id: its logical id, and so its
 * address, is the one that resource had. A deployment that still has it in its state forgets it on
 * the next apply without deleting the object; where it never existed the block does nothing.
 * cdktf 0.21 has no construct for `removed` blocks, and it merges each element's JSON into the
 * stack's by key, so a stack may hold one of these.
 */
export class ForgottenResource extends TerraformElement {
  public readonly address: string;

  constructor(scope: Construct, id: string, props: ForgottenResourceProps) {
    super(scope, id, "removed");
    this.address = `${props.resourceType}.${this.friendlyUniqueId}`;
  }

  public toTerraform(): Record<string, unknown> {
    return { removed: [{ from: this.address, lifecycle: { destroy: false } }] };
  }
}
