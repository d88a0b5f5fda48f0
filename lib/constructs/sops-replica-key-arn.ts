import { Construct } from "constructs";
import { Fn, TerraformLocal, type TerraformRemoteState } from "cdktf";

export interface SopsReplicaKeyArnProps {
  /** The primary's application state, where the SOPS key's ARN is an output. */
  readonly primaryState: TerraformRemoteState;
  /** Name of that output. */
  readonly outputName: string;
  /** Region of the primary key. */
  readonly primaryRegion: string;
  /** Region of the replica. */
  readonly replicaRegion: string;
}

/**
 * The ARN of a multi-Region key's replica, derived without calling KMS: a replica has its
 * primary's key id, so its ARN is the primary's with the replica's region. The primary's ARN is
 * read from its state (in the state bucket, outside both regions), never from the lost region.
 */
export class SopsReplicaKeyArn extends Construct {
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: SopsReplicaKeyArnProps) {
    super(scope, id);
    if (props.primaryRegion === props.replicaRegion)
      throw new Error(`SopsReplicaKeyArn: replicaRegion must differ from primaryRegion (got ${props.replicaRegion} for both)`);
    const primaryArn = props.primaryState.getString(props.outputName);
    // A local keeps the expression (with its quoted arguments) out of the policies' JSON text.
    const local = new TerraformLocal(scope, "sops_replica_key_arn", Fn.replace(primaryArn, `:${props.primaryRegion}:`, `:${props.replicaRegion}:`));
    this.keyArn = local.asString;
  }
}
