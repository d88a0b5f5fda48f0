import type { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { policyDocument } from "./iam";

/** The repositories of a region's pull through cache rules, as a node role may fill them. */
export interface NodePullThroughCache {
  readonly accountId: string;
  readonly region: string;
  /** Repository prefixes of the rules (`ecr-public`, `quay`, `github`). */
  readonly repositoryPrefixes: readonly string[];
}

/** AWS managed policies EKS documents as required, and nothing else. */
export const CLUSTER_POLICIES = ["AmazonEKSClusterPolicy"] as const;
export const NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"] as const;

/** A role and the attachments that must exist before it is used. */
export interface RoleWithPolicies {
  readonly role: IamRole;
  readonly attachments: readonly IamRolePolicyAttachment[];
}

/** The EKS cluster role (ids `cluster-role`, `cluster-policy` in `scope`). */
export function addClusterRole(scope: Construct, roleName: string): RoleWithPolicies {
  const role = new IamRole(scope, "cluster-role", {
    name: roleName,
    assumeRolePolicy: policyDocument({ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }),
  });
  const attachments = CLUSTER_POLICIES.map(
    (name) => new IamRolePolicyAttachment(scope, "cluster-policy", { role: role.name, policyArn: `arn:aws:iam::aws:policy/${name}` }),
  );
  return { role, attachments };
}

/**
 * The EKS node role (ids `node-role`, `node-<policy>` in `scope`). With `pullThroughCache`, the
 * nodes may also fill the cache (`node-pull-through-cache`): the first pull of an image through a
 * rule imports it from upstream (ecr:BatchImportUpstreamImage) into a repository the pull creates
 * (ecr:CreateRepository), which AmazonEC2ContainerRegistryReadOnly does not grant.
 */
export function addNodeRole(scope: Construct, roleName: string, pullThroughCache?: NodePullThroughCache): RoleWithPolicies {
  const role = new IamRole(scope, "node-role", {
    name: roleName,
    assumeRolePolicy: policyDocument({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }),
  });
  const attachments = NODE_POLICIES.map(
    (name) => new IamRolePolicyAttachment(scope, `node-${name}`, { role: role.name, policyArn: `arn:aws:iam::aws:policy/${name}` }),
  );
  if (pullThroughCache && pullThroughCache.repositoryPrefixes.length > 0) {
    new IamRolePolicy(scope, "node-pull-through-cache", {
      name: "pull-through-cache",
      role: role.id,
      policy: policyDocument({
        Sid: "FillPullThroughCache",
        Effect: "Allow",
        Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
        Resource: pullThroughCache.repositoryPrefixes.map(
          (prefix) => `arn:aws:ecr:${pullThroughCache.region}:${pullThroughCache.accountId}:repository/${prefix}/*`,
        ),
      }),
    });
  }
  return { role, attachments };
}
