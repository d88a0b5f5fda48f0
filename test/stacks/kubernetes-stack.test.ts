import { Testing } from "cdktf";
import { ApplicationStack } from "../../stacks/application-stack";
import { FLUX_KUSTOMIZE_CONTROLLER } from "../../lib/naming";
import { KubernetesStack } from "../../stacks/kubernetes-stack";
import { NetworkingStack } from "../../stacks/networking-stack";
import { followRemoteOutput, manifestOf, remoteOutputRef, synthApp } from "../support/app-synth";
import { environment, primaryInput, recoveryInput, roleProps } from "../support/environments";
import { onlyResource, ref, resourceAt, resources, StackJson } from "../support/synth";
import { tempDir } from "../support/temp";

type Role = "primary" | "recovery";

/** The networking, application and kubernetes stacks of one environment, as app/assemble.ts wires them. */
function build(role: Role, overrides: Parameters<typeof primaryInput>[0] = {}) {
  const app = Testing.app({ outdir: tempDir("dr-platform-kubernetes-") });
  const primary = environment(role === "primary" ? primaryInput(overrides) : primaryInput());
  const env = role === "primary" ? primary : environment(recoveryInput(overrides));
  const recoveryOf = role === "recovery" ? primary : undefined;
  const networking = new NetworkingStack(app, env);
  const application = new ApplicationStack(app, { networking, ...roleProps(env, recoveryOf) });
  const kubernetes = new KubernetesStack(app, { networking, application, ...roleProps(env, recoveryOf) });
  const read = synthApp(app);
  return { app, kubernetes, read, json: read(kubernetes.node.id), applicationJson: read(application.node.id), networkingJson: read(networking.node.id) };
}

const built = new Map<Role, ReturnType<typeof build>>();
/** The default environment of a role, built once. */
function stacks(role: Role) {
  if (!built.has(role)) built.set(role, build(role));
  return built.get(role)!;
}

function clusterOf(json: StackJson) {
  return resourceAt(json, "aws_eks_cluster", "cluster/resource");
}

/** `replace(<cluster issuer>, "https://", "")` as the IRSA condition keys start. */
function issuerHost(json: StackJson): string {
  return `\${replace(aws_eks_cluster.${clusterOf(json).id}.identity[0].oidc[0].issuer, "https://", "")}`;
}

/**
 * A trust policy, parsed. The issuer-host expression holds quotes only Terraform's template
 * evaluation consumes, so it is swapped for `<issuer-host>` first.
 */
function trustPolicy(json: StackJson, rolePath: string): any {
  const text: string = resourceAt(json, "aws_iam_role", rolePath).config.assume_role_policy;
  expect(text).toContain(`"${issuerHost(json)}:sub":`);
  return JSON.parse(text.split(issuerHost(json)).join("<issuer-host>"));
}

function irsaTrust(json: StackJson, subject: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: ref("aws_iam_openid_connect_provider", onlyResource(json, "aws_iam_openid_connect_provider").id, "arn") },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { "<issuer-host>:sub": subject, "<issuer-host>:aud": "sts.amazonaws.com" } },
      },
    ],
  };
}

function fluxPolicy(json: StackJson): any {
  const policy = onlyResource(json, "aws_iam_role_policy").config;
  expect(policy.role).toBe(ref("aws_iam_role", resourceAt(json, "aws_iam_role", "flux-role/resource").id, "id"));
  return JSON.parse(policy.policy);
}

function decryptWith(resource: string) {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "DecryptSopsSecrets", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: resource }],
  };
}

