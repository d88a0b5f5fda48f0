import { TerraformOutput } from "cdktf";
import { POD_IDENTITY_PRINCIPAL, PodIdentityRole, type PodIdentityRoleProps } from "../../lib/constructs/pod-identity-role";
import { onlyResource, ref, resources, synthJson, testStack } from "../support/synth";

const CLUSTER_ARN = "arn:aws:eks:us-east-2:123456789012:cluster/acme-us-east-2";

const PROPS: PodIdentityRoleProps = {
  roleName: "acme-flux-us-east-2",
  accountId: "123456789012",
  clusterArn: CLUSTER_ARN,
  purpose: "Flux kustomize-controller (SOPS decryption)",
};

function build(props: Partial<PodIdentityRoleProps> = {}) {
  const stack = testStack();
  const role = new PodIdentityRole(stack, "role", { ...PROPS, ...props });
  return { stack, role };
}

function synth(props: Partial<PodIdentityRoleProps> = {}) {
  return synthJson(build(props).stack);
}

describe("PodIdentityRole", () => {
  it("is trusted by the EKS Pod Identity agent of exactly one cluster in this account, which may tag the session", () => {
    const role = onlyResource(synth(), "aws_iam_role").config;
    expect(POD_IDENTITY_PRINCIPAL).toBe("pods.eks.amazonaws.com");
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "pods.eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnEquals: { "aws:SourceArn": CLUSTER_ARN } },
        },
      ],
    });
  });

  it("is named as given and says what it is for", () => {
    const role = onlyResource(synth(), "aws_iam_role").config;
    expect(role.name).toBe("acme-flux-us-east-2");
    expect(role.description).toBe("EKS Pod Identity: Flux kustomize-controller (SOPS decryption)");
  });

  it("grants nothing unless told: no inline policy, no attachment", () => {
    const json = synth();
    expect(resources(json, "aws_iam_role_policy")).toEqual({});
    expect(resources(json, "aws_iam_role_policy_attachment")).toEqual({});
  });

  it("puts the given statements into one inline policy on the role", () => {
    const json = synth({
      statements: [
        { Sid: "DecryptSopsSecrets", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "arn:aws:kms:us-east-2:123456789012:key/mrk-1" },
      ],
    });
    const role = onlyResource(json, "aws_iam_role");
    const policy = onlyResource(json, "aws_iam_role_policy").config;
    expect(policy.role).toBe(ref("aws_iam_role", role.id, "id"));
    expect(policy.name).toBe("permissions");
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "DecryptSopsSecrets", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "arn:aws:kms:us-east-2:123456789012:key/mrk-1" },
      ],
    });
  });

  it("attaches each given managed policy to the role", () => {
    const arns = ["arn:aws:iam::123456789012:policy/acme-assets-management-us-east-2", "arn:aws:iam::aws:policy/ReadOnlyAccess"];
    const json = synth({ managedPolicyArns: arns });
    const role = onlyResource(json, "aws_iam_role");
    expect(Object.values(resources(json, "aws_iam_role_policy_attachment"))).toEqual(
      arns.map((policy_arn) => ({ role: ref("aws_iam_role", role.id, "name"), policy_arn })),
    );
    expect(resources(json, "aws_iam_role_policy")).toEqual({});
  });

  it("exposes the role's ARN and name", () => {
    const { stack, role } = build();
    new TerraformOutput(stack, "arn", { value: role.roleArn });
    const json = synthJson(stack);
    expect(json.output!.arn.value).toBe(ref("aws_iam_role", onlyResource(json, "aws_iam_role").id, "arn"));
    expect(role.roleName).toBe("acme-flux-us-east-2");
  });

  it("accepts a cluster ARN that is a Terraform reference", () => {
    expect(() => synth({ clusterArn: "${aws_eks_cluster.cluster.arn}" })).not.toThrow();
  });

  describe("validation", () => {
    it.each([
      ["a cluster name", "acme-us-east-2"],
      ["an IAM role ARN", "arn:aws:iam::123456789012:role/acme-us-east-2"],
      ["a cluster ARN without the account", "arn:aws:eks:us-east-2::cluster/acme-us-east-2"],
      ["a node group ARN", "arn:aws:eks:us-east-2:123456789012:nodegroup/acme-us-east-2/general/1234"],
    ])("refuses %s as clusterArn, naming the value", (_what, clusterArn) => {
      expect(() => synth({ clusterArn })).toThrow(
        new Error(`PodIdentityRole: clusterArn must be an EKS cluster ARN like arn:aws:eks:us-east-2:123456789012:cluster/acme-us-east-2 (got ${clusterArn})`),
      );
    });
  });
});
