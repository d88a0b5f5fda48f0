import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { policyDocument, PolicyStatement } from "./private/iam";

export interface IrsaRoleProps {
  readonly roleName: string;
  /** The cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** Issuer host (issuer URL without `https://`). */
  readonly oidcIssuerHost: string;
  /** The one service account that may assume the role. */
  readonly serviceAccount: { readonly namespace: string; readonly name: string };
  /**
   * Inline permissions.
   * @default - none
   */
  readonly statements?: PolicyStatement[];
  /**
   * Managed policies to attach.
   * @default - none
   */
  readonly managedPolicyArns?: string[];
}

/**
 * An IAM role for one Kubernetes service account (IRSA): only tokens issued by this cluster for
 * `system:serviceaccount:<namespace>:<name>` with audience `sts.amazonaws.com` can assume it.
 */
export class IrsaRole extends Construct {
  public readonly resource: IamRole;
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    const subject = `system:serviceaccount:${props.serviceAccount.namespace}:${props.serviceAccount.name}`;
    this.resource = new IamRole(this, "resource", {
      name: props.roleName,
      description: `IRSA for ${subject}`,
      assumeRolePolicy: policyDocument({
        Effect: "Allow",
        Principal: { Federated: props.oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${props.oidcIssuerHost}:sub`]: subject,
            [`${props.oidcIssuerHost}:aud`]: "sts.amazonaws.com",
          },
        },
      }),
    });
    this.roleArn = this.resource.arn;
    if (props.statements && props.statements.length > 0) {
      new IamRolePolicy(this, "policy", { name: "permissions", role: this.resource.id, policy: policyDocument(...props.statements) });
    }
    (props.managedPolicyArns ?? []).forEach((policyArn, index) => {
      new IamRolePolicyAttachment(this, `managed-${index}`, { role: this.resource.name, policyArn });
    });
  }
}
