import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { policyDocument, type PolicyStatement } from "./private/iam";

/** The EKS Pod Identity service principal. */
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

export interface PodIdentityRoleProps {
  /** Role name (account-wide). */
  readonly roleName: string;
  /** Account of the cluster (trust condition `aws:SourceAccount`). */
  readonly accountId: string;
  /**
   * ARN of the one cluster whose pods may assume the role (trust condition `aws:SourceArn`). It is
   * known before the cluster exists (`clusterArn()` in lib/naming.ts), so the role can be made in
   * peacetime and the cluster rebuilt without touching IAM.
   */
  readonly clusterArn: string;
  /** What the role is for, e.g. `Flux kustomize-controller (SOPS decryption)`. */
  readonly purpose: string;
  /**
   * Inline permissions.
   * @default - none
   */
  readonly statements?: readonly PolicyStatement[];
  /**
   * Managed policies to attach.
   * @default - none
   */
  readonly managedPolicyArns?: readonly string[];
}

/**
 * An IAM role for EKS Pod Identity: the EKS Pod Identity Agent of one cluster, in this account, may
 * assume it (and tag the session) for the service account that an association in the cluster's
 * stack names. Unlike IRSA it needs no IAM OIDC provider, so nothing global is created when the
 * cluster is rebuilt: the association is a regional EKS call.
 */
export class PodIdentityRole extends Construct {
  public readonly resource: IamRole;
  public readonly roleArn: string;
  public readonly roleName: string;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    if (!/^arn:aws[a-z-]*:eks:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9_-]+$/.test(props.clusterArn) && !props.clusterArn.includes("${")) {
      throw new Error(
        `PodIdentityRole: clusterArn must be an EKS cluster ARN like arn:aws:eks:us-east-2:123456789012:cluster/acme-us-east-2 (got ${props.clusterArn})`,
      );
    }
    this.resource = new IamRole(this, "resource", {
      name: props.roleName,
      description: `EKS Pod Identity: ${props.purpose}`,
      assumeRolePolicy: policyDocument({
        Effect: "Allow",
        Principal: { Service: POD_IDENTITY_PRINCIPAL },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { StringEquals: { "aws:SourceAccount": props.accountId }, ArnEquals: { "aws:SourceArn": props.clusterArn } },
      }),
    });
    this.roleArn = this.resource.arn;
    this.roleName = props.roleName;
    if (props.statements && props.statements.length > 0) {
      new IamRolePolicy(this, "policy", { name: "permissions", role: this.resource.id, policy: policyDocument(...props.statements) });
    }
    (props.managedPolicyArns ?? []).forEach((policyArn, index) => {
      new IamRolePolicyAttachment(this, `managed-${index}`, { role: this.resource.name, policyArn });
    });
  }
}
