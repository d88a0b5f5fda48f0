import { Testing } from "cdktf";
import { ApplicationStack } from "../../stacks/application-stack";
import { FLUX_GIT_CREDENTIALS_SERVICE_ACCOUNT, FLUX_KUSTOMIZE_CONTROLLER } from "../../lib/naming";
import { KubernetesStack } from "../../stacks/kubernetes-stack";
import { followRemoteOutput, manifestOf, remoteOutputRef, synthApp } from "../support/app-synth";
import { environment, primaryInput, recoveryInput, roleProps, networkingStack } from "../support/environments";
import { onlyResource, ref, resourceAt, resources, StackJson } from "../support/synth";
import { tempDir } from "../support/temp";

type Role = "primary" | "recovery";

/** The networking, application and kubernetes stacks of one environment, as app/assemble.ts wires them. */
function build(role: Role, overrides: Parameters<typeof primaryInput>[0] = {}) {
  const app = Testing.app({ outdir: tempDir("dr-platform-kubernetes-") });
  const primary = environment(role === "primary" ? primaryInput(overrides) : primaryInput());
  const env = role === "primary" ? primary : environment(recoveryInput(overrides));
  const recoveryOf = role === "recovery" ? primary : undefined;
  const networking = networkingStack(app, env, primary);
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

/** The trust policy of a role, parsed. */
function trustPolicy(json: StackJson, rolePath: string): any {
  return JSON.parse(resourceAt(json, "aws_iam_role", rolePath).config.assume_role_policy);
}

/** EKS Pod Identity's trust: the agent of this account's cluster `acme-<region>` only. */
function podIdentityTrust(region: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: { "aws:SourceAccount": "123456789012" },
          ArnEquals: { "aws:SourceArn": `arn:aws:eks:${region}:123456789012:cluster/acme-${region}` },
        },
      },
    ],
  };
}

function fluxPolicy(json: StackJson): any {
  const policy = resourceAt(json, "aws_iam_role_policy", "flux-role/policy").config;
  expect(policy.role).toBe(ref("aws_iam_role", resourceAt(json, "aws_iam_role", "flux-role/resource").id, "id"));
  expect(policy.name).toBe("permissions");
  return JSON.parse(policy.policy);
}

/** The pod identity associations, by construct id: what each binds. */
function associations(json: StackJson): Record<string, { namespace: string; serviceAccount: string; roleArn: string; clusterName: string }> {
  return Object.fromEntries(
    Object.entries(resources(json, "aws_eks_pod_identity_association")).map(([id, a]: [string, any]) => [
      id,
      { namespace: a.namespace, serviceAccount: a.service_account, roleArn: a.role_arn, clusterName: a.cluster_name },
    ]),
  );
}

