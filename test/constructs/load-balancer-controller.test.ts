import { Testing, TerraformStack } from "cdktf";
import {
  LB_CONTROLLER_CHART,
  LoadBalancerController,
  LoadBalancerControllerRole,
  loadBalancerControllerValues,
} from "../../lib/constructs/load-balancer-controller";
import { restrictedViolations, podSecurityViolations } from "../../lib/kubernetes/pod-security";
import { onlyResource, synthJson } from "../support/synth";
import { findSuppression } from "../../lib/policy/suppress";

const ROLE_PROPS = {
  roleName: "acme-lb-controller-us-east-2",
  accountId: "123456789012",
  region: "us-east-2",
  clusterArn: "arn:aws:eks:us-east-2:123456789012:cluster/acme-us-east-2",
  clusterName: "acme-us-east-2",
  targetGroupName: "acme-us-east-2-site",
};

function stack() {
  return new TerraformStack(Testing.app(), "test");
}

describe("LoadBalancerControllerRole", () => {
  it("grants the Describe calls, registration in the site's target group only, and ingress rules on the cluster's security group only", () => {
    const s = stack();
    new LoadBalancerControllerRole(s, "role", ROLE_PROPS);
    const json = synthJson(s);
    expect(JSON.parse(onlyResource(json, "aws_iam_role_policy").config.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
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
          Resource: "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/acme-us-east-2-site/*",
        },
        {
          Sid: "AdmitLoadBalancerToPods",
          Effect: "Allow",
          Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
          Resource: "arn:aws:ec2:us-east-2:123456789012:security-group/*",
          Condition: { StringEquals: { "aws:ResourceTag/aws:eks:cluster-name": "acme-us-east-2" } },
        },
      ],
    });
    const role = onlyResource(json, "aws_iam_role").config;
    expect(role.name).toBe("acme-lb-controller-us-east-2");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Condition.ArnEquals).toEqual({ "aws:SourceArn": ROLE_PROPS.clusterArn });
  });
});

describe("LoadBalancerController", () => {
  const props = { clusterName: "acme-us-east-2", region: "us-east-2", vpcId: "vpc-0123", registry: { accountId: "123456789012", region: "us-east-2" } };
  const s = stack();
  new LoadBalancerController(s, "lb-controller", props);
  const json = synthJson(s);

  it("installs the pinned eks-charts chart with the values, atomically", () => {
    const release = onlyResource(json, "helm_release").config;
    expect(release).toMatchObject({
      name: "aws-load-balancer-controller",
      namespace: "kube-system",
      repository: "https://aws.github.io/eks-charts",
      chart: "aws-load-balancer-controller",
      version: "1.13.3",
      atomic: true,
    });
    expect(LB_CONTROLLER_CHART.version).toBe("1.13.3");
    expect(JSON.parse(release.values[0])).toEqual(loadBalancerControllerValues(props));
  });

  it("pulls the controller from the account's registry in its region (ecr-public pull through cache); by tag while its digest is pending, a named exception of DR-K8S-3", () => {
    expect((loadBalancerControllerValues(props) as any).image).toEqual({
      repository: "123456789012.dkr.ecr.us-east-2.amazonaws.com/ecr-public/eks/aws-load-balancer-controller",
      tag: "v2.13.3",
    });
    expect(findSuppression(s.node.findChild("lb-controller").node.findChild("release"), "DR-K8S-3")?.reason).toBe(
      "public.ecr.aws/eks/aws-load-balancer-controller:v2.13.3 runs by tag from the regional registry until its digest is pinned (no public source pins v2.13.3 by digest, and this build's machine reaches no registry): crane digest public.ecr.aws/eks/aws-load-balancer-controller:v2.13.3, then set it in lib/kubernetes/images.ts",
    );
  });

  it("makes no custom resource: its TargetGroupBinding is planned by a later stack, once the CRD exists", () => {
    expect(Object.keys(json.resource!)).toEqual(["helm_release"]);
  });

  // Not a render (the chart is not in the chart mirror): the chart's templates/deployment.yaml
  // copies podSecurityContext into the pod's securityContext and securityContext into the
  // controller container's; this checks those values as that pod template.
  it("its values make a pod that passes Pod Security restricted and the library's own rules", () => {
    const values = loadBalancerControllerValues(props) as any;
    const template = {
      spec: {
        securityContext: values.podSecurityContext,
        containers: [{ name: "aws-load-balancer-controller", securityContext: values.securityContext, resources: values.resources }],
      },
    };
    expect(restrictedViolations(template)).toEqual([]);
    expect(podSecurityViolations(template)).toEqual([]);
    // The check can fail: without the container's securityContext it does.
    expect(restrictedViolations({ spec: { containers: [{ name: "c" }] } }).length).toBeGreaterThan(0);
  });
});
