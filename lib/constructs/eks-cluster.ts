import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { eksLogGroup } from "../naming";
import { addClusterRole, addNodeRole, type NodePullThroughCache } from "./private/eks-roles";
import { accountKeyPolicy } from "./private/iam";

/** Control-plane log types this construct always enables. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
export type ControlPlaneLogType = (typeof CONTROL_PLANE_LOG_TYPES)[number];

/** Access policy granted to the admin roles. */
export const CLUSTER_ADMIN_POLICY_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

export interface NodeGroupSpec {
  readonly name: string;
  readonly instanceTypes: readonly string[];
  readonly capacityType: "ON_DEMAND" | "SPOT";
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  readonly diskSizeGb: number;
}

export interface EksClusterProps {
  readonly clusterName: string;
  /** Kubernetes version, e.g. "1.31". */
  readonly version: string;
  /** Private subnets for the control-plane interfaces and the nodes. */
  readonly subnetIds: string[];
  /** CIDRs allowed to reach the public endpoint; empty keeps the endpoint private only. */
  readonly publicAccessCidrs: readonly string[];
  /** The VPC of the subnets (for the API access security group). */
  readonly vpcId: string;
  /**
   * Networks admitted on 443 to the private endpoint (an in-VPC or peered runner, a VPN).
   * @default - none besides the cluster's own security group
   */
  readonly privateAccessCidrs?: readonly string[];
  /** Roles that get cluster-admin access entries. */
  readonly adminRoleArns: readonly string[];
  readonly logRetentionDays: number;
  /**
   * Customer-managed key of the control-plane log group (a LogsKey that admits `/aws/eks/<cluster>/cluster`).
   * @default - CloudWatch Logs' own encryption (DR-LOGS-1 refuses it)
   */
  readonly logsKmsKeyArn?: string;
  /**
   * Control-plane log types sent to CloudWatch Logs.
   * @default CONTROL_PLANE_LOG_TYPES (all five)
   */
  readonly logTypes?: readonly ControlPlaneLogType[];
  readonly nodeGroups: readonly NodeGroupSpec[];
  /**
   * A warm standby's cluster, kept small in peacetime: each node group is created with one node
   * (minimum and desired 1), and the day scales it to the spec's sizes with `aws eks
   * update-nodegroup-config` (a regional call that creates no instance profile). The minimum is
   * then left to that call as the desired size is left to autoscalers (both ignored by Terraform).
   * @default false
   */
  readonly scaledDown?: boolean;
  /** Pinned versions of the core add-ons, by add-on name. */
  readonly addonVersions: Readonly<Record<string, string>>;
  /** Account that administers the secrets key. */
  readonly accountId: string;
  /**
   * Roles made elsewhere (a recovery's standby stack, in peacetime): the cluster then creates no
   * IAM resource at all.
   * @default - the cluster and node roles are created here
   */
  readonly roles?: { readonly clusterRoleArn: string; readonly nodeRoleArn: string };
  /**
   * The region's pull through cache rules: the node role made here may import images through
   * them (unused when `roles` names roles made elsewhere: EksRoles takes the same).
   * @default - no pull through cache permissions
   */
  readonly pullThroughCache?: NodePullThroughCache;
}

/**
 * An EKS cluster that a rebuilt region can use at once: private API endpoint (public only for
 * listed CIDRs), Kubernetes secrets envelope-encrypted with a KMS key, control-plane logs with a
 * retention, API authentication with access entries for the admin roles (so the on-call engineer
 * can log in right after the rebuild), managed node groups and pinned core add-ons (workloads get
 * AWS credentials through EKS Pod Identity: no IAM OIDC provider). IAM roles carry only the AWS managed policies EKS documents as required.
 */
export class EksCluster extends Construct {
  public readonly resource: EksClusterResource;
  public readonly clusterName: string;
  public readonly endpoint: string;
  public readonly secretsKey: KmsKey;
  public readonly nodeGroups: EksNodeGroup[];

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const problems: string[] = [];
    if (props.adminRoleArns.length === 0) problems.push("adminRoleArns must list at least one role (got none)");
    if (props.publicAccessCidrs.includes("0.0.0.0/0"))
      problems.push(`publicAccessCidrs must not contain 0.0.0.0/0 (got ${JSON.stringify(props.publicAccessCidrs)})`);
    if (props.nodeGroups.length === 0) problems.push("nodeGroups must list at least one node group (got none)");
    if (props.subnetIds.length < 2) problems.push(`subnetIds must list subnets in at least two zones (got ${props.subnetIds.length})`);
    if (problems.length > 0) throw new Error(`EksCluster: ${problems.join("; ")}`);

