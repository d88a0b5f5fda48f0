import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { addEnvironments } from "../../app/assemble";
import { ConfigurationError } from "../../lib/environment";
import { useTarget } from "../../lib/targets";
import { EMULATOR_ACCOUNT_ID, EmulatorTarget, emulatorTargetFromEnvironment } from "../../lib/targets/emulator-target";
import { run } from "../support/run";
import { shippedEnvironments, shippedRestoringDatabase } from "../support/shipped";
import { tempDir } from "../support/temp";

const ENDPOINT = "http://127.0.0.1:5055";
const STATE = "/tmp/emulator-state";

function synth(target: EmulatorTarget | undefined): Record<string, any> {
  const outdir = tempDir("emulator-target-");
  const app = new App({ outdir });
  if (target) useTarget(app, target);
  addEnvironments(app, shippedEnvironments());
  app.synth();
  const stacks: Record<string, any> = {};
  for (const id of fs.readdirSync(path.join(outdir, "stacks"))) {
    stacks[id] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
  }
  return stacks;
}

const real = synth(undefined);
const emulated = synth(new EmulatorTarget(ENDPOINT, STATE));
/** The emulator acting as another of its accounts (a rebuild in a new account: DR_SANDBOX_ACCOUNT_ID). */
const OTHER_ACCOUNT = "345678901234";
const otherAccount = synth(new EmulatorTarget(ENDPOINT, STATE, OTHER_ACCOUNT));

function typesIn(stacks: Record<string, any>): Set<string> {
  return new Set(Object.values(stacks).flatMap((json) => Object.keys(json.resource ?? {})));
}

describe("emulatorTargetFromEnvironment", () => {
  it("is off unless DR_SANDBOX_ENDPOINT is set", () => {
    expect(emulatorTargetFromEnvironment({})).toBeUndefined();
    expect(emulatorTargetFromEnvironment({ DR_SANDBOX_ENDPOINT: "" })).toBeUndefined();
  });
  it("accepts a loopback endpoint with an absolute state folder", () => {
    const target = emulatorTargetFromEnvironment({ DR_SANDBOX_ENDPOINT: "http://localhost:5055/", DR_SANDBOX_STATE_DIR: "/tmp/s" })!;
    expect({ endpoint: target.endpoint, stateDir: target.stateDir }).toEqual({ endpoint: "http://localhost:5055", stateDir: "/tmp/s" });
  });
  it.each([
    [
      "http://10.0.0.5:5055",
      'DR_SANDBOX_ENDPOINT: must be an http(s):// URL on the loopback interface (127.0.0.1, localhost or [::1]); the sandbox never talks to another host (got "http://10.0.0.5:5055")',
    ],
    [
      "ftp://127.0.0.1:5055",
      'DR_SANDBOX_ENDPOINT: must be an http(s):// URL on the loopback interface (127.0.0.1, localhost or [::1]); the sandbox never talks to another host (got "ftp://127.0.0.1:5055")',
    ],
    ["127.0.0.1:5055", 'DR_SANDBOX_ENDPOINT: must be a URL like https://127.0.0.1:5055 (got "127.0.0.1:5055")'],
    ["not a url", 'DR_SANDBOX_ENDPOINT: must be a URL like https://127.0.0.1:5055 (got "not a url")'],
  ])("refuses %s", (endpoint, message) => {
    expect(() => emulatorTargetFromEnvironment({ DR_SANDBOX_ENDPOINT: endpoint, DR_SANDBOX_STATE_DIR: "/tmp/s" })).toThrow(new ConfigurationError([message]));
  });
  it("acts as the emulator's own account unless DR_SANDBOX_ACCOUNT_ID names another", () => {
    const settings = { DR_SANDBOX_ENDPOINT: ENDPOINT, DR_SANDBOX_STATE_DIR: "/tmp/s" };
    expect(emulatorTargetFromEnvironment(settings)!.accountId).toBe(EMULATOR_ACCOUNT_ID);
    expect(emulatorTargetFromEnvironment({ ...settings, DR_SANDBOX_ACCOUNT_ID: "" })!.accountId).toBe(EMULATOR_ACCOUNT_ID);
    expect(emulatorTargetFromEnvironment({ ...settings, DR_SANDBOX_ACCOUNT_ID: OTHER_ACCOUNT })!.accountId).toBe(OTHER_ACCOUNT);
    expect(emulatorTargetFromEnvironment({ ...settings, DR_SANDBOX_ACCOUNT_ID: OTHER_ACCOUNT })!.description).toContain(`(account ${OTHER_ACCOUNT})`);
  });
  it("refuses an account that is not 12 digits", () => {
    expect(() =>
      emulatorTargetFromEnvironment({ DR_SANDBOX_ENDPOINT: ENDPOINT, DR_SANDBOX_STATE_DIR: "/tmp/s", DR_SANDBOX_ACCOUNT_ID: "3456-7890-1234" }),
    ).toThrow(new ConfigurationError(['DR_SANDBOX_ACCOUNT_ID: must be a 12-digit account id of the emulator (got "3456-7890-1234")']));
  });
  it("needs an absolute state folder", () => {
    expect(() => emulatorTargetFromEnvironment({ DR_SANDBOX_ENDPOINT: ENDPOINT, DR_SANDBOX_STATE_DIR: "state" })).toThrow(
      new ConfigurationError(['DR_SANDBOX_STATE_DIR: must be an absolute folder for the sandbox\'s local state (got "state")']),
    );
  });
});

