import { Construct } from "constructs";
import { addClusterRole, addNodeRole, type NodePullThroughCache } from "./private/eks-roles";

export interface EksRolesProps {
  /** Name of the cluster role. */
  readonly clusterRoleName: string;
  /** Name of the node role. */
  readonly nodeRoleName: string;
  /**
   * The region's pull through cache rules: the nodes may import images through them.
   * @default - no pull through cache permissions
   */
  readonly pullThroughCache?: NodePullThroughCache;
}

/**
 * The IAM roles of an EKS cluster and its managed node groups, made apart from the cluster: a
 * recovery's standby stack creates them in peacetime, and the rebuilt cluster names them by ARN,
 * so rebuilding it writes nothing to IAM. Exactly the AWS managed policies EKS documents, and the
 * nodes' right to fill the region's pull through cache.
 */
export class EksRoles extends Construct {
  public readonly clusterRoleArn: string;
  public readonly nodeRoleArn: string;

  constructor(scope: Construct, id: string, props: EksRolesProps) {
    super(scope, id);
    this.clusterRoleArn = addClusterRole(this, props.clusterRoleName).role.arn;
    this.nodeRoleArn = addNodeRole(this, props.nodeRoleName, props.pullThroughCache).role.arn;
  }
}
