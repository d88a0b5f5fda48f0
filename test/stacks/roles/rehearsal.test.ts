import { App } from "cdktf";
import { addEnvironments } from "../../../app/assemble";
import { rehearsalSide, resolvePairs, type RecoverySide } from "../../../lib/environment";
import { STATEFUL_TYPES } from "../../../lib/policy/rules/stateful/prevent-destroy";
import { RehearsalRole } from "../../../stacks/roles/rehearsal";
import { manifestOf, synthApp } from "../../support/app-synth";
import { environment, primaryInput, recoveryInput } from "../../support/environments";
import type { StackJson } from "../../support/synth";
import { tempDir } from "../../support/temp";

const LAYERS = ["networking", "application", "kubernetes", "gitops", "workloads"];
const REHEARSAL_STACKS = LAYERS.map((l) => `${l}-us-east-2-rehearsal`);

function assemble(rehearsal: boolean) {
  const app = new App({ outdir: tempDir("dr-platform-rehearsal-") });
  const stacks = addEnvironments(app, [
    { file: "environments/us-east-1.ts", environment: environment(primaryInput()) },
    { file: "environments/us-east-2.ts", environment: environment(recoveryInput({ rehearsal })) },
  ]);
  return { app, stacks, read: synthApp(app) };
}

const WITH = assemble(true);
const ALL_STACKS = Object.keys(manifestOf(WITH.app).stacks);
const REAL_STACKS = ALL_STACKS.filter((s) => !s.endsWith("-rehearsal"));

function resourcesOf(json: StackJson): { type: string; id: string; config: any }[] {
  return Object.entries((json as any).resource ?? {}).flatMap(([type, byId]) => Object.entries(byId as object).map(([id, config]) => ({ type, id, config })));
}

/**
 * The attributes that name a resource uniquely in an account (or account and region), by type:
 * two stacks giving the same value would fight over one object. Inline policies (named within
 * their role or user) and Helm releases and Kubernetes objects (named within their cluster) are
 * not account-unique, so not listed.
 */
const UNIQUE_NAMES: Record<string, string> = {
  aws_s3_bucket: "bucket",
  aws_db_instance: "identifier",
  aws_db_subnet_group: "name",
  aws_db_parameter_group: "name",
  aws_security_group: "name",
  aws_mq_broker: "broker_name",
  aws_eks_cluster: "name",
  aws_iam_role: "name",
  aws_iam_policy: "name",
  aws_iam_user: "name",
  aws_kms_alias: "name",
  aws_secretsmanager_secret: "name",
  aws_cloudwatch_log_group: "name",
  aws_cloudwatch_log_resource_policy: "policy_name",
  aws_lb: "name",
  aws_lb_target_group: "name",
  aws_wafv2_web_acl: "name",
  aws_ecr_pull_through_cache_rule: "ecr_repository_prefix",
};

function uniqueNames(stacks: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const stack of stacks) {
    for (const { type, config } of resourcesOf(WITH.read(stack))) {
      const attribute = UNIQUE_NAMES[type];
      const value = attribute && config[attribute];
      if (typeof value === "string") names.set(`${type} ${value}`, stack);
    }
  }
  return names;
}

