import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { RESTRICTED_NAMESPACE_LABELS } from "../kubernetes/pod-security";

export interface SiteTargetGroupBindingProps {
  /** The site's Service (its namespace is created here) and the pods' port. */
  readonly service: { readonly namespace: string; readonly name: string; readonly port: number; readonly targetPort: number };
  /** The site's target group (networking stack output), registered as ip targets. */
  readonly targetGroupArn: string;
  /** Security group of the site's load balancer: the source the pods admit. */
  readonly loadBalancerSecurityGroupId: string;
  /**
   * Whether this cluster serves the site. A cluster generation that stands beside the serving one
   * (`rebuild-cluster`) keeps the site's namespace and gets no binding: its pods receive no traffic.
   * @default true
   */
  readonly serving?: boolean;
}

/**
 * The site's namespace and the TargetGroupBinding that keeps the site's target group (made with
 * the load balancer in the networking stack, before the cluster) filled with the Service's pod
 * IPs. A custom resource of the AWS Load Balancer Controller: it must live in a stack deployed
 * after the one whose chart installs its CRD (lib/kubernetes/cluster-order.ts says why), and its
 * namespace is made here, first, with Pod Security `restricted` enforced. The target group may be
 * shared by two cluster generations while one replaces the other (multi-cluster mode).
 */
export class SiteTargetGroupBinding extends Construct {
  public readonly namespace: NamespaceV1;
  /** The binding; undefined in a cluster that does not serve the site. */
  public readonly resource?: Manifest;

  constructor(scope: Construct, id: string, props: SiteTargetGroupBindingProps) {
    super(scope, id);
    this.namespace = new NamespaceV1(this, "namespace", { metadata: { name: props.service.namespace, labels: { ...RESTRICTED_NAMESPACE_LABELS } } });
    if (props.serving === false) return;
    this.resource = new Manifest(this, "resource", {
      manifest: {
        apiVersion: "elbv2.k8s.aws/v1beta1",
        kind: "TargetGroupBinding",
        metadata: { name: props.service.name, namespace: this.namespace.metadata.name },
        spec: {
          serviceRef: { name: props.service.name, port: props.service.port },
          targetGroupARN: props.targetGroupArn,
          targetType: "ip",
          // Each cluster registers and deregisters only its own pods: while a rebuilt cluster
          // generation joins beside the old one, neither removes the other's targets (upstream
          // docs, guide/use_cases/multi_cluster; set from the start, as upstream recommends).
          multiClusterTargetGroup: true,
          // The controller adds this rule to the cluster security group: the load balancer reaches the pods' port only.
          networking: {
            ingress: [
              { from: [{ securityGroup: { groupID: props.loadBalancerSecurityGroupId } }], ports: [{ protocol: "TCP", port: props.service.targetPort }] },
            ],
          },
        },
      },
    });
  }
}
