import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { addEnvironments } from "../../../app/assemble";
import type { Environment, LoadedEnvironment } from "../../../lib/environment";
import { buildDatabasePlan } from "../../../lib/recovery/scenarios/database";
import { formatPlan } from "../../../lib/recovery/format";
import { manifestOf, synthApp } from "../../support/app-synth";
import { cdktfCommands, cdktfRefusal } from "../../support/cdktf-selection";
import { shippedEnvironments, shippedRestoringDatabase, synthShipped } from "../../support/shipped";
import { resources } from "../../support/synth";
import { tempDir } from "../../support/temp";
import { planSummary } from "../../support/plan";

const outdir = tempDir("dr-platform-database-plan-");
synthShipped(outdir);
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
const shipped = (region: string): Environment => shippedEnvironments().find((l) => l.environment.region === region)!.environment;
const TIME = "2026-12-01T10:00:00Z";
const ARCHIVE = "postgres/app/20261201T090000Z/archive.dump";

/** The shipped environments with us-east-1's file edited as the plan's second step says. */
const restoring = (restoredFrom: Record<string, unknown> = { from: "point-in-time", generation: 1, restoreTime: TIME }) =>
  shippedRestoringDatabase(restoredFrom);
const restored = new App({ outdir: tempDir("dr-platform-database-restored-") });
addEnvironments(restored, restoring());
const read = synthApp(restored);
const restoredManifest = manifestOf(restored);
const edited = restoring().find((l) => l.environment.region === "us-east-1")!.environment;

const PRIMARY = buildDatabasePlan(shipped("us-east-1"), manifest, { toTime: TIME });
const summary = planSummary;

