import { Construct } from "constructs";
import { TerraformElement } from "cdktf";

export interface ImportIfExistsProps {
  /** The resource to import into (its Terraform address is taken from it when synthesized). */
  readonly to: { readonly terraformResourceType: string; readonly friendlyUniqueId: string };
  /**
   * The Terraform expression (without `${}`) of the set of import ids found, at most one: empty
   * where the object does not exist, so the resource is created; one id where it does, so it is
   * imported. Called when synthesized (logical ids are final then).
   */
  readonly ids: () => string;
}

/**
 * A Terraform `import` block with `for_each` over the ids an earlier layout's object has, if any
 * (Terraform 1.7 or later): an object another stack made and forgot (ForgottenResource) is
 * adopted by the next apply instead of created again (which its name would refuse); where it
 * never existed, the block imports nothing and the resource is created. Once the resource is in
 * the state, the block is a no-op. cdktf 0.21 has `importFrom` for a known id only, and merges
 * each element's JSON into the stack's by key, so a stack may hold one of these.
 */
export class ImportIfExists extends TerraformElement {
  private readonly props: ImportIfExistsProps;

  constructor(scope: Construct, id: string, props: ImportIfExistsProps) {
    super(scope, id, "import");
    this.props = props;
  }

  public toTerraform(): Record<string, unknown> {
    const to = `${this.props.to.terraformResourceType}.${this.props.to.friendlyUniqueId}`;
    return { import: [{ for_each: `\${${this.props.ids()}}`, to, id: "${each.value}" }] };
  }
}
