import { Testing } from "cdktf";
import { ApplicationStack } from "../../stacks/application-stack";
import { GitOpsStack } from "../../stacks/gitops-stack";
import { KubernetesStack } from "../../stacks/kubernetes-stack";
import { WorkloadsStack } from "../../stacks/workloads-stack";
import { podSecurityViolations, podTemplatesOf, RESTRICTED_NAMESPACE_LABELS } from "../../lib/kubernetes/pod-security";
import { toKubernetesObject } from "../../lib/kubernetes/from-terraform";
import { BACKUP_JOB_SERVICE_ACCOUNT } from "../../lib/naming";
import { followRemoteOutput, manifestOf, remoteOutputRef, synthApp } from "../support/app-synth";
import { environment, networkingStack, primaryInput, recoveryInput, roleProps } from "../support/environments";
import { ref, resourceAt, resources, StackJson } from "../support/synth";
import { tempDir } from "../support/temp";

type Role = "primary" | "recovery";

/** Every stack of one environment, as app/assemble.ts wires them. */
function build(role: Role, overrides: Parameters<typeof primaryInput>[0] = {}) {
  const app = Testing.app({ outdir: tempDir("dr-platform-workloads-") });
  const primary = environment(role === "primary" ? primaryInput(overrides) : primaryInput());
  const env = role === "primary" ? primary : environment(recoveryInput(overrides));
  const recoveryOf = role === "recovery" ? primary : undefined;
  const networking = networkingStack(app, env, primary);
  const application = new ApplicationStack(app, { networking, ...roleProps(env, recoveryOf) });
  const kubernetes = new KubernetesStack(app, { networking, application, ...roleProps(env, recoveryOf) });
  const gitops = new GitOpsStack(app, { environment: env, kubernetes, networking });
  const workloads = new WorkloadsStack(app, { application, gitops, networking, ...roleProps(env, recoveryOf) });
  const read = synthApp(app);
  return {
    app,
    application,
    gitops,
    networking,
    workloads,
    read,
    json: read(workloads.node.id),
    gitopsJson: read(gitops.node.id),
    applicationJson: read(application.node.id),
    kubernetesJson: read(kubernetes.node.id),
  };
}

const built = new Map<Role, ReturnType<typeof build>>();
/** The default environment of a role, built once. */
function stacks(role: Role) {
  if (!built.has(role)) built.set(role, build(role));
  return built.get(role)!;
}

function syncValues(json: StackJson) {
  return JSON.parse(resourceAt(json, "helm_release", "flux/flux2-sync").config.values[0]);
}

function clusterVars(json: StackJson): Record<string, string> {
  return resourceAt(json, "kubernetes_config_map_v1", "flux/cluster-vars").config.data;
}

