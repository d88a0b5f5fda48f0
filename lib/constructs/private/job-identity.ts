import type { Construct } from "constructs";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { PodIdentityRole } from "../pod-identity-role";
import type { PolicyStatement } from "./iam";

/**
 * A script job's own identity, in `scope`: its IAM role (`role`, EKS Pod Identity), a service
 * account of the job's name without a mounted token (`service-account`), and the association of
 * the two in the cluster (`pod-identity`).
 */
export function jobIdentity(
  scope: Construct,
  props: {
    readonly name: string;
    readonly namespace: string;
    readonly cluster: { readonly name: string; readonly arn: string; readonly accountId: string };
    readonly roleName: string;
    readonly purpose: string;
    readonly statements: readonly PolicyStatement[];
  },
): { readonly role: PodIdentityRole; readonly serviceAccount: ServiceAccountV1 } {
  const role = new PodIdentityRole(scope, "role", {
    roleName: props.roleName,
    accountId: props.cluster.accountId,
    clusterArn: props.cluster.arn,
    purpose: props.purpose,
    statements: props.statements,
  });
  const serviceAccount = new ServiceAccountV1(scope, "service-account", {
    metadata: { name: props.name, namespace: props.namespace },
    automountServiceAccountToken: false,
  });
  new EksPodIdentityAssociation(scope, "pod-identity", {
    clusterName: props.cluster.name,
    namespace: props.namespace,
    serviceAccount: serviceAccount.metadata.name,
    roleArn: role.roleArn,
  });
  return { role, serviceAccount };
}