describe("buildDatabasePlan (runbook --scenario database, restore-database)", () => {
  it("restores generation 2 beside 1, checks it, moves the workloads to it, stops 1, smoke-checks, then retires 1 on the operator's word", () => {
    expect(summary(PRIMARY)).toEqual([
      "gate declare <- -",
      "gate generation <- declare",
      "check synth <- generation",
      "check release <- synth",
      "check gate <- release",
      "deploy deploy:application-us-east-1 <- gate",
      "check check <- deploy:application-us-east-1",
      "deploy deploy:workloads-us-east-1 <- check",
      "check stop-old <- deploy:workloads-us-east-1",
      "check smoke <- stop-old",
      "gate retire <- smoke (after serving)",
      "check delete <- retire (after serving)",
      "gate forget <- delete (after serving)",
    ]);
    expect([PRIMARY.scenario, PRIMARY.manualSteps, PRIMARY.preparation, PRIMARY.runOptions]).toEqual(["database", 4, [], ["--to-time", TIME]]);
  });

  it("is printed as the database restore that restore-database runs, with the time asked for", () => {
    const text = formatPlan(PRIMARY, "text").split("\n");
    expect(text[0]).toBe("Database restore runbook: us-east-1");
    expect(text[2]).toMatch(new RegExp(`^Run all of it with: npx dr-platform restore-database us-east-1 --to-time ${TIME} `));
    expect(PRIMARY.steps[1].title).toBe(
      `Raise the database generation in environments/us-east-1.ts: database.generation 2, database.restoredFrom { from: "point-in-time", generation: 1, restoreTime: "${TIME}" }`,
    );
  });

  it("is the same plan when built from the edited environment file (a run resumes across the edit), which needs no option any more", () => {
    const resumed = buildDatabasePlan(edited, restoredManifest);
    expect(resumed).toEqual({ ...PRIMARY, runOptions: [] });
    expect(buildDatabasePlan(edited, restoredManifest, { toTime: TIME })).toEqual(resumed);
  });

  it("refuses a request other than the one the file is under way with", () => {
    expect(() => buildDatabasePlan(edited, restoredManifest, { toTime: "2026-12-01T11:00:00Z" })).toThrow(
      `environments/us-east-1.ts already restores database generation 2 from generation 1's automated backups (${TIME}): run without --to-time and --from-archive to go on with it, or finish it (retire-database, then remove database.restoredFrom) first`,
    );
    expect(() => buildDatabasePlan(edited, restoredManifest, { fromArchive: ARCHIVE })).toThrow(/already restores database generation 2/);
  });

  it("refuses bad input, naming every problem", () => {
    expect(() => buildDatabasePlan(shipped("us-east-1"), manifest, { toTime: "yesterday", fromArchive: "dump.sql" })).toThrow(
      "give --to-time or --from-archive, not both; --to-time must be an ISO 8601 UTC time like 2026-11-20T03:00:00Z (got yesterday); --from-archive must be the key of an archive file like postgres/app/20261121T030000Z/archive.dump (postgres/<database>/<stamp>/<file>) (got dump.sql)",
    );
  });

  it("runs the plan gate of the application stack between the release and its deploy: a plan that deletes or replaces anything stateful stops the restore", () => {
    const gate = PRIMARY.steps.find((s) => s.id === "gate")!;
    expect([gate.kind, gate.commands, gate.after]).toEqual(["check", ["npx dr-platform plan-gate application-us-east-1"], ["release"]]);
    expect(PRIMARY.steps.find((s) => s.id === "deploy:application-us-east-1")!.after).toEqual(["gate"]);
  });

  it("takes only the old generation's addresses out of the state, so a rerun removes nothing", () => {
    expect(PRIMARY.steps.find((s) => s.id === "release")!.commands).toEqual([
      "terraform -chdir=cdktf.out/stacks/application-us-east-1 init -input=false && terraform -chdir=cdktf.out/stacks/application-us-east-1 state list | grep -E '^(aws_db_instance\\.database_resource_|aws_cloudwatch_log_group\\.database_log-(postgresql|upgrade)_)' | xargs -r terraform -chdir=cdktf.out/stacks/application-us-east-1 state rm",
    ]);
    // The addresses of generation 2 in the edited app do not match the pattern: they are its own.
    const application = read("application-us-east-1");
    const addresses = [
      ...Object.keys(resources(application, "aws_db_instance")).map((id) => `aws_db_instance.${id}`),
      ...Object.keys(resources(application, "aws_cloudwatch_log_group")).map((id) => `aws_cloudwatch_log_group.${id}`),
    ];
    const pattern = /^(aws_db_instance\.database_resource_|aws_cloudwatch_log_group\.database_log-(postgresql|upgrade)_)/;
    expect(addresses.filter((a) => a.startsWith("aws_db_instance") || a.includes("database_log-")).length).toBe(3);
    expect(addresses.filter((a) => pattern.test(a))).toEqual([]);
    const shippedApplication = synthApp(appOf(shippedEnvironments()))("application-us-east-1");
    expect(Object.keys(resources(shippedApplication, "aws_db_instance")).map((id) => pattern.test(`aws_db_instance.${id}`))).toEqual([true]);
  });

  it("prints cdktf commands that cdktf 0.21 runs on the app synthesized after the edit", () => {
    const commands = PRIMARY.steps.flatMap((s) => s.commands.flatMap(cdktfCommands));
    expect(commands.map((c) => c.slice(0, 2).join(" "))).toEqual(["synth", "deploy application-us-east-1", "deploy workloads-us-east-1"]);
    for (const command of commands) expect({ command, refusal: cdktfRefusal(command, restoredManifest) }).toEqual({ command, refusal: undefined });
  });

  it("checks the new generation with the verify-backup query, its password read from RDS's secret when the step runs", () => {
    const check = PRIMARY.steps.find((s) => s.id === "check")!.commands[0];
    expect(check).toMatch(
      /^psql "postgresql:\/\/dbadmin:\$\(aws secretsmanager get-secret-value --region us-east-1 --secret-id \$\(aws rds describe-db-instances --region us-east-1 --db-instance-identifier acme-us-east-1-g2 --query 'DBInstances\[0\]\.MasterUserSecret\.SecretArn' --output text\)/,
    );
    expect(check).toContain("-f backup/table-checksums.sql > acme-us-east-1-g2-tables.txt && test -s acme-us-east-1-g2-tables.txt");
    expect(fs.existsSync(path.join(__dirname, "../../../backup/table-checksums.sql"))).toBe(true);
  });

  it("from an archive: an empty generation 2, loaded and checked against the manifest by verify-backup (the archives' region)", () => {
    const plan = buildDatabasePlan(shipped("us-east-1"), manifest, { fromArchive: ARCHIVE });
    expect(plan.runOptions).toEqual(["--from-archive", ARCHIVE]);
    expect(plan.steps[1].title).toContain(`database.restoredFrom { from: "archive", generation: 1, archiveKey: "${ARCHIVE}" }`);
    expect(plan.steps.find((s) => s.id === "check")!.commands[0]).toMatch(
      new RegExp(`^npx dr-platform verify-backup us-east-2 --archive ${ARCHIVE.replace(/\./g, "\\.")} --target "postgresql://dbadmin:`),
    );
  });

  it("a recovery's plan also moves its replication stack to the new generation, once the site serves", () => {
    const plan = buildDatabasePlan(shipped("us-east-2"), manifest);
    const replication = plan.steps.find((s) => s.id === "deploy:replication-us-east-2")!;
    expect([replication.phase, replication.after]).toEqual(["after-serving", ["smoke"]]);
    expect(plan.steps.find((s) => s.id === "release")!.title).toContain("acme-us-east-2");
    expect(plan.runOptions).toEqual([]);
  });

  it("refuses a manifest without the stacks it deploys", () => {
    expect(() => buildDatabasePlan(shipped("us-east-1"), { stacks: {} } as never)).toThrow(
      "manifest.json has no stack application-us-east-1; synthesize again",
    );
  });
});

function appOf(environments: LoadedEnvironment[]): App {
  const app = new App({ outdir: tempDir("dr-platform-database-shipped-") });
  addEnvironments(app, environments);
  return app;
}
