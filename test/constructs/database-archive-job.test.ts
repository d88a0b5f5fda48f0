import * as fs from "fs";
import * as path from "path";
import { Fn, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { DatabaseArchiveJob, type DatabaseArchiveJobProps } from "../../lib/constructs/database-archive-job";
import { HostingServicesBucket } from "../../lib/constructs/hosting-services-bucket";
import { ARCHIVE_KEY, JOB_CONTAINER_SECURITY_CONTEXT, JOB_POD_SECURITY_CONTEXT } from "../support/expected";
import { onlyResource, ref, synthJson } from "../support/synth";
import { REPO } from "../support/run";
import { PINNED, REGISTRY_US_EAST_2 } from "../support/images";

type Props = Omit<DatabaseArchiveJobProps, "bucket">;
const PROPS: Props = {
  namespace: "backups",
  serviceAccountName: "database-archive",
  bucketRegion: "us-east-2",
  registry: REGISTRY_US_EAST_2,
  database: {
    host: "acme-us-east-1.abc.us-east-1.rds.amazonaws.com",
    name: "app",
    username: "dbadmin",
    secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-aBcDeF",
    secretRegion: "us-east-1",
  },
};

function build(props: Partial<Props> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const provider = new AwsProvider(stack, "aws", { region: "us-east-2" });
  new KubernetesProvider(stack, "kubernetes", {});
  const bucket = new HostingServicesBucket(stack, "hosting-services", {
    bucketName: "acme-hosting-services-us-east-1",
    provider,
    region: "us-east-2",
    kmsKeyArn: ARCHIVE_KEY,
  });
  const job = new DatabaseArchiveJob(stack, "archive", { ...PROPS, ...props, bucket });
  return { job, json: synthJson(stack) };
}

const { json, job } = build();
const cron = onlyResource(json, "kubernetes_cron_job_v1").config;
const pod = cron.spec.job_template.spec.template.spec;
const configMapId = onlyResource(json, "kubernetes_config_map_v1").id;
const bucketId = onlyResource(json, "aws_s3_bucket").id;

/** What Terraform makes of a JSON string: `$${` is a literal `${`, `%%{` a literal `%{`. */
const terraformValue = (text: string) => text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");

describe("DatabaseArchiveJob", () => {
  it("runs hourly by default, one job at a time", () => {
    expect(job.schedule).toBe("0 * * * *");
    expect(cron.metadata).toEqual({ name: "database-archive", namespace: "backups" });
    expect(cron.spec.schedule).toBe("0 * * * *");
    expect(cron.spec.concurrency_policy).toBe("Forbid");
    expect(cron.spec.job_template.spec.backoff_limit).toBe(2);
    expect(pod.restart_policy).toBe("Never");
    expect(pod.service_account_name).toBe("database-archive");
  });

  it("archives into any bucket given by name and ARN (an IBucket), not only a HostingServicesBucket", () => {
    const stack = new TerraformStack(Testing.app(), "named");
    new KubernetesProvider(stack, "kubernetes", {});
    new DatabaseArchiveJob(stack, "archive", { ...PROPS, bucket: { bucketName: "legacy-archives", bucketArn: "arn:aws:s3:::legacy-archives" } });
    const named = onlyResource(synthJson(stack), "kubernetes_cron_job_v1").config.spec.job_template.spec.template.spec;
    const env = named.container.flatMap((c: { env?: { name: string; value?: string }[] }) => c.env ?? []);
    expect(env.filter((e: { name: string }) => e.name === "ARCHIVE_BUCKET")).toEqual([{ name: "ARCHIVE_BUCKET", value: "legacy-archives" }]);
  });

  it('is never suspended by default; suspendWithoutSecret suspends it while the secret is "" (a warm standby\'s unpromoted replica), decided at apply time', () => {
    expect(cron.spec).not.toHaveProperty("suspend");
    const secretArn = Fn.lower("the-secret-arn"); // any token: the condition is Terraform's
    const suspended = onlyResource(build({ database: { ...PROPS.database, secretArn }, suspendWithoutSecret: true }).json, "kubernetes_cron_job_v1").config;
    expect(suspended.spec.suspend).toBe('${(length(lower("the-secret-arn")) < 1)}');
  });

  it("takes another schedule", () => {
    expect(onlyResource(build({ schedule: "*/15 * * * *" }).json, "kubernetes_cron_job_v1").config.spec.schedule).toBe("*/15 * * * *");
    expect(onlyResource(build({ schedule: "@daily" }).json, "kubernetes_cron_job_v1").config.spec.schedule).toBe("@daily");
  });

  it("mounts the repository's archive script and checksum definition, escaped so that Terraform keeps them verbatim", () => {
    const data = onlyResource(json, "kubernetes_config_map_v1").config.data;
    // script-common.sh: what the script sources (fail, require, the key prefix).
    expect(Object.keys(data).sort()).toEqual(["archive-database.sh", "script-common.sh", "table-checksums.sql"]);
    for (const file of Object.keys(data)) expect(terraformValue(data[file])).toBe(fs.readFileSync(path.join(REPO, "backup", file), "utf8"));
    // The scripts do use `${`: without the escape Terraform would fail on it.
    expect(data["archive-database.sh"]).toContain("$${DATABASE_SECRET_FILE:-}");
    expect(data["script-common.sh"]).toContain("$${ARCHIVE_PREFIX:-postgres}");
    for (const file of ["archive-database.sh", "script-common.sh"]) expect(data[file]).not.toMatch(/(^|[^$])\$\{/);
  });

  it("reads the database secret when it runs, dumps with the pinned postgres 16 client and uploads with the pinned aws CLI, from the region's registry", () => {
    expect(pod.init_container.map((c: any) => [c.name, c.image, c.command])).toEqual([
      ["password", PINNED.awsCli(), ["/bin/sh", "/scripts/archive-database.sh", "password"]],
      ["dump", PINNED.postgres(), ["/bin/sh", "/scripts/archive-database.sh", "dump"]],
    ]);
    expect(pod.container.map((c: any) => [c.name, c.image, c.command])).toEqual([
      ["upload", PINNED.awsCli(), ["/bin/sh", "/scripts/archive-database.sh", "upload"]],
    ]);
    expect(pod.init_container[0].env).toEqual([
      { name: "ARCHIVE_DIR", value: "/work" },
      { name: "HOME", value: "/tmp" },
      { name: "DATABASE_SECRET_ID", value: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-aBcDeF" },
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "DATABASE_SECRET_FILE", value: "/run/database-secret/secret.json" },
    ]);
    expect(pod.init_container[1].env).toEqual([
      { name: "ARCHIVE_DIR", value: "/work" },
      { name: "HOME", value: "/tmp" },
      { name: "PGHOST", value: "acme-us-east-1.abc.us-east-1.rds.amazonaws.com" },
      { name: "PGPORT", value: "5432" },
      { name: "PGDATABASE", value: "app" },
      { name: "PGUSER", value: "dbadmin" },
      { name: "PGSSLMODE", value: "require" },
      { name: "DATABASE_SECRET_FILE", value: "/run/database-secret/secret.json" },
    ]);
    expect(pod.container[0].env).toEqual([
      { name: "ARCHIVE_DIR", value: "/work" },
      { name: "HOME", value: "/tmp" },
      { name: "ARCHIVE_BUCKET", value: ref("aws_s3_bucket", bucketId, "bucket") },
      { name: "AWS_REGION", value: "us-east-2" },
    ]);
    expect(pod.volume).toEqual([
      { name: "scripts", config_map: { name: ref("kubernetes_config_map_v1", configMapId, "metadata[0].name"), default_mode: "0555" } },
      { name: "work", empty_dir: { size_limit: "20Gi" } },
      { name: "tmp", empty_dir: { size_limit: "1Gi" } },
      { name: "database-secret", empty_dir: { medium: "Memory", size_limit: "1Mi" } },
    ]);
    // The password step writes the secret into memory, the dump step reads it, the upload never sees it.
    expect(pod.init_container[0].volume_mount).toContainEqual({ name: "database-secret", mount_path: "/run/database-secret", read_only: false });
    expect(pod.init_container[1].volume_mount).toContainEqual({ name: "database-secret", mount_path: "/run/database-secret", read_only: true });
    expect(pod.container[0].volume_mount.map((m: any) => m.name)).toEqual(["scripts", "work", "tmp"]);
  });

  it("holds no password and mounts no Kubernetes secret: the pod spec names the Secrets Manager secret only", () => {
    const containers = [...pod.init_container, ...pod.container];
    expect(containers.flatMap((c: any) => c.env.filter((e: any) => e.value_from !== undefined || /PASSWORD/.test(e.name)))).toEqual([]);
    expect(pod.volume.filter((v: any) => v.secret !== undefined)).toEqual([]);
    expect(
      Object.keys(json.resource ?? {})
        .filter((t) => t.startsWith("kubernetes_"))
        .sort(),
    ).toEqual(["kubernetes_config_map_v1", "kubernetes_cron_job_v1"]);
  });

  it("runs as a numeric non-root user with a read-only root, no capabilities, RuntimeDefault seccomp, requests and limits", () => {
    expect(pod.security_context).toEqual(JOB_POD_SECURITY_CONTEXT);
    for (const container of [...pod.init_container, ...pod.container]) {
      expect(container.security_context).toEqual(JOB_CONTAINER_SECURITY_CONTEXT);
      expect(container.resources).toEqual({ requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } });
    }
  });

  it("takes a port, sslmode, images, space and resources", () => {
    const resources = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } };
    const { json: custom } = build({
      database: { ...PROPS.database, port: 6432 },
      sslMode: "verify-full",
      postgresImage: "postgres:16.6",
      awsCliImage: "amazon/aws-cli:2.23.0",
      archiveSpace: "200Gi",
      resources,
    });
    const spec = onlyResource(custom, "kubernetes_cron_job_v1").config.spec.job_template.spec.template.spec;
    expect(spec.init_container[1].env).toEqual(
      expect.arrayContaining([
        { name: "PGPORT", value: "6432" },
        { name: "PGSSLMODE", value: "verify-full" },
      ]),
    );
    expect([spec.init_container[0].image, spec.init_container[1].image, spec.container[0].image]).toEqual([
      "amazon/aws-cli:2.23.0",
      "postgres:16.6",
      "amazon/aws-cli:2.23.0",
    ]);
    expect(spec.volume[1]).toEqual({ name: "work", empty_dir: { size_limit: "200Gi" } });
    expect(spec.container[0].resources).toEqual(resources);
  });

  describe("validation", () => {
    it.each(["hourly", "0 * * *", "0 * * * * *"])("refuses the schedule %s", (schedule) => {
      expect(() => build({ schedule })).toThrow(
        `DatabaseArchiveJob: schedule must be five cron fields or a macro such as @hourly (got ${JSON.stringify(schedule)})`,
      );
    });

    it.each(["Archive", "a".repeat(53)])("refuses the name %s", (name) => {
      expect(() => build({ name })).toThrow(`DatabaseArchiveJob: name must be a DNS label of at most 52 characters (got ${JSON.stringify(name)})`);
    });

    it.each([0, 65536, 1.5])("refuses the port %s", (port) => {
      expect(() => build({ database: { ...PROPS.database, port } })).toThrow(
        `DatabaseArchiveJob: database.port must be a whole number from 1 to 65535 (got ${port})`,
      );
    });

    it("refuses a database name that cannot be one key segment", () => {
      expect(() => build({ database: { ...PROPS.database, name: "a/b" } })).toThrow(
        `DatabaseArchiveJob: database.name must be letters, digits, '_', '.' or '-' (it is part of the object key; got "a/b")`,
      );
    });

    it("lists every problem at once", () => {
      expect(() => build({ name: "X", schedule: "never" })).toThrow(
        'DatabaseArchiveJob: name must be a DNS label of at most 52 characters (got "X")\nDatabaseArchiveJob: schedule must be five cron fields or a macro such as @hourly (got "never")',
      );
    });
  });
});
