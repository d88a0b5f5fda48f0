import { TerraformOutput } from "cdktf";
import { CONTROL_PLANE_LOG_TYPE_NAMES } from "../../lib/environment/sections/kubernetes";
import { CLUSTER_ADMIN_POLICY_ARN, CONTROL_PLANE_LOG_TYPES, EksCluster, EksClusterProps, NodeGroupSpec } from "../../lib/constructs/eks-cluster";
import { onlyResource, ref, resourceAt, resources, synthJson, testStack } from "../support/synth";

const GENERAL: NodeGroupSpec = {
  name: "general",
  instanceTypes: ["m6i.large"],
  capacityType: "ON_DEMAND",
  minSize: 2,
  maxSize: 4,
  desiredSize: 2,
  diskSizeGb: 50,
};
const SPOT: NodeGroupSpec = {
  name: "batch",
  instanceTypes: ["c6i.xlarge", "c5.xlarge"],
  capacityType: "SPOT",
  minSize: 0,
  maxSize: 10,
  desiredSize: 1,
  diskSizeGb: 100,
};

const PROPS: EksClusterProps = {
  clusterName: "acme-us-east-1",
  version: "1.31",
  subnetIds: ["subnet-private-a", "subnet-private-b", "subnet-private-c"],
  vpcId: "vpc-0123",
  publicAccessCidrs: [],
  adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"],
  logRetentionDays: 90,
  nodeGroups: [GENERAL],
  addonVersions: { "vpc-cni": "v1.19.2-eksbuild.1", coredns: "v1.11.4-eksbuild.2", "kube-proxy": "v1.31.3-eksbuild.2" },
  accountId: "123456789012",
};

const NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"];

function build(props: Partial<EksClusterProps> = {}) {
  const stack = testStack();
  const cluster = new EksCluster(stack, "cluster", { ...PROPS, ...props });
  return { stack, cluster };
}

function synth(props: Partial<EksClusterProps> = {}) {
  return synthJson(build(props).stack);
}

function clusterOf(json: ReturnType<typeof synth>) {
  return resourceAt(json, "aws_eks_cluster", "cluster/resource");
}

/** Policy ARNs attached to a role, by the role's reference. */
function attachedTo(json: ReturnType<typeof synth>, roleId: string): string[] {
  return Object.values(resources(json, "aws_iam_role_policy_attachment"))
    .filter((attachment: any) => attachment.role === ref("aws_iam_role", roleId, "name"))
    .map((attachment: any) => attachment.policy_arn);
}

