import { TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabaseSource, PostgresDatabase, PostgresDatabaseProps } from "../../lib/constructs/postgres-database";
import { onlyResource, ref, resources, StackJson, synthJson, testStack } from "../support/synth";

const BACKUPS_ARN = "arn:aws:rds:us-east-2:123456789012:auto-backup:ab-example";

type Props = Omit<PostgresDatabaseProps, "backupReplica">;

const PROPS: Props = {
  identifier: "acme-us-east-1",
  vpcId: "vpc-0123",
  clientCidr: "10.10.0.0/16",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  engineVersion: "16",
  instanceClass: "db.t4g.medium",
  allocatedStorageGb: 50,
  maxAllocatedStorageGb: 200,
  multiAz: true,
  backupRetentionDays: 14,
  source: { kind: "empty", databaseName: "app", username: "dbadmin" },
};

/** The database in a us-east-1 stack, its backups replicated with provider `aws.dr` (us-east-2). */
function build(props: Partial<Props> = {}) {
  const stack = testStack();
  const provider = new AwsProvider(stack, "aws-dr", { region: "us-east-2", alias: "dr" });
  const construct = new PostgresDatabase(stack, "database", { ...PROPS, ...props, backupReplica: { provider, accountId: "123456789012" } });
  return { stack, construct };
}

function synth(props: Partial<Props> = {}): StackJson {
  return synthJson(build(props).stack);
}

const instance = (json: StackJson) => onlyResource(json, "aws_db_instance").config;
const withSource = (source: DatabaseSource) => instance(synth({ source }));