    this.secretsKey = new KmsKey(this, "secrets-key", {
      description: `EKS ${props.clusterName}: envelope encryption of Kubernetes secrets`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: accountKeyPolicy(props.accountId),
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, "secrets-key-alias", { name: `alias/eks-${props.clusterName}-secrets`, targetKeyId: this.secretsKey.keyId });

    const clusterRole = props.roles ? undefined : addClusterRole(this, `${props.clusterName}-eks-cluster`);

    // Created before the cluster so that EKS does not create it without a retention.
    const logGroup = new CloudwatchLogGroup(this, "control-plane-logs", {
      name: eksLogGroup(props.clusterName),
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logsKmsKeyArn,
    });

    const privateAccess = props.privateAccessCidrs ?? [];
    const apiAccess =
      privateAccess.length === 0
        ? undefined
        : new SecurityGroup(this, "api-access", {
            name: `${props.clusterName}-api-access`,
            description: `EKS ${props.clusterName}: API (443) from the declared private networks`,
            vpcId: props.vpcId,
          });
    privateAccess.forEach((cidr, index) => {
      new VpcSecurityGroupIngressRule(this, `api-access-${index}`, {
        securityGroupId: apiAccess!.id,
        description: "Kubernetes API from a declared private network",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    });

    this.resource = new EksClusterResource(this, "resource", {
      name: props.clusterName,
      version: props.version,
      roleArn: props.roles?.clusterRoleArn ?? clusterRole!.role.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: props.publicAccessCidrs.length > 0,
        publicAccessCidrs: props.publicAccessCidrs.length > 0 ? [...props.publicAccessCidrs] : undefined,
        securityGroupIds: apiAccess ? [apiAccess.id] : undefined,
      },
      encryptionConfig: { provider: { keyArn: this.secretsKey.arn }, resources: ["secrets"] },
      enabledClusterLogTypes: [...(props.logTypes ?? CONTROL_PLANE_LOG_TYPES)],
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      dependsOn: [...(clusterRole?.attachments ?? []), logGroup],
    });
    this.clusterName = this.resource.name;
    this.endpoint = this.resource.endpoint;

    props.adminRoleArns.forEach((principalArn, index) => {
      const entry = new EksAccessEntry(this, `admin-${index}`, {
        clusterName: this.resource.name,
        principalArn,
        type: "STANDARD",
      });
      new EksAccessPolicyAssociation(this, `admin-${index}-policy`, {
        clusterName: this.resource.name,
        principalArn,
        policyArn: CLUSTER_ADMIN_POLICY_ARN,
        accessScope: { type: "cluster" },
        dependsOn: [entry],
      });
    });

    const nodeRole = props.roles ? undefined : addNodeRole(this, `${props.clusterName}-eks-nodes`, props.pullThroughCache);

    this.nodeGroups = props.nodeGroups.map(
      (group) =>
        new EksNodeGroup(this, `node-group-${group.name}`, {
          clusterName: this.resource.name,
          nodeGroupName: group.name,
          nodeRoleArn: props.roles?.nodeRoleArn ?? nodeRole!.role.arn,
          subnetIds: props.subnetIds,
          instanceTypes: [...group.instanceTypes],
          capacityType: group.capacityType,
          diskSize: group.diskSizeGb,
          scalingConfig: props.scaledDown
            ? { minSize: 1, maxSize: group.maxSize, desiredSize: 1 }
            : { minSize: group.minSize, maxSize: group.maxSize, desiredSize: group.desiredSize },
          updateConfig: { maxUnavailable: 1 },
          // Autoscalers change the desired size (and the day of a warm standby the minimum): Terraform must not fight them.
          lifecycle: {
            ignoreChanges: props.scaledDown ? ["scaling_config[0].desired_size", "scaling_config[0].min_size"] : ["scaling_config[0].desired_size"],
          },
          dependsOn: nodeRole ? [...nodeRole.attachments] : undefined,
        }),
    );

    for (const [name, version] of Object.entries(props.addonVersions)) {
      new EksAddon(this, `addon-${name}`, {
        clusterName: this.resource.name,
        addonName: name,
        addonVersion: version,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        // CoreDNS needs nodes to become healthy.
        dependsOn: name === "coredns" ? this.nodeGroups : undefined,
      });
    }
  }
}
