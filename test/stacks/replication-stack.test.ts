import { App } from "cdktf";
import { addEnvironments } from "../../app/assemble";
import type { EnvironmentInput } from "../../lib/environment";
import { manifestOf, synthApp } from "../support/app-synth";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { synthShipped } from "../support/shipped";
import { tempDir } from "../support/temp";

const SHIPPED_APP = synthShipped(tempDir("dr-platform-replication-"));
const shipped = synthApp(SHIPPED_APP);

function build(recovery: EnvironmentInput = recoveryInput()) {
  const app = new App({ outdir: tempDir("dr-platform-replication-") });
  addEnvironments(app, [
    { file: "environments/us-east-1.ts", environment: environment(primaryInput()) },
    { file: "environments/us-east-2.ts", environment: environment(recovery) },
  ]);
  return { json: synthApp(app), manifest: manifestOf(app) };
}

const TAGS = { CostCenter: "platform", Environment: "us-east-2", ManagedBy: "dr-platform", Project: "acme", Role: "recovery" };

describe("ReplicationStack (replication-<region>)", () => {
  it("is exactly the restored database's backup replication into drRegion, with its key, by the instance's ARN", () => {
    expect(shipped("replication-us-east-2")).toEqual({
      output: {
        database_replicated_backups_arn: {
          description: "Automated backups of the restored database replicated into us-west-2",
          sensitive: false,
          value: "${aws_db_instance_automated_backups_replication.database_backup-replication_73A9EFB9.id}",
        },
      },
      provider: {
        aws: [
          { allowed_account_ids: ["123456789012"], default_tags: [{ tags: TAGS }], region: "us-east-2" },
          { alias: "dr", allowed_account_ids: ["123456789012"], default_tags: [{ tags: TAGS }], region: "us-west-2" },
        ],
      },
      resource: {
        aws_db_instance_automated_backups_replication: {
          "database_backup-replication_73A9EFB9": {
            kms_key_id: "${aws_kms_key.database_backup-replica-key_770A48B1.arn}",
            provider: "aws.dr",
            retention_period: 14,
            source_db_instance_arn: "arn:aws:rds:us-east-2:123456789012:db:acme-us-east-2",
          },
        },
        aws_kms_key: {
          "database_backup-replica-key_770A48B1": {
            deletion_window_in_days: 30,
            description: "Automated backups of acme-us-east-2, replicated",
            enable_key_rotation: true,
            lifecycle: { prevent_destroy: true },
            policy: JSON.stringify({
              Version: "2012-10-17",
              Statement: [{ Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }],
            }),
            provider: "aws.dr",
          },
        },
      },
      terraform: {
        backend: { s3: { bucket: "acme-terraform-state", encrypt: true, key: "replication-us-east-2.tfstate", region: "us-west-2", use_lockfile: true } },
        required_providers: { aws: { source: "aws", version: "5.100.0" } },
      },
    });
  });

  it("keeps the addresses the replication had in the application stack (a primary's stay where they are)", () => {
    const primary = shipped("application-us-east-1");
    expect(Object.keys(primary.resource!.aws_db_instance_automated_backups_replication)).toEqual(["database_backup-replication_73A9EFB9"]);
    expect(Object.keys(primary.resource!.aws_kms_key)).toContain("database_backup-replica-key_770A48B1");
    expect(() => shipped("replication-us-east-1")).toThrow(/ENOENT/);
  });

  it("follows the environment: its backup retention and drRegion", () => {
    const { json, manifest } = build(recoveryInput({ drRegion: "eu-west-1", database: { ...(recoveryInput().database as object), backupRetentionDays: 21 } }));
    const stack = json("replication-us-east-2");
    const replication = Object.values(stack.resource!.aws_db_instance_automated_backups_replication)[0] as any;
    expect(replication.source_db_instance_arn).toBe("arn:aws:rds:us-east-2:123456789012:db:acme-us-east-2");
    expect(replication.retention_period).toBe(21);
    expect(stack.provider!.aws.find((p: any) => p.alias === "dr").region).toBe("eu-west-1");
    expect(manifest.stacks["replication-us-east-2"].dependencies).toEqual(["application-us-east-2"]);
  });

  it("follows the database generation: a raised generation names the new instance's ARN, which replaces the replication (its source is ForceNew)", () => {
    const database = { ...(recoveryInput().database as object), generation: 2, restoredFrom: { from: "point-in-time", generation: 1 } };
    const { json } = build(recoveryInput({ database }));
    const stack = json("replication-us-east-2");
    const replication = Object.values(stack.resource!.aws_db_instance_automated_backups_replication)[0] as any;
    expect(replication.source_db_instance_arn).toBe("arn:aws:rds:us-east-2:123456789012:db:acme-us-east-2-g2");
    const instance = Object.values(json("application-us-east-2").resource!.aws_db_instance)[0] as any;
    expect([instance.identifier, instance.tags]).toEqual(["acme-us-east-2-g2", { BackupReplication: "replication-us-east-2" }]);
  });
});
