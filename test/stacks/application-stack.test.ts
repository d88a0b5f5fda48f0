import { App, TerraformStack, Testing } from "cdktf";
import type { Environment, EnvironmentInput } from "../../lib/environment";
import { DATABASE_RESOURCE_ID_OUTPUT, REPLICATED_BACKUPS_OUTPUT } from "../../lib/naming";
import { addEnvironments } from "../../app/assemble";
import { ApplicationStack } from "../../stacks/application-stack";
import type { NetworkingStack } from "../../stacks/networking-stack";
import { environment, primaryInput, recoveryInput, roleProps, networkingStack } from "../support/environments";
import { onlyResource, ref, resourceAt, resources, StackJson, synthJson } from "../support/synth";
import { tempDir } from "../support/temp";
import { SHIPPED_STACK_IDS } from "../support/shipped";

interface Built {
  readonly app: App;
  readonly networking: NetworkingStack;
  readonly stack: ApplicationStack;
  readonly json: StackJson;
  readonly networkingJson: StackJson;
}

/**
 * The networking and application stacks of one environment in one app. The app is synthesized
 * first: that is when cdktf turns references to the networking stack into remote-state reads and
 * outputs, so the stacks' JSON is what `cdktf synth` writes.
 */
function build(input: EnvironmentInput, primary?: Environment): Built {
  const app = Testing.app({ outdir: tempDir() });
  const env = environment(input);
  const networking = networkingStack(app, env, primary);
  const stack = new ApplicationStack(app, { networking, ...roleProps(env, primary) });
  app.synth();
  return { app, networking, stack, json: synthJson(stack), networkingJson: synthJson(networking) };
}

const DATABASE = primaryInput().database;

const buildPrimary = (overrides: Parameters<typeof primaryInput>[0] = {}) => build(primaryInput(overrides));
const buildRecovery = (overrides: Parameters<typeof primaryInput>[0] = {}, primary: Environment = environment(primaryInput())) =>
  build(recoveryInput(overrides), primary);

/** Built once: most tests only read these. */
const PRIMARY = buildPrimary();
const RECOVERY = buildRecovery();

const TAGS = (region: string, role: string) => ({ Project: "acme", Environment: region, Role: role, ManagedBy: "dr-platform" });

/** Resources that live in drRegion, i.e. must use the `dr` provider. */
function inDrRegion(type: string, id: string): boolean {
  if (type.startsWith("aws_s3_bucket")) return id.startsWith("dr-assets_replica_") || id.startsWith("hosting-services_") || id.startsWith("dr-access-logs_");
  if (type === "aws_kms_key") return ["database_backup-replica-key_", "archive-key_", "git-credentials-replica-key_"].some((p) => id.startsWith(p));
  if (type === "aws_kms_alias") return ["sops-key_replica-alias_", "archive-key_", "git-credentials-replica-key_"].some((p) => id.startsWith(p));
  return type === "aws_kms_replica_key" || type === "aws_db_instance_automated_backups_replication";
}

function allResources(json: StackJson): { type: string; id: string; config: any }[] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byId]) => Object.entries(byId).map(([id, config]) => ({ type, id, config })));
}

/** Every string in a JSON value, at any depth. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

/** Every (key, value) pair of every object in a JSON value, at any depth. */
function entries(value: unknown): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap(entries);
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [[k, v] as [string, unknown], ...entries(v)]);
  return [];
}

/** `${data.terraform_remote_state.<id>.outputs.<name>}` -> { id, name }. */
function remoteStateOutput(expression: string): { id: string; name: string } {
  const match = /^\$\{data\.terraform_remote_state\.([^.]+)\.outputs\.([^.}]+)\}$/.exec(expression);
  if (!match) throw new Error(`not a remote-state output reference: ${expression}`);
  return { id: match[1], name: match[2] };
}