/** Every key of every object in `value`, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  return [];
}

describe("PostgresDatabase", () => {
  it("creates an encrypted, private PostgreSQL instance of the given engine and size", () => {
    expect(instance(synth())).toMatchObject({
      identifier: "acme-us-east-1",
      engine: "postgres",
      // A major only: RDS moves the minor (auto_minor_version_upgrade), a pinned one would plan a downgrade.
      engine_version: "16",
      auto_minor_version_upgrade: true,
      instance_class: "db.t4g.medium",
      allocated_storage: 50,
      max_allocated_storage: 200,
      storage_type: "gp3",
      storage_encrypted: true,
      multi_az: true,
      publicly_accessible: false,
      port: 5432,
      iam_database_authentication_enabled: true,
    });
  });

  it("waits 180 minutes for a create (a restore included) and 120 for a modification, or what it is given", () => {
    expect(instance(synth()).timeouts).toEqual({ create: "180m", update: "120m" });
    expect(instance(synth({ timeouts: { createMinutes: 300, updateMinutes: 60 } })).timeouts).toEqual({ create: "300m", update: "60m" });
  });

  it("refuses waits shorter than 10 minutes or not whole", () => {
    expect(() => synth({ timeouts: { createMinutes: 5, updateMinutes: 12.5 } })).toThrow(
      "PostgresDatabase: timeouts.createMinutes must be a whole number of minutes >= 10 (got 5); timeouts.updateMinutes must be a whole number of minutes >= 10 (got 12.5)",
    );
  });

  it("follows multiAz", () => {
    expect(instance(synth({ multiAz: false })).multi_az).toBe(false);
  });

  it("protects the data: deletion protection, a final snapshot, prevent_destroy", () => {
    const config = instance(synth());
    expect(config.deletion_protection).toBe(true);
    expect(config.skip_final_snapshot).toBe(false);
    expect(config.final_snapshot_identifier).toBe("acme-us-east-1-final");
    expect(config.lifecycle).toEqual({ prevent_destroy: true });
  });

  it("keeps automated backups for backupRetentionDays", () => {
    expect(instance(synth()).backup_retention_period).toBe(14);
    expect(instance(synth({ backupRetentionDays: 7 })).backup_retention_period).toBe(7);
  });

  it("lets RDS generate and keep the master password: no password anywhere in the JSON", () => {
    const json = synth();
    const config = instance(json);
    expect(config.manage_master_user_password).toBe(true);
    expect(config.password).toBeUndefined();
    expect(keysOf(json).filter((key) => /password/.test(key))).toEqual(["manage_master_user_password"]);
  });

  it("enforces TLS with a parameter group of the engine's major version", () => {
    const json = synth();
    const group = onlyResource(json, "aws_db_parameter_group");
    expect(group.config).toEqual({
      name: "acme-us-east-1-postgres16",
      family: "postgres16",
      description: "TLS-only PostgreSQL 16 for acme-us-east-1",
      parameter: [{ name: "rds.force_ssl", value: "1", apply_method: "pending-reboot" }],
    });
    expect(instance(json).parameter_group_name).toBe(ref("aws_db_parameter_group", group.id, "name"));
    expect(onlyResource(synth({ engineVersion: "17" }), "aws_db_parameter_group").config.family).toBe("postgres17");
  });

  it("places the instance in the given subnets", () => {
    const json = synth();
    const group = onlyResource(json, "aws_db_subnet_group");
    expect(group.config.subnet_ids).toEqual(["subnet-a", "subnet-b", "subnet-c"]);
    expect(group.config.name).toBe("acme-us-east-1");
    expect(instance(json).db_subnet_group_name).toBe(ref("aws_db_subnet_group", group.id, "name"));
  });

  it("admits only 5432 from the client range", () => {
    const json = synth();
    const group = onlyResource(json, "aws_security_group");
    expect(group.config.vpc_id).toBe("vpc-0123");
    expect(group.config.ingress).toBeUndefined();
    expect(group.config.egress).toBeUndefined();
    expect(instance(json).vpc_security_group_ids).toEqual([ref("aws_security_group", group.id, "id")]);
    expect(onlyResource(json, "aws_vpc_security_group_ingress_rule").config).toEqual({
      security_group_id: ref("aws_security_group", group.id, "id"),
      description: "PostgreSQL from inside the VPC",
      ip_protocol: "tcp",
      from_port: 5432,
      to_port: 5432,
      cidr_ipv4: "10.10.0.0/16",
    });
    expect(Object.keys(resources(json, "aws_vpc_security_group_egress_rule"))).toEqual([]);
    expect(Object.keys(resources(json, "aws_security_group_rule"))).toEqual([]);
  });

  it("replicates automated backups into the replica provider's region, encrypted with a key there", () => {
    const json = synth();
    const key = onlyResource(json, "aws_kms_key");
    expect(key.config).toMatchObject({ provider: "aws.dr", enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    expect(JSON.parse(key.config.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }],
    });
    expect(onlyResource(json, "aws_db_instance_automated_backups_replication").config).toEqual({
      provider: "aws.dr",
      source_db_instance_arn: ref("aws_db_instance", onlyResource(json, "aws_db_instance").id, "arn"),
      kms_key_id: ref("aws_kms_key", key.id, "arn"),
      retention_period: 14,
      // A replaced instance (a new resource id) replaces its replication, whatever its name.
      lifecycle: { replace_triggered_by: [`aws_db_instance.${onlyResource(json, "aws_db_instance").id}.resource_id`] },
    });
    expect(instance(json).provider).toBeUndefined();
  });

  it("empty: creates the database and the master user", () => {
    const config = withSource({ kind: "empty", databaseName: "orders", username: "owner" });
    expect(config.db_name).toBe("orders");
    expect(config.username).toBe("owner");
    expect(config.restore_to_point_in_time).toBeUndefined();
    expect(config.snapshot_identifier).toBeUndefined();
  });

  it("point-in-time: restores the latest restorable time of the given automated backups", () => {
    const config = withSource({ kind: "point-in-time", automatedBackupsArn: BACKUPS_ARN, username: "dbadmin", databaseName: "app" });
    expect(config.restore_to_point_in_time).toEqual({ source_db_instance_automated_backups_arn: BACKUPS_ARN, use_latest_restorable_time: true });
    expect(config.db_name).toBeUndefined();
    expect(config.snapshot_identifier).toBeUndefined();
    expect(config.username).toBe("dbadmin");
  });

  it("point-in-time: restores to restoreTime when given", () => {
    const config = withSource({
      kind: "point-in-time",
      automatedBackupsArn: BACKUPS_ARN,
      restoreTime: "2026-11-20T03:00:00Z",
      username: "dbadmin",
      databaseName: "app",
    });
    expect(config.restore_to_point_in_time).toEqual({ source_db_instance_automated_backups_arn: BACKUPS_ARN, restore_time: "2026-11-20T03:00:00Z" });
    expect(config.db_name).toBeUndefined();
  });

  it("instance-point-in-time: restores another instance of the region (the generation replaced) to restoreTime, or its latest restorable time", () => {
    const config = withSource({
      kind: "instance-point-in-time",
      sourceIdentifier: "acme-us-east-1",
      restoreTime: "2026-12-01T10:00:00Z",
      username: "dbadmin",
      databaseName: "app",
    });
    expect(config.restore_to_point_in_time).toEqual({ source_db_instance_identifier: "acme-us-east-1", restore_time: "2026-12-01T10:00:00Z" });
    expect([config.db_name, config.snapshot_identifier, config.username]).toEqual([undefined, undefined, "dbadmin"]);
    expect(config.lifecycle.ignore_changes).toEqual(["restore_to_point_in_time", "snapshot_identifier"]);
    const latest = withSource({ kind: "instance-point-in-time", sourceIdentifier: "acme-us-east-1-g2", username: "dbadmin", databaseName: "app" });
    expect(latest.restore_to_point_in_time).toEqual({ source_db_instance_identifier: "acme-us-east-1-g2", use_latest_restorable_time: true });
  });

  it("restored: configured as a new instance on kmsKeyArn, its restore arguments ignored (forgetting them replaces nothing)", () => {
    const KEY = "arn:aws:kms:us-east-1:123456789012:key/data";
    const config = instance(synth({ kmsKeyArn: KEY, source: { kind: "restored", databaseName: "app", username: "dbadmin" } }));
    expect([config.db_name, config.username, config.kms_key_id, config.restore_to_point_in_time]).toEqual(["app", "dbadmin", KEY, undefined]);
    expect(config.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ["restore_to_point_in_time", "snapshot_identifier"] });
  });

  it("generation: from 2 on, the instance and its log groups have addresses of their own (the replaced one leaves the state by its own)", () => {
    const logs = { retentionDays: 365, kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/logs" };
    const first = synth({ logs });
    const second = synth({ logs, identifier: "acme-us-east-1-g2", groupName: "acme-us-east-1", generation: 2 });
    expect(onlyResource(first, "aws_db_instance").id).toMatch(/^database_resource_[0-9A-F]{8}$/);
    expect(onlyResource(second, "aws_db_instance").id).toMatch(/^database_resource-g2_[0-9A-F]{8}$/);
    expect(Object.keys(resources(second, "aws_cloudwatch_log_group")).map((id) => id.replace(/_[0-9A-F]{8}$/, ""))).toEqual([
      "database_log-postgresql-g2",
      "database_log-upgrade-g2",
    ]);
    expect(() => build({ generation: 0 })).toThrow("PostgresDatabase: generation must be a whole number >= 1 (got 0)");
  });

  it("groupName: names the subnet, parameter and security groups, which the generations share; the identifier names the instance", () => {
    const json = synth({ identifier: "acme-us-east-1-g2", groupName: "acme-us-east-1" });
    expect(instance(json).identifier).toBe("acme-us-east-1-g2");
    expect(onlyResource(json, "aws_db_subnet_group").config.name).toBe("acme-us-east-1");
    expect(onlyResource(json, "aws_db_parameter_group").config.name).toBe("acme-us-east-1-postgres16");
    expect(onlyResource(json, "aws_security_group").config.name).toBe("acme-us-east-1-postgres");
    expect(() => build({ groupName: "Acme_DB" })).toThrow(
      "PostgresDatabase: groupName must be a lowercase name of letters, digits and hyphens, at most 63 characters (got Acme_DB)",
    );
  });

  it("snapshot: restores the snapshot, without database name or user", () => {
    const config = withSource({ kind: "snapshot", snapshotIdentifier: "acme-us-east-1-final" });
    expect(config.snapshot_identifier).toBe("acme-us-east-1-final");
    expect(config.username).toBeUndefined();
    expect(config.db_name).toBeUndefined();
    expect(config.restore_to_point_in_time).toBeUndefined();
    expect(config.manage_master_user_password).toBe(true);
  });

  describe("replica (a warm standby's database)", () => {
    const SOURCE = "arn:aws:rds:us-east-1:123456789012:db:acme-us-east-1";
    const KEY = "arn:aws:kms:us-east-2:123456789012:key/data";
    const replica: DatabaseSource = { kind: "replica", sourceArn: SOURCE, databaseName: "app", username: "dbadmin" };
    const separate = { kind: "separate-stack", stackId: "replication-us-east-2" } as const;

    it("is a cross-Region read replica of sourceArn on kmsKeyArn, without user, database name or managed password (RDS refuses them on a replica)", () => {
      const config = instance(synth({ source: replica, kmsKeyArn: KEY, backupReplication: separate }));
      expect([config.replicate_source_db, config.kms_key_id, config.storage_encrypted]).toEqual([SOURCE, KEY, true]);
      expect([config.username, config.db_name, config.manage_master_user_password, config.snapshot_identifier, config.restore_to_point_in_time]).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      expect([config.deletion_protection, config.backup_retention_period, config.tags]).toEqual([true, 14, { BackupReplication: "replication-us-east-2" }]);
    });

    it("ignores its source and managed password after creation: the promotion and the day's modify-db-instance replace nothing", () => {
      expect(instance(synth({ source: replica, kmsKeyArn: KEY, backupReplication: separate })).lifecycle).toEqual({
        prevent_destroy: true,
        ignore_changes: ["replicate_source_db", "manage_master_user_password", "master_user_secret_kms_key_id"],
      });
    });

    it('exposes the master secret as "" until the promoted instance has one: a local, which another stack reads whole', () => {
      const { stack, construct } = build({ source: replica, kmsKeyArn: KEY, backupReplication: separate });
      new TerraformOutput(stack, "secret", { value: construct.masterUserSecretArn });
      const json = synthJson(stack);
      const db = onlyResource(json, "aws_db_instance").id;
      const [local] = Object.keys((json as any).locals);
      expect((json as any).locals).toEqual({ [local]: `\${try(aws_db_instance.${db}.master_user_secret[0].secret_arn, "")}` });
      expect(json.output!.secret.value).toBe(`\${local.${local}}`);
      expect(construct.databaseName).toBe("app");
    });

    it("refuses to replicate its backups beside it: a read replica's automated backups cannot be replicated", () => {
      expect(() => build({ source: replica, kmsKeyArn: KEY })).toThrow(
        "PostgresDatabase: a read replica's automated backups cannot be replicated: give backupReplication a separate stack deployed once it is promoted, or replicateBackups false",
      );
      expect(() => build({ source: replica, kmsKeyArn: KEY, replicateBackups: false })).not.toThrow();
    });
  });

  it("exposes the address, port, master secret and replicated backups", () => {
    const { stack, construct } = build();
    new TerraformOutput(stack, "address", { value: construct.address });
    new TerraformOutput(stack, "secret", { value: construct.masterUserSecretArn });
    new TerraformOutput(stack, "backups", { value: construct.replicatedBackupsArn });
    const json = synthJson(stack);
    const db = onlyResource(json, "aws_db_instance").id;
    expect(construct.port).toBe(5432);
    expect(json.output!.address.value).toBe(ref("aws_db_instance", db, "address"));
    expect(json.output!.secret.value).toBe(`\${aws_db_instance.${db}.master_user_secret[0].secret_arn}`);
    expect(json.output!.backups.value).toBe(
      ref("aws_db_instance_automated_backups_replication", onlyResource(json, "aws_db_instance_automated_backups_replication").id, "id"),
    );
  });

  describe("backupReplication", () => {
    it("in-stack (the default): the replication beside the instance, no tag", () => {
      const json = synth({ backupReplication: { kind: "in-stack" } });
      expect(Object.keys(resources(json, "aws_db_instance_automated_backups_replication"))).toHaveLength(1);
      expect(instance(json).tags).toBeUndefined();
      expect(instance(synth()).tags).toBeUndefined();
    });

    it("separate-stack: no key and no replication here, the instance tagged with the stack that replicates it", () => {
      const { stack, construct } = build({ backupReplication: { kind: "separate-stack", stackId: "replication-us-east-1" } });
      const json = synthJson(stack);
      expect(Object.keys(resources(json, "aws_db_instance_automated_backups_replication"))).toEqual([]);
      expect(Object.keys(resources(json, "aws_kms_key"))).toEqual([]);
      expect(instance(json).tags).toEqual({ BackupReplication: "replication-us-east-1" });
      expect(construct.backupReplication).toBeUndefined();
      expect(construct.replicatedBackupsArn).toBeUndefined();
    });

    it("refuses a separate stack without a stack id, or with replicateBackups off", () => {
      expect(() => build({ backupReplication: { kind: "separate-stack", stackId: " " } })).toThrow(
        'PostgresDatabase: backupReplication.stackId must name the stack holding the replication (got " ")',
      );
      expect(() => build({ replicateBackups: false, backupReplication: { kind: "separate-stack", stackId: "replication-us-east-1" } })).toThrow(
        "PostgresDatabase: backupReplication must not name a separate stack when replicateBackups is false (got replication-us-east-1)",
      );
    });
  });

  describe("validation", () => {
    it("refuses a pinned minor: RDS upgrades minors itself, and the plan would then show a downgrade ModifyDBInstance refuses", () => {
      for (const engineVersion of ["16.4", "16.x", ""]) {
        expect(() => build({ engineVersion })).toThrow(
          `PostgresDatabase: engineVersion must be a major version like "16": RDS upgrades the minor itself, and a pinned minor then plans a downgrade (got ${engineVersion})`,
        );
      }
    });
    it("backupRetentionDays must be from 7 to 35", () => {
      expect(() => build({ backupRetentionDays: 6 })).toThrow("PostgresDatabase: backupRetentionDays must be from 7 to 35 (got 6)");
      expect(() => build({ backupRetentionDays: 36 })).toThrow("PostgresDatabase: backupRetentionDays must be from 7 to 35 (got 36)");
      expect(() => build({ backupRetentionDays: 35 })).not.toThrow();
    });
    it("maxAllocatedStorageGb must not be below allocatedStorageGb", () => {
      expect(() => build({ allocatedStorageGb: 100, maxAllocatedStorageGb: 50 })).toThrow(
        "PostgresDatabase: maxAllocatedStorageGb must be >= allocatedStorageGb (got 50 < 100)",
      );
      expect(() => build({ allocatedStorageGb: 100, maxAllocatedStorageGb: 100 })).not.toThrow();
    });
    it("needs at least two subnets", () => {
      expect(() => build({ subnetIds: ["subnet-a"] })).toThrow("PostgresDatabase: subnetIds must list at least two subnets (got 1)");
    });
    it("lists every problem in one message", () => {
      expect(() => build({ backupRetentionDays: 1, allocatedStorageGb: 100, maxAllocatedStorageGb: 20, subnetIds: [] })).toThrow(
        "PostgresDatabase: backupRetentionDays must be from 7 to 35 (got 1); maxAllocatedStorageGb must be >= allocatedStorageGb (got 20 < 100); subnetIds must list at least two subnets (got 0)",
      );
    });
  });

  describe("log groups of the exported logs", () => {
    const KEY = "arn:aws:kms:us-east-1:123456789012:key/logs";

    it("without logs, makes none: RDS would make them on its first publish, never expiring", () => {
      const json = synth();
      expect(instance(json).enabled_cloudwatch_logs_exports).toEqual(["postgresql", "upgrade"]);
      expect(resources(json, "aws_cloudwatch_log_group")).toEqual({});
      expect(instance(json).depends_on).toBeUndefined();
    });

    it("with logs, makes each export's group before the instance, kept the given days and encrypted with the given key", () => {
      const json = synth({ logs: { retentionDays: 365, kmsKeyArn: KEY } });
      const groups = Object.entries(resources(json, "aws_cloudwatch_log_group")).map(([id, g]: [string, any]) => ({ id, ...g }));
      expect(groups.map(({ id: _id, ...g }) => g)).toEqual([
        { name: "/aws/rds/instance/acme-us-east-1/postgresql", retention_in_days: 365, kms_key_id: KEY },
        { name: "/aws/rds/instance/acme-us-east-1/upgrade", retention_in_days: 365, kms_key_id: KEY },
      ]);
      expect(instance(json).depends_on).toEqual(groups.map((g) => `aws_cloudwatch_log_group.${g.id}`));
    });

    it("refuses a retention that is not a whole number of days >= 1", () => {
      for (const days of [0, 1.5]) {
        expect(() => build({ logs: { retentionDays: days, kmsKeyArn: KEY } })).toThrow(
          `PostgresDatabase: logs.retentionDays must be a whole number >= 1 (got ${days})`,
        );
      }
    });
  });

  describe("customer-managed key and enhanced monitoring", () => {
    const KEY = "arn:aws:kms:us-east-1:123456789012:key/data";
    const ROLE = "arn:aws:iam::123456789012:role/acme-rds-monitoring-us-east-1";

    it("encrypts a new instance's storage and Performance Insights with kmsKeyArn", () => {
      expect(instance(synth({ kmsKeyArn: KEY }))).toMatchObject({
        storage_encrypted: true,
        kms_key_id: KEY,
        performance_insights_enabled: true,
        performance_insights_kms_key_id: KEY,
      });
    });

    it.each([
      ["point-in-time", { kind: "point-in-time", automatedBackupsArn: BACKUPS_ARN, username: "dbadmin" } as DatabaseSource],
      ["snapshot", { kind: "snapshot", snapshotIdentifier: "acme-before-upgrade" } as DatabaseSource],
      ["instance-point-in-time", { kind: "instance-point-in-time", sourceIdentifier: "acme-us-east-1", username: "dbadmin" } as DatabaseSource],
    ])("%s: a restored instance keeps its source's storage key (no kms_key_id), Performance Insights uses kmsKeyArn", (_kind, source) => {
      const config = instance(synth({ kmsKeyArn: KEY, source }));
      expect(config.kms_key_id).toBeUndefined();
      expect(config.performance_insights_kms_key_id).toBe(KEY);
    });

    it("leaves the keys to AWS without kmsKeyArn", () => {
      const config = instance(synth());
      expect(config.kms_key_id).toBeUndefined();
      expect(config.performance_insights_kms_key_id).toBeUndefined();
    });

    it("publishes OS metrics every intervalSeconds through the monitoring role", () => {
      expect(instance(synth({ monitoring: { intervalSeconds: 15, roleArn: ROLE } }))).toMatchObject({ monitoring_interval: 15, monitoring_role_arn: ROLE });
    });

    it("sets no monitoring for intervalSeconds 0 or without monitoring", () => {
      for (const config of [instance(synth({ monitoring: { intervalSeconds: 0, roleArn: ROLE } })), instance(synth())]) {
        expect(config.monitoring_interval).toBeUndefined();
        expect(config.monitoring_role_arn).toBeUndefined();
      }
    });

    it("refuses an interval RDS does not accept", () => {
      expect(() => build({ monitoring: { intervalSeconds: 45, roleArn: ROLE } })).toThrow(
        "PostgresDatabase: monitoring.intervalSeconds must be one of 0, 1, 5, 10, 15, 30, 60 (got 45)",
      );
    });
  });
});