/** Flux's role: decrypt with the SOPS key, read its Git credentials secret (in the cluster's region) and nothing else. */
function fluxStatements(resource: string, region: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      // Each for its own service account only, by the session tags EKS Pod Identity sets.
      {
        Sid: "DecryptSopsSecrets",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:DescribeKey"],
        Resource: resource,
        Condition: {
          StringEquals: { "aws:PrincipalTag/kubernetes-namespace": "flux-system", "aws:PrincipalTag/kubernetes-service-account": "kustomize-controller" },
        },
      },
      {
        Sid: "ReadGitCredentials",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: `arn:aws:secretsmanager:${region}:123456789012:secret:acme/flux/git-??????`,
        Condition: {
          StringEquals: { "aws:PrincipalTag/kubernetes-namespace": "flux-system", "aws:PrincipalTag/kubernetes-service-account": "flux-git-credentials" },
        },
      },
    ],
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

  it("primary: deploys after the networking and application stacks of its region", () => {
    const { app } = stacks("primary");
    expect([...manifestOf(app).stacks["kubernetes-us-east-1"].dependencies].sort()).toEqual(["application-us-east-1", "networking-us-east-1"]);
  });

  it("recovery: deploys after its networking stack only (its roles and policy are named by ARN, not read from the application stack)", () => {
    const { app, json } = stacks("recovery");
    expect(manifestOf(app).stacks["kubernetes-us-east-2"].dependencies).toEqual(["networking-us-east-2"]);
    expect(Object.keys(json.data!.terraform_remote_state).sort()).toEqual(["cross-stack-reference-input-networking-us-east-2", "primary-application-state"]);
  });

  it("names the cluster <project>-<region> and runs it in the networking stack's private subnets", () => {
    for (const role of ["primary", "recovery"] as const) {
      const { json, read, networkingJson, kubernetes } = stacks(role);
      const region = kubernetes.environment.region;
      const cluster = clusterOf(json).config;
      expect(cluster.name).toBe(`acme-${region}`);
      expect(cluster.version).toBe("1.35");
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
        nodeGroups: [{ name: "system", instanceTypes: ["t3.large"], capacityType: "SPOT", minSize: 1, maxSize: 3, desiredSize: 2, diskSizeGb: 80 }],
        addons: {
          "vpc-cni": "v1.18.0-eksbuild.1",
          coredns: "v1.11.1-eksbuild.9",
          "kube-proxy": "v1.30.0-eksbuild.3",
          "eks-pod-identity-agent": "v1.3.2-eksbuild.2",
        },
        privateAccessCidrs: ["10.30.0.0/24"],
      },
      logRetention: { eksControlPlaneDays: 731 },
    });
    const cluster = clusterOf(json).config;
    expect(cluster.version).toBe("1.30");
    expect(cluster.vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] });
    // The networking stack's logs key, through cdktf's cross-stack reference.
    expect(onlyResource(json, "aws_cloudwatch_log_group").config).toEqual({
      name: "/aws/eks/acme-us-east-1/cluster",
      retention_in_days: 731,
      kms_key_id: expect.stringMatching(
        /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-networking-us-east-1\.outputs\.cross-stack-output-aws_kms_keylogs-key_resource_[0-9A-F]{8}arn\}$/,
      ),
    });
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
      "eks-pod-identity-agent": "v1.3.2-eksbuild.2",
    });
    const apiAccess = resourceAt(json, "aws_security_group", "cluster/api-access");
    expect(cluster.vpc_config.security_group_ids).toEqual([ref("aws_security_group", apiAccess.id, "id")]);
    expect(Object.values(resources(json, "aws_vpc_security_group_ingress_rule")).map((r: any) => [r.cidr_ipv4, r.from_port, r.to_port])).toEqual([
      ["10.30.0.0/24", 443, 443],
    ]);
    expect(resourceAt(json, "aws_iam_role", "cluster/cluster-role").config.name).toBe("acme-us-east-1-eks-cluster");
    expect(resourceAt(json, "aws_iam_role", "cluster/node-role").config.name).toBe("acme-us-east-1-eks-nodes");
  });

  it("primary: makes the three pod identity roles, each trusted by this cluster's pod identity agent only", () => {
    const { json } = stacks("primary");
    for (const [path, name, description] of [
      ["flux-role/resource", "acme-flux-us-east-1", "EKS Pod Identity: Flux (kustomize-controller's SOPS decryption, the Git credentials job)"],
      ["workload-role/resource", "acme-workload-us-east-1", "EKS Pod Identity: workloads (assets, datastore credentials)"],
      ["backup-job-role/resource", "acme-backup-job-us-east-1", "EKS Pod Identity: backup jobs (database archive, broker definitions)"],
    ]) {
      const role = resourceAt(json, "aws_iam_role", path).config;
      expect({ path, name: role.name, description: role.description }).toEqual({ path, name, description });
      expect({ path, trust: trustPolicy(json, path) }).toEqual({ path, trust: podIdentityTrust("us-east-1") });
    }
    // The cluster and node roles besides them; no IAM OIDC provider (IRSA is gone).
    expect(
      Object.values(resources(json, "aws_iam_role"))
        .map((r: any) => r.name)
        .sort(),
    ).toEqual([
      "acme-backup-job-us-east-1",
      "acme-flux-us-east-1",
      "acme-lb-controller-us-east-1",
      "acme-us-east-1-eks-cluster",
      "acme-us-east-1-eks-nodes",
      "acme-workload-us-east-1",
    ]);
    expect(resources(json, "aws_iam_openid_connect_provider")).toEqual({});
  });

  it("binds Flux's kustomize-controller and Git credentials job, the workloads and the archive job to their roles with pod identity associations", () => {
    expect(FLUX_KUSTOMIZE_CONTROLLER).toEqual({ namespace: "flux-system", name: "kustomize-controller" });
    expect(FLUX_GIT_CREDENTIALS_SERVICE_ACCOUNT).toEqual({ namespace: "flux-system", name: "flux-git-credentials" });
    const { json } = stacks("primary");
    const cluster = ref("aws_eks_cluster", clusterOf(json).id, "name");
    const arn = (path: string) => ref("aws_iam_role", resourceAt(json, "aws_iam_role", path).id, "arn");
    expect(associations(json)).toEqual({
      "pod-identity-flux": { namespace: "flux-system", serviceAccount: "kustomize-controller", roleArn: arn("flux-role/resource"), clusterName: cluster },
      "pod-identity-flux-git-credentials": {
        namespace: "flux-system",
        serviceAccount: "flux-git-credentials",
        roleArn: arn("flux-role/resource"),
        clusterName: cluster,
      },
      "pod-identity-workload": { namespace: "apps", serviceAccount: "workload", roleArn: arn("workload-role/resource"), clusterName: cluster },
      "pod-identity-backup-job": {
        namespace: "dr-backups",
        serviceAccount: "database-archive",
        roleArn: arn("backup-job-role/resource"),
        clusterName: cluster,
      },
      "pod-identity-lb-controller": {
        namespace: "kube-system",
        serviceAccount: "aws-load-balancer-controller",
        roleArn: arn("lb-controller-role/resource"),
        clusterName: cluster,
      },
    });
  });

  it("recovery: binds the same service accounts to the roles its standby stack made, by ARN, and writes nothing to IAM", () => {
    const { json } = stacks("recovery");
    const cluster = ref("aws_eks_cluster", clusterOf(json).id, "name");
    expect(associations(json)).toEqual({
      "pod-identity-flux": {
        namespace: "flux-system",
        serviceAccount: "kustomize-controller",
        roleArn: "arn:aws:iam::123456789012:role/acme-flux-us-east-2",
        clusterName: cluster,
      },
      "pod-identity-flux-git-credentials": {
        namespace: "flux-system",
        serviceAccount: "flux-git-credentials",
        roleArn: "arn:aws:iam::123456789012:role/acme-flux-us-east-2",
        clusterName: cluster,
      },
      "pod-identity-workload": {
        namespace: "apps",
        serviceAccount: "workload",
        roleArn: "arn:aws:iam::123456789012:role/acme-workload-us-east-2",
        clusterName: cluster,
      },
      "pod-identity-backup-job": {
        namespace: "dr-backups",
        serviceAccount: "database-archive",
        roleArn: "arn:aws:iam::123456789012:role/acme-backup-job-us-east-2",
        clusterName: cluster,
      },
      "pod-identity-lb-controller": {
        namespace: "kube-system",
        serviceAccount: "aws-load-balancer-controller",
        roleArn: "arn:aws:iam::123456789012:role/acme-lb-controller-us-east-2",
        clusterName: cluster,
      },
    });
    expect(Object.keys(json.resource!).filter((type) => type.startsWith("aws_iam_"))).toEqual([]);
    const config = clusterOf(json).config;
    expect(config.role_arn).toBe("arn:aws:iam::123456789012:role/acme-us-east-2-eks-cluster");
    expect(onlyResource(json, "aws_eks_node_group").config.node_role_arn).toBe("arn:aws:iam::123456789012:role/acme-us-east-2-eks-nodes");
  });

  it("primary: Flux may decrypt with exactly the application stack's SOPS key, read through its remote state", () => {
    const { json, read, applicationJson } = stacks("primary");
    const sopsKey = resourceAt(applicationJson, "aws_kms_key", "sops-key/resource");
    const reference = remoteOutputRef("application-us-east-1", `cross-stack-output-aws_kms_key${sopsKey.id}arn`);
    expect(fluxPolicy(json)).toEqual(fluxStatements(reference, "us-east-1"));
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

  it("recovery: SOPS decrypts with the primary's key replica, whose ARN is the primary's (from its state) in this region", () => {
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
    expect(json.output!.sops_key_arn).toEqual({ value: "${local.sops_replica_key_arn}", description: "Key SOPS decrypts with in this region" });
    // The Flux role's permission on it is the standby stack's (test/stacks/standby-stack.test.ts).
    expect(resources(json, "aws_iam_role_policy")).toEqual({});
    // The recovery's application stack creates no SOPS key of its own.
    expect(Object.keys(resources(applicationJson, "aws_kms_key")).filter((id) => id.startsWith("sops-key"))).toEqual([]);
  });

  it("primary: the workload role carries exactly the application stack's assets management policy and one inline policy", () => {
    const { json, read, applicationJson } = stacks("primary");
    const workload = resourceAt(json, "aws_iam_role", "workload-role/resource");
    const attachment = resourceAt(json, "aws_iam_role_policy_attachment", "workload-role/managed-0").config;
    expect(attachment.role).toBe(ref("aws_iam_role", workload.id, "name"));
    const policy = resourceAt(applicationJson, "aws_iam_policy", "assets-management-policy/resource");
    expect(attachment.policy_arn).toBe(remoteOutputRef("application-us-east-1", `cross-stack-output-aws_iam_policy${policy.id}arn`));
    expect(followRemoteOutput(read, attachment.policy_arn)).toBe(ref("aws_iam_policy", policy.id, "arn"));
    // No other attachment; its one inline policy is the secrets one (next test).
    const onWorkload = Object.values(resources(json, "aws_iam_role_policy_attachment")).filter((a: any) => a.role === ref("aws_iam_role", workload.id, "name"));
    expect(onWorkload).toHaveLength(1);
    expect(Object.values(resources(json, "aws_iam_role_policy")).filter((p: any) => p.role === ref("aws_iam_role", workload.id, "id"))).toHaveLength(1);
  });

  it("primary: the workloads may read exactly the database master secret (by RDS's tag) and each broker user's secret (by name), nothing else", () => {
    const { json } = stacks("primary");
    const policy = resourceAt(json, "aws_iam_role_policy", "workload-role/policy").config;
    expect(policy.role).toBe(ref("aws_iam_role", resourceAt(json, "aws_iam_role", "workload-role/resource").id, "id"));
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadDatabaseMasterSecret",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-*",
          Condition: {
            StringEquals: {
              "secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn": [
                "arn:aws:rds:us-east-1:123456789012:db:acme-us-east-1",
                "arn:aws:rds:us-east-1:123456789012:db:acme-us-east-1-g2",
              ],
            },
          },
        },
        {
          Sid: "ReadBrokerUserSecrets",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:acme/us-east-1/rabbitmq/orders-??????"],
        },
      ],
    });
  });

  it("primary: without broker users the workloads may read the database master secret only", () => {
    const { json } = build("primary", { broker: { ...primaryInput().broker, users: [] } });
    const statements = JSON.parse(resourceAt(json, "aws_iam_role_policy", "workload-role/policy").config.policy).Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(["ReadDatabaseMasterSecret"]);
  });

  it("primary: the backup jobs may read only this database's RDS-managed master secret, rotate the broker's secrets, and list and put into the archive bucket with its key", () => {
    const { json } = stacks("primary");
    const policy = resourceAt(json, "aws_iam_role_policy", "backup-job-role/policy").config;
    expect(policy.role).toBe(ref("aws_iam_role", resourceAt(json, "aws_iam_role", "backup-job-role/resource").id, "id"));
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadDatabaseMasterSecret",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-*",
          Condition: {
            StringEquals: {
              "secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn": [
                "arn:aws:rds:us-east-1:123456789012:db:acme-us-east-1",
                "arn:aws:rds:us-east-1:123456789012:db:acme-us-east-1-g2",
              ],
            },
          },
        },
        {
          // The definitions jobs read it; the rotation job rotates it.
          Sid: "RotateBrokerAdminSecret",
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
          Resource: "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme/us-east-1/rabbitmq/admin-??????",
        },
        {
          Sid: "RotateBrokerUserSecrets",
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
          Resource: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:acme/us-east-1/rabbitmq/orders-??????"],
        },
        { Sid: "ListArchives", Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::acme-hosting-services-us-east-1" },
        { Sid: "PutArchives", Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::acme-hosting-services-us-east-1/*" },
        {
          Sid: "EncryptArchives",
          Effect: "Allow",
          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
          // The application stack's archive key, through cdktf's cross-stack reference.
          Resource: expect.stringMatching(
            /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-application-us-east-1\.outputs\.cross-stack-output-aws_kms_keyarchive-key_resource_[0-9A-F]{8}arn\}$/,
          ),
          Condition: {
            StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com" },
            StringLike: {
              "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::acme-hosting-services-us-east-1", "arn:aws:s3:::acme-hosting-services-us-east-1/*"],
            },
          },
        },
      ],
    });
  });

  it("binds the workload service account the environment names", () => {
    for (const role of ["primary", "recovery"] as const) {
      const { json } = build(role, {
        kubernetes: {
          ...(role === "primary" ? primaryInput() : recoveryInput()).kubernetes,
          workloadServiceAccount: { namespace: "shop", name: "storefront" },
        },
      });
      const workload = associations(json)["pod-identity-workload"];
      expect({ role, namespace: workload.namespace, serviceAccount: workload.serviceAccount }).toEqual({
        role,
        namespace: "shop",
        serviceAccount: "storefront",
      });
    }
  });

  it("outputs the cluster, the login command and the role ARNs", () => {
    const { json } = stacks("primary");
    const cluster = clusterOf(json).id;
    const own = Object.keys(json.output!).filter((name) => !name.startsWith("cross-stack-output-"));
    expect(own.sort()).toEqual([
      "backup_job_role_arn",
      "cluster_endpoint",
      "cluster_name",
      "flux_role_arn",
      "kubeconfig_command",
      "sops_key_arn",
      "workload_role_arn",
    ]);
    expect(json.output!.cluster_name).toEqual({ value: ref("aws_eks_cluster", cluster, "name") });
    expect(json.output!.cluster_endpoint).toEqual({ value: ref("aws_eks_cluster", cluster, "endpoint") });
    expect(json.output!.kubeconfig_command).toEqual({
      value: "aws eks update-kubeconfig --region us-east-1 --name acme-us-east-1",
      description: "Log in to the cluster",
    });
    expect(json.output!.flux_role_arn).toEqual({ value: ref("aws_iam_role", resourceAt(json, "aws_iam_role", "flux-role/resource").id, "arn") });
    expect(json.output!.workload_role_arn).toEqual({ value: ref("aws_iam_role", resourceAt(json, "aws_iam_role", "workload-role/resource").id, "arn") });
    expect(json.output!.backup_job_role_arn).toEqual({ value: ref("aws_iam_role", resourceAt(json, "aws_iam_role", "backup-job-role/resource").id, "arn") });
  });

  it("recovery: outputs the standby stack's role ARNs", () => {
    const { json, kubernetes } = stacks("recovery");
    const own = Object.keys(json.output!).filter((name) => !name.startsWith("cross-stack-output-"));
    expect(own.sort()).toEqual([
      "backup_job_role_arn",
      "cluster_endpoint",
      "cluster_name",
      "flux_role_arn",
      "kubeconfig_command",
      "sops_key_arn",
      "workload_role_arn",
    ]);
    expect(json.output!.flux_role_arn).toEqual({ value: "arn:aws:iam::123456789012:role/acme-flux-us-east-2" });
    expect(json.output!.workload_role_arn).toEqual({ value: "arn:aws:iam::123456789012:role/acme-workload-us-east-2" });
    expect(json.output!.backup_job_role_arn).toEqual({ value: "arn:aws:iam::123456789012:role/acme-backup-job-us-east-2" });
    expect([kubernetes.identity.fluxRoleArn, kubernetes.identity.workloadRoleArn, kubernetes.identity.backupJobRoleArn]).toEqual([
      "arn:aws:iam::123456789012:role/acme-flux-us-east-2",
      "arn:aws:iam::123456789012:role/acme-workload-us-east-2",
      "arn:aws:iam::123456789012:role/acme-backup-job-us-east-2",
    ]);
  });

  it("gives the recovery's login command its own region and cluster", () => {
    const { json, kubernetes } = stacks("recovery");
    expect(json.output!.kubeconfig_command.value).toBe("aws eks update-kubeconfig --region us-east-2 --name acme-us-east-2");
    expect(kubernetes.kubeconfigCommand).toBe("aws eks update-kubeconfig --region us-east-2 --name acme-us-east-2");
  });
});

describe("the region's registry cache (the peacetime identity's data part: once per region, whichever cluster generations stand)", () => {
  it("primary: application-us-east-1 makes the pull through cache rules of us-east-1, the credentials on the data key; the kubernetes stack lets its nodes fill the cache", () => {
    const { json, applicationJson } = stacks("primary");
    expect(resources(json, "aws_ecr_pull_through_cache_rule")).toEqual({});
    expect(
      Object.values(resources(applicationJson, "aws_ecr_pull_through_cache_rule"))
        .map((r: any) => `${r.ecr_repository_prefix} ${r.upstream_registry_url}`)
        .sort(),
    ).toEqual(["ecr-public public.ecr.aws", "github ghcr.io", "quay quay.io"]);
    const secret = resourceAt(applicationJson, "aws_secretsmanager_secret", "registry-cache/credentials-github").config;
    expect(secret.name).toBe("ecr-pullthroughcache/acme-github-us-east-1");
    expect(secret.kms_key_id).toBe(ref("aws_kms_key", resourceAt(applicationJson, "aws_kms_key", "data-key/resource").id, "arn"));
    expect(JSON.parse(resourceAt(json, "aws_iam_role_policy", "cluster/node-pull-through-cache").config.policy).Statement[0].Resource).toEqual([
      "arn:aws:ecr:us-east-1:123456789012:repository/ecr-public/*",
      "arn:aws:ecr:us-east-1:123456789012:repository/quay/*",
      "arn:aws:ecr:us-east-1:123456789012:repository/github/*",
    ]);
  });

  it("recovery: makes none on the day (its standby layer made them in peacetime)", () => {
    const { json, applicationJson } = stacks("recovery");
    for (const stack of [json, applicationJson]) expect(resources(stack, "aws_ecr_pull_through_cache_rule")).toEqual({});
    expect(resources(json, "aws_secretsmanager_secret")).toEqual({});
  });
});
