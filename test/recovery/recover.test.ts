import * as fs from "fs";
import * as path from "path";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { recover } from "../../lib/recovery/recover";
import type { PlanStep, RecoveryPlan } from "../../lib/recovery/plan";
import type { ExecutionTarget } from "../../lib/recovery/run-step";
import { environment, recoveryInput } from "../support/environments";
import { tempDir } from "../support/temp";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const step = (id: string, kind: PlanStep["kind"], after: string[], extra: Partial<PlanStep> = {}): PlanStep => ({
  id,
  title: id,
  kind,
  commands: ["true"],
  after,
  phase: "serve",
  ...extra,
});
const PLAN: RecoveryPlan = {
  region: "us-east-2",
  scenario: "region",
  preparation: [],
  steps: [
    step("declare", "gate", []),
    step("deploy:application-us-east-2", "deploy", ["declare"], { stack: "application-us-east-2" }),
    step("smoke", "check", ["deploy:application-us-east-2"]),
  ],
  manualSteps: 1,
  notNeeded: [],
};

/** Runs commands in a folder; refuses the smoke check like the emulator does. */
function target(cwd: string): ExecutionTarget {
  return {
    description: "a test target",
    cwd,
    env: () => ({ PATH: process.env.PATH }),
    command: (c) => c,
    unserved: (s) => (s.id === "smoke" ? "no DNS here" : undefined),
  };
}

function clients() {
  const state = new S3Client({ region: "us-west-2", credentials });
  const archive = new S3Client({ region: "us-east-2", credentials });
  const rds = new RDSClient({ region: "us-east-2", credentials });
  const sts = new STSClient({ region: "us-east-2", credentials });
  const objects = new Map<string, string>();
  const put = (bucket: S3Client) =>
    mockClient(bucket)
      .on(GetObjectCommand)
      .callsFake((input) => {
        const body = objects.get(`${input.Bucket}/${input.Key}`);
        if (body === undefined) throw Object.assign(new Error("NoSuchKey"), { name: "NoSuchKey", $metadata: { httpStatusCode: 404 } });
        return { Body: { transformToString: async () => body } };
      })
      .on(PutObjectCommand)
      .callsFake((input) => void objects.set(`${input.Bucket}/${input.Key}`, String(input.Body)));
  put(state);
  put(archive);
  mockClient(rds)
    .on(DescribeDBInstancesCommand)
    .rejects(Object.assign(new Error("not found"), { name: "DBInstanceNotFoundFault", $metadata: { httpStatusCode: 404 } }));
  mockClient(sts).on(GetCallerIdentityCommand).resolves({ Arn: "arn:aws:sts::123456789012:assumed-role/platform-admin/oncall" });
  return { state, archive, rds, sts, objects };
}

describe("recover", () => {
  it("executes the plan, keeps the journal in the state bucket, and writes the report locally and into the archive bucket", async () => {
    const dir = tempDir("recover-");
    const outDir = path.join(dir, "cdktf.out");
    fs.mkdirSync(path.join(outDir, "stacks", "application-us-east-2"), { recursive: true });
    fs.writeFileSync(
      path.join(outDir, "stacks", "application-us-east-2", "cdk.tf.json"),
      JSON.stringify({ resource: { aws_db_instance: { db: { identifier: "acme-us-east-2" } } } }),
    );
    const c = clients();
    let snapshots = 0;
    const inputs = {
      plan: PLAN,
      environment: environment(recoveryInput()),
      target: target(dir),
      outDir,
      localDir: path.join(dir, "local"),
      stateBucket: { bucket: "acme-terraform-state", s3: c.state },
      reportBucket: { bucket: "acme-hosting-services-us-east-1", s3: c.archive },
      rds: c.rds,
      sts: c.sts,
      recoveryPoints: async () => (snapshots++, [{ store: "database archives", state: "met", target: "65 min", verdict: "met" }]),
      model: { criticalPathMinutes: 71.3, serialMinutes: 98 },
      yes: true,
    };
    const result = await recover(inputs);
    expect(result.outcome).toBe("completed");
    expect(result.warnings).toEqual([]);
    const journal = JSON.parse(c.objects.get("acme-terraform-state/dr/recover/us-east-2/journal.json")!);
    expect(Object.fromEntries(Object.entries(journal.steps).map(([id, s]: [string, any]) => [id, s.status]))).toEqual({
      declare: "done",
      "deploy:application-us-east-2": "done",
      smoke: "skipped",
    });
    expect(journal.runs[0].caller).toBe("arn:aws:sts::123456789012:assumed-role/platform-admin/oncall");
    const key = `acme-hosting-services-us-east-1/reports/us-east-2/${journal.recoveryId}/report`;
    const report = JSON.parse(c.objects.get(`${key}.json`)!);
    expect(report).toMatchObject({
      region: "us-east-2",
      objectiveMinutes: 240,
      verdict: "met",
      notMeasured: ["smoke: not served by a test target: no DNS here"],
    });
    expect(report.recoveryPoints).toEqual([{ store: "database archives", state: "met", target: "65 min", verdict: "met" }]);
    expect(c.objects.get(`${key}.md`)).toContain(`# Recovery of us-east-2 (region): ${journal.recoveryId}`);
    expect(result.written).toEqual([
      path.join(dir, "local", "reports", journal.recoveryId, "report.json"),
      path.join(dir, "local", "reports", journal.recoveryId, "report.md"),
      `s3://${key}.json`,
      `s3://${key}.md`,
    ]);
    // A rerun after a finished recovery is a new recovery with its own recovery points; the finished
    // journal stays in the state bucket under its id.
    const again = await recover(inputs);
    expect(again.outcome).toBe("completed");
    expect(again.journal.recoveryId).not.toBe(journal.recoveryId);
    expect(again.journal.runs).toHaveLength(1);
    expect(snapshots).toBe(2);
    expect(JSON.parse(c.objects.get(`acme-terraform-state/dr/recover/us-east-2/${journal.recoveryId}/journal.json`)!).recoveryId).toBe(journal.recoveryId);
    expect(JSON.parse(c.objects.get("acme-terraform-state/dr/recover/us-east-2/journal.json")!).recoveryId).toBe(again.journal.recoveryId);
  });

  it("says when the report cannot reach the archive bucket, and keeps it locally", async () => {
    const dir = tempDir("recover-");
    const c = clients();
    mockClient(c.archive).on(PutObjectCommand).rejects(new Error("AccessDenied"));
    const result = await recover({
      plan: PLAN,
      environment: environment(recoveryInput()),
      target: target(dir),
      outDir: path.join(dir, "cdktf.out"),
      localDir: path.join(dir, "local"),
      stateBucket: { bucket: "acme-terraform-state", s3: c.state },
      reportBucket: { bucket: "acme-hosting-services-us-east-1", s3: c.archive },
      rds: c.rds,
      yes: true,
    });
    expect(result.warnings).toEqual([
      expect.stringMatching(/^the report is not in s3:\/\/acme-hosting-services-us-east-1\/reports\/us-east-2\/\d{8}T\d{6}Z\/report\.json: AccessDenied$/),
      expect.stringMatching(/report\.md: AccessDenied$/),
    ]);
    expect(result.written).toHaveLength(2);
    expect(fs.existsSync(result.written[0])).toBe(true);
  });
});