describe("EksCluster", () => {
  it("creates the cluster with the given name and version, run by its cluster role", () => {
    const json = synth();
    const cluster = clusterOf(json).config;
    expect(cluster.name).toBe("acme-us-east-1");
    expect(cluster.version).toBe("1.31");
    expect(cluster.role_arn).toBe(ref("aws_iam_role", resourceAt(json, "aws_iam_role", "cluster/cluster-role").id, "arn"));
  });

  it("keeps the API endpoint private only when no public CIDR is given", () => {
    expect(clusterOf(synth()).config.vpc_config).toEqual({
      subnet_ids: ["subnet-private-a", "subnet-private-b", "subnet-private-c"],
      endpoint_private_access: true,
      endpoint_public_access: false,
    });
  });

  it("opens the public endpoint to exactly the given CIDRs, keeping the private one", () => {
    const cidrs = ["203.0.113.0/24", "198.51.100.7/32"];
    expect(clusterOf(synth({ publicAccessCidrs: cidrs })).config.vpc_config).toEqual({
      subnet_ids: ["subnet-private-a", "subnet-private-b", "subnet-private-c"],
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: cidrs,
    });
  });

  it("envelope-encrypts Kubernetes secrets with its own rotated, destroy-protected KMS key", () => {
    const json = synth();
    const key = resourceAt(json, "aws_kms_key", "cluster/secrets-key");
    expect(Object.keys(resources(json, "aws_kms_key"))).toEqual([key.id]);
    expect(clusterOf(json).config.encryption_config).toEqual({ provider: { key_arn: ref("aws_kms_key", key.id, "arn") }, resources: ["secrets"] });
    expect(key.config).toEqual({
      description: "EKS acme-us-east-1: envelope encryption of Kubernetes secrets",
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      policy: expect.any(String),
      lifecycle: { prevent_destroy: true },
    });
    expect(JSON.parse(key.config.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }],
    });
    expect(onlyResource(json, "aws_kms_alias").config).toEqual({
      name: "alias/eks-acme-us-east-1-secrets",
      target_key_id: ref("aws_kms_key", key.id, "key_id"),
    });
  });

  it("enables all five control-plane log types by default, the schema's list exactly", () => {
    expect(CONTROL_PLANE_LOG_TYPES).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(CONTROL_PLANE_LOG_TYPE_NAMES).toEqual(CONTROL_PLANE_LOG_TYPES);
    expect(clusterOf(synth()).config.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
  });

  it("enables the given control-plane log types", () => {
    expect(clusterOf(synth({ logTypes: ["audit", "api"] })).config.enabled_cluster_log_types).toEqual(["audit", "api"]);
  });

  it("creates the control-plane log group with the retention before the cluster", () => {
    const json = synth({ logRetentionDays: 365 });
    const group = onlyResource(json, "aws_cloudwatch_log_group");
    expect(group.config).toEqual({ name: "/aws/eks/acme-us-east-1/cluster", retention_in_days: 365 });
    const policy = resourceAt(json, "aws_iam_role_policy_attachment", "cluster/cluster-policy").id;
    expect(clusterOf(json).config.depends_on).toEqual([`aws_iam_role_policy_attachment.${policy}`, `aws_cloudwatch_log_group.${group.id}`]);
  });

  it("authenticates with access entries only: API mode, no admin rights for the creator", () => {
    expect(clusterOf(synth()).config.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
  });

  it("gives every admin role an access entry with the cluster-admin policy on the whole cluster", () => {
    const admins = ["arn:aws:iam::123456789012:role/platform-admin", "arn:aws:iam::123456789012:role/on-call"];
    const json = synth({ adminRoleArns: admins });
    const clusterName = ref("aws_eks_cluster", clusterOf(json).id, "name");
    expect(Object.keys(resources(json, "aws_eks_access_entry"))).toHaveLength(2);
    expect(Object.keys(resources(json, "aws_eks_access_policy_association"))).toHaveLength(2);
    admins.forEach((principalArn, index) => {
      const entry = resourceAt(json, "aws_eks_access_entry", `cluster/admin-${index}`);
      expect(entry.config).toEqual({ cluster_name: clusterName, principal_arn: principalArn, type: "STANDARD" });
      expect(resourceAt(json, "aws_eks_access_policy_association", `cluster/admin-${index}-policy`).config).toEqual({
        cluster_name: clusterName,
        principal_arn: principalArn,
        policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        access_scope: { type: "cluster" },
        depends_on: [`aws_eks_access_entry.${entry.id}`],
      });
    });
    expect(CLUSTER_ADMIN_POLICY_ARN).toBe("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
  });

  it("creates no IAM OIDC provider: workloads get credentials through EKS Pod Identity", () => {
    expect(resources(synth(), "aws_iam_openid_connect_provider")).toEqual({});
  });

  it("exposes the cluster name, endpoint and secrets key", () => {
    const { stack, cluster } = build();
    new TerraformOutput(stack, "name", { value: cluster.clusterName });
    new TerraformOutput(stack, "endpoint", { value: cluster.endpoint });
    new TerraformOutput(stack, "secrets_key", { value: cluster.secretsKey.arn });
    const json = synthJson(stack);
    const id = clusterOf(json).id;
    expect(json.output!.name.value).toBe(ref("aws_eks_cluster", id, "name"));
    expect(json.output!.endpoint.value).toBe(ref("aws_eks_cluster", id, "endpoint"));
    expect(json.output!.secrets_key.value).toBe(ref("aws_kms_key", onlyResource(json, "aws_kms_key").id, "arn"));
  });

  it("lets only EKS assume the cluster role, which carries exactly AmazonEKSClusterPolicy", () => {
    const json = synth();
    const role = resourceAt(json, "aws_iam_role", "cluster/cluster-role");
    expect(role.config.name).toBe("acme-us-east-1-eks-cluster");
    expect(JSON.parse(role.config.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
    });
    expect(attachedTo(json, role.id)).toEqual(["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]);
    expect(resources(json, "aws_iam_role_policy")).toEqual({});
  });

  it("lets only EC2 assume the node role, which carries exactly the three node policies", () => {
    const json = synth();
    const role = resourceAt(json, "aws_iam_role", "cluster/node-role");
    expect(role.config.name).toBe("acme-us-east-1-eks-nodes");
    expect(JSON.parse(role.config.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    expect(attachedTo(json, role.id).sort()).toEqual(NODE_POLICIES.map((name) => `arn:aws:iam::aws:policy/${name}`).sort());
    // Two roles, four attachments: nothing else is granted.
    expect(Object.keys(resources(json, "aws_iam_role"))).toHaveLength(2);
    expect(Object.keys(resources(json, "aws_iam_role_policy_attachment"))).toHaveLength(4);
  });

  it("creates one managed node group per spec in the private subnets, leaving the desired size to autoscalers", () => {
    const json = synth({ nodeGroups: [GENERAL, SPOT] });
    const clusterName = ref("aws_eks_cluster", clusterOf(json).id, "name");
    const nodeRole = ref("aws_iam_role", resourceAt(json, "aws_iam_role", "cluster/node-role").id, "arn");
    const policies = NODE_POLICIES.map(
      (name) => `aws_iam_role_policy_attachment.${resourceAt(json, "aws_iam_role_policy_attachment", `cluster/node-${name}`).id}`,
    );
    expect(Object.keys(resources(json, "aws_eks_node_group"))).toHaveLength(2);
    expect(resourceAt(json, "aws_eks_node_group", "cluster/node-group-general").config).toEqual({
      cluster_name: clusterName,
      node_group_name: "general",
      node_role_arn: nodeRole,
      subnet_ids: ["subnet-private-a", "subnet-private-b", "subnet-private-c"],
      instance_types: ["m6i.large"],
      capacity_type: "ON_DEMAND",
      disk_size: 50,
      scaling_config: { min_size: 2, max_size: 4, desired_size: 2 },
      update_config: { max_unavailable: 1 },
      lifecycle: { ignore_changes: ["scaling_config[0].desired_size"] },
      depends_on: policies,
    });
    expect(resourceAt(json, "aws_eks_node_group", "cluster/node-group-batch").config).toMatchObject({
      node_group_name: "batch",
      instance_types: ["c6i.xlarge", "c5.xlarge"],
      capacity_type: "SPOT",
      disk_size: 100,
      scaling_config: { min_size: 0, max_size: 10, desired_size: 1 },
      lifecycle: { ignore_changes: ["scaling_config[0].desired_size"] },
    });
  });

  it("scaledDown (a warm standby): every node group stands with one node; its minimum and desired size are left to the day's update-nodegroup-config", () => {
    const json = synth({ nodeGroups: [GENERAL, SPOT], scaledDown: true });
    for (const name of ["general", "batch"]) {
      const group = resourceAt(json, "aws_eks_node_group", `cluster/node-group-${name}`).config;
      expect([group.scaling_config, group.lifecycle]).toEqual([
        { min_size: 1, max_size: name === "general" ? 4 : 10, desired_size: 1 },
        { ignore_changes: ["scaling_config[0].desired_size", "scaling_config[0].min_size"] },
      ]);
    }
  });

  it("installs the core add-ons at their pinned versions; CoreDNS waits for the node groups", () => {
    const json = synth({ nodeGroups: [GENERAL, SPOT] });
    const clusterName = ref("aws_eks_cluster", clusterOf(json).id, "name");
    const groups = ["general", "batch"].map((name) => `aws_eks_node_group.${resourceAt(json, "aws_eks_node_group", `cluster/node-group-${name}`).id}`);
    const addons = Object.values(resources(json, "aws_eks_addon")) as any[];
    expect(addons.map((a) => a.addon_name).sort()).toEqual(["coredns", "kube-proxy", "vpc-cni"]);
    const base = { cluster_name: clusterName, resolve_conflicts_on_create: "OVERWRITE", resolve_conflicts_on_update: "OVERWRITE" };
    expect(resourceAt(json, "aws_eks_addon", "cluster/addon-vpc-cni").config).toEqual({ ...base, addon_name: "vpc-cni", addon_version: "v1.19.2-eksbuild.1" });
    expect(resourceAt(json, "aws_eks_addon", "cluster/addon-kube-proxy").config).toEqual({
      ...base,
      addon_name: "kube-proxy",
      addon_version: "v1.31.3-eksbuild.2",
    });
    expect(resourceAt(json, "aws_eks_addon", "cluster/addon-coredns").config).toEqual({
      ...base,
      addon_name: "coredns",
      addon_version: "v1.11.4-eksbuild.2",
      depends_on: groups,
    });
  });

  it("installs exactly the add-ons it is given", () => {
    const json = synth({ addonVersions: { coredns: "v1.11.1-eksbuild.9" } });
    expect(onlyResource(json, "aws_eks_addon").config).toMatchObject({ addon_name: "coredns", addon_version: "v1.11.1-eksbuild.9" });
  });

  describe("roles made elsewhere (a recovery's standby stack)", () => {
    const ROLES = {
      clusterRoleArn: "arn:aws:iam::123456789012:role/acme-us-east-2-eks-cluster",
      nodeRoleArn: "arn:aws:iam::123456789012:role/acme-us-east-2-eks-nodes",
    };

    it("creates no IAM resource at all", () => {
      const json = synth({ roles: ROLES, nodeGroups: [GENERAL, SPOT] });
      expect(Object.keys(json.resource!).filter((type) => type.startsWith("aws_iam_"))).toEqual([]);
    });

    it("runs the cluster and every node group with the given roles, by ARN", () => {
      const json = synth({ roles: ROLES, nodeGroups: [GENERAL, SPOT] });
      const cluster = clusterOf(json).config;
      expect(cluster.role_arn).toBe(ROLES.clusterRoleArn);
      // Only the log group to wait for: there are no policy attachments here.
      expect(cluster.depends_on).toEqual([`aws_cloudwatch_log_group.${onlyResource(json, "aws_cloudwatch_log_group").id}`]);
      for (const group of Object.values(resources(json, "aws_eks_node_group")) as any[]) {
        expect({ group: group.node_group_name, role: group.node_role_arn, dependsOn: group.depends_on }).toEqual({
          group: group.node_group_name,
          role: ROLES.nodeRoleArn,
          dependsOn: undefined,
        });
      }
    });
  });

  describe("privateAccessCidrs", () => {
    it("admits each given network on 443 through an API access security group in the VPC, attached to the cluster", () => {
      const json = synth({ privateAccessCidrs: ["10.30.0.0/24", "192.168.4.0/22"] });
      const group = onlyResource(json, "aws_security_group");
      expect(group.config).toEqual({
        name: "acme-us-east-1-api-access",
        description: "EKS acme-us-east-1: API (443) from the declared private networks",
        vpc_id: "vpc-0123",
      });
      expect(clusterOf(json).config.vpc_config).toEqual({
        subnet_ids: ["subnet-private-a", "subnet-private-b", "subnet-private-c"],
        endpoint_private_access: true,
        endpoint_public_access: false,
        security_group_ids: [ref("aws_security_group", group.id, "id")],
      });
      const rule = (cidr: string) => ({
        security_group_id: ref("aws_security_group", group.id, "id"),
        description: "Kubernetes API from a declared private network",
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
        cidr_ipv4: cidr,
      });
      expect(resourceAt(json, "aws_vpc_security_group_ingress_rule", "cluster/api-access-0").config).toEqual(rule("10.30.0.0/24"));
      expect(resourceAt(json, "aws_vpc_security_group_ingress_rule", "cluster/api-access-1").config).toEqual(rule("192.168.4.0/22"));
      expect(Object.keys(resources(json, "aws_vpc_security_group_ingress_rule"))).toHaveLength(2);
      expect(resources(json, "aws_vpc_security_group_egress_rule")).toEqual({});
    });

    it("adds no security group when none is given or the list is empty", () => {
      for (const privateAccessCidrs of [undefined, []]) {
        const json = synth({ privateAccessCidrs });
        expect(resources(json, "aws_security_group")).toEqual({});
        expect(resources(json, "aws_vpc_security_group_ingress_rule")).toEqual({});
        expect(clusterOf(json).config.vpc_config.security_group_ids).toBeUndefined();
      }
    });
  });

  describe("validation", () => {
    it("requires at least one admin role", () => {
      expect(() => synth({ adminRoleArns: [] })).toThrow(new Error("EksCluster: adminRoleArns must list at least one role (got none)"));
    });
    it("refuses a public endpoint open to the whole internet, naming the given list", () => {
      expect(() => synth({ publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] })).toThrow(
        new Error('EksCluster: publicAccessCidrs must not contain 0.0.0.0/0 (got ["203.0.113.0/24","0.0.0.0/0"])'),
      );
    });
    it("requires at least one node group", () => {
      expect(() => synth({ nodeGroups: [] })).toThrow(new Error("EksCluster: nodeGroups must list at least one node group (got none)"));
    });
    it("requires subnets in at least two zones", () => {
      expect(() => synth({ subnetIds: ["subnet-private-a"] })).toThrow(new Error("EksCluster: subnetIds must list subnets in at least two zones (got 1)"));
      expect(() => synth({ subnetIds: ["subnet-private-a", "subnet-private-b"] })).not.toThrow();
    });
    it("reports every problem at once", () => {
      expect(() => synth({ adminRoleArns: [], publicAccessCidrs: ["0.0.0.0/0"], nodeGroups: [], subnetIds: [] })).toThrow(
        new Error(
          'EksCluster: adminRoleArns must list at least one role (got none); publicAccessCidrs must not contain 0.0.0.0/0 (got ["0.0.0.0/0"]); nodeGroups must list at least one node group (got none); subnetIds must list subnets in at least two zones (got 0)',
        ),
      );
    });
  });

  it("encrypts the control-plane log group it creates with logsKmsKeyArn", () => {
    const KEY = "arn:aws:kms:us-east-1:123456789012:key/logs";
    expect(onlyResource(synth({ logsKmsKeyArn: KEY }), "aws_cloudwatch_log_group").config.kms_key_id).toBe(KEY);
    expect(onlyResource(synth(), "aws_cloudwatch_log_group").config.kms_key_id).toBeUndefined();
  });
});
