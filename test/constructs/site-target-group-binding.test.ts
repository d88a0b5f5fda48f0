import { Testing } from "cdktf";
import { SiteTargetGroupBinding } from "../../lib/constructs/site-target-group-binding";
import { RESTRICTED_NAMESPACE_LABELS } from "../../lib/kubernetes/pod-security";
import { clusterOrderProblems } from "../../lib/kubernetes/cluster-order";
import { onlyResource, ref, testStack, type StackJson } from "../support/synth";

describe("SiteTargetGroupBinding", () => {
  const props = {
    targetGroupArn: "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/acme-us-east-2-site/0123456789abcdef",
    loadBalancerSecurityGroupId: "sg-0123",
    service: { namespace: "site", name: "site", port: 80, targetPort: 8080 },
  };
  const stack = testStack();
  new SiteTargetGroupBinding(stack, "site", props);
  const json: StackJson = JSON.parse(Testing.synth(stack));

  it("makes the Service's namespace, Pod Security restricted enforced", () => {
    expect(onlyResource(json, "kubernetes_namespace_v1").config.metadata).toEqual({ name: "site", labels: RESTRICTED_NAMESPACE_LABELS });
  });

  it("binds the site's Service to the target group as ip targets in that namespace, admitting the load balancer to the pods' port", () => {
    const namespace = onlyResource(json, "kubernetes_namespace_v1");
    expect(onlyResource(json, "kubernetes_manifest").config.manifest).toEqual({
      apiVersion: "elbv2.k8s.aws/v1beta1",
      kind: "TargetGroupBinding",
      metadata: { name: "site", namespace: ref("kubernetes_namespace_v1", namespace.id, "metadata[0].name") },
      spec: {
        serviceRef: { name: "site", port: 80 },
        targetGroupARN: props.targetGroupArn,
        targetType: "ip",
        multiClusterTargetGroup: true,
        networking: { ingress: [{ from: [{ securityGroup: { groupID: "sg-0123" } }], ports: [{ protocol: "TCP", port: 8080 }] }] },
      },
    });
  });

  it("passes the cluster-order check after a stack that installs the controller, and only then", () => {
    const gitops = { id: "gitops", dependencies: [], resources: { helm_release: { lb: { chart: "aws-load-balancer-controller", namespace: "kube-system" } } } };
    const workloads = { id: "workloads", dependencies: ["gitops"], resources: json.resource as any };
    expect(clusterOrderProblems([gitops, workloads])).toEqual([]);
    expect(clusterOrderProblems([gitops, { ...workloads, dependencies: [] }])).toHaveLength(1);
  });

  it("makes only the namespace in a cluster generation that does not serve the site (serving: false)", () => {
    const aside = testStack();
    const binding = new SiteTargetGroupBinding(aside, "site", { ...props, serving: false });
    const asideJson: StackJson = JSON.parse(Testing.synth(aside));
    expect(binding.resource).toBeUndefined();
    expect(Object.keys(asideJson.resource ?? {})).toEqual(["kubernetes_namespace_v1"]);
  });
});
