import { TerraformOutput } from "cdktf";
import { EksCluster } from "../../lib/constructs/eks-cluster";
import { IrsaRole, IrsaRoleProps } from "../../lib/constructs/irsa-role";
import { onlyResource, ref, resourceAt, resources, synthJson, testStack } from "../support/synth";

const ISSUER_HOST = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

const PROPS: IrsaRoleProps = {
  roleName: "acme-flux-us-east-1",
  oidcProviderArn: `arn:aws:iam::123456789012:oidc-provider/${ISSUER_HOST}`,
  oidcIssuerHost: ISSUER_HOST,
  serviceAccount: { namespace: "flux-system", name: "kustomize-controller" },
};

function synth(props: Partial<IrsaRoleProps> = {}) {
  const stack = testStack();
  new IrsaRole(stack, "role", { ...PROPS, ...props });
  return synthJson(stack);
}

describe("IrsaRole", () => {
  it("names the role and describes the service account it is for", () => {
    expect(onlyResource(synth(), "aws_iam_role").config).toEqual({
      name: "acme-flux-us-east-1",
      description: "IRSA for system:serviceaccount:flux-system:kustomize-controller",
      assume_role_policy: expect.any(String),
    });
  });

  it("trusts only this cluster's OIDC tokens for the one service account, with the STS audience", () => {
    const role = onlyResource(synth(), "aws_iam_role").config;
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${ISSUER_HOST}` },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${ISSUER_HOST}:sub`]: "system:serviceaccount:flux-system:kustomize-controller",
              [`${ISSUER_HOST}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ],
    });
  });

  it("puts the namespace and name of the service account into the subject", () => {
    const role = onlyResource(synth({ serviceAccount: { namespace: "apps", name: "workload" } }), "aws_iam_role").config;
    expect(JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals[`${ISSUER_HOST}:sub`]).toBe("system:serviceaccount:apps:workload");
    expect(role.description).toBe("IRSA for system:serviceaccount:apps:workload");
  });

  it("builds the condition keys from a real cluster's issuer (https:// stripped) and trusts its OIDC provider", () => {
    const stack = testStack();
    const cluster = new EksCluster(stack, "cluster", {
      clusterName: "acme-us-east-1",
      version: "1.31",
      subnetIds: ["subnet-a", "subnet-b"],
      publicAccessCidrs: [],
      adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"],
      logRetentionDays: 90,
      nodeGroups: [{ name: "general", instanceTypes: ["m6i.large"], capacityType: "ON_DEMAND", minSize: 1, maxSize: 2, desiredSize: 1, diskSizeGb: 50 }],
      addonVersions: {},
      accountId: "123456789012",
    });
    new IrsaRole(stack, "role", { ...PROPS, oidcProviderArn: cluster.oidcProviderArn, oidcIssuerHost: cluster.oidcIssuerHost });
    const json = synthJson(stack);
    const clusterId = resourceAt(json, "aws_eks_cluster", "cluster/resource").id;
    const host = `\${replace(aws_eks_cluster.${clusterId}.identity[0].oidc[0].issuer, "https://", "")}`;
    // The host expression holds quotes that only Terraform's template evaluation consumes; it is
    // swapped for a marker so that the rest of the document can be parsed as JSON.
    const text: string = resourceAt(json, "aws_iam_role", "role/resource").config.assume_role_policy;
    expect(text).toContain(`"${host}:sub":`);
    const trust = JSON.parse(text.split(host).join("<issuer-host>"));
    expect(trust).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: ref("aws_iam_openid_connect_provider", onlyResource(json, "aws_iam_openid_connect_provider").id, "arn") },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { "<issuer-host>:sub": "system:serviceaccount:flux-system:kustomize-controller", "<issuer-host>:aud": "sts.amazonaws.com" },
          },
        },
      ],
    });
  });

  it("has no inline policy when no statements are given, or an empty list", () => {
    expect(resources(synth(), "aws_iam_role_policy")).toEqual({});
    expect(resources(synth({ statements: [] }), "aws_iam_role_policy")).toEqual({});
  });

  it("puts the given statements, exactly, into one inline policy of the role", () => {
    const json = synth({
      statements: [
        { Sid: "DecryptSopsSecrets", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "arn:aws:kms:us-east-1:123456789012:key/mrk-1" },
        { Effect: "Allow", Action: "s3:GetObject", Resource: ["arn:aws:s3:::acme-assets-us-east-1/*"] },
      ],
    });
    const role = onlyResource(json, "aws_iam_role").id;
    const policy = onlyResource(json, "aws_iam_role_policy").config;
    expect(policy.name).toBe("permissions");
    expect(policy.role).toBe(ref("aws_iam_role", role, "id"));
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "DecryptSopsSecrets", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "arn:aws:kms:us-east-1:123456789012:key/mrk-1" },
        { Effect: "Allow", Action: "s3:GetObject", Resource: ["arn:aws:s3:::acme-assets-us-east-1/*"] },
      ],
    });
  });

  it("attaches no managed policy by default", () => {
    expect(resources(synth(), "aws_iam_role_policy_attachment")).toEqual({});
  });

  it("attaches each given managed policy to the role", () => {
    const arns = ["arn:aws:iam::123456789012:policy/acme-assets-management-us-east-1", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"];
    const json = synth({ managedPolicyArns: arns });
    const role = ref("aws_iam_role", onlyResource(json, "aws_iam_role").id, "name");
    expect(Object.keys(resources(json, "aws_iam_role_policy_attachment"))).toHaveLength(2);
    arns.forEach((policyArn, index) => {
      expect(resourceAt(json, "aws_iam_role_policy_attachment", `role/managed-${index}`).config).toEqual({ role, policy_arn: policyArn });
    });
    expect(resources(json, "aws_iam_role_policy")).toEqual({});
  });

  it("exposes the role's ARN", () => {
    const stack = testStack();
    const role = new IrsaRole(stack, "role", PROPS);
    new TerraformOutput(stack, "arn", { value: role.roleArn });
    const json = synthJson(stack);
    expect(json.output!.arn.value).toBe(ref("aws_iam_role", onlyResource(json, "aws_iam_role").id, "arn"));
  });
});
