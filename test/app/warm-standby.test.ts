import * as fs from "fs";
import * as path from "path";
import { shippedWarmStandby, synthShipped } from "../support/shipped";
import { tempDir } from "../support/temp";

/** The stacks of a warm standby (the shipped us-east-2 choosing tier "warm-standby"), as synthesized. */
const outdir = tempDir("dr-warm-standby-app-");
synthShipped(outdir, shippedWarmStandby());
const pilotDir = tempDir("dr-warm-standby-app-pilot-");
synthShipped(pilotDir);
const stack = (id: string, dir = outdir) => JSON.parse(fs.readFileSync(path.join(dir, "stacks", id, "cdk.tf.json"), "utf8"));
const only = (json: any, type: string) => {
  const all = Object.entries(json.resource[type] ?? {});
  expect(all).toHaveLength(1);
  return { id: all[0][0], config: all[0][1] as any };
};
const clusterVars = (json: any) => (Object.values(json.resource.kubernetes_config_map_v1) as any[]).find((c) => c.metadata.name === "cluster-vars").data;
const cronJobs = (json: any) => Object.values(json.resource.kubernetes_cron_job_v1 ?? {}) as any[];

describe("a warm standby's stacks", () => {
  const application = stack("application-us-east-2");
  const workloads = stack("workloads-us-east-2");
  const db = only(application, "aws_db_instance");
  const secretLocal = Object.keys(application.locals)[0];

  it("application: the database is a read replica of the primary's serving instance on this region's data key, its secret a local that is \"\" until the promotion", () => {
    expect([db.config.replicate_source_db, db.config.kms_key_id]).toEqual([
      "arn:aws:rds:us-east-1:123456789012:db:acme-us-east-1",
      "${data.aws_kms_alias.data-key.target_key_arn}",
    ]);
    expect(application.locals).toEqual({ [secretLocal]: `\${try(aws_db_instance.${db.id}.master_user_secret[0].secret_arn, "")}` });
    expect(application.output.database_master_user_secret_arn.value).toBe(`\${local.${secretLocal}}`);
    // The pilot light restores instead, and names its secret directly.
    const pilot = only(stack("application-us-east-2", pilotDir), "aws_db_instance").config;
    expect([pilot.replicate_source_db, pilot.restore_to_point_in_time?.use_latest_restorable_time]).toEqual([undefined, true]);
  });

  it("networking: the SECONDARY record answers to its load balancer's HTTPS health check, as a pilot light's does", () => {
    const networking = stack("networking-us-east-2");
    const check = only(networking, "aws_route53_health_check");
    const record = only(networking, "aws_route53_record").config;
    expect([record.failover_routing_policy.type, record.health_check_id, check.config.type, check.config.resource_path]).toEqual([
      "SECONDARY",
      `\${aws_route53_health_check.${check.id}.id}`,
      "HTTPS",
      "/healthz",
    ]);
  });

  it('workloads: cluster-vars keep WORKLOAD_REPLICAS at "0" while the database has no secret, and the archive is suspended by the same condition', () => {
    const vars = clusterVars(workloads);
    const secret = vars.DATABASE_SECRET_ARN;
    expect(secret).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\.outputs\.cross-stack-output-local[^}]+\}$/);
    const inner = secret.slice(2, -1);
    expect(vars.WORKLOAD_REPLICAS).toBe(`\${(length(${inner}) < 1) ? "0" : ""}`);
    const archive = cronJobs(workloads).find((c) => c.metadata.name === "database-archive");
    expect(archive.spec.suspend).toBe(`\${(length(${inner}) < 1)}`);
    expect(clusterVars(stack("workloads-us-east-2", pilotDir))).not.toHaveProperty("WORKLOAD_REPLICAS");
  });

  it("workloads: the standing broker imports the primary's newest topology again on the backups' schedule", () => {
    const scheduled = cronJobs(workloads).find((c) => c.metadata.name === "broker-definitions-import-scheduled");
    expect(scheduled.spec.schedule).toBe("0 * * * *");
    expect(scheduled.spec.job_template.spec.template.spec.container[0].env).toContainEqual({ name: "TOPOLOGY_ONLY", value: "true" });
    expect(cronJobs(stack("workloads-us-east-2", pilotDir)).map((c) => c.metadata.name)).not.toContain("broker-definitions-import-scheduled");
  });
});