describe("KubernetesStack", () => {
  it("is named kubernetes-<region>", () => {
    expect(stacks("primary").kubernetes.node.id).toBe("kubernetes-us-east-1");
    expect(stacks("recovery").kubernetes.node.id).toBe("kubernetes-us-east-2");
  });

  it("keeps its state in the state bucket under its own key", () => {
    expect(stacks("primary").json.terraform.backend).toEqual({
      s3: { bucket: "acme-terraform-state", key: "kubernetes-us-east-1.tfstate", region: "us-west-2", encrypt: true, use_lockfile: true },
    });
  });

  it("deploys after the networking and application stacks of its region", () => {
    const { app } = stacks("primary");
    expect([...manifestOf(app).stacks["kubernetes-us-east-1"].dependencies].sort()).toEqual(["application-us-east-1", "networking-us-east-1"]);
  });

  it("names the cluster <project>-<region> and runs it in the networking stack's private subnets", () => {
    for (const role of ["primary", "recovery"] as const) {
      const { json, read, networkingJson, kubernetes } = stacks(role);
      const region = kubernetes.environment.region;
      const cluster = clusterOf(json).config;
      expect(cluster.name).toBe(`acme-${region}`);
      expect(cluster.version).toBe("1.31");
      expect(cluster.vpc_config.subnet_ids).toHaveLength(3);
      expect(cluster.vpc_config.subnet_ids.map((id: string) => followRemoteOutput(read, id))).toEqual(
        ["a", "b", "c"].map((zone) => ref("aws_subnet", resourceAt(networkingJson, "aws_subnet", `vpc/private-${region}${zone}`).id, "id")),
      );
    }
  });

  it("builds the cluster from the environment's kubernetes settings", () => {
    const { json } = build("primary", {
      kubernetes: {
        version: "1.30",
        publicAccessCidrs: ["203.0.113.0/24"],
        adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin", "arn:aws:iam::123456789012:role/on-call"],
        logRetentionDays: 30,
        nodeGroups: [{ name: "system", instanceTypes: ["t3.large"], capacityType: "SPOT", minSize: 1, maxSize: 3, desiredSize: 2, diskSizeGb: 80 }],
        addons: { "vpc-cni": "v1.18.0-eksbuild.1", coredns: "v1.11.1-eksbuild.9", "kube-proxy": "v1.30.0-eksbuild.3" },
      },
    });
    const cluster = clusterOf(json).config;
    expect(cluster.version).toBe("1.30");
    expect(cluster.vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] });
    expect(onlyResource(json, "aws_cloudwatch_log_group").config).toEqual({ name: "/aws/eks/acme-us-east-1/cluster", retention_in_days: 30 });
    expect(Object.values(resources(json, "aws_eks_access_entry")).map((e: any) => e.principal_arn)).toEqual([
      "arn:aws:iam::123456789012:role/platform-admin",
      "arn:aws:iam::123456789012:role/on-call",
    ]);
    expect(onlyResource(json, "aws_eks_node_group").config).toMatchObject({
      node_group_name: "system",
      instance_types: ["t3.large"],
      capacity_type: "SPOT",
      disk_size: 80,
      scaling_config: { min_size: 1, max_size: 3, desired_size: 2 },
    });
    expect(Object.fromEntries(Object.values(resources(json, "aws_eks_addon")).map((a: any) => [a.addon_name, a.addon_version]))).toEqual({
      "vpc-cni": "v1.18.0-eksbuild.1",
      coredns: "v1.11.1-eksbuild.9",
      "kube-proxy": "v1.30.0-eksbuild.3",
    });
    expect(resourceAt(json, "aws_iam_role", "cluster/cluster-role").config.name).toBe("acme-us-east-1-eks-cluster");
    expect(resourceAt(json, "aws_iam_role", "cluster/node-role").config.name).toBe("acme-us-east-1-eks-nodes");
  });

  it("lets only Flux's kustomize-controller assume the Flux role", () => {
    expect(FLUX_KUSTOMIZE_CONTROLLER).toEqual({ namespace: "flux-system", name: "kustomize-controller" });
    for (const role of ["primary", "recovery"] as const) {
      const { json, kubernetes } = stacks(role);
      expect(resourceAt(json, "aws_iam_role", "flux-role/resource").config.name).toBe(`acme-flux-${kubernetes.environment.region}`);
      expect(trustPolicy(json, "flux-role/resource")).toEqual(irsaTrust(json, "system:serviceaccount:flux-system:kustomize-controller"));
    }
  });

  it("primary: Flux may decrypt with exactly the application stack's SOPS key, read through its remote state", () => {
    const { json, read, applicationJson } = stacks("primary");
    const sopsKey = resourceAt(applicationJson, "aws_kms_key", "sops-key/resource");
    const reference = remoteOutputRef("application-us-east-1", `cross-stack-output-aws_kms_key${sopsKey.id}arn`);
    expect(fluxPolicy(json)).toEqual(decryptWith(reference));
    expect(followRemoteOutput(read, reference)).toBe(ref("aws_kms_key", sopsKey.id, "arn"));
    expect(sopsKey.config.multi_region).toBe(true);
    expect(json.data!.terraform_remote_state["cross-stack-reference-input-application-us-east-1"]).toEqual({
      backend: "s3",
      config: { bucket: "acme-terraform-state", key: "application-us-east-1.tfstate", region: "us-west-2", encrypt: true },
      workspace: "${terraform.workspace}",
    });
    expect(json.data!.aws_kms_alias).toBeUndefined();
    expect(json.output!.sops_key_arn).toEqual({ value: reference, description: "Key SOPS decrypts with in this region" });
  });

  it("recovery: Flux may decrypt with exactly the primary's key replica, whose ARN is the primary's (from its state) in this region", () => {
    const { json, applicationJson } = stacks("recovery");
    // No call to KMS: a multi-Region replica shares its primary's key id.
    expect(json.data!.aws_kms_alias).toBeUndefined();
    expect(json.data!.terraform_remote_state["primary-application-state"]).toEqual({
      backend: "s3",
      config: { bucket: "acme-terraform-state", key: "application-us-east-1.tfstate", region: "us-west-2" },
    });
    expect(json.locals).toEqual({
      sops_replica_key_arn: '${replace(data.terraform_remote_state.primary-application-state.outputs.sops_key_arn, ":us-east-1:", ":us-east-2:")}',
    });
    expect(fluxPolicy(json)).toEqual(decryptWith("${local.sops_replica_key_arn}"));
    expect(json.output!.sops_key_arn.value).toBe("${local.sops_replica_key_arn}");
    // The recovery's application stack creates no SOPS key of its own.
    expect(Object.keys(resources(applicationJson, "aws_kms_key")).filter((id) => id.startsWith("sops-key"))).toEqual([]);
  });

  it("lets the workload service account assume the workload role, which carries the assets management policy", () => {
    for (const role of ["primary", "recovery"] as const) {
      const { json, read, applicationJson, kubernetes } = stacks(role);
      const region = kubernetes.environment.region;
      const workload = resourceAt(json, "aws_iam_role", "workload-role/resource");
      expect(workload.config.name).toBe(`acme-workload-${region}`);
      expect(trustPolicy(json, "workload-role/resource")).toEqual(irsaTrust(json, "system:serviceaccount:apps:workload"));
      const attachment = resourceAt(json, "aws_iam_role_policy_attachment", "workload-role/managed-0").config;
      expect(attachment.role).toBe(ref("aws_iam_role", workload.id, "name"));
      const policy = resourceAt(applicationJson, "aws_iam_policy", "assets-management-policy/resource");
      expect(attachment.policy_arn).toBe(remoteOutputRef(`application-${region}`, `cross-stack-output-aws_iam_policy${policy.id}arn`));
      expect(followRemoteOutput(read, attachment.policy_arn)).toBe(ref("aws_iam_policy", policy.id, "arn"));
      // Its only permission: no other attachment, no inline policy.
      const onWorkload = Object.values(resources(json, "aws_iam_role_policy_attachment")).filter((a: any) => a.role === ref("aws_iam_role", workload.id, "name"));
      expect(onWorkload).toHaveLength(1);
      expect(Object.values(resources(json, "aws_iam_role_policy")).filter((p: any) => p.role === ref("aws_iam_role", workload.id, "id"))).toEqual([]);
    }
  });

  it("trusts the workload service account the environment names", () => {
    const { json } = build("primary", {
      kubernetes: { ...primaryInput().kubernetes, workloadServiceAccount: { namespace: "shop", name: "storefront" } },
    });
    expect(trustPolicy(json, "workload-role/resource")).toEqual(irsaTrust(json, "system:serviceaccount:shop:storefront"));
  });

  it("outputs the cluster, the login command and the role ARNs", () => {
    const { json } = stacks("primary");
    const cluster = clusterOf(json).id;
    const own = Object.keys(json.output!).filter((name) => !name.startsWith("cross-stack-output-"));
    expect(own.sort()).toEqual(["cluster_endpoint", "cluster_name", "flux_role_arn", "kubeconfig_command", "oidc_provider_arn", "sops_key_arn", "workload_role_arn"]);
    expect(json.output!.cluster_name).toEqual({ value: ref("aws_eks_cluster", cluster, "name") });
    expect(json.output!.cluster_endpoint).toEqual({ value: ref("aws_eks_cluster", cluster, "endpoint") });
    expect(json.output!.kubeconfig_command).toEqual({
      value: "aws eks update-kubeconfig --region us-east-1 --name acme-us-east-1",
      description: "Log in to the cluster",
    });
    expect(json.output!.oidc_provider_arn).toEqual({ value: ref("aws_iam_openid_connect_provider", onlyResource(json, "aws_iam_openid_connect_provider").id, "arn") });
    expect(json.output!.flux_role_arn).toEqual({ value: ref("aws_iam_role", resourceAt(json, "aws_iam_role", "flux-role/resource").id, "arn") });
    expect(json.output!.workload_role_arn).toEqual({ value: ref("aws_iam_role", resourceAt(json, "aws_iam_role", "workload-role/resource").id, "arn") });
  });

  it("gives the recovery's login command its own region and cluster", () => {
    const { json, kubernetes } = stacks("recovery");
    expect(json.output!.kubeconfig_command.value).toBe("aws eks update-kubeconfig --region us-east-2 --name acme-us-east-2");
    expect(kubernetes.kubeconfigCommand).toBe("aws eks update-kubeconfig --region us-east-2 --name acme-us-east-2");
  });
});
