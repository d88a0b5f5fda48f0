import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Environment } from "../../../lib/environment";
import { PeacetimeIdentity, StandbyIdentity } from "../../../stacks/roles/peacetime-identity";
import { environment, recoveryInput } from "../../support/environments";
import { resources, type StackJson } from "../../support/synth";

const RECOVERY = environment(recoveryInput());

/** A bare stack with the standby layer's identity of `env` (what `standby-<region>` holds). */
function standbyIdentity(env: Environment): StackJson {
  const app = Testing.app();
  const stack = new TerraformStack(app as App, "identity");
  new AwsProvider(stack, "aws", { region: env.region });
  new PeacetimeIdentity(env).standby(stack, {
    assetsBuckets: [{ bucketArn: "arn:aws:s3:::acme-dr-assets-us-east-1" }],
    archiveBucket: { bucketName: "acme-hosting-services-us-east-2", bucketArn: "arn:aws:s3:::acme-hosting-services-us-east-2" },
    drProvider: new AwsProvider(stack, "aws-dr", { region: env.drRegion, alias: "dr" }),
    sopsKeyArn: "arn:aws:kms:us-east-2:123456789012:key/mrk-1",
    importBucket: { bucketName: "acme-hosting-services-us-east-1", kmsKeyArn: "arn:aws:kms:us-east-2:123456789012:key/primary-archives", region: "us-east-2" },
  });
  return JSON.parse(Testing.synth(stack));
}

const names = (json: StackJson, type: string, field: string): string[] =>
  Object.values(resources(json, type))
    .map((r: any) => r[field])
    .sort();

describe("the peacetime identity: one definition, made by the standby layer, named by the recovery", () => {
  const made = standbyIdentity(RECOVERY);
  const named = new StandbyIdentity(RECOVERY);
  const scope = new TerraformStack(Testing.app() as App, "named");
  const data = named.data(scope);
  const network = named.network(scope);
  named.archiveKey(scope, new AwsProvider(scope, "aws-dr", { region: RECOVERY.drRegion, alias: "dr" }));

  it("every role the recovery's stacks name, for every prepared cluster generation (the serving one and the next), is a role the standby layer makes, and no other", () => {
    const roleNames = names(made, "aws_iam_role", "name");
    const namedRoles: (string | undefined)[] = [data.monitoringRoleArn].map((arn) => /role\/(.+)$/.exec(arn)?.[1]);
    for (const generation of [1, 2]) {
      const cluster = named.cluster(scope, { generation });
      const arns = [
        cluster.fluxRoleArn,
        cluster.workloadRoleArn,
        cluster.backupJobRoleArn,
        cluster.loadBalancerControllerRoleArn,
        cluster.eksRoles?.clusterRoleArn,
        cluster.eksRoles?.nodeRoleArn,
      ];
      namedRoles.push(...arns.map((arn) => /^arn:aws:iam::123456789012:role\/(.+)$/.exec(String(arn))?.[1]));
    }
    const flowLogs = network.flowLogsRole;
    namedRoles.push("roleArn" in flowLogs ? /role\/(.+)$/.exec(flowLogs.roleArn)?.[1] : undefined);
    expect(namedRoles.sort()).toEqual(roleNames);
    expect(roleNames.filter((n) => n.includes("-g2"))).toEqual([
      "acme-backup-job-us-east-2-g2",
      "acme-flux-us-east-2-g2",
      "acme-lb-controller-us-east-2-g2",
      "acme-us-east-2-g2-eks-cluster",
      "acme-us-east-2-g2-eks-nodes",
      "acme-workload-us-east-2-g2",
    ]);
  });

  it("each generation's pod identity roles trust that generation's cluster only", () => {
    const trust = (role: string) =>
      JSON.parse((Object.values(resources(made, "aws_iam_role")) as any[]).find((r) => r.name === role).assume_role_policy).Statement[0].Condition.ArnEquals[
        "aws:SourceArn"
      ];
    expect(trust("acme-flux-us-east-2")).toBe("arn:aws:eks:us-east-2:123456789012:cluster/acme-us-east-2");
    expect(trust("acme-flux-us-east-2-g2")).toBe("arn:aws:eks:us-east-2:123456789012:cluster/acme-us-east-2-g2");
  });

  it("the logs key admits the control-plane log groups of the prepared generations", () => {
    const policy = JSON.parse((Object.values(resources(made, "aws_kms_key")) as any[]).find((k) => k.description.startsWith("CloudWatch Logs")).policy);
    const logs = policy.Statement.find((st: any) => st.Sid === "CloudWatchLogsEncryptsTheseGroups");
    expect(logs.Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"]).toEqual([
      "arn:aws:logs:us-east-2:123456789012:log-group:/aws/vpc/acme-us-east-2/flow-logs",
      "arn:aws:logs:us-east-2:123456789012:log-group:/aws/eks/acme-us-east-2/cluster",
      "arn:aws:logs:us-east-2:123456789012:log-group:/aws/eks/acme-us-east-2-g2/cluster",
      "arn:aws:logs:us-east-2:123456789012:log-group:aws-waf-logs-acme-us-east-2",
      "arn:aws:logs:us-east-2:123456789012:log-group:/aws/rds/instance/acme-us-east-2/postgresql",
      "arn:aws:logs:us-east-2:123456789012:log-group:/aws/rds/instance/acme-us-east-2/upgrade",
      // The next database generation's too: restore-database changes no key policy.
      "arn:aws:logs:us-east-2:123456789012:log-group:/aws/rds/instance/acme-us-east-2-g2/postgresql",
      "arn:aws:logs:us-east-2:123456789012:log-group:/aws/rds/instance/acme-us-east-2-g2/upgrade",
      "arn:aws:logs:us-east-2:123456789012:log-group:/aws/lambda/acme-readiness-us-east-2",
    ]);
  });

  it("the assets policy and the backup user it names are the ones made", () => {
    expect(names(made, "aws_iam_policy", "name")).toEqual([/policy\/(.+)$/.exec(data.assetsPolicyArn)?.[1]]);
    expect(names(made, "aws_iam_user", "name")).toEqual([data.backupUserName]);
  });

  it("the keys it finds by alias are the ones made (data, logs and archive keys)", () => {
    const json = JSON.parse(Testing.synth(scope)) as StackJson;
    const aliases = Object.values((json.data ?? {}).aws_kms_alias ?? {}).map((a: any) => a.name);
    expect(aliases.sort()).toEqual(names(made, "aws_kms_alias", "name"));
  });
});