/** `type.id` of every resource of a stack, sorted, with the 8-hex suffix cdktf adds shown as `*`. */
function addresses(json: StackJson): string[] {
  return Object.entries(json.resource!)
    .flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id.replace(/_[0-9A-F]{8}$/, "_*")}`))
    .sort();
}

/** Terraform address (`type.id`) of the resource whose construct path ends with `pathSuffix`. */
function address(json: StackJson, type: string, pathSuffix: string): string {
  return `${type}.${resourceAt(json, type, pathSuffix).id}`;
}

describe("WorkloadsStack", () => {
  it("is named workloads-<region>", () => {
    expect(stacks("primary").workloads.node.id).toBe("workloads-us-east-1");
    expect(stacks("recovery").workloads.node.id).toBe("workloads-us-east-2");
  });

  it("keeps its state in the state bucket under its own key", () => {
    expect(stacks("recovery").json.terraform.backend).toEqual({
      s3: { bucket: "acme-terraform-state", key: "workloads-us-east-2.tfstate", region: "us-west-2", encrypt: true, use_lockfile: true },
    });
  });

  it("depends on the application stack (the datastores), the gitops stack (Flux, the controller's CRD) and networking (the site's target group) of its region, nothing else", () => {
    for (const role of ["primary", "recovery"] as const) {
      const { app, workloads, application, gitops, networking } = stacks(role);
      expect([...manifestOf(app).stacks[workloads.node.id].dependencies].sort()).toEqual([application.node.id, gitops.node.id, networking.node.id].sort());
    }
  });

  it("primary: creates exactly cluster-vars, the users job, the backup jobs' namespace, account, secrets and CronJobs, the site's namespace and TargetGroupBinding, and the sync", () => {
    expect(addresses(stacks("primary").json)).toEqual([
      "aws_cloudwatch_metric_alarm.restore-test_failed_*",
      "aws_cloudwatch_metric_alarm.restore-test_overdue_*",
      "aws_eks_pod_identity_association.restore-test_pod-identity_*",
      "aws_iam_role.restore-test_role_resource_*",
      "aws_iam_role_policy.restore-test_role_policy_*",
      "helm_release.flux_flux2-sync_*",
      "kubernetes_config_map_v1.broker-definitions_scripts_*",
      "kubernetes_config_map_v1.broker-password-rotation_scripts_*",
      "kubernetes_config_map_v1.database-archive_scripts_*",
      "kubernetes_config_map_v1.flux_cluster-vars_*",
      "kubernetes_config_map_v1.rabbitmq-users_scripts_*",
      "kubernetes_config_map_v1.restore-test_scripts_*",
      "kubernetes_cron_job_v1.broker-definitions_resource_*",
      "kubernetes_cron_job_v1.broker-password-rotation_resource_*",
      "kubernetes_cron_job_v1.database-archive_resource_*",
      "kubernetes_cron_job_v1.restore-test_resource_*",
      "kubernetes_job_v1.rabbitmq-users_job_*",
      "kubernetes_manifest.site_resource_*",
      "kubernetes_namespace_v1.backups-namespace",
      "kubernetes_namespace_v1.site_namespace_*",
      "kubernetes_service_account_v1.backups-service-account",
      "kubernetes_service_account_v1.restore-test_service-account_*",
    ]);
  });

  it("primary: tests a random archive of its hosting-services bucket weekly, as backups.restoreTest and recoveryObjectives.restoreTestDays say; a recovery has no restore test", () => {
    const { json, workloads, read, applicationJson } = stacks("primary");
    expect(workloads.restoreTest).toBeDefined();
    const cron = resourceAt(json, "kubernetes_cron_job_v1", "restore-test/resource").config;
    expect([cron.metadata.name, cron.metadata.namespace, cron.spec.schedule]).toEqual([
      "restore-test",
      ref("kubernetes_namespace_v1", "backups-namespace", "metadata[0].name"),
      "30 3 * * 0",
    ]);
    const env = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value]));
    const spec = cron.spec.job_template.spec.template.spec;
    expect(env(spec.init_container[0])).toMatchObject({ AWS_REGION: "us-east-2", RESTORE_TEST_WINDOW_DAYS: "7" });
    expect(followRemoteOutput(read, env(spec.init_container[0]).ARCHIVE_BUCKET)).toBe(
      ref("aws_s3_bucket", resourceAt(applicationJson, "aws_s3_bucket", "hosting-services/bucket/resource").id, "bucket"),
    );
    expect(env(spec.container[0])).toMatchObject({ RESTORE_SECONDS_TARGET: "1800", RESTORE_TEST_ENVIRONMENT: "acme-us-east-1", METRICS_REGION: "us-east-1" });
    expect(resourceAt(json, "aws_iam_role", "restore-test/role/resource").config.name).toBe("acme-restore-test-us-east-1");
    expect(resourceAt(json, "aws_eks_pod_identity_association", "restore-test/pod-identity").config.cluster_name).toBe("acme-us-east-1");
    expect(resourceAt(json, "aws_cloudwatch_metric_alarm", "restore-test/overdue").config).toMatchObject({
      alarm_name: "acme-us-east-1-restore-test-overdue",
      evaluation_periods: 7,
      treat_missing_data: "breaching",
    });
    expect(stacks("recovery").workloads.restoreTest).toBeUndefined();
    expect(addresses(stacks("recovery").json).filter((a) => a.includes("restore-test"))).toEqual([]);
  });

  it("primary: the restore test takes its schedule, window and target from the environment, and fewer overdue days", () => {
    const { json } = build("primary", {
      backups: { restoreTest: { schedule: "@daily", windowDays: 3, restoreMinutesTarget: 10 } },
      recoveryObjectives: { restoreTestDays: 2 },
    });
    const cron = resourceAt(json, "kubernetes_cron_job_v1", "restore-test/resource").config;
    expect(cron.spec.schedule).toBe("@daily");
    const all = [...cron.spec.job_template.spec.template.spec.init_container, ...cron.spec.job_template.spec.template.spec.container].flatMap(
      (c: any) => c.env,
    );
    expect(all).toEqual(
      expect.arrayContaining([
        { name: "RESTORE_TEST_WINDOW_DAYS", value: "3" },
        { name: "RESTORE_SECONDS_TARGET", value: "600" },
      ]),
    );
    expect(resourceAt(json, "aws_cloudwatch_metric_alarm", "restore-test/overdue").config).toMatchObject({ evaluation_periods: 2, datapoints_to_alarm: 2 });
  });

  it("primary: the opt-in point-in-time restore test restores its serving database's backups beside it, into the database's own groups and key, within the backups' retention", () => {
    expect(stacks("primary").workloads.restoreTest?.pointInTime).toBeUndefined();
    expect(addresses(stacks("primary").json).filter((a) => a.includes("pitr"))).toEqual([]);
    const { json, workloads, read, applicationJson } = build("primary", {
      backups: { restoreTest: { windowDays: 30, pointInTime: {} } },
      database: { ...primaryInput().database, backupRetentionDays: 10 },
    });
    expect(workloads.restoreTest?.pointInTime).toBeDefined();
    expect(addresses(json).filter((a) => a.includes("pitr"))).toEqual([
      "aws_cloudwatch_metric_alarm.pitr-restore-test_failed_*",
      "aws_eks_pod_identity_association.pitr-restore-test_pod-identity_*",
      "aws_iam_role.pitr-restore-test_role_resource_*",
      "aws_iam_role_policy.pitr-restore-test_role_policy_*",
      "kubernetes_config_map_v1.pitr-restore-test_scripts_*",
      "kubernetes_cron_job_v1.pitr-restore-test_resource_*",
      "kubernetes_service_account_v1.pitr-restore-test_service-account_*",
    ]);
    const spec = resourceAt(json, "kubernetes_cron_job_v1", "pitr-restore-test/resource").config.spec;
    expect(spec.schedule).toBe("0 5 1 * *");
    const start = Object.fromEntries(spec.job_template.spec.template.spec.init_container[0].env.map((e: any) => [e.name, e.value]));
    expect(start).toMatchObject({
      AWS_REGION: "us-east-1",
      ARCHIVE_REGION: "us-east-2",
      SOURCE_DB_IDENTIFIER: "acme-us-east-1",
      RESTORE_DB_PREFIX: "acme-us-east-1-pitr",
      // The window is cut to the backups' retention: no restore point lies before it.
      RESTORE_TEST_WINDOW_DAYS: "10",
      DB_INSTANCE_CLASS: "db.t4g.medium",
      DB_SUBNET_GROUP: "acme-us-east-1",
      DB_PARAMETER_GROUP: "acme-us-east-1-postgres16",
      RESTORE_SECONDS_TARGET: "7200",
    });
    // The database's security group and key, from the application stack's state.
    const postgres = resourceAt(applicationJson, "aws_db_instance", "database/resource");
    expect(followRemoteOutput(read, start.DB_SECURITY_GROUP_IDS)).toBe(
      ref("aws_security_group", resourceAt(applicationJson, "aws_security_group", "database/security-group").id, "id"),
    );
    const policy = JSON.parse(resourceAt(json, "aws_iam_role_policy", "pitr-restore-test/role/policy").config.policy);
    const encrypt = policy.Statement.find((s: any) => s.Sid === "EncryptRestoredStorage");
    expect(followRemoteOutput(read, encrypt.Resource)).toBe(ref("aws_db_instance", postgres.id, "kms_key_id"));
    expect(resourceAt(json, "aws_iam_role", "pitr-restore-test/role/resource").config.name).toBe("acme-pitr-test-us-east-1");
    expect(resourceAt(json, "aws_cloudwatch_metric_alarm", "pitr-restore-test/failed").config.alarm_name).toBe("acme-us-east-1-pitr-test-failed");
  });

  it("recovery: also imports the primary's newest broker definitions", () => {
    const recovery = addresses(stacks("recovery").json);
    expect(recovery.filter((a) => !addresses(stacks("primary").json).includes(a))).toEqual([
      "kubernetes_config_map_v1.broker-definitions-import_scripts_*",
      "kubernetes_job_v1.broker-definitions-import_resource_*",
    ]);
    expect(recovery).toHaveLength(16);
  });

  it.each(["primary", "recovery"] as const)(
    "%s: rotates the broker users' and the administrator's passwords monthly, reading the administrator's when it runs (no token, no Role), after the jobs that set first passwords",
    (role) => {
      const { json } = stacks(role);
      const region = role === "primary" ? "us-east-1" : "us-east-2";
      const cron = resourceAt(json, "kubernetes_cron_job_v1", "broker-password-rotation/resource");
      const pod = cron.config.spec.job_template.spec.template.spec;
      const env = Object.fromEntries(pod.container[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
      expect(cron.config.spec.schedule).toBe("0 3 1 * *");
      expect([env.ADMIN_SECRET, env.ROTATE_ADMIN]).toEqual([`acme/${region}/rabbitmq/admin`, "true"]);
      expect(pod.automount_service_account_token).toBeUndefined();
      expect(Object.keys(json.resource!)).not.toContain("kubernetes_role_v1");
      const first = [address(json, "kubernetes_job_v1", "rabbitmq-users/job")];
      if (role === "recovery") first.unshift(address(json, "kubernetes_job_v1", "broker-definitions-import/resource"));
      expect(cron.config.depends_on).toEqual(expect.arrayContaining(first));
    },
  );

  it("rotates the administrator of a broker without application users", () => {
    const { json } = build("primary", { broker: { engineVersion: "3.13", instanceType: "mq.m5.large", users: [] } });
    const env = resourceAt(json, "kubernetes_cron_job_v1", "broker-password-rotation/resource").config.spec.job_template.spec.template.spec.container[0].env;
    expect(env.filter((e: { name: string }) => ["USERS", "ADMIN_SECRET"].includes(e.name))).toEqual([
      { name: "USERS", value: "" },
      { name: "ADMIN_SECRET", value: "acme/us-east-1/rabbitmq/admin" },
    ]);
  });

  it("with broker.passwordRotationSchedule false, has no rotation: DR-MQ-3 and DR-MQ-4 refuse synth unless suppressed", () => {
    expect(() =>
      build("primary", { broker: { engineVersion: "3.13", instanceType: "mq.m5.large", users: ["orders"], passwordRotationSchedule: false } }),
    ).toThrow(/\[DR-MQ-3\][\s\S]*\[DR-MQ-4\]|\[DR-MQ-4\][\s\S]*\[DR-MQ-3\]/);
  });

  it("binds the site's Service to networking's target group in a restricted namespace of its own, made first", () => {
    for (const role of ["primary", "recovery"] as const) {
      const { json, read, networking } = stacks(role);
      const namespace = resourceAt(json, "kubernetes_namespace_v1", "site/namespace");
      expect(namespace.config.metadata).toEqual({ name: "site", labels: RESTRICTED_NAMESPACE_LABELS });
      const binding = resourceAt(json, "kubernetes_manifest", "site/resource").config;
      const networkingJson = read(networking.node.id);
      expect(binding.manifest).toEqual({
        apiVersion: "elbv2.k8s.aws/v1beta1",
        kind: "TargetGroupBinding",
        metadata: { name: "site", namespace: ref("kubernetes_namespace_v1", namespace.id, "metadata[0].name") },
        spec: {
          serviceRef: { name: "site", port: 80 },
          targetGroupARN: expect.any(String),
          targetType: "ip",
          multiClusterTargetGroup: true,
          networking: { ingress: [{ from: [{ securityGroup: { groupID: expect.any(String) } }], ports: [{ protocol: "TCP", port: 8080 }] }] },
        },
      });
      expect(followRemoteOutput(read, binding.manifest.spec.targetGroupARN)).toBe(
        ref("aws_lb_target_group", resourceAt(networkingJson, "aws_lb_target_group", "site/target-group").id, "arn"),
      );
      expect(followRemoteOutput(read, binding.manifest.spec.networking.ingress[0].from[0].securityGroup.groupID)).toBe(
        ref("aws_security_group", resourceAt(networkingJson, "aws_security_group", "site/security-group").id, "id"),
      );
    }
  });

  it("starts the workloads last: flux2-sync waits for cluster-vars, the import, the users and both CronJobs", () => {
    const { json } = stacks("recovery");
    expect(resourceAt(json, "helm_release", "flux/flux2-sync").config.depends_on).toEqual([
      address(json, "kubernetes_config_map_v1", "flux/cluster-vars"),
      address(json, "kubernetes_job_v1", "broker-definitions-import/resource"),
      address(json, "kubernetes_job_v1", "rabbitmq-users/job"),
      address(json, "kubernetes_cron_job_v1", "database-archive/resource"),
      address(json, "kubernetes_cron_job_v1", "broker-definitions/resource"),
    ]);
    const primary = stacks("primary").json;
    expect(resourceAt(primary, "helm_release", "flux/flux2-sync").config.depends_on).toEqual([
      address(primary, "kubernetes_config_map_v1", "flux/cluster-vars"),
      address(primary, "kubernetes_job_v1", "rabbitmq-users/job"),
      address(primary, "kubernetes_cron_job_v1", "database-archive/resource"),
      address(primary, "kubernetes_cron_job_v1", "broker-definitions/resource"),
    ]);
  });

  it("recovery: sets the users' new passwords after the import (which creates them without password hashes)", () => {
    const { json } = stacks("recovery");
    expect(resourceAt(json, "kubernetes_job_v1", "rabbitmq-users/job").config.depends_on).toEqual([
      address(json, "kubernetes_job_v1", "broker-definitions-import/resource"),
    ]);
    expect(resourceAt(stacks("primary").json, "kubernetes_job_v1", "rabbitmq-users/job").config.depends_on).toBeUndefined();
  });

  it("without broker users: no users job, and the sync waits for the rest", () => {
    const { json } = build("primary", { broker: { ...primaryInput().broker, users: [] } });
    expect(resources(json, "kubernetes_job_v1")).toEqual({});
    expect(resourceAt(json, "helm_release", "flux/flux2-sync").config.depends_on).toEqual([
      address(json, "kubernetes_config_map_v1", "flux/cluster-vars"),
      address(json, "kubernetes_cron_job_v1", "database-archive/resource"),
      address(json, "kubernetes_cron_job_v1", "broker-definitions/resource"),
    ]);
    expect(Object.keys(clusterVars(json)).filter((k) => k.startsWith("BROKER_SECRET_"))).toEqual([]);
  });

  it("runs the backup jobs in a restricted namespace as the service account the backup-job role is associated with", () => {
    const { json, kubernetesJson } = stacks("primary");
    expect(resourceAt(json, "kubernetes_namespace_v1", "backups-namespace").config.metadata).toEqual({
      name: "dr-backups",
      labels: {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
      },
    });
    const namespace = ref("kubernetes_namespace_v1", "backups-namespace", "metadata[0].name");
    expect(resourceAt(json, "kubernetes_service_account_v1", "backups-service-account").config).toEqual({
      metadata: { name: "database-archive", namespace },
      automount_service_account_token: false,
    });
    const account = ref("kubernetes_service_account_v1", "backups-service-account", "metadata[0].name");
    for (const path of ["database-archive/resource", "broker-definitions/resource"]) {
      const cron = resourceAt(json, "kubernetes_cron_job_v1", path).config;
      expect({ path, namespace: cron.metadata.namespace, account: cron.spec.job_template.spec.template.spec.service_account_name }).toEqual({
        path,
        namespace,
        account,
      });
    }
    const association = kubernetesJson.resource!.aws_eks_pod_identity_association["pod-identity-backup-job"];
    expect({ namespace: association.namespace, serviceAccount: association.service_account }).toEqual({
      namespace: BACKUP_JOB_SERVICE_ACCOUNT.namespace,
      serviceAccount: BACKUP_JOB_SERVICE_ACCOUNT.name,
    });
  });

  it("schedules both CronJobs hourly by default, or as backups.schedule says", () => {
    const schedules = (json: StackJson) =>
      ["database-archive/resource", "broker-definitions/resource"].map((path) => resourceAt(json, "kubernetes_cron_job_v1", path).config.spec.schedule);
    expect(schedules(stacks("primary").json)).toEqual(["0 * * * *", "0 * * * *"]);
    expect(schedules(build("primary", { backups: { schedule: "*/30 * * * *" } }).json)).toEqual(["*/30 * * * *", "*/30 * * * *"]);
  });

  it("archives this environment's database into its hosting-services bucket (in drRegion), reading the RDS-managed secret when it runs: no copy of the password in the cluster or the state", () => {
    const { json, read, applicationJson } = stacks("primary");
    const pod = resourceAt(json, "kubernetes_cron_job_v1", "database-archive/resource").config.spec.job_template.spec.template.spec;
    const [password, dump] = pod.init_container.map((c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value])));
    const upload = Object.fromEntries(pod.container[0].env.map((e: any) => [e.name, e.value]));
    const database = resourceAt(applicationJson, "aws_db_instance", "database/resource").id;
    // The secret RDS manages (and rotates every 7 days), read in its region by the password step.
    expect(followRemoteOutput(read, password.DATABASE_SECRET_ID)).toBe(`\${aws_db_instance.${database}.master_user_secret[0].secret_arn}`);
    expect(password.AWS_REGION).toBe("us-east-1");
    expect(followRemoteOutput(read, dump.PGHOST)).toBe(ref("aws_db_instance", database, "address"));
    expect({ PGDATABASE: dump.PGDATABASE, PGUSER: dump.PGUSER, secret: dump.DATABASE_SECRET_FILE, uploadRegion: upload.AWS_REGION }).toEqual({
      PGDATABASE: "app",
      PGUSER: "dbadmin",
      secret: password.DATABASE_SECRET_FILE,
      uploadRegion: "us-east-2",
    });
    expect(followRemoteOutput(read, upload.ARCHIVE_BUCKET)).toBe(
      ref("aws_s3_bucket", resourceAt(applicationJson, "aws_s3_bucket", "hosting-services/bucket/resource").id, "bucket"),
    );
    // No Kubernetes secret of the database, and no read of its value into this stack's state.
    expect(Object.keys(json.resource!.kubernetes_secret_v1 ?? {}).filter((id) => id.startsWith("database"))).toEqual([]);
    expect(json.data?.aws_secretsmanager_secret_version).toBeUndefined();
  });

  it("recovery: archives the restored database under the primary's database name and master user", () => {
    const { json } = build("recovery", {});
    const pod = resourceAt(json, "kubernetes_cron_job_v1", "database-archive/resource").config.spec.job_template.spec.template.spec;
    const env = Object.fromEntries(pod.init_container[1].env.map((e: any) => [e.name, e.value]));
    expect({ PGDATABASE: env.PGDATABASE, PGUSER: env.PGUSER }).toEqual({ PGDATABASE: "app", PGUSER: "dbadmin" });
  });

  it("exports and imports definitions with the broker admin password each pod reads when it runs: no Kubernetes secret, no secret value in state", () => {
    const { json } = stacks("recovery");
    expect(json.data?.aws_secretsmanager_secret_version).toBeUndefined();
    expect(json.resource!.kubernetes_secret_v1).toBeUndefined();
    const cron = resourceAt(json, "kubernetes_cron_job_v1", "broker-definitions/resource").config.spec.job_template.spec.template.spec;
    const job = resourceAt(json, "kubernetes_job_v1", "broker-definitions-import/resource").config.spec.template.spec;
    for (const pod of [cron, job]) {
      const read = pod.init_container[0];
      expect([read.name, Object.fromEntries(read.env.map((e: any) => [e.name, e.value]))]).toEqual([
        "admin-password",
        { ADMIN_SECRET: "acme/us-east-2/rabbitmq/admin", AWS_REGION: "us-east-2", ADMIN_PASSWORD_FILE: "/run/broker-admin/password", HOME: "/tmp" },
      ]);
      expect(pod.volume.find((v: any) => v.name === "broker-admin")).toEqual({ name: "broker-admin", empty_dir: { medium: "Memory", size_limit: "1Mi" } });
    }
  });

  it("recovery: fetches the newest export from the primary's hosting-services bucket (in this region) and waits for the import", () => {
    const { json } = stacks("recovery");
    const job = resourceAt(json, "kubernetes_job_v1", "broker-definitions-import/resource").config;
    expect(job.wait_for_completion).toBe(true);
    const fetch = job.spec.template.spec.init_container[1];
    expect(fetch.command).toEqual(["/bin/sh", "/scripts/broker-definitions.sh", "fetch"]);
    expect(fetch.env).toEqual([
      { name: "DEFINITIONS_DIR", value: "/work" },
      { name: "HOME", value: "/tmp" },
      { name: "ARCHIVE_BUCKET", value: "acme-hosting-services-us-east-1" },
      { name: "AWS_REGION", value: "us-east-2" },
    ]);
    expect(job.spec.template.spec.container[0].command).toEqual(["node", "/scripts/broker-definitions.js", "import", "/work/definitions.json"]);
  });

  it("primary rebuilt in a new account (broker.importDefinitions): imports the newest export of its own hosting-services bucket (in drRegion) before its users, its backup role may read it", () => {
    const rebuilt = build("primary", { broker: { ...primaryInput().broker, importDefinitions: true } });
    const job = resourceAt(rebuilt.json, "kubernetes_job_v1", "broker-definitions-import/resource").config;
    expect(job.spec.template.spec.init_container[1].env).toEqual([
      { name: "DEFINITIONS_DIR", value: "/work" },
      { name: "HOME", value: "/tmp" },
      { name: "ARCHIVE_BUCKET", value: "acme-hosting-services-us-east-1" },
      { name: "AWS_REGION", value: "us-east-2" },
    ]);
    expect(resourceAt(rebuilt.json, "kubernetes_job_v1", "rabbitmq-users/job").config.depends_on).toContain(
      address(rebuilt.json, "kubernetes_job_v1", "broker-definitions-import/resource"),
    );
    const policy = JSON.parse(resourceAt(rebuilt.kubernetesJson, "aws_iam_role_policy", "backup-job-role/policy").config.policy);
    expect(policy.Statement.filter((s: { Sid: string }) => ["ListPrimaryExports", "GetPrimaryBrokerDefinitions"].includes(s.Sid))).toEqual([
      { Sid: "ListPrimaryExports", Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::acme-hosting-services-us-east-1" },
      { Sid: "GetPrimaryBrokerDefinitions", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-hosting-services-us-east-1/rabbitmq/*" },
    ]);
    // Without the field a primary imports nothing and its role reads no export.
    expect(Object.keys(stacks("primary").json.resource!.kubernetes_job_v1 ?? {}).some((id) => id.startsWith("broker-definitions-import"))).toBe(false);
  });

  it("every pod it creates passes Pod Security restricted and the library's demands", () => {
    for (const role of ["primary", "recovery"] as const) {
      const { json } = stacks(role);
      const pods = Object.entries(json.resource!)
        .filter(([type]) => type === "kubernetes_job_v1" || type === "kubernetes_cron_job_v1")
        .flatMap(([type, byId]) =>
          Object.entries(byId).flatMap(([id, config]) =>
            podTemplatesOf(toKubernetesObject(type, config as any)).map((t) => ({ id, violations: podSecurityViolations(t) })),
          ),
        );
      // A primary's restore test stands where a recovery's definitions import does.
      expect(pods.length).toBe(5);
      for (const pod of pods) expect(pod).toEqual({ id: pod.id, violations: [] });
    }
  });

  it("syncs clusters/<region> of the environment's repository by default", () => {
    expect(syncValues(stacks("primary").json).kustomization.spec.path).toBe("./clusters/us-east-1");
    expect(syncValues(stacks("recovery").json).kustomization.spec.path).toBe("./clusters/us-east-2");
    expect(syncValues(stacks("primary").json).gitRepository.spec).toEqual({
      url: "https://github.com/acme/platform-k8s",
      ref: { branch: "main" },
      interval: "5m",
      secretRef: { name: "flux-system-git" },
    });
  });

  it("takes the repository, branch, path, interval and prune from the environment's flux settings", () => {
    const { json, gitopsJson } = build("primary", {
      flux: {
        repositoryUrl: "ssh://git@github.com/acme/platform-k8s.git",
        branch: "production",
        path: "k8s/prod",
        intervalMinutes: 15,
        prune: false,
        gitCredentialsSecretName: "acme/flux/deploy-key",
      },
    });
    const values = syncValues(json);
    expect(values.gitRepository.spec).toEqual({
      url: "ssh://git@github.com/acme/platform-k8s.git",
      ref: { branch: "production" },
      interval: "15m",
      secretRef: { name: "flux-system-git" },
    });
    expect(values.kustomization.spec).toMatchObject({ path: "./k8s/prod", prune: false, interval: "15m" });
    const read = Object.values(gitopsJson.resource!.kubernetes_job_v1 as Record<string, any>)[0].spec.template.spec.init_container[0];
    expect(read.env).toContainEqual({ name: "GIT_CREDENTIALS_SECRET", value: "acme/flux/deploy-key" });
  });

  it("creates the broker's application users with a job in the cluster that reads their secrets when it runs (none in this stack's state)", () => {
    const { json } = stacks("primary");
    expect(Object.keys(json.data?.aws_secretsmanager_secret_version ?? {}).filter((id) => id.startsWith("rabbitmq-users_"))).toEqual([]);
    const job = resourceAt(json, "kubernetes_job_v1", "rabbitmq-users/job").config;
    // The backup jobs' namespace and service account: its pod identity role may read (and rotate) exactly these secrets.
    expect(job.metadata.namespace).toBe(ref("kubernetes_namespace_v1", "backups-namespace", "metadata[0].name"));
    expect(job.spec.template.spec.service_account_name).toBe(ref("kubernetes_service_account_v1", "backups-service-account", "metadata[0].name"));
    const env = Object.fromEntries(job.spec.template.spec.container[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toEqual({
      AWS_REGION: "us-east-1",
      USERS: "orders=acme/us-east-1/rabbitmq/orders",
      MANAGEMENT_URL: expect.stringMatching(/console_url\}$/),
      ADMIN_USERNAME: "admin",
      ADMIN_SECRET: "acme/us-east-1/rabbitmq/admin",
      HOME: "/tmp",
    });
  });

  it("primary: hands the environment's endpoints to the manifests in cluster-vars", () => {
    const { json, read, applicationJson, kubernetesJson } = stacks("primary");
    const vars = clusterVars(json);
    expect(Object.keys(vars).sort()).toEqual([
      "ASSETS_BUCKET",
      "AWS_REGION",
      "BROKER_ENDPOINT",
      "BROKER_SECRET_ORDERS",
      "DATABASE_HOST",
      "DATABASE_PORT",
      "DATABASE_SECRET_ARN",
      "DOMAIN",
      "DR_REGION",
      "ENVIRONMENT_ROLE",
      "HOSTING_SERVICES_BUCKET",
      "REGISTRY",
      "SOPS_KEY_ARN",
      "WORKLOAD_ROLE_ARN",
    ]);
    expect(vars).toMatchObject({
      AWS_REGION: "us-east-1",
      // The account's registry in the cluster's region: manifests pull `${REGISTRY}/<cache prefix>/...` (docs/images.md).
      REGISTRY: "123456789012.dkr.ecr.us-east-1.amazonaws.com",
      DR_REGION: "us-east-2",
      ENVIRONMENT_ROLE: "primary",
      DOMAIN: "example.com",
      DATABASE_PORT: "5432",
      BROKER_SECRET_ORDERS: "acme/us-east-1/rabbitmq/orders",
      // The kubernetes stack's role, by ARN: a literal, no reference to that stack.
      WORKLOAD_ROLE_ARN: "arn:aws:iam::123456789012:role/acme-workload-us-east-1",
    });

    const database = resourceAt(applicationJson, "aws_db_instance", "database/resource").id;
    expect(followRemoteOutput(read, vars.DATABASE_HOST)).toBe(ref("aws_db_instance", database, "address"));
    expect(followRemoteOutput(read, vars.DATABASE_SECRET_ARN)).toBe(`\${aws_db_instance.${database}.master_user_secret[0].secret_arn}`);
    const broker = resourceAt(applicationJson, "aws_mq_broker", "broker/resource").id;
    const endpoints = remoteOutputRef("application-us-east-1", `cross-stack-output-aws_mq_broker${broker}instances0endpoints`);
    expect(vars.BROKER_ENDPOINT).toBe(`\${element(${endpoints.slice(2, -1)}, 0)}`);
    expect(followRemoteOutput(read, endpoints)).toBe(`\${aws_mq_broker.${broker}.instances[0].endpoints}`);
    expect(followRemoteOutput(read, vars.ASSETS_BUCKET)).toBe(
      ref("aws_s3_bucket", resourceAt(applicationJson, "aws_s3_bucket", "assets/resource").id, "bucket"),
    );
    expect(followRemoteOutput(read, vars.HOSTING_SERVICES_BUCKET)).toBe(
      ref("aws_s3_bucket", resourceAt(applicationJson, "aws_s3_bucket", "hosting-services/bucket/resource").id, "bucket"),
    );
    expect(followRemoteOutput(read, vars.SOPS_KEY_ARN)).toBe(ref("aws_kms_key", resourceAt(applicationJson, "aws_kms_key", "sops-key/resource").id, "arn"));
    // The literal names exactly the role the kubernetes stack makes.
    expect(resourceAt(kubernetesJson, "aws_iam_role", "workload-role/resource").config.name).toBe("acme-workload-us-east-1");
  });

  it("recovery: cluster-vars name the primary's replica bucket and the key replica of this region", () => {
    const { json } = stacks("recovery");
    const vars = clusterVars(json);
    expect(vars).toMatchObject({
      AWS_REGION: "us-east-2",
      DR_REGION: "us-west-2",
      ENVIRONMENT_ROLE: "recovery",
      DOMAIN: "example.com",
      DATABASE_PORT: "5432",
      ASSETS_BUCKET: "acme-dr-assets-us-east-1",
    });
    // Derived from the primary's state, like the kubernetes stack's: no reference to that stack.
    expect(vars.SOPS_KEY_ARN).toBe("${local.sops_replica_key_arn}");
    expect(vars.BROKER_SECRET_ORDERS).toBe("acme/us-east-2/rabbitmq/orders");
    // The standby stack's role, by ARN: a literal, no reference to another stack.
    expect(vars.WORKLOAD_ROLE_ARN).toBe("arn:aws:iam::123456789012:role/acme-workload-us-east-2");
  });

  it("outputs the command that waits for Flux", () => {
    const { json } = stacks("primary");
    expect(Object.keys(json.output!).filter((name) => !name.startsWith("cross-stack-output-"))).toEqual(["flux_verify_command"]);
    expect(json.output!.flux_verify_command).toEqual({
      value: "kubectl -n flux-system wait kustomization/flux-system --for=condition=ready --timeout=10m",
      description: "Waits until Flux has applied the repository",
    });
  });
});
