import { TerraformOutput } from "cdktf";
import { EksRoles } from "../../lib/constructs/eks-roles";
import { ref, resourceAt, resources, synthJson, testStack } from "../support/synth";

function build() {
  const stack = testStack();
  const roles = new EksRoles(stack, "eks-roles", { clusterRoleName: "acme-us-east-2-eks-cluster", nodeRoleName: "acme-us-east-2-eks-nodes" });
  return { stack, roles };
}

const JSON_OF = synthJson(build().stack);

/** Policy ARNs attached to a role, by the role's logical id. */
function attachedTo(roleId: string): string[] {
  return Object.values(resources(JSON_OF, "aws_iam_role_policy_attachment"))
    .filter((attachment: any) => attachment.role === ref("aws_iam_role", roleId, "name"))
    .map((attachment: any) => attachment.policy_arn)
    .sort();
}

describe("EksRoles", () => {
  it("makes the cluster role: only EKS may assume it (and tag the session), with exactly AmazonEKSClusterPolicy", () => {
    const role = resourceAt(JSON_OF, "aws_iam_role", "eks-roles/cluster-role");
    expect(role.config.name).toBe("acme-us-east-2-eks-cluster");
    expect(JSON.parse(role.config.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
    });
    expect(attachedTo(role.id)).toEqual(["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]);
  });

  it("makes the node role: only EC2 may assume it, with exactly the three node policies", () => {
    const role = resourceAt(JSON_OF, "aws_iam_role", "eks-roles/node-role");
    expect(role.config.name).toBe("acme-us-east-2-eks-nodes");
    expect(JSON.parse(role.config.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    expect(attachedTo(role.id)).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    ]);
  });

  it("creates nothing else: two roles, four attachments, no inline policy, no cluster", () => {
    expect(Object.keys(JSON_OF.resource!).sort()).toEqual(["aws_iam_role", "aws_iam_role_policy_attachment"]);
    expect(Object.keys(resources(JSON_OF, "aws_iam_role"))).toHaveLength(2);
    expect(Object.keys(resources(JSON_OF, "aws_iam_role_policy_attachment"))).toHaveLength(4);
  });

  it("exposes the roles' ARNs", () => {
    const { stack, roles } = build();
    new TerraformOutput(stack, "cluster", { value: roles.clusterRoleArn });
    new TerraformOutput(stack, "node", { value: roles.nodeRoleArn });
    const json = synthJson(stack);
    expect(json.output!.cluster.value).toBe(ref("aws_iam_role", resourceAt(json, "aws_iam_role", "eks-roles/cluster-role").id, "arn"));
    expect(json.output!.node.value).toBe(ref("aws_iam_role", resourceAt(json, "aws_iam_role", "eks-roles/node-role").id, "arn"));
  });
});

describe("EksRoles with the region's pull through cache", () => {
  const stack = testStack();
  new EksRoles(stack, "eks-roles", {
    clusterRoleName: "acme-us-east-2-eks-cluster",
    nodeRoleName: "acme-us-east-2-eks-nodes",
    pullThroughCache: { accountId: "123456789012", region: "us-east-2", repositoryPrefixes: ["ecr-public", "quay", "github"] },
  });
  const json = synthJson(stack);

  it("lets the nodes fill the cache: import upstream images into repositories of the rules' prefixes, in that region only", () => {
    const policy = resourceAt(json, "aws_iam_role_policy", "eks-roles/node-pull-through-cache").config;
    expect(policy.role).toBe(ref("aws_iam_role", resourceAt(json, "aws_iam_role", "eks-roles/node-role").id, "id"));
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "FillPullThroughCache",
          Effect: "Allow",
          Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
          Resource: [
            "arn:aws:ecr:us-east-2:123456789012:repository/ecr-public/*",
            "arn:aws:ecr:us-east-2:123456789012:repository/quay/*",
            "arn:aws:ecr:us-east-2:123456789012:repository/github/*",
          ],
        },
      ],
    });
  });

  it("adds nothing without it, or with no prefix", () => {
    expect(resources(JSON_OF, "aws_iam_role_policy")).toEqual({});
    const none = testStack("none");
    new EksRoles(none, "eks-roles", {
      clusterRoleName: "c",
      nodeRoleName: "n",
      pullThroughCache: { accountId: "123456789012", region: "us-east-2", repositoryPrefixes: [] },
    });
    expect(resources(synthJson(none), "aws_iam_role_policy")).toEqual({});
  });
});