describe("a recovery's rehearsal generation (rehearsal: true)", () => {
  it("adds the five layers under -rehearsal stack ids, each with its own state key; none without it", () => {
    expect(ALL_STACKS.filter((s) => s.endsWith("-rehearsal")).sort()).toEqual([...REHEARSAL_STACKS].sort());
    for (const stack of REHEARSAL_STACKS) expect((WITH.read(stack) as any).terraform.backend.s3.key).toBe(`${stack}.tfstate`);
    const without = assemble(false);
    expect(Object.keys(manifestOf(without.app).stacks).filter((s) => s.includes("rehearsal"))).toEqual([]);
    expect(without.stacks.get("us-east-2")).not.toHaveProperty("rehearsal");
  });

  it("names nothing account-unique that a real stack names (every bucket, role, key alias, secret, database, broker, cluster)", () => {
    const real = uniqueNames(REAL_STACKS);
    const rehearsal = uniqueNames(REHEARSAL_STACKS);
    // The comparison sees the kinds that matter: the rehearsal makes each of them.
    const kinds = new Set([...rehearsal.keys()].map((k) => k.split(" ")[0]));
    for (const kind of ["aws_s3_bucket", "aws_db_instance", "aws_mq_broker", "aws_eks_cluster", "aws_iam_role", "aws_kms_alias", "aws_secretsmanager_secret"])
      expect(kinds).toContain(kind);
    expect([...rehearsal.keys()].filter((k) => real.has(k))).toEqual([]);
    expect(rehearsal.get("aws_db_instance acme-rehearsal-us-east-2")).toBe("application-us-east-2-rehearsal");
    expect(rehearsal.get("aws_eks_cluster acme-rehearsal-us-east-2")).toBe("kubernetes-us-east-2-rehearsal");
    expect(rehearsal.get("aws_s3_bucket acme-rehearsal-hosting-services-us-east-2")).toBe("application-us-east-2-rehearsal");
  });

  it("writes no Route 53 record or health check: traffic never moves to a rehearsal", () => {
    for (const stack of REHEARSAL_STACKS) {
      expect(resourcesOf(WITH.read(stack)).filter((r) => r.type.startsWith("aws_route53"))).toEqual([]);
    }
    // The real recovery's networking keeps its SECONDARY record.
    expect(resourcesOf(WITH.read("networking-us-east-2")).find((r) => r.type === "aws_route53_record")?.config.failover_routing_policy).toEqual({
      type: "SECONDARY",
    });
  });

  it("lifts stateful protection in its stacks only, so that its teardown deletes everything", () => {
    const lifted = REHEARSAL_STACKS.flatMap((s) => resourcesOf(WITH.read(s)));
    const stateful = lifted.filter((r) => STATEFUL_TYPES.includes(r.type) || r.type === "aws_eks_cluster");
    expect(stateful.length).toBeGreaterThanOrEqual(9);
    for (const r of stateful) expect([r.type, r.id, r.config.lifecycle?.prevent_destroy]).toEqual([r.type, r.id, false]);
    for (const r of lifted.filter((x) => x.type === "aws_s3_bucket")) expect([r.id, r.config.force_destroy]).toEqual([r.id, true]);
    const [database] = lifted.filter((r) => r.type === "aws_db_instance");
    expect([database.config.deletion_protection, database.config.skip_final_snapshot, database.config.final_snapshot_identifier]).toEqual([false, true, null]);
    for (const r of lifted.filter((x) => x.type === "aws_kms_key")) expect([r.id, r.config.deletion_window_in_days]).toEqual([r.id, 7]);
    for (const r of lifted.filter((x) => x.type === "aws_secretsmanager_secret")) expect([r.id, r.config.recovery_window_in_days]).toEqual([r.id, 0]);
    const cronJobs = lifted.filter((x) => x.type === "kubernetes_cron_job_v1");
    expect(cronJobs.length).toBeGreaterThan(0);
    for (const r of cronJobs) expect([r.id, r.config.spec.suspend]).toEqual([r.id, true]);

    // Every real stack keeps it.
    const real = REAL_STACKS.flatMap((s) => resourcesOf(WITH.read(s))).filter((r) => STATEFUL_TYPES.includes(r.type));
    expect(real.length).toBeGreaterThan(10);
    for (const r of real) expect([r.type, r.id, r.config.lifecycle?.prevent_destroy, r.config.force_destroy === true]).toEqual([r.type, r.id, true, false]);
    for (const r of REAL_STACKS.flatMap((s) => resourcesOf(WITH.read(s))).filter((x) => x.type === "kubernetes_cron_job_v1"))
      expect([r.id, r.config.spec.suspend]).toEqual([r.id, undefined]);
  });

  it("restores the primary's replicated backups like the recovery, without replicating its own", () => {
    const application = WITH.read("application-us-east-2-rehearsal") as any;
    const [database] = Object.values(application.resource.aws_db_instance) as any[];
    expect(database.restore_to_point_in_time).toEqual({
      source_db_instance_automated_backups_arn:
        '${lookup(data.terraform_remote_state.primary-application-state.outputs, "database_replicated_backups_arn", null)}',
      use_latest_restorable_time: true,
    });
    expect(application.data.terraform_remote_state["primary-application-state"].config.key).toBe("application-us-east-1.tfstate");
    expect(application.resource.aws_db_instance_automated_backups_replication).toBeUndefined();
  });

  it("makes its own identity except the region's pull through cache rules, and needs no standby stack", () => {
    const names = uniqueNames(REHEARSAL_STACKS);
    expect(names.get("aws_iam_role acme-rehearsal-flux-us-east-2")).toBe("kubernetes-us-east-2-rehearsal");
    expect([...names.keys()].filter((k) => k.startsWith("aws_ecr_pull_through_cache_rule"))).toEqual([]);
    expect([...uniqueNames(["standby-us-east-2"]).keys()].filter((k) => k.startsWith("aws_ecr_pull_through_cache_rule")).length).toBeGreaterThan(0);
    const manifest = manifestOf(WITH.app);
    for (const stack of REHEARSAL_STACKS) expect(manifest.stacks[stack].dependencies).not.toContain("standby-us-east-2");
    expect(manifest.stacks["networking-us-east-2-rehearsal"].dependencies).toEqual(["dns-us-east-1"]);
  });

  it("tags everything dr:rehearsal under the rehearsal's project name", () => {
    for (const stack of REHEARSAL_STACKS) {
      const tags = (WITH.read(stack) as any).provider.aws[0].default_tags[0].tags;
      expect([stack, tags["dr:rehearsal"], tags.Project]).toEqual([stack, "true", "acme-rehearsal"]);
    }
  });
});

describe("rehearsalSide and RehearsalRole", () => {
  const [, side] = resolvePairs([environment(primaryInput()), environment(recoveryInput({ rehearsal: true }))]) as [unknown, RecoverySide];

  it("renames the project, marks it, starts its generations at 1 and keeps what it reads from the primary", () => {
    const raised: RecoverySide = {
      ...side,
      environment: { ...side.environment, kubernetes: { ...side.environment.kubernetes, generation: 3, retiringGeneration: 2 } },
    };
    const rehearsal = rehearsalSide(raised);
    expect(rehearsal.environment).toMatchObject({ project: "acme-rehearsal", rehearsing: true, rehearsal: false, region: "us-east-2" });
    expect(rehearsal.environment.kubernetes).toMatchObject({ generation: 1, retiringGeneration: undefined });
    expect(rehearsal.fromPrimary).toBe(side.fromPrimary);
    expect(() => rehearsalSide(rehearsal)).toThrow("rehearsalSide: us-east-2 is a rehearsal already");
  });

  it("refuses an environment that is not a rehearsal's", () => {
    expect(() => new RehearsalRole(side)).toThrow("RehearsalRole: us-east-2 is not a rehearsal generation (rehearsalSide makes one)");
  });
});
