import { Construct } from "constructs";
import { Release } from "@cdktf/provider-helm/lib/release";
import { LB_CONTROLLER, pendingDigestReason, regionalRepository, type ImageRegistry } from "../kubernetes/images";
import { LB_CONTROLLER_SERVICE_ACCOUNT } from "../naming";
import { suppressRule } from "../policy/suppress";
import { PodIdentityRole } from "./pod-identity-role";
import type { PolicyStatement } from "./private/iam";

/**
 * The AWS Load Balancer Controller, used here for one thing: keeping the site's target group
 * (made by the networking stack, before the cluster) filled with the site's pod IPs through a
 * TargetGroupBinding. It creates no load balancer, so its role gets none of the documented
 * policy's create and delete actions.
 */

/** The eks-charts chart, pinned (controller v2.13.3). It is not in the chart mirror: see docs/dns-failover.md. */
export const LB_CONTROLLER_CHART = { repository: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller", version: "1.13.3" } as const;

/** The controller image's numeric user and group (its Dockerfile: distroless `nonroot`, 65532). */
export const LB_CONTROLLER_USER = LB_CONTROLLER.userId;

export interface LoadBalancerControllerRoleProps {
  readonly roleName: string;
  readonly accountId: string;
  readonly region: string;
  /** ARN of the cluster whose controller assumes the role. */
  readonly clusterArn: string;
  /** Name of the cluster: EKS tags its cluster security group `aws:eks:cluster-name` with it. */
  readonly clusterName: string;
  /** Name of the one target group the controller may register targets in. */
  readonly targetGroupName: string;
}

/**
 * The controller's permissions for TargetGroupBinding only, cut from its documented IAM policy
 * (kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json, v2.13): the
 * Describe calls it makes on start and on every reconcile (they support no resource-level
 * permission, so `*`), target registration in the site's target group, and ingress rules on the
 * cluster's own security group so the load balancer reaches the pods (TargetGroupBinding
 * `networking`).
 */
export function loadBalancerControllerStatements(props: LoadBalancerControllerRoleProps): PolicyStatement[] {
  return [
    {
      Sid: "Describe",
      Effect: "Allow",
      Action: [
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeInstances",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeVpcs",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetHealth",
      ],
      Resource: "*",
    },
    {
      Sid: "RegisterSitePods",
      Effect: "Allow",
      Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      Resource: `arn:aws:elasticloadbalancing:${props.region}:${props.accountId}:targetgroup/${props.targetGroupName}/*`,
    },
    {
      Sid: "AdmitLoadBalancerToPods",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      Resource: `arn:aws:ec2:${props.region}:${props.accountId}:security-group/*`,
      Condition: { StringEquals: { "aws:ResourceTag/aws:eks:cluster-name": props.clusterName } },
    },
  ];
}

/** The controller's pod identity role (a recovery's is made in peacetime by its standby stack). */
export class LoadBalancerControllerRole extends PodIdentityRole {
  constructor(scope: Construct, id: string, props: LoadBalancerControllerRoleProps) {
    super(scope, id, {
      roleName: props.roleName,
      accountId: props.accountId,
      clusterArn: props.clusterArn,
      purpose: "AWS Load Balancer Controller (TargetGroupBinding of the site)",
      statements: loadBalancerControllerStatements(props),
    });
  }
}

export interface LoadBalancerControllerProps {
  readonly clusterName: string;
  readonly region: string;
  readonly vpcId: string;
  /**
   * The account's registry in the cluster's region: the controller image is pulled from it (its
   * `ecr-public` pull through cache rule), by digest (lib/kubernetes/images.ts, LB_CONTROLLER).
   */
  readonly registry: ImageRegistry;
}

const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: LB_CONTROLLER_USER,
  runAsGroup: LB_CONTROLLER_USER,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/**
 * The chart's values. The chart copies `podSecurityContext` into its Deployment's pod
 * `securityContext` and `securityContext` into the controller container's (templates/deployment.yaml),
 * so these decide whether its pod passes Pod Security `restricted`.
 */
export function loadBalancerControllerValues(props: LoadBalancerControllerProps): Record<string, unknown> {
  return {
    clusterName: props.clusterName,
    region: props.region,
    vpcId: props.vpcId,
    replicaCount: 2,
    // The chart renders `<repository>:<tag>`: the digest rides on the tag (`v2.13.3@sha256:...`).
    image: {
      repository: regionalRepository(LB_CONTROLLER, props.registry),
      tag: LB_CONTROLLER.digest ? `${LB_CONTROLLER.tag}@${LB_CONTROLLER.digest}` : LB_CONTROLLER.tag,
    },
    serviceAccount: { create: true, name: LB_CONTROLLER_SERVICE_ACCOUNT.name },
    // Pod identity, not IRSA: no role annotation; the association is in the kubernetes stack.
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: LB_CONTROLLER_USER,
      runAsGroup: LB_CONTROLLER_USER,
      fsGroup: LB_CONTROLLER_USER,
      seccompProfile: { type: "RuntimeDefault" },
    },
    securityContext: RESTRICTED_CONTAINER,
    resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
    // Nothing here but TargetGroupBindings: no Service mutation, no Ingress class of its own.
    enableServiceMutatorWebhook: false,
    createIngressClassResource: false,
  };
}

/**
 * Helm release of the controller. The site's TargetGroupBinding (its custom resource) is not here:
 * a stack deployed after this one holds it (SiteTargetGroupBinding), so that its CRD exists when it
 * is planned.
 */
export class LoadBalancerController extends Construct {
  public readonly release: Release;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerProps) {
    super(scope, id);
    this.release = new Release(this, "release", {
      name: "aws-load-balancer-controller",
      namespace: LB_CONTROLLER_SERVICE_ACCOUNT.namespace,
      repository: LB_CONTROLLER_CHART.repository,
      chart: LB_CONTROLLER_CHART.chart,
      version: LB_CONTROLLER_CHART.version,
      atomic: true,
      values: [JSON.stringify(loadBalancerControllerValues(props))],
    });
    const pending = pendingDigestReason(LB_CONTROLLER);
    if (pending) suppressRule(this.release, "DR-K8S-3", pending);
  }
}