describe("the emulator target", () => {
  // Fails when the account override is removed: the shipped environments' account would remain.
  it("binds every AWS provider to the emulator's account, which no shipped environment uses", () => {
    const shippedAccounts = shippedEnvironments().map((l) => l.environment.accountId);
    expect(shippedAccounts).not.toContain(EMULATOR_ACCOUNT_ID);
    for (const [id, json] of Object.entries(emulated)) {
      for (const provider of json.provider.aws.filter((p: { alias?: string }) => p.alias !== "vault"))
        expect({ id, accounts: provider.allowed_account_ids }).toEqual({ id, accounts: [EMULATOR_ACCOUNT_ID] });
    }
  });

  // Fails when the target's account is ignored: a rebuild's providers would refuse the new account's credentials ("AWS account ID not allowed").
  it("acting as another emulator account, binds every AWS provider but the vault's to that account", () => {
    for (const [id, json] of Object.entries(otherAccount)) {
      expect({
        id,
        accounts: json.provider.aws.map((p: { alias?: string; allowed_account_ids: string[] }) => [p.alias ?? "default", p.allowed_account_ids]),
      }).toEqual({
        id,
        accounts: json.provider.aws.map((p: { alias?: string }) => [p.alias ?? "default", [p.alias === "vault" ? "210987654321" : OTHER_ACCOUNT]]),
      });
    }
    // Nothing else differs from the emulator's own account.
    const withoutAccounts = (stacks: Record<string, any>) =>
      JSON.stringify(stacks).replaceAll(`"${OTHER_ACCOUNT}"`, `"${EMULATOR_ACCOUNT_ID}"`).replaceAll(`:${OTHER_ACCOUNT}:`, `:${EMULATOR_ACCOUNT_ID}:`);
    expect(withoutAccounts(otherAccount)).toBe(JSON.stringify(emulated));
  });

  // Fails when the override is applied to a provider that assumes a role: moto maps the role's credentials to the role's account.
  it("leaves the vault provider on the vault account, through its role, as the emulator maps AssumeRole's credentials", () => {
    const vault = emulated["vault-us-east-1"].provider.aws.find((p: { alias?: string }) => p.alias === "vault");
    expect(vault).toMatchObject({
      allowed_account_ids: ["210987654321"],
      assume_role: [{ role_arn: "arn:aws:iam::210987654321:role/dr-platform-vault", session_name: "dr-platform-vault" }],
      endpoints: [expect.objectContaining({ s3: ENDPOINT, kms: ENDPOINT })],
      region: "us-west-2",
    });
  });

  // Fails when the endpoint override is removed: the providers would call AWS.
  it("points every service of every AWS provider at the emulator, path-style, without credential checks", () => {
    for (const [id, json] of Object.entries(emulated)) {
      for (const provider of json.provider.aws) {
        const endpoints = provider.endpoints[0];
        expect({ id, services: Object.keys(endpoints).sort() }).toEqual({
          id,
          services: [
            "acm",
            "backup",
            "cloudwatch",
            "ec2",
            "ecr",
            "eks",
            "elbv2",
            "iam",
            "kms",
            "lambda",
            "logs",
            "mq",
            "rds",
            "route53",
            "s3",
            "s3control",
            "scheduler",
            "secretsmanager",
            "sts",
            "wafv2",
          ],
        });
        expect(new Set(Object.values(endpoints))).toEqual(new Set([ENDPOINT]));
        expect(provider).toMatchObject({ s3_use_path_style: true, skip_credentials_validation: true, skip_metadata_api_check: "true" });
        expect(provider.access_key).toBeUndefined();
        expect(provider.secret_key).toBeUndefined();
      }
    }
  });

  it("keeps every stack's state in the state bucket in the emulator (S3 backend, lockfile), the bootstrap's in its folder, and reads the primary's state from the bucket", () => {
    const s3 = (key: string) => ({
      bucket: "acme-terraform-state",
      key,
      region: "us-west-2",
      encrypt: true,
      endpoints: { s3: ENDPOINT },
      use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    });
    for (const [id, json] of Object.entries(emulated)) {
      if (id.startsWith("state-")) expect(json.terraform.backend).toEqual({ local: { path: `${STATE}/${id}.tfstate` } });
      else expect(json.terraform.backend).toEqual({ s3: { ...s3(`${id}.tfstate`), use_lockfile: true } });
    }
    expect(emulated["application-us-east-2"].data.terraform_remote_state["primary-application-state"]).toEqual({
      backend: "s3",
      config: s3("application-us-east-1.tfstate"),
    });
  });

  // Fails when the gap aspect is not registered.
  it("leaves out exactly the resources the emulator cannot serve, which a real account keeps", () => {
    const gapTypes = [
      "aws_ecr_pull_through_cache_rule",
      "aws_eks_access_entry",
      "aws_eks_access_policy_association",
      "aws_eks_addon",
      "aws_eks_pod_identity_association",
      "aws_kms_replica_key",
      "aws_route53_hosted_zone_dnssec",
      "aws_route53_key_signing_key",
      "aws_route53_query_log",
      "aws_s3_bucket_logging",
      "aws_s3_bucket_policy",
    ];
    const realTypes = typesIn(real);
    const emulatedTypes = typesIn(emulated);
    for (const type of gapTypes) expect({ type, real: realTypes.has(type), emulated: emulatedTypes.has(type) }).toEqual({ type, real: true, emulated: false });
    // Deployed: the emulator's MOTO_FIXES serve the replication's control plane (test/e2e/emulator-fixes.test.ts).
    expect(emulatedTypes.has("aws_db_instance_automated_backups_replication")).toBe(true);
    expect([...realTypes].filter((t) => !gapTypes.includes(t)).sort()).toEqual([...emulatedTypes].sort());
  });

  // Fails without the rewrite: the emulator finds no instance in the environment's account (the drill's recovery failed so).
  it("names a replication's source by the emulator's account where the stack built its ARN from the environment's", () => {
    const source = (json: any) => (Object.values(json.resource.aws_db_instance_automated_backups_replication)[0] as any).source_db_instance_arn;
    expect(source(real["replication-us-east-2"])).toBe("arn:aws:rds:us-east-2:123456789012:db:acme-us-east-2");
    expect(source(emulated["replication-us-east-2"])).toBe("arn:aws:rds:us-east-2:000000000042:db:acme-us-east-2");
    // The account the target acts as, when it is another of the emulator's.
    expect(source(otherAccount["replication-us-east-2"])).toBe(`arn:aws:rds:us-east-2:${OTHER_ACCOUNT}:db:acme-us-east-2`);
    // A reference to the instance in its own stack is the emulator's already.
    expect(source(emulated["application-us-east-1"])).toBe(source(real["application-us-east-1"]));
    expect(source(emulated["application-us-east-1"])).toMatch(/^\$\{aws_db_instance\.database_resource_[0-9A-F]{8}\.arn\}$/);
  });

  // Fails when the pod identity gap removes more than the associations (the roles are what the emulator checks).
  it("removes the pod identity associations but keeps the pod identity roles and their outputs", () => {
    const roleNames = (json: any) =>
      Object.values(json.resource.aws_iam_role ?? {})
        .map((r: any) => r.name)
        .sort();
    const associations = (json: any) => Object.keys(json.resource.aws_eks_pod_identity_association ?? {}).length;
    expect(associations(real["kubernetes-us-east-1"])).toBe(5);
    expect(associations(real["kubernetes-us-east-2"])).toBe(5);
    expect(associations(emulated["kubernetes-us-east-1"])).toBe(0);
    expect(associations(emulated["kubernetes-us-east-2"])).toBe(0);
    expect(roleNames(emulated["kubernetes-us-east-1"])).toEqual(roleNames(real["kubernetes-us-east-1"]));
    expect(roleNames(emulated["kubernetes-us-east-1"])).toEqual(
      expect.arrayContaining(["acme-backup-job-us-east-1", "acme-flux-us-east-1", "acme-workload-us-east-1"]),
    );
    expect(roleNames(emulated["standby-us-east-2"])).toEqual(roleNames(real["standby-us-east-2"]));
    for (const id of ["kubernetes-us-east-1", "kubernetes-us-east-2"]) {
      expect({ id, outputs: Object.keys(emulated[id].output).sort() }).toEqual({ id, outputs: Object.keys(real[id].output).sort() });
    }
  });

  it("removes what references a removed resource: the replica's alias and its output; keeps the replicated backups' output", () => {
    const aliases = (json: any) => Object.values(json.resource.aws_kms_alias).map((a: any) => a.name);
    expect(aliases(real["application-us-east-1"])).toEqual([
      "alias/acme-archives-us-east-1",
      "alias/acme-data-us-east-1",
      "alias/acme-git-credentials-us-east-1",
      "alias/acme-sops-us-east-1",
      "alias/acme-sops-us-east-1",
    ]);
    expect(aliases(emulated["application-us-east-1"])).toEqual([
      "alias/acme-archives-us-east-1",
      "alias/acme-data-us-east-1",
      "alias/acme-git-credentials-us-east-1",
      "alias/acme-sops-us-east-1",
    ]);
    const outputs = (json: any) => ["sops_replica_key_arn", "database_replicated_backups_arn"].filter((o) => o in json.output);
    expect(outputs(real["application-us-east-1"])).toEqual(["sops_replica_key_arn", "database_replicated_backups_arn"]);
    expect(outputs(emulated["application-us-east-1"])).toEqual(["database_replicated_backups_arn"]);
  });

  it("keeps what only waited for a removed resource, without the wait: the load balancer and its log bucket's policy", () => {
    for (const region of ["us-east-1", "us-east-2"]) {
      const lb = (json: any) => Object.values(json.resource.aws_lb)[0] as any;
      const policy = Object.keys(real[`networking-${region}`].resource.aws_s3_bucket_policy)[0];
      expect(lb(real[`networking-${region}`]).depends_on).toEqual([`aws_s3_bucket_policy.${policy}`]);
      expect(emulated[`networking-${region}`].resource.aws_s3_bucket_policy).toBeUndefined();
      expect(lb(emulated[`networking-${region}`]).depends_on).toBeUndefined();
      expect(lb(emulated[`networking-${region}`]).access_logs).toEqual(lb(real[`networking-${region}`]).access_logs);
    }
  });

  it("creates a recovery's database empty instead of restoring it from replicated backups the emulator cannot make", () => {
    const database = (json: any) => Object.values(json.resource.aws_db_instance)[0] as any;
    expect(database(real["application-us-east-2"]).restore_to_point_in_time).toBeDefined();
    expect(database(real["application-us-east-2"]).lifecycle.precondition).toHaveLength(1);
    expect(database(emulated["application-us-east-2"]).restore_to_point_in_time).toBeUndefined();
    expect(database(emulated["application-us-east-2"]).lifecycle.precondition).toBeUndefined();
    expect(database(emulated["application-us-east-2"]).lifecycle.prevent_destroy).toBe(true);
  });

  it("restores a database generation from its predecessor's own backups in the emulator (moto serves that restore): only replicated backups are a gap", () => {
    const outdir = tempDir("emulator-target-generation-");
    const app = new App({ outdir });
    useTarget(app, new EmulatorTarget(ENDPOINT, STATE));
    addEnvironments(app, shippedRestoringDatabase());
    app.synth();
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "application-us-east-1", "cdk.tf.json"), "utf8"));
    expect(Object.values(json.resource.aws_db_instance).map((d: any) => [d.identifier, d.restore_to_point_in_time])).toEqual([
      ["acme-us-east-1-g2", { source_db_instance_identifier: "acme-us-east-1", restore_time: "2026-12-01T10:00:00Z" }],
    ]);
  });

  it("ignores the drift of the two database settings moto does not store, and nothing else of them", () => {
    for (const region of ["us-east-1", "us-east-2"]) {
      const one = (json: any, type: string) => Object.values(json.resource[type])[0] as any;
      const stack = `application-${region}`;
      expect(one(real[stack], "aws_db_instance").lifecycle.ignore_changes ?? []).not.toContain("performance_insights_enabled");
      expect(one(emulated[stack], "aws_db_instance").lifecycle.ignore_changes).toEqual([
        ...(one(real[stack], "aws_db_instance").lifecycle.ignore_changes ?? []),
        "performance_insights_enabled",
      ]);
      expect(one(real[stack], "aws_db_parameter_group").lifecycle).toBeUndefined();
      expect(one(emulated[stack], "aws_db_parameter_group").lifecycle).toEqual({ ignore_changes: ["parameter"] });
      // Still sent on create.
      expect(one(emulated[stack], "aws_db_instance").performance_insights_enabled).toBe(true);
      expect(one(emulated[stack], "aws_db_parameter_group").parameter).toEqual(one(real[stack], "aws_db_parameter_group").parameter);
    }
  });

  it("gives that stand-in the database name a restore keeps from its source (the primary's), which the real restore cannot declare", () => {
    const database = (json: any) => Object.values(json.resource.aws_db_instance)[0] as any;
    expect(database(real["application-us-east-1"]).db_name).toBe("app");
    expect(database(real["application-us-east-2"]).db_name).toBeUndefined();
    expect(database(emulated["application-us-east-2"]).db_name).toBe(database(real["application-us-east-1"]).db_name);
    // A database created empty (the primary's) is not touched.
    expect(database(emulated["application-us-east-1"])).toEqual(
      expect.objectContaining({ db_name: "app", username: database(real["application-us-east-1"]).username }),
    );
  });

  it("changes nothing for a real account: no endpoints, S3 state, the environment's account", () => {
    for (const json of Object.values(real)) {
      for (const provider of json.provider.aws) {
        expect(provider.endpoints).toBeUndefined();
        // The vault provider is the vault account's (through its role); every other the environment's.
        expect(provider.allowed_account_ids).toEqual([provider.alias === "vault" ? "210987654321" : "123456789012"]);
      }
    }
    expect(real["networking-us-east-1"].terraform.backend.s3).toEqual({
      bucket: "acme-terraform-state",
      key: "networking-us-east-1.tfstate",
      region: "us-west-2",
      encrypt: true,
      use_lockfile: true,
    });
  });

  it("announces itself and the rules it suppresses, with their reasons, on every synth", () => {
    const out = tempDir("emulator-banner-");
    const stateDir = path.join(out, "state");
    const result = run("node", ["dist/main.js"], {
      env: { DR_SANDBOX_ENDPOINT: ENDPOINT, DR_SANDBOX_STATE_DIR: stateDir, CDKTF_OUTDIR: path.join(out, "cdktf.out") },
    });
    expect(result.status).toBe(0);
    expect(result.stderr.startsWith(`${new EmulatorTarget(ENDPOINT, stateDir).banner()}\nPolicy suppressions (34):\n`)).toBe(true);
    expect(result.stderr).toMatch(/^SANDBOX MODE: AWS providers point at http:\/\/127\.0\.0\.1:5055 \(local emulator, account 000000000042\)/);
    expect(result.stderr).toMatch(/suppressed: emulator target: moto's Route 53 has no CreateKeySigningKey/);
    // The backups' replication is deployed in the emulator (MOTO_FIXES): the rule that asks for it holds there too.
    expect(result.stderr).not.toContain("[DR-RDS-5]");
  });
});
