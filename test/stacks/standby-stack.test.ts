import { App } from "cdktf";
import { addEnvironments } from "../../app/assemble";
import type { EnvironmentInput } from "../../lib/environment";
import { manifestOf, synthApp } from "../support/app-synth";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { synthShipped } from "../support/shipped";
import { onlyResource, ref, resourceAt, resources, type StackJson } from "../support/synth";
import { tempDir } from "../support/temp";

/** The shipped environments, synthesized as `cdktf synth` does. */
const SHIPPED_APP = synthShipped(tempDir("dr-platform-standby-"));
const shipped = synthApp(SHIPPED_APP);
const STANDBY = shipped("standby-us-east-2");

/** A primary and a recovery from test inputs, every stack of both, synthesized. */
function build(recovery: EnvironmentInput = recoveryInput()) {
  const app = new App({ outdir: tempDir("dr-platform-standby-") });
  addEnvironments(app, [
    { file: "environments/us-east-1.ts", environment: environment(primaryInput()) },
    { file: "environments/us-east-2.ts", environment: environment(recovery) },
  ]);
  return synthApp(app);
}

/** Every resource of a stack as `<type>.<logical id>`. */
function addresses(json: StackJson): string[] {
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`))
    .sort();
}

const POD_IDENTITY_TRUST = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Condition: {
        StringEquals: { "aws:SourceAccount": "123456789012" },
        ArnEquals: { "aws:SourceArn": "arn:aws:eks:us-east-2:123456789012:cluster/acme-us-east-2" },
      },
    },
  ],
};

describe("what a recovery deploys on the day", () => {
  // Pilot light (the shipped default): networking-us-east-2 is deployed in peacetime with its
  // load balancer and SECONDARY record, so the day's stacks are these four.
  const RECOVERY_STACKS = ["application-us-east-2", "kubernetes-us-east-2", "gitops-us-east-2", "workloads-us-east-2"];

  // Static stability: rebuilding the region calls no global API (IAM, Route 53).
  it.each(RECOVERY_STACKS)("%s writes nothing to IAM and makes no hosted zone or delegation set", (id) => {
    const types = Object.keys(shipped(id).resource ?? {});
    expect(types.length).toBeGreaterThan(0);
    expect(types.filter((type) => type.startsWith("aws_iam_") || type.startsWith("aws_route53_"))).toEqual([]);
  });

  it("pilot light: the peacetime networking-us-east-2 holds the SECONDARY record and its health check, and no IAM", () => {
    const types = Object.keys(shipped("networking-us-east-2").resource ?? {});
    expect(types.filter((type) => type.startsWith("aws_iam_") || type.startsWith("aws_route53_")).sort()).toEqual([
      "aws_route53_health_check",
      "aws_route53_record",
    ]);
  });

  it("backup-and-restore: networking-us-east-2 is deployed on the day and makes exactly one Route 53 write, the SECONDARY record", () => {
    const read = build(recoveryInput({ tier: "backup-and-restore" }));
    const networking = read("networking-us-east-2");
    const global = Object.entries(networking.resource ?? {}).filter(([type]) => type.startsWith("aws_iam_") || type.startsWith("aws_route53_"));
    expect(global.map(([type, byId]) => [type, Object.keys(byId).length])).toEqual([["aws_route53_record", 1]]);
    expect(Object.values(resources(networking, "aws_route53_record"))[0]).toMatchObject({ failover_routing_policy: { type: "SECONDARY" } });
    expect(Object.values(resources(networking, "aws_route53_record"))[0].health_check_id).toBeUndefined();
    for (const id of RECOVERY_STACKS)
      expect({ id, global: Object.keys(read(id).resource ?? {}).filter((t) => t.startsWith("aws_iam_") || t.startsWith("aws_route53_")) }).toEqual({
        id,
        global: [],
      });
  });

  it("holds for a recovery built from the test inputs too, with a backup access key and private API access", () => {
    const read = build(recoveryInput({ backups: { accessKey: true } }));
    for (const id of RECOVERY_STACKS) {
      const types = Object.keys(read(id).resource ?? {});
      expect({ id, global: types.filter((type) => type.startsWith("aws_iam_") || type.startsWith("aws_route53_")) }).toEqual({ id, global: [] });
    }
  });

  // Static stability: the recovery's data, logs and archive keys were made in peacetime; its stacks find them by alias.
  it("finds its data, logs and archive keys by alias (made by the standby stack), creating none", () => {
    const aliasesMade = RECOVERY_STACKS.flatMap((id) => Object.values(resources(shipped(id), "aws_kms_alias")).map((a: any) => a.name));
    expect(aliasesMade.filter((name) => /-(data|logs|archives)-us-east-2$/.test(name))).toEqual([]);
    expect(shipped("networking-us-east-2").data!.aws_kms_alias).toEqual({ "logs-key": { name: "alias/acme-logs-us-east-2" } });
    expect(shipped("application-us-east-2").data!.aws_kms_alias).toEqual({
      "data-key": { name: "alias/acme-data-us-east-2" },
      // In drRegion, where the archives are: a KMS call there, not in the dark primary region.
      "archive-key": { name: "alias/acme-archives-us-east-2", provider: "aws.dr" },
    });
    expect(Object.values(resources(STANDBY, "aws_kms_alias")).map((a: any) => [a.name, a.provider])).toEqual(
      expect.arrayContaining([
        ["alias/acme-data-us-east-2", undefined],
        ["alias/acme-logs-us-east-2", undefined],
        ["alias/acme-archives-us-east-2", "aws.dr"],
      ]),
    );
    for (const group of Object.values(resources(shipped("networking-us-east-2"), "aws_cloudwatch_log_group")))
      expect([(group as any).name, (group as any).kms_key_id]).toEqual([(group as any).name, "${data.aws_kms_alias.logs-key.target_key_arn}"]);
    const database = onlyResource(shipped("application-us-east-2"), "aws_db_instance").config;
    // A restore keeps its source's key (the primary's replicated-backups key); Performance Insights uses the data key.
    expect(database.kms_key_id).toBeUndefined();
    expect(database.performance_insights_kms_key_id).toBe("${data.aws_kms_alias.data-key.target_key_arn}");
    for (const secret of Object.values(resources(shipped("application-us-east-2"), "aws_secretsmanager_secret"))) {
      expect((secret as any).kms_key_id).toBe("${data.aws_kms_alias.data-key.target_key_arn}");
    }
  });

  it("leaves the primary's stacks making their own IAM and the pair's zone in dns-us-east-1 (the check above can fail)", () => {
    expect(Object.keys(shipped("kubernetes-us-east-1").resource!)).toEqual(expect.arrayContaining(["aws_iam_role", "aws_iam_role_policy"]));
    expect(Object.keys(shipped("networking-us-east-1").resource!)).toEqual(
      expect.arrayContaining(["aws_iam_role", "aws_route53_record", "aws_route53_health_check"]),
    );
    expect(Object.keys(shipped("dns-us-east-1").resource!)).toEqual(
      expect.arrayContaining(["aws_route53_zone", "aws_route53_delegation_set", "aws_route53_record"]),
    );
  });

  it("manifest.json: kubernetes-us-east-2 depends on networking-us-east-2 only, not on application-us-east-2; nothing depends on the standby stack", () => {
    const manifest = manifestOf(SHIPPED_APP);
    expect(manifest.stacks["kubernetes-us-east-2"].dependencies).toEqual(["networking-us-east-2"]);
    expect(manifest.stacks["kubernetes-us-east-1"].dependencies.sort()).toEqual(["application-us-east-1", "networking-us-east-1"]);
    // The standby stack itself comes after the primary's application stack, whose state it reads.
    expect(manifest.stacks["standby-us-east-2"].dependencies).toEqual(["application-us-east-1"]);
    // Nothing a recovery deploys on the day depends on the standby stack: only the pilot light's
    // networking stack, itself peacetime.
    for (const [id, stack] of Object.entries(manifest.stacks)) {
      expect({ id, standby: stack.dependencies.includes("standby-us-east-2") }).toEqual({ id, standby: id === "networking-us-east-2" });
    }
  });
});

describe("StandbyStack (shipped us-east-2)", () => {
  it("makes exactly the recovery's IAM, keys, registry replication and cache rules, and its readiness check (no zone: the pair's is dns-us-east-1's)", () => {
    expect(addresses(STANDBY)).toEqual([
      expect.stringMatching(/^aws_cloudwatch_log_group\.readiness_logs_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_cloudwatch_metric_alarm\.readiness_alarm_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_ecr_pull_through_cache_rule\.registry-cache_rule-ecr-public_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_ecr_pull_through_cache_rule\.registry-cache_rule-github_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_ecr_pull_through_cache_rule\.registry-cache_rule-quay_[0-9A-F]{8}$/),
      "aws_ecr_replication_configuration.registry-replication",
      expect.stringMatching(/^aws_iam_policy\.assets-management-policy_resource_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.backup-job-role_resource_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.eks-roles_cluster-role_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.eks-roles_node-role_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.flow-logs-role_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.flux-role_resource_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.generation-2_backup-job-role_resource_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.generation-2_eks-roles_cluster-role_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.generation-2_eks-roles_node-role_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.generation-2_flux-role_resource_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.generation-2_lb-controller-role_resource_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.generation-2_workload-role_resource_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.lb-controller-role_resource_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.monitoring-role_resource_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.readiness_role_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.readiness_scheduler-role_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role\.workload-role_resource_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy\.backup-job-role_policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy\.eks-roles_node-pull-through-cache_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy\.flow-logs-role_policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy\.flux-role_policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy\.generation-2_backup-job-role_policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy\.generation-2_eks-roles_node-pull-through-cache_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy\.generation-2_flux-role_policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy\.generation-2_lb-controller-role_policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy\.generation-2_workload-role_policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy\.lb-controller-role_policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy\.readiness_policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy\.readiness_scheduler-policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy\.workload-role_policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy_attachment\.eks-roles_cluster-policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy_attachment\.eks-roles_node-AmazonEC2ContainerRegistryReadOnly_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy_attachment\.eks-roles_node-AmazonEKSWorkerNodePolicy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy_attachment\.eks-roles_node-AmazonEKS_CNI_Policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy_attachment\.generation-2_eks-roles_cluster-policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy_attachment\.generation-2_eks-roles_node-AmazonEC2ContainerRegistryReadOnly_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy_attachment\.generation-2_eks-roles_node-AmazonEKSWorkerNodePolicy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy_attachment\.generation-2_eks-roles_node-AmazonEKS_CNI_Policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy_attachment\.generation-2_workload-role_managed-0_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy_attachment\.monitoring-role_policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_role_policy_attachment\.workload-role_managed-0_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_user\.backup-user_resource_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_iam_user_policy\.backup-user_policy_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_kms_alias\.archive-key_alias_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_kms_alias\.data-key_alias_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_kms_alias\.logs-key_alias_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_kms_key\.archive-key_resource_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_kms_key\.data-key_resource_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_kms_key\.logs-key_resource_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_lambda_function\.readiness_function_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_scheduler_schedule\.readiness_schedule_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_secretsmanager_secret\.registry-cache_credentials-github_[0-9A-F]{8}$/),
      expect.stringMatching(/^aws_secretsmanager_secret_version\.registry-cache_placeholder-github_[0-9A-F]{8}$/),
    ]);
  });

  it("names every IAM resource as the recovery's stacks name it (lib/naming.ts)", () => {
    const names = (type: string) =>
      Object.values(resources(STANDBY, type))
        .map((r: any) => r.name)
        .sort();
    expect(names("aws_iam_role")).toEqual([
      "acme-backup-job-us-east-2",
      "acme-backup-job-us-east-2-g2",
      "acme-flow-logs-us-east-2",
      "acme-flux-us-east-2",
      "acme-flux-us-east-2-g2",
      "acme-lb-controller-us-east-2",
      "acme-lb-controller-us-east-2-g2",
      "acme-rds-monitoring-us-east-2",
      "acme-readiness-run-us-east-2",
      "acme-readiness-us-east-2",
      "acme-us-east-2-eks-cluster",
      "acme-us-east-2-eks-nodes",
      "acme-us-east-2-g2-eks-cluster",
      "acme-us-east-2-g2-eks-nodes",
      "acme-workload-us-east-2",
      "acme-workload-us-east-2-g2",
    ]);
    expect(names("aws_iam_policy")).toEqual(["acme-assets-management-us-east-2"]);
    expect(names("aws_iam_user")).toEqual(["acme-backups-us-east-2"]);
    // The recovery's stacks use exactly these, by ARN.
    const kubernetes = shipped("kubernetes-us-east-2");
    expect(onlyResource(kubernetes, "aws_eks_cluster").config.role_arn).toBe("arn:aws:iam::123456789012:role/acme-us-east-2-eks-cluster");
    expect(onlyResource(kubernetes, "aws_eks_node_group").config.node_role_arn).toBe("arn:aws:iam::123456789012:role/acme-us-east-2-eks-nodes");
    expect(onlyResource(shipped("networking-us-east-2"), "aws_flow_log").config.iam_role_arn).toBe("arn:aws:iam::123456789012:role/acme-flow-logs-us-east-2");
    expect(shipped("application-us-east-2").output!.assets_management_policy_arn.value).toBe(
      "arn:aws:iam::123456789012:policy/acme-assets-management-us-east-2",
    );
    expect(onlyResource(shipped("application-us-east-2"), "aws_db_instance").config.monitoring_role_arn).toBe(
      "arn:aws:iam::123456789012:role/acme-rds-monitoring-us-east-2",
    );
  });

  it("has AWS providers in the primary's region and in drRegion (the archive key), bound to the account", () => {
    expect(STANDBY.provider!.aws.map((p: any) => [p.alias, p.region, p.allowed_account_ids])).toEqual([
      [undefined, "us-east-2", ["123456789012"]],
      ["primary", "us-east-1", ["123456789012"]],
      ["dr", "us-west-2", ["123456789012"]],
    ]);
  });

  it("hands Flux's Git credentials secret over to the primary's application stack: forgets it, deletes nothing; makes no value", () => {
    expect(Object.keys(resources(STANDBY, "aws_secretsmanager_secret")).filter((id) => id.startsWith("git-credentials"))).toEqual([]);
    expect(STANDBY.removed).toEqual([{ from: "aws_secretsmanager_secret.git-credentials", lifecycle: { destroy: false } }]);
    expect(STANDBY.data!.aws_kms_alias!["primary-data-key"]).toBeUndefined();
    // Terraform never puts the Git credentials' value (the one version here is the registry credentials' placeholder).
    expect(Object.values(resources(STANDBY, "aws_secretsmanager_secret_version")).map((v: any) => v.secret_id)).toEqual([
      ref("aws_secretsmanager_secret", resourceAt(STANDBY, "aws_secretsmanager_secret", "registry-cache/credentials-github").id, "id"),
    ]);
    // The recovery's Git credentials job reads the primary's replica by the same name, in its own region.
    const gitops = shipped("gitops-us-east-2");
    const read = Object.values(gitops.resource!.kubernetes_job_v1 as Record<string, any>)[0].spec.template.spec.init_container[0];
    expect(read.env).toContainEqual({ name: "GIT_CREDENTIALS_SECRET", value: "acme/flux/platform-k8s-git" });
    expect(read.env).toContainEqual({ name: "AWS_REGION", value: "us-east-2" });
    expect(gitops.provider!.aws.map((p: any) => p.region)).toEqual(["us-east-2"]);
  });

  it("replicates the primary's repositories prefixed with the project (acme) into us-east-2 of the same account, and into the primary's vault account", () => {
    expect(STANDBY.resource!.aws_ecr_replication_configuration["registry-replication"]).toEqual({
      provider: "aws.primary",
      replication_configuration: {
        rule: [
          {
            destination: [
              { region: "us-east-2", registry_id: "123456789012" },
              { region: "us-west-2", registry_id: "210987654321" },
            ],
            repository_filter: [{ filter: "acme", filter_type: "PREFIX_MATCH" }],
          },
        ],
      },
    });
  });

  it("replicates the prefixes registry.replicatedPrefixes lists", () => {
    const read = build(recoveryInput({ registry: { replicatedPrefixes: ["acme", "shared/base"] } }));
    const rule = read("standby-us-east-2").resource!.aws_ecr_replication_configuration["registry-replication"].replication_configuration.rule;
    expect(rule).toEqual([
      {
        destination: [{ region: "us-east-2", registry_id: "123456789012" }],
        repository_filter: [
          { filter: "acme", filter_type: "PREFIX_MATCH" },
          { filter: "shared/base", filter_type: "PREFIX_MATCH" },
        ],
      },
    ]);
  });

  it("trusts the pod identity roles to the pod identity agent of the recovery's cluster only", () => {
    for (const path of ["flux-role/resource", "workload-role/resource", "backup-job-role/resource"]) {
      expect({ path, trust: JSON.parse(resourceAt(STANDBY, "aws_iam_role", path).config.assume_role_policy) }).toEqual({ path, trust: POD_IDENTITY_TRUST });
    }
  });

  it("prepares the next cluster generation's roles (acme-us-east-2-g2), trusting its cluster only: a rebuild on the day writes no IAM", () => {
    const g2 = JSON.parse(JSON.stringify(POD_IDENTITY_TRUST).replace("cluster/acme-us-east-2", "cluster/acme-us-east-2-g2"));
    for (const path of [
      "generation-2/flux-role/resource",
      "generation-2/workload-role/resource",
      "generation-2/backup-job-role/resource",
      "generation-2/lb-controller-role/resource",
    ]) {
      expect({ path, trust: JSON.parse(resourceAt(STANDBY, "aws_iam_role", path).config.assume_role_policy) }).toEqual({ path, trust: g2 });
    }
  });

  it("lets Flux decrypt with the primary's SOPS key replica in us-east-2, its ARN derived from the primary's state, and read the Git credentials' replica", () => {
    expect(STANDBY.data!.terraform_remote_state["primary-application-state"]).toEqual({
      backend: "s3",
      config: { bucket: "acme-terraform-state", key: "application-us-east-1.tfstate", region: "us-west-2" },
    });
    expect(STANDBY.locals).toEqual({
      sops_replica_key_arn: '${replace(data.terraform_remote_state.primary-application-state.outputs.sops_key_arn, ":us-east-1:", ":us-east-2:")}',
    });
    const policy = resourceAt(STANDBY, "aws_iam_role_policy", "flux-role/policy").config;
    expect(policy.role).toBe(ref("aws_iam_role", resourceAt(STANDBY, "aws_iam_role", "flux-role/resource").id, "id"));
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DecryptSopsSecrets",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:DescribeKey"],
          Resource: "${local.sops_replica_key_arn}",
          Condition: {
            StringEquals: { "aws:PrincipalTag/kubernetes-namespace": "flux-system", "aws:PrincipalTag/kubernetes-service-account": "kustomize-controller" },
          },
        },
        // The Git credentials job reads the secret's replica here (its name's ARN in us-east-2).
        {
          Sid: "ReadGitCredentials",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: "arn:aws:secretsmanager:us-east-2:123456789012:secret:acme/flux/platform-k8s-git-??????",
          Condition: {
            StringEquals: { "aws:PrincipalTag/kubernetes-namespace": "flux-system", "aws:PrincipalTag/kubernetes-service-account": "flux-git-credentials" },
          },
        },
      ],
    });
  });

  it("gives the workload role exactly the assets policy, on the primary's replica bucket in us-east-2", () => {
    const policy = onlyResource(STANDBY, "aws_iam_policy");
    expect(JSON.parse(policy.config.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ListAssetBuckets", Effect: "Allow", Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::acme-dr-assets-us-east-1"] },
        {
          Sid: "ReadWriteAssets",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          Resource: ["arn:aws:s3:::acme-dr-assets-us-east-1/*"],
        },
      ],
    });
    const workload = resourceAt(STANDBY, "aws_iam_role", "workload-role/resource").id;
    const onWorkload = Object.values(resources(STANDBY, "aws_iam_role_policy_attachment")).filter((a: any) => a.role === ref("aws_iam_role", workload, "name"));
    expect(onWorkload).toEqual([{ role: ref("aws_iam_role", workload, "name"), policy_arn: ref("aws_iam_policy", policy.id, "arn") }]);
  });

  it("lets the backup jobs read only the recovery database's master secret, rotate the broker's secrets, list and put into the recovery's archive bucket with its key, and read the primary's broker definitions exports with the primary's", () => {
    const policy = resourceAt(STANDBY, "aws_iam_role_policy", "backup-job-role/policy").config;
    expect(policy.role).toBe(ref("aws_iam_role", resourceAt(STANDBY, "aws_iam_role", "backup-job-role/resource").id, "id"));
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadDatabaseMasterSecret",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: "arn:aws:secretsmanager:us-east-2:123456789012:secret:rds!db-*",
          Condition: {
            StringEquals: {
              "secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn": [
                "arn:aws:rds:us-east-2:123456789012:db:acme-us-east-2",
                "arn:aws:rds:us-east-2:123456789012:db:acme-us-east-2-g2",
              ],
            },
          },
        },
        {
          Sid: "RotateBrokerAdminSecret",
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
          Resource: "arn:aws:secretsmanager:us-east-2:123456789012:secret:acme/us-east-2/rabbitmq/admin-??????",
        },
        {
          Sid: "RotateBrokerUserSecrets",
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
          Resource: [
            "arn:aws:secretsmanager:us-east-2:123456789012:secret:acme/us-east-2/rabbitmq/orders-??????",
            "arn:aws:secretsmanager:us-east-2:123456789012:secret:acme/us-east-2/rabbitmq/notifications-??????",
          ],
        },
        { Sid: "ListArchives", Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::acme-hosting-services-us-east-2" },
        { Sid: "PutArchives", Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::acme-hosting-services-us-east-2/*" },
        {
          Sid: "EncryptArchives",
          Effect: "Allow",
          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
          Resource: ref("aws_kms_key", resourceAt(STANDBY, "aws_kms_key", "archive-key/resource").id, "arn"),
          Condition: {
            StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" },
            StringLike: {
              "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::acme-hosting-services-us-east-2", "arn:aws:s3:::acme-hosting-services-us-east-2/*"],
            },
          },
        },
        { Sid: "ListPrimaryExports", Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::acme-hosting-services-us-east-1" },
        { Sid: "GetPrimaryBrokerDefinitions", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-hosting-services-us-east-1/rabbitmq/*" },
        {
          Sid: "DecryptPrimaryExports",
          Effect: "Allow",
          Action: ["kms:Decrypt"],
          // The primary's archive key, in this region (the primary's drRegion), found by its alias.
          Resource: "${data.aws_kms_alias.primary-archive-key.target_key_arn}",
          Condition: {
            StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com" },
            StringLike: {
              "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::acme-hosting-services-us-east-1", "arn:aws:s3:::acme-hosting-services-us-east-1/*"],
            },
          },
        },
      ],
    });
    expect(STANDBY.data!.aws_kms_alias["primary-archive-key"]).toEqual({ name: "alias/acme-archives-us-east-1" });
  });

  it("lets the recovery's workloads read exactly the recovery database's master secret (by RDS's tag) and the broker users' secrets (by name)", () => {
    const policy = resourceAt(STANDBY, "aws_iam_role_policy", "workload-role/policy").config;
    expect(policy.role).toBe(ref("aws_iam_role", resourceAt(STANDBY, "aws_iam_role", "workload-role/resource").id, "id"));
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadDatabaseMasterSecret",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: "arn:aws:secretsmanager:us-east-2:123456789012:secret:rds!db-*",
          Condition: {
            StringEquals: {
              "secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn": [
                "arn:aws:rds:us-east-2:123456789012:db:acme-us-east-2",
                "arn:aws:rds:us-east-2:123456789012:db:acme-us-east-2-g2",
              ],
            },
          },
        },
        {
          Sid: "ReadBrokerUserSecrets",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: [
            "arn:aws:secretsmanager:us-east-2:123456789012:secret:acme/us-east-2/rabbitmq/orders-??????",
            "arn:aws:secretsmanager:us-east-2:123456789012:secret:acme/us-east-2/rabbitmq/notifications-??????",
          ],
        },
      ],
    });
  });

  it("lets the flow-log role write only to the recovery VPC's flow-log group", () => {
    const group = "arn:aws:logs:us-east-2:123456789012:log-group:/aws/vpc/acme-us-east-2/flow-logs";
    const policy = resourceAt(STANDBY, "aws_iam_role_policy", "flow-logs-role/policy").config;
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WriteFlowLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
          Resource: [group, `${group}:*`],
        },
      ],
    });
    // The networking stack's flow-log group is that group (the other is the WAF's).
    expect(Object.values(resources(shipped("networking-us-east-2"), "aws_cloudwatch_log_group")).map((g: any) => g.name)).toEqual([
      "/aws/vpc/acme-us-east-2/flow-logs",
      "aws-waf-logs-acme-us-east-2",
    ]);
  });

  it("lets the backup user only list and put into the recovery's archive bucket, with no access key by default", () => {
    const user = onlyResource(STANDBY, "aws_iam_user");
    const policy = onlyResource(STANDBY, "aws_iam_user_policy").config;
    expect(policy.user).toBe(ref("aws_iam_user", user.id, "name"));
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ListObjectsInBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::acme-hosting-services-us-east-2"] },
        { Sid: "ObjectActions", Effect: "Allow", Action: "s3:PutObject", Resource: ["arn:aws:s3:::acme-hosting-services-us-east-2/*"] },
        {
          Sid: "EncryptArchives",
          Effect: "Allow",
          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
          Resource: ref("aws_kms_key", resourceAt(STANDBY, "aws_kms_key", "archive-key/resource").id, "arn"),
          Condition: {
            StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" },
            StringLike: {
              "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::acme-hosting-services-us-east-2", "arn:aws:s3:::acme-hosting-services-us-east-2/*"],
            },
          },
        },
      ],
    });
    expect(resources(STANDBY, "aws_iam_access_key")).toEqual({});
  });

  it("makes the backup user's access key here when backups.accessKey is on", () => {
    const standby = build(recoveryInput({ backups: { accessKey: true } }))("standby-us-east-2");
    expect(Object.keys(resources(standby, "aws_iam_access_key"))).toHaveLength(1);
    expect(resourceAt(standby, "aws_secretsmanager_secret", "backup-user/access-key-secret").config.name).toBe("acme-backups-us-east-2/access-key");
  });
});

describe("StandbyStack: the recovery region's registry cache and scheduled readiness check (peacetime, in us-east-2)", () => {
  const logsKey = resourceAt(STANDBY, "aws_kms_key", "logs-key/resource");
  const dataKey = resourceAt(STANDBY, "aws_kms_key", "data-key/resource");

  it("caches the platform's upstream registries in us-east-2, the ghcr.io credentials on the recovery's data key", () => {
    expect(
      Object.values(resources(STANDBY, "aws_ecr_pull_through_cache_rule"))
        .map((r: any) => `${r.ecr_repository_prefix} ${r.upstream_registry_url} ${r.provider ?? "us-east-2"}`)
        .sort(),
    ).toEqual(["ecr-public public.ecr.aws us-east-2", "github ghcr.io us-east-2", "quay quay.io us-east-2"]);
    expect(resourceAt(STANDBY, "aws_secretsmanager_secret", "registry-cache/credentials-github").config).toMatchObject({
      name: "ecr-pullthroughcache/acme-github-us-east-2",
      kms_key_id: ref("aws_kms_key", dataKey.id, "arn"),
    });
    // The nodes of the rebuilt cluster may fill it.
    expect(JSON.parse(resourceAt(STANDBY, "aws_iam_role_policy", "eks-roles/node-pull-through-cache").config.policy).Statement[0].Resource).toEqual([
      "arn:aws:ecr:us-east-2:123456789012:repository/ecr-public/*",
      "arn:aws:ecr:us-east-2:123456789012:repository/quay/*",
      "arn:aws:ecr:us-east-2:123456789012:repository/github/*",
    ]);
  });

  it("runs the preflight of us-east-2 every 30 minutes, logging with its logs key (whose policy admits the function's group), alarming the environment's topic", () => {
    expect(resourceAt(STANDBY, "aws_cloudwatch_log_group", "readiness/logs").config.kms_key_id).toBe(ref("aws_kms_key", logsKey.id, "arn"));
    const admitted = JSON.parse(logsKey.config.policy).Statement.find((s: any) => s.Condition?.ArnEquals)?.Condition.ArnEquals[
      "kms:EncryptionContext:aws:logs:arn"
    ];
    expect(admitted).toContain("arn:aws:logs:us-east-2:123456789012:log-group:/aws/lambda/acme-readiness-us-east-2");
    expect(resourceAt(STANDBY, "aws_scheduler_schedule", "readiness/schedule").config.schedule_expression).toBe("rate(30 minutes)");
    expect(resourceAt(STANDBY, "aws_cloudwatch_metric_alarm", "readiness/alarm").config.alarm_actions).toEqual([
      "arn:aws:sns:us-east-2:123456789012:acme-platform-alerts",
    ]);
    // Everything of it is in the recovery region: the default provider, never the primary's.
    for (const type of ["aws_lambda_function", "aws_scheduler_schedule", "aws_cloudwatch_metric_alarm", "aws_cloudwatch_log_group"]) {
      expect({ type, provider: Object.values(resources(STANDBY, type)).map((r: any) => r.provider) }).toEqual({ type, provider: [undefined] });
    }
  });

  it("the primary's logs key admits no readiness group (it has no standby layer)", () => {
    const primaryLogsKey = resourceAt(shipped("networking-us-east-1"), "aws_kms_key", "logs-key/resource");
    expect(primaryLogsKey.config.policy).not.toContain("readiness");
  });
});
