import { TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabaseBackupReplication, DatabaseBackupReplicationProps } from "../../lib/constructs/database-backup-replication";
import { onlyResource, ref, synthJson, testStack } from "../support/synth";

const ARN = "arn:aws:rds:us-east-2:123456789012:db:acme-us-east-2";

function build(props: Partial<Omit<DatabaseBackupReplicationProps, "provider">> = {}) {
  const stack = testStack();
  const provider = new AwsProvider(stack, "aws-dr", { region: "us-west-2", alias: "dr" });
  const construct = new DatabaseBackupReplication(stack, "database", {
    identifier: "acme-us-east-2",
    sourceDbInstanceArn: ARN,
    accountId: "123456789012",
    retentionDays: 14,
    ...props,
    provider,
  });
  return { stack, construct };
}

describe("DatabaseBackupReplication", () => {
  it("replicates the instance named by its ARN into the provider's region, encrypted with a key there protected from destroy", () => {
    const { stack, construct } = build();
    new TerraformOutput(stack, "backups", { value: construct.replicatedBackupsArn });
    const json = synthJson(stack);
    const key = onlyResource(json, "aws_kms_key");
    expect(key.config).toMatchObject({ provider: "aws.dr", enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(JSON.parse(key.config.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }],
    });
    const replication = onlyResource(json, "aws_db_instance_automated_backups_replication");
    expect(replication.config).toEqual({
      provider: "aws.dr",
      source_db_instance_arn: ARN,
      kms_key_id: ref("aws_kms_key", key.id, "arn"),
      retention_period: 14,
    });
    // The same construct ids as PostgresDatabase's in-stack replication: the addresses do not move.
    expect(replication.id).toBe("database_backup-replication_73A9EFB9");
    expect(key.id).toBe("database_backup-replica-key_770A48B1");
    expect(json.output!.backups.value).toBe(ref("aws_db_instance_automated_backups_replication", replication.id, "id"));
  });

  it("retentionDays must be from 7 to 35", () => {
    expect(() => build({ retentionDays: 6 })).toThrow("DatabaseBackupReplication: retentionDays must be from 7 to 35 (got 6)");
    expect(() => build({ retentionDays: 36 })).toThrow("DatabaseBackupReplication: retentionDays must be from 7 to 35 (got 36)");
    expect(() => build({ retentionDays: 7 })).not.toThrow();
    expect(() => build({ retentionDays: 35 })).not.toThrow();
  });
});