describe("ApplicationStack", () => {
  describe("both roles", () => {
    it("waits for a restore and a broker longer than the provider would (database 180/120 min, broker 60 min)", () => {
      for (const { json } of [PRIMARY, RECOVERY]) {
        expect(onlyResource(json, "aws_db_instance").config.timeouts).toEqual({ create: "180m", update: "120m" });
        expect(onlyResource(json, "aws_mq_broker").config.timeouts).toEqual({ create: "60m" });
      }
    });

    it("is named application-<region>", () => {
      expect(PRIMARY.stack.node.id).toBe("application-us-east-1");
      expect(RECOVERY.stack.node.id).toBe("application-us-east-2");
    });

    it("keeps its state in the state bucket under its own key", () => {
      expect(PRIMARY.json.terraform.backend).toEqual({
        s3: { bucket: "acme-terraform-state", key: "application-us-east-1.tfstate", region: "us-west-2", encrypt: true, use_lockfile: true },
      });
      expect(RECOVERY.json.terraform.backend.s3.key).toBe("application-us-east-2.tfstate");
    });

    it("has two AWS providers bound to the account: the region's default and `dr` in drRegion", () => {
      expect(PRIMARY.json.provider!.aws).toEqual([
        { region: "us-east-1", allowed_account_ids: ["123456789012"], default_tags: [{ tags: TAGS("us-east-1", "primary") }] },
        { alias: "dr", region: "us-east-2", allowed_account_ids: ["123456789012"], default_tags: [{ tags: TAGS("us-east-1", "primary") }] },
      ]);
      expect(RECOVERY.json.provider!.aws).toEqual([
        { region: "us-east-2", allowed_account_ids: ["123456789012"], default_tags: [{ tags: TAGS("us-east-2", "recovery") }] },
        { alias: "dr", region: "us-west-2", allowed_account_ids: ["123456789012"], default_tags: [{ tags: TAGS("us-east-2", "recovery") }] },
      ]);
    });

    it.each([
      ["primary", PRIMARY, 31, 1],
      // The recovery's backup copies are in its replication stack (test/stacks/replication-stack.test.ts).
      ["recovery", RECOVERY, 16, 0],
    ] as const)("%s: binds exactly the replicas, archives and backup copies to the dr provider", (_role, built, drCount, replications) => {
      const all = allResources(built.json);
      for (const { type, id, config } of all) {
        expect([type, id, config.provider]).toEqual([type, id, inDrRegion(type, id) ? "aws.dr" : undefined]);
      }
      expect(all.filter(({ type, id }) => inDrRegion(type, id))).toHaveLength(drCount);
      const replication = Object.values(resources(built.json, "aws_db_instance_automated_backups_replication")) as any[];
      expect(replication.map((r) => r.provider)).toEqual(Array(replications).fill("aws.dr"));
      expect(resourceAt(built.json, "aws_s3_bucket", "hosting-services/bucket/resource").config.provider).toBe("aws.dr");
    });

    it("deploys after its networking stack and reads it through remote state only", () => {
      for (const built of [PRIMARY, RECOVERY]) {
        expect(built.stack.dependencies).toContain(built.networking);
        const defined = new Set([
          ...allResources(built.json).map(({ type, id }) => `${type}.${id}`),
          ...Object.entries(built.json.data ?? {}).flatMap(([type, byId]) => Object.keys(byId).map((id) => `data.${type}.${id}`)),
        ]);
        const referenced = strings(built.json).flatMap((s) =>
          [...s.matchAll(/(data\.)?(aws_[a-z0-9_]+|terraform_remote_state)\.([A-Za-z0-9_-]+)\./g)].map((m) => `${m[1] ?? ""}${m[2]}.${m[3]}`),
        );
        expect(referenced.length).toBeGreaterThan(20);
        expect(referenced.filter((r) => !defined.has(r))).toEqual([]);
      }
    });

    it("puts the database and the broker in the networking stack's private subnets and VPC", () => {
      const { json, networkingJson } = PRIMARY;
      const subnets = onlyResource(json, "aws_db_subnet_group").config.subnet_ids as string[];
      expect(subnets).toHaveLength(3);
      const privateSubnetIds = ["us-east-1a", "us-east-1b", "us-east-1c"].map((zone) =>
        ref("aws_subnet", resourceAt(networkingJson, "aws_subnet", `vpc/private-${zone}`).id, "id"),
      );
      expect(subnets.map((s) => networkingJson.output![remoteStateOutput(s).name].value)).toEqual(privateSubnetIds);
      expect(onlyResource(json, "aws_mq_broker").config.subnet_ids).toEqual(subnets);
      const vpc = remoteStateOutput(resourceAt(json, "aws_security_group", "database/security-group").config.vpc_id);
      expect(networkingJson.output![vpc.name].value).toBe(ref("aws_vpc", onlyResource(networkingJson, "aws_vpc").id, "id"));
      const remote = json.data!.terraform_remote_state[vpc.id];
      expect(remote.config).toEqual({ bucket: "acme-terraform-state", key: "networking-us-east-1.tfstate", region: "us-west-2", encrypt: true });
    });

    it("admits database and broker clients from the VPC range only", () => {
      for (const [built, cidr] of [
        [PRIMARY, "10.10.0.0/16"],
        [RECOVERY, "10.20.0.0/16"],
      ] as const) {
        const rules = Object.values(resources(built.json, "aws_vpc_security_group_ingress_rule"));
        expect(rules.map((r: any) => [r.from_port, r.cidr_ipv4]).sort()).toEqual([
          [443, cidr],
          [5432, cidr],
          [5671, cidr],
        ]);
      }
    });

    it("builds the database, the broker and the archive bucket from the environment", () => {
      const { json } = buildPrimary({
        database: { ...DATABASE, allocatedStorageGb: 100, maxAllocatedStorageGb: 400, backupRetentionDays: 21, multiAz: false, databaseName: "shop" },
        broker: { engineVersion: "3.13", instanceType: "mq.m5.xlarge", deploymentMode: "SINGLE_INSTANCE", adminUsername: "ops", users: ["orders", "billing"] },
        backups: { noncurrentVersionRetentionDays: 30 },
      });
      expect(onlyResource(json, "aws_db_instance").config).toMatchObject({
        identifier: "acme-us-east-1",
        engine_version: "16",
        instance_class: "db.t4g.medium",
        allocated_storage: 100,
        max_allocated_storage: 400,
        backup_retention_period: 21,
        multi_az: false,
        db_name: "shop",
        username: "dbadmin",
      });
      expect(onlyResource(json, "aws_db_instance_automated_backups_replication").config.retention_period).toBe(21);
      const broker = onlyResource(json, "aws_mq_broker").config;
      expect(broker).toMatchObject({ broker_name: "acme-us-east-1", host_instance_type: "mq.m5.xlarge", deployment_mode: "SINGLE_INSTANCE" });
      expect(broker.subnet_ids).toHaveLength(1);
      expect(broker.user.map((u: any) => u.username)).toEqual(["ops"]);
      expect(
        Object.values(resources(json, "aws_secretsmanager_secret"))
          .map((s: any) => s.name)
          .sort(),
      ).toEqual([
        // Flux's Git credentials (a primary's, with its replica in drRegion).
        "acme/flux/git",
        "acme/us-east-1/rabbitmq/billing",
        "acme/us-east-1/rabbitmq/ops",
        "acme/us-east-1/rabbitmq/orders",
        // The registry cache's upstream credentials (the peacetime identity's data part).
        "ecr-pullthroughcache/acme-github-us-east-1",
      ]);
      const [rule] = resourceAt(json, "aws_s3_bucket_lifecycle_configuration", "hosting-services/lifecycle").config.rule;
      expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    });

    it("names the archive bucket and the backup user after the environment's region", () => {
      for (const [built, region] of [
        [PRIMARY, "us-east-1"],
        [RECOVERY, "us-east-2"],
      ] as const) {
        expect(resourceAt(built.json, "aws_s3_bucket", "hosting-services/bucket/resource").config.bucket).toBe(`acme-hosting-services-${region}`);
      }
      // The primary creates its user and policy; a recovery's were made by its standby stack.
      const user = onlyResource(PRIMARY.json, "aws_iam_user");
      expect(user.config.name).toBe("acme-backups-us-east-1");
      expect(PRIMARY.json.output!.backup_user_name.value).toBe(ref("aws_iam_user", user.id, "name"));
      expect(RECOVERY.json.output!.backup_user_name.value).toBe("acme-backups-us-east-2");
      expect(onlyResource(PRIMARY.json, "aws_iam_policy").config.name).toBe("acme-assets-management-us-east-1");
    });

    it("creates the backup user's access key only when backups.accessKey is on", () => {
      expect(Object.keys(resources(PRIMARY.json, "aws_iam_access_key"))).toEqual([]);
      expect(PRIMARY.json.output!.backup_user_access_key_secret_arn).toBeUndefined();
      const { json } = buildPrimary({ backups: { accessKey: true } });
      expect(Object.keys(resources(json, "aws_iam_access_key"))).toHaveLength(1);
      expect(resourceAt(json, "aws_secretsmanager_secret", "backup-user/access-key-secret").config.name).toBe("acme-backups-us-east-1/access-key");
      expect(json.output!.backup_user_access_key_secret_arn.value).toBe(
        ref("aws_secretsmanager_secret", resourceAt(json, "aws_secretsmanager_secret", "backup-user/access-key-secret").id, "arn"),
      );
    });

    it("makes no Route 53 record: the site's records are the networking stacks'", () => {
      expect(resources(buildPrimary().json, "aws_route53_record")).toEqual({});
    });

    it("outputs no secret value: only names, ARNs and endpoints", () => {
      const withKey = buildPrimary({ backups: { accessKey: true } });
      for (const built of [withKey, RECOVERY]) {
        for (const [name, output] of Object.entries(built.json.output!)) {
          const values = strings(output.value);
          expect(values.length).toBeGreaterThan(0);
          for (const value of values) {
            expect([name, /secret_string|random_password|password|\.secret\b/.test(value)]).toEqual([name, false]);
            if (/secret/.test(name)) expect([name, value]).toEqual([name, expect.stringMatching(/(\.arn|\.secret_arn)\}$/)]);
          }
        }
      }
    });
  });

  describe("primary", () => {
    it("creates the assets bucket, its replica in drRegion and the archive bucket", () => {
      const buckets = Object.values(resources(PRIMARY.json, "aws_s3_bucket")).map((b: any) => [b.bucket, b.provider]);
      expect(buckets.sort()).toEqual([
        ["acme-access-logs-us-east-1", undefined],
        ["acme-assets-us-east-1", undefined],
        ["acme-dr-access-logs-us-east-1", "aws.dr"],
        ["acme-dr-assets-us-east-1", "aws.dr"],
        ["acme-hosting-services-us-east-1", "aws.dr"],
      ]);
    });

    it("logs access to every bucket into the log bucket of its region, and the log buckets nowhere", () => {
      const { json } = PRIMARY;
      const bucket = (path: string) => resourceAt(json, "aws_s3_bucket", path).id;
      const logging = Object.values(resources(json, "aws_s3_bucket_logging")).map((l: any) => [l.bucket, l.target_bucket, l.target_prefix, l.provider]);
      expect(logging.sort()).toEqual(
        [
          [
            ref("aws_s3_bucket", bucket("assets/resource"), "id"),
            ref("aws_s3_bucket", bucket("access-logs/bucket/resource"), "bucket"),
            "acme-assets-us-east-1/",
            undefined,
          ],
          [
            ref("aws_s3_bucket", bucket("dr-assets/replica/resource"), "id"),
            ref("aws_s3_bucket", bucket("dr-access-logs/bucket/resource"), "bucket"),
            "acme-dr-assets-us-east-1/",
            "aws.dr",
          ],
          [
            ref("aws_s3_bucket", bucket("hosting-services/bucket/resource"), "id"),
            ref("aws_s3_bucket", bucket("dr-access-logs/bucket/resource"), "bucket"),
            "acme-hosting-services-us-east-1/",
            "aws.dr",
          ],
        ].sort(),
      );
    });

    it("locks the archives in governance mode for their retention by default, as the environment says otherwise", () => {
      const lock = (json: StackJson) => onlyResource(json, "aws_s3_bucket_object_lock_configuration").config.rule;
      expect(lock(PRIMARY.json)).toEqual({ default_retention: { mode: "GOVERNANCE", days: 90 } });
      expect(lock(buildPrimary({ backups: { objectLock: { mode: "COMPLIANCE", retentionDays: 400 } } }).json)).toEqual({
        default_retention: { mode: "COMPLIANCE", days: 400 },
      });
    });

    it("replicates the assets bucket into the replica with the environment's assets settings", () => {
      const { json } = PRIMARY;
      const config = onlyResource(json, "aws_s3_bucket_replication_configuration").config;
      expect(config.bucket).toBe(ref("aws_s3_bucket", resourceAt(json, "aws_s3_bucket", "assets/resource").id, "id"));
      expect(config.rule[0]).toMatchObject({
        id: "DR Replication",
        delete_marker_replication: { status: "Disabled" },
        destination: { bucket: ref("aws_s3_bucket", resourceAt(json, "aws_s3_bucket", "dr-assets/replica/resource").id, "arn") },
      });
      expect(config.rule[0].destination.replication_time).toEqual({ status: "Enabled", time: { minutes: 15 } });
      expect(config.rule[0].destination.metrics).toEqual({ status: "Enabled", event_threshold: { minutes: 15 } });
      expect(resourceAt(json, "aws_iam_role", "dr-assets/role").config.name).toBe("acme-dr-replication-us-east-1");
      const [rule] = onlyResource(
        buildPrimary({ assets: { replicateDeletes: true, replicationTimeControl: false } }).json,
        "aws_s3_bucket_replication_configuration",
      ).config.rule;
      expect(rule.delete_marker_replication).toEqual({ status: "Enabled" });
      expect(rule.destination.replication_time).toBeUndefined();
      expect(rule.destination.metrics).toBeUndefined();
    });

    it("makes the data key and encrypts the new database, Performance Insights and the broker secrets with it; monitors every 60 s", () => {
      const { json } = PRIMARY;
      const key = ref("aws_kms_key", resourceAt(json, "aws_kms_key", "data-key/resource").id, "arn");
      const database = onlyResource(json, "aws_db_instance").config;
      expect(database).toMatchObject({
        storage_encrypted: true,
        kms_key_id: key,
        performance_insights_enabled: true,
        performance_insights_kms_key_id: key,
        monitoring_interval: 60,
        monitoring_role_arn: ref("aws_iam_role", resourceAt(json, "aws_iam_role", "monitoring-role/resource").id, "arn"),
      });
      const secrets = Object.values(resources(json, "aws_secretsmanager_secret"));
      expect(secrets.length).toBeGreaterThan(1);
      for (const secret of secrets) expect((secret as any).kms_key_id).toBe(key);
      expect(resourceAt(json, "aws_iam_role", "monitoring-role/resource").config.name).toBe("acme-rds-monitoring-us-east-1");
    });

    it("turns enhanced monitoring off with database.monitoringIntervalSeconds 0 (DR-RDS-6 then refuses synth unless suppressed)", () => {
      expect(() => buildPrimary({ database: { ...DATABASE, monitoringIntervalSeconds: 0 } })).toThrow(/\[DR-RDS-6\]/);
    });

    it("makes Flux's Git credentials secret on its data key, replicated into drRegion on a key made there for it, adopting one made before", () => {
      const json = PRIMARY.json;
      const secret = resourceAt(json, "aws_secretsmanager_secret", "git-credentials/secret");
      const dataKey = resourceAt(json, "aws_kms_key", "data-key/resource").id;
      const replicaKey = resourceAt(json, "aws_kms_key", "git-credentials-replica-key/resource");
      expect(secret.config).toEqual({
        name: "acme/flux/git",
        description: "Flux Git credentials of https://github.com/acme/platform-k8s (value put by the operator), replicated into us-east-2",
        kms_key_id: ref("aws_kms_key", dataKey, "arn"),
        replica: [{ region: "us-east-2", kms_key_id: ref("aws_kms_key", replicaKey.id, "arn") }],
        recovery_window_in_days: 30,
        lifecycle: { prevent_destroy: true },
      });
      expect(replicaKey.config).toMatchObject({
        provider: "aws.dr",
        description: "Replica in us-east-2 of the Flux Git credentials secret of us-east-1 (Secrets Manager)",
      });
      // Secrets Manager of drRegion only: no RDS, no other region.
      expect(JSON.parse(replicaKey.config.policy).Statement.map((st: any) => [st.Sid, st.Condition?.StringEquals?.["kms:ViaService"]])).toEqual([
        ["AccountAdministers", undefined],
        ["UseThroughSecretsManager", "secretsmanager.us-east-2.amazonaws.com"],
      ]);
      expect(json.import!.map((i) => i.to)).toEqual([`aws_secretsmanager_secret.${secret.id}`]);
      // A recovery's secret is its primary's replica: it makes none.
      expect(resources(RECOVERY.json, "aws_secretsmanager_secret")["git-credentials"]).toBeUndefined();
      expect(Object.keys(resources(RECOVERY.json, "aws_secretsmanager_secret")).filter((id) => id.startsWith("git-credentials"))).toEqual([]);
    });

    it("creates the SOPS key with its replica and alias in drRegion", () => {
      const { json } = PRIMARY;
      const key = resourceAt(json, "aws_kms_key", "sops-key/resource");
      expect(key.config).toMatchObject({ multi_region: true, enable_key_rotation: true });
      expect(onlyResource(json, "aws_kms_replica_key").config).toMatchObject({ provider: "aws.dr", primary_key_arn: ref("aws_kms_key", key.id, "arn") });
      expect(Object.values(resources(json, "aws_kms_alias")).map((a: any) => [a.name, a.provider])).toEqual([
        ["alias/acme-archives-us-east-1", "aws.dr"],
        ["alias/acme-data-us-east-1", undefined],
        ["alias/acme-git-credentials-us-east-1", "aws.dr"],
        ["alias/acme-sops-us-east-1", undefined],
        ["alias/acme-sops-us-east-1", "aws.dr"],
      ]);
    });

    it("makes the database's log groups before it, kept logRetention.databaseDays, with the networking stack's logs key", () => {
      for (const built of [PRIMARY, buildPrimary({ logRetention: { databaseDays: 731 } })]) {
        const groups = Object.values(resources(built.json, "aws_cloudwatch_log_group")) as any[];
        expect(groups.map((g) => [g.name, g.retention_in_days])).toEqual([
          ["/aws/rds/instance/acme-us-east-1/postgresql", built === PRIMARY ? 365 : 731],
          ["/aws/rds/instance/acme-us-east-1/upgrade", built === PRIMARY ? 365 : 731],
        ]);
        for (const group of groups)
          expect(group.kms_key_id).toMatch(
            /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-networking-us-east-1\.outputs\.cross-stack-output-aws_kms_keylogs-key_resource_[0-9A-F]{8}arn\}$/,
          );
      }
    });

    it("encrypts the archives with its archive key, made here in drRegion (S3 uses a key of the bucket's region only)", () => {
      const { json } = PRIMARY;
      const key = resourceAt(json, "aws_kms_key", "archive-key/resource");
      expect(key.config).toMatchObject({
        provider: "aws.dr",
        description: "Database archives of us-east-1 (S3 SSE-KMS of its hosting-services bucket)",
        enable_key_rotation: true,
        lifecycle: { prevent_destroy: true },
      });
      expect(resourceAt(json, "aws_s3_bucket_server_side_encryption_configuration", "hosting-services/bucket/encryption").config.rule).toEqual([
        {
          apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: ref("aws_kms_key", key.id, "arn") },
          bucket_key_enabled: true,
        },
      ]);
    });

    it("lets the backup user use the archive key through S3 in drRegion, for the archive bucket only", () => {
      const { json } = PRIMARY;
      const bucket = ref("aws_s3_bucket", resourceAt(json, "aws_s3_bucket", "hosting-services/bucket/resource").id, "arn");
      expect(JSON.parse(onlyResource(json, "aws_iam_user_policy").config.policy).Statement[2]).toEqual({
        Sid: "EncryptArchives",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: ref("aws_kms_key", resourceAt(json, "aws_kms_key", "archive-key/resource").id, "arn"),
        Condition: {
          StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com" },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucket, `${bucket}/*`] },
        },
      });
    });

    it("lets the workloads manage the assets bucket and its replica", () => {
      const { json } = PRIMARY;
      const assets = ref("aws_s3_bucket", resourceAt(json, "aws_s3_bucket", "assets/resource").id, "arn");
      const replica = ref("aws_s3_bucket", resourceAt(json, "aws_s3_bucket", "dr-assets/replica/resource").id, "arn");
      expect(JSON.parse(onlyResource(json, "aws_iam_policy").config.policy).Statement).toEqual([
        { Sid: "ListAssetBuckets", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [assets, replica] },
        { Sid: "ReadWriteAssets", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: [`${assets}/*`, `${replica}/*`] },
      ]);
    });

    it("is restored from a snapshot when its file names one (a primary rebuilt from a copy), keeping the backups replicated", () => {
      const snapshot = "arn:aws:rds:us-east-1:123456789012:snapshot:acme-vault-copy";
      const { json } = buildPrimary({ database: { ...DATABASE, restore: { from: "snapshot", snapshotIdentifier: snapshot } } });
      const config = onlyResource(json, "aws_db_instance").config;
      expect(config.snapshot_identifier).toBe(snapshot);
      expect(config.restore_to_point_in_time).toBeUndefined();
      // The snapshot's master user and database name are kept: RDS takes neither on a restore.
      expect([config.username, config.db_name]).toEqual([undefined, undefined]);
      expect(config.lifecycle.ignore_changes).toEqual(["restore_to_point_in_time", "snapshot_identifier"]);
      expect(Object.keys(json.resource!.aws_db_instance_automated_backups_replication ?? {})).toHaveLength(1);
    });

    it("ends every bucket name with bucketSuffix when the file sets one (the networking stack's site logs too)", () => {
      const built = buildPrimary({ bucketSuffix: "210987654321" });
      const names = (json: StackJson) =>
        Object.values(json.resource!.aws_s3_bucket)
          .map((b: any) => b.bucket)
          .sort();
      expect(names(built.json)).toEqual([
        "acme-access-logs-us-east-1-210987654321",
        "acme-assets-us-east-1-210987654321",
        "acme-dr-access-logs-us-east-1-210987654321",
        "acme-dr-assets-us-east-1-210987654321",
        "acme-hosting-services-us-east-1-210987654321",
      ]);
      expect(names(built.networkingJson)).toEqual(["acme-site-logs-us-east-1-210987654321"]);
    });

    it("starts with an empty database", () => {
      const config = onlyResource(PRIMARY.json, "aws_db_instance").config;
      expect(config).toMatchObject({ db_name: "app", username: "dbadmin" });
      expect(config.restore_to_point_in_time).toBeUndefined();
      expect(config.snapshot_identifier).toBeUndefined();
      expect(PRIMARY.json.data!.terraform_remote_state["primary-application-state"]).toBeUndefined();
    });

    it("outputs what operations and the recovery environment need", () => {
      const { json } = PRIMARY;
      expect(Object.keys(json.output!).sort()).toEqual([
        "assets_bucket_arn",
        "assets_bucket_name",
        "assets_management_policy_arn",
        "backup_user_name",
        "batch_replication_role_arn",
        "broker_amqp_endpoints",
        "broker_user_secret_arns",
        "database_address",
        "database_master_user_secret_arn",
        "database_replicated_backups_arn",
        "database_resource_id",
        "dr_assets_bucket_arn",
        "dr_assets_bucket_name",
        "hosting_services_bucket_name",
        "replication_report_prefix",
        "replication_role_arn",
        "sops_key_arn",
        "sops_replica_key_arn",
      ]);
      expect(REPLICATED_BACKUPS_OUTPUT).toBe("database_replicated_backups_arn");
      // The instance's DbiResourceId: preflight matches the replicated backups with the live instance by it.
      expect(json.output![DATABASE_RESOURCE_ID_OUTPUT].value).toBe(ref("aws_db_instance", onlyResource(json, "aws_db_instance").id, "resource_id"));
      expect(json.output![REPLICATED_BACKUPS_OUTPUT].value).toBe(
        ref("aws_db_instance_automated_backups_replication", onlyResource(json, "aws_db_instance_automated_backups_replication").id, "id"),
      );
      expect(json.output!.assets_bucket_name.value).toBe(ref("aws_s3_bucket", resourceAt(json, "aws_s3_bucket", "assets/resource").id, "bucket"));
      expect(json.output!.replication_report_prefix.value).toBe("replication-reports/");
      expect(json.output!.sops_replica_key_arn.value).toBe(ref("aws_kms_replica_key", onlyResource(json, "aws_kms_replica_key").id, "arn"));
    });
  });

  describe("database generations", () => {
    const SECOND = { generation: 2, restoredFrom: { from: "point-in-time", generation: 1, restoreTime: "2026-12-01T10:00:00Z" } };
    const second = buildPrimary({ database: { ...DATABASE, ...SECOND } });

    it("names the instance, its final snapshot and its log groups after generation 2; the subnet, parameter and security groups keep generation 1's names", () => {
      const { json } = second;
      const config = onlyResource(json, "aws_db_instance").config;
      expect([config.identifier, config.final_snapshot_identifier]).toEqual(["acme-us-east-1-g2", "acme-us-east-1-g2-final"]);
      expect(Object.values(resources(json, "aws_cloudwatch_log_group")).map((g: any) => g.name)).toEqual([
        "/aws/rds/instance/acme-us-east-1-g2/postgresql",
        "/aws/rds/instance/acme-us-east-1-g2/upgrade",
      ]);
      expect(onlyResource(json, "aws_db_subnet_group").config.name).toBe("acme-us-east-1");
      expect(onlyResource(json, "aws_db_parameter_group").config.name).toBe("acme-us-east-1-postgres16");
      expect(resourceAt(json, "aws_security_group", "database/security-group").config.name).toBe("acme-us-east-1-postgres");
      // Generation 1 is the same stack with the names it always had.
      expect(onlyResource(PRIMARY.json, "aws_db_instance").config.identifier).toBe("acme-us-east-1");
    });

    it("restores generation 2 point-in-time from generation 1's own automated backups, once (the block is then ignored), protected from destroy", () => {
      const config = onlyResource(second.json, "aws_db_instance").config;
      expect(config.restore_to_point_in_time).toEqual({ source_db_instance_identifier: "acme-us-east-1", restore_time: "2026-12-01T10:00:00Z" });
      expect(config.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ["restore_to_point_in_time", "snapshot_identifier"] });
      // A restored instance keeps its source's master user, database and storage key.
      expect([config.username, config.db_name, config.kms_key_id]).toEqual(["dbadmin", undefined, undefined]);
      expect(config.manage_master_user_password).toBe(true);
    });

    it("restores to the latest restorable time when restoredFrom gives no time", () => {
      const latest = buildPrimary({ database: { ...DATABASE, generation: 3, restoredFrom: { from: "point-in-time", generation: 2 } } });
      expect(onlyResource(latest.json, "aws_db_instance").config.restore_to_point_in_time).toEqual({
        source_db_instance_identifier: "acme-us-east-1-g2",
        use_latest_restorable_time: true,
      });
    });

    it("configures a generation whose restore is over (no restoredFrom) as it stands: its restore arguments ignored", () => {
      const over = buildPrimary({ database: { ...DATABASE, generation: 2 } });
      const config = onlyResource(over.json, "aws_db_instance").config;
      expect([config.identifier, config.db_name, config.username, config.restore_to_point_in_time]).toEqual(["acme-us-east-1-g2", "app", "dbadmin", undefined]);
      expect(config.kms_key_id).toBe(ref("aws_kms_key", resourceAt(over.json, "aws_kms_key", "data-key/resource").id, "arn"));
      expect(config.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ["restore_to_point_in_time", "snapshot_identifier"] });
    });

    it("makes an empty instance for an archive to be loaded into", () => {
      const archived = buildPrimary({
        database: { ...DATABASE, generation: 2, restoredFrom: { from: "archive", generation: 1, archiveKey: "postgres/app/20261121T030000Z/archive.dump" } },
      });
      const config = onlyResource(archived.json, "aws_db_instance").config;
      expect([config.identifier, config.db_name, config.username, config.restore_to_point_in_time]).toEqual(["acme-us-east-1-g2", "app", "dbadmin", undefined]);
      expect(config.kms_key_id).toBe(ref("aws_kms_key", resourceAt(archived.json, "aws_kms_key", "data-key/resource").id, "arn"));
    });

    it("replicates the backups of the current instance: by its ARN, and replaced with it (replace_triggered_by its resource id)", () => {
      for (const { json } of [PRIMARY, second]) {
        const instance = onlyResource(json, "aws_db_instance").id;
        const replication = onlyResource(json, "aws_db_instance_automated_backups_replication").config;
        expect(replication.source_db_instance_arn).toBe(ref("aws_db_instance", instance, "arn"));
        expect(replication.lifecycle).toEqual({ replace_triggered_by: [`aws_db_instance.${instance}.resource_id`] });
      }
    });
  });

  describe("recovery", () => {
    it("creates no assets bucket or replica: only its archive bucket", () => {
      const buckets = Object.values(resources(RECOVERY.json, "aws_s3_bucket")).map((b: any) => b.bucket);
      expect(buckets.sort()).toEqual(["acme-dr-access-logs-us-east-2", "acme-hosting-services-us-east-2"]);
      expect(buckets.filter((name) => /^acme-(dr-)?assets-/.test(name))).toEqual([]);
      expect(Object.keys(resources(RECOVERY.json, "aws_s3_bucket_replication_configuration"))).toEqual([]);
      expect(Object.keys(resources(RECOVERY.json, "aws_iam_role"))).toEqual([]);
    });

    it("uses the primary's replica bucket, by name, for the assets", () => {
      expect(RECOVERY.json.output!.assets_bucket_name.value).toBe("acme-dr-assets-us-east-1");
      expect(RECOVERY.stack.assetsBucketName).toBe("acme-dr-assets-us-east-1");
    });

    it("writes nothing to IAM: the assets policy and the backup user are named, made in peacetime by the standby stack", () => {
      const iam = Object.keys(RECOVERY.json.resource ?? {}).filter((type) => type.startsWith("aws_iam_"));
      expect(iam).toEqual([]);
      expect(RECOVERY.stack.identity.assetsPolicyArn).toBe("arn:aws:iam::123456789012:policy/acme-assets-management-us-east-2");
      expect(RECOVERY.json.output!.assets_management_policy_arn.value).toBe("arn:aws:iam::123456789012:policy/acme-assets-management-us-east-2");
      expect(RECOVERY.stack.identity.backupUserName).toBe("acme-backups-us-east-2");
      expect(RECOVERY.json.output!.backup_user_name.value).toBe("acme-backups-us-east-2");
    });

    it("creates no backup user access key even when backups.accessKey is on (the standby stack owns the user)", () => {
      const { json } = buildRecovery({ backups: { accessKey: true } });
      expect(Object.keys(resources(json, "aws_iam_access_key"))).toEqual([]);
      expect(json.output!.backup_user_access_key_secret_arn).toBeUndefined();
    });

    it("encrypts its archives with the archive key its standby stack made, found by alias in drRegion", () => {
      const alias = RECOVERY.json.data!.aws_kms_alias["archive-key"];
      expect(alias).toEqual({ name: "alias/acme-archives-us-east-2", provider: "aws.dr" });
      expect(resourceAt(RECOVERY.json, "aws_s3_bucket_server_side_encryption_configuration", "hosting-services/bucket/encryption").config.rule).toEqual([
        {
          apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${data.aws_kms_alias.archive-key.target_key_arn}" },
          bucket_key_enabled: true,
        },
      ]);
    });

    it("creates no SOPS key (it uses the primary's replica), no backup replica key (its replication stack has it) and no archive key (its standby stack has it)", () => {
      expect(Object.keys(resources(RECOVERY.json, "aws_kms_key"))).toEqual([]);
      expect(Object.values(resources(RECOVERY.json, "aws_kms_key")).filter((k: any) => k.multi_region)).toEqual([]);
      expect(Object.keys(resources(RECOVERY.json, "aws_kms_replica_key"))).toEqual([]);
      expect(Object.keys(resources(RECOVERY.json, "aws_kms_alias"))).toEqual([]);
    });

    it("tags the restored instance with the stack that replicates its backups; the primary's carries no such tag", () => {
      expect(onlyResource(RECOVERY.json, "aws_db_instance").config.tags).toEqual({ BackupReplication: "replication-us-east-2" });
      expect(onlyResource(PRIMARY.json, "aws_db_instance").config.tags).toBeUndefined();
      expect(RECOVERY.stack.database.replicatedBackupsArn).toBeUndefined();
    });

    const LOOKUP = 'lookup(data.terraform_remote_state.primary-application-state.outputs, "database_replicated_backups_arn", null)';

    it("restores the database from the primary's replicated backups, read from the primary's state", () => {
      const { json } = RECOVERY;
      const config = onlyResource(json, "aws_db_instance").config;
      expect(config.restore_to_point_in_time).toEqual({ source_db_instance_automated_backups_arn: `\${${LOOKUP}}`, use_latest_restorable_time: true });
      expect(REPLICATED_BACKUPS_OUTPUT).toBe("database_replicated_backups_arn");
      expect(json.data!.terraform_remote_state["primary-application-state"]).toEqual({
        backend: "s3",
        config: { bucket: "acme-terraform-state", key: "application-us-east-1.tfstate", region: "us-west-2" },
      });
      expect(config.db_name).toBeUndefined();
      expect(config.snapshot_identifier).toBeUndefined();
      expect(config.identifier).toBe("acme-us-east-2");
    });

    it("refuses to plan a restore whose source is missing, saying what to do, and never replaces a restored database", () => {
      const { lifecycle } = onlyResource(RECOVERY.json, "aws_db_instance").config;
      expect(lifecycle).toEqual({
        prevent_destroy: true,
        ignore_changes: ["restore_to_point_in_time", "snapshot_identifier"],
        precondition: [
          {
            condition: `\${${LOOKUP} != null}`,
            error_message:
              "The primary's application state has no output database_replicated_backups_arn: deploy the primary's application stack (with backup replication) first, or set database.restore.automatedBackupsArn in this environment's file.",
          },
        ],
      });
    });

    it("restores from an explicit automatedBackupsArn without a condition on the primary's state", () => {
      const arn = "arn:aws:rds:us-east-2:123456789012:auto-backup:ab-abc123def";
      const { json } = buildRecovery({ database: { ...DATABASE, restore: { from: "primary-backups", automatedBackupsArn: arn } } });
      const config = onlyResource(json, "aws_db_instance").config;
      expect(config.restore_to_point_in_time.source_db_instance_automated_backups_arn).toBe(arn);
      expect(config.lifecycle.precondition).toEqual([{ condition: "true", error_message: expect.any(String) }]);
    });

    it("restores to database.restore.restoreTime when given", () => {
      const { json } = buildRecovery({ database: { ...DATABASE, restore: { from: "primary-backups", restoreTime: "2026-11-20T03:00:00Z" } } });
      const restore = onlyResource(json, "aws_db_instance").config.restore_to_point_in_time;
      expect(restore).toEqual({ source_db_instance_automated_backups_arn: `\${${LOOKUP}}`, restore_time: "2026-11-20T03:00:00Z" });
    });

    it("keeps the primary's master user name, which a restored instance inherits", () => {
      const primary = environment(primaryInput({ database: { ...DATABASE, username: "owner" } }));
      const { json } = buildRecovery({ database: { ...DATABASE, username: "recoverer" } }, primary);
      expect(onlyResource(json, "aws_db_instance").config.username).toBe("owner");
    });

    it("restores from a snapshot instead when database.restore says so", () => {
      const { json } = buildRecovery({ database: { ...DATABASE, restore: { from: "snapshot", snapshotIdentifier: "acme-us-east-1-final" } } });
      const config = onlyResource(json, "aws_db_instance").config;
      expect(config.snapshot_identifier).toBe("acme-us-east-1-final");
      expect(config.restore_to_point_in_time).toBeUndefined();
      expect(config.username).toBeUndefined();
      expect(config.db_name).toBeUndefined();
      const remote = Object.values(json.data!.terraform_remote_state).map((d: any) => d.config.key);
      expect(remote).not.toContain("application-us-east-1.tfstate");
    });

    it("outputs no assets replica, replication or SOPS values", () => {
      expect(Object.keys(RECOVERY.json.output!).sort()).toEqual([
        "assets_bucket_name",
        "assets_management_policy_arn",
        "backup_user_name",
        "broker_amqp_endpoints",
        "broker_user_secret_arns",
        "database_address",
        "database_master_user_secret_arn",
        "database_resource_id",
        "hosting_services_bucket_name",
      ]);
    });
  });

  it("gives every global name of a primary and its recovery (all their stacks) a distinct value", () => {
    const app = Testing.app({ outdir: tempDir() });
    // With a vault, as the shipped primary: its vault stack's names are among them.
    const primary = environment(primaryInput({ vault: { accountId: "210987654321", region: "us-west-2" } }));
    const recovery = environment(recoveryInput());
    addEnvironments(app, [
      { file: "environments/us-east-1.ts", environment: primary },
      { file: "environments/us-east-2.ts", environment: recovery },
    ]);
    app.synth();
    const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
    expect(stacks.map((s) => s.node.id).sort()).toEqual([...SHIPPED_STACK_IDS]);
    const fields: Record<string, string> = { aws_s3_bucket: "bucket", aws_iam_user: "name", aws_iam_role: "name", aws_iam_policy: "name" };
    const names = stacks.flatMap((stack) => {
      const json = synthJson(stack);
      return Object.entries(fields).flatMap(([type, field]) => Object.values(resources(json, type)).map((r: any) => r[field] as string));
    });
    expect(new Set(names).size).toBe(names.length);
    // The recovery's IAM names come from its standby stack, which prepares the next cluster generation's (-g2) too.
    expect(names.sort()).toEqual([
      "acme-access-logs-us-east-1",
      "acme-assets-management-us-east-1",
      "acme-assets-management-us-east-2",
      "acme-assets-us-east-1",
      "acme-backup-job-us-east-1",
      "acme-backup-job-us-east-2",
      "acme-backup-job-us-east-2-g2",
      "acme-backups-us-east-1",
      "acme-backups-us-east-2",
      "acme-dr-access-logs-us-east-1",
      "acme-dr-access-logs-us-east-2",
      "acme-dr-assets-us-east-1",
      "acme-dr-batch-us-east-1",
      "acme-dr-replication-us-east-1",
      "acme-flow-logs-us-east-1",
      "acme-flow-logs-us-east-2",
      "acme-flux-us-east-1",
      "acme-flux-us-east-2",
      "acme-flux-us-east-2-g2",
      "acme-hosting-services-us-east-1",
      "acme-hosting-services-us-east-2",
      "acme-lb-controller-us-east-1",
      "acme-lb-controller-us-east-2",
      "acme-lb-controller-us-east-2-g2",
      "acme-rds-monitoring-us-east-1",
      "acme-rds-monitoring-us-east-2",
      "acme-readiness-run-us-east-2",
      "acme-readiness-us-east-2",
      "acme-restore-test-us-east-1",
      "acme-site-logs-us-east-1",
      "acme-site-logs-us-east-2",
      "acme-terraform-state",
      "acme-terraform-state-access-logs",
      "acme-us-east-1-eks-cluster",
      "acme-us-east-1-eks-nodes",
      "acme-us-east-2-eks-cluster",
      "acme-us-east-2-eks-nodes",
      "acme-us-east-2-g2-eks-cluster",
      "acme-us-east-2-g2-eks-nodes",
      "acme-vault-access-logs-us-east-1-210987654321",
      "acme-vault-archives-us-east-1",
      "acme-vault-archives-us-east-1-210987654321",
      "acme-vault-assets-us-east-1-210987654321",
      "acme-vault-backup-us-east-1",
      "acme-vault-state-us-east-1",
      "acme-vault-state-us-east-1-210987654321",
      "acme-workload-us-east-1",
      "acme-workload-us-east-2",
      "acme-workload-us-east-2-g2",
    ]);
  });

  it("writes no secret-looking literal into either application stack", () => {
    const PLACEHOLDER = JSON.stringify({ username: "set-by-the-operator", accessToken: "set-by-the-operator" });
    const stacks = [buildPrimary({ backups: { accessKey: true } }), RECOVERY];
    const found = { password: 0, secret_string: 0 };
    for (const { json } of stacks) {
      for (const [key, value] of entries(json)) {
        if (key === "password" || key === "secret_string") {
          found[key] += 1;
          // The one literal: the registry cache's placeholder, which the operator replaces (docs/images.md).
          if (value === PLACEHOLDER) continue;
          expect([key, value]).toEqual([key, expect.stringMatching(/^\$\{[\s\S]+\}$/)]);
        }
      }
      const text = JSON.stringify(json);
      expect(text).not.toMatch(/AKIA[0-9A-Z]{16}/);
      expect(text).not.toContain("-----BEGIN");
    }
    // admin in each broker; two broker users, the access key and the registry cache's placeholder in the primary, two users in the recovery
    expect(found).toEqual({ password: 2, secret_string: 6 });
  });
});
