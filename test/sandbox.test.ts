import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { addEnvironments } from "../lib/app";
import { ConfigurationError } from "../lib/environment";
import { enableSandbox, SANDBOX_ACCOUNT_ID, SANDBOX_GAPS, sandboxBanner, sandboxFromEnvironment } from "../lib/sandbox";
import { shippedEnvironments } from "./support/shipped";
import { run } from "./support/run";
import { tempDir } from "./support/temp";

const ENDPOINT = "http://127.0.0.1:5055";

function synth(sandbox: boolean): Record<string, any> {
  const outdir = tempDir("sandbox-mode-");
  const app = new App({ outdir });
  if (sandbox) enableSandbox(app, { endpoint: ENDPOINT, stateDir: "/tmp/sandbox-state" });
  addEnvironments(app, shippedEnvironments());
  app.synth();
  const stacks: Record<string, any> = {};
  for (const id of fs.readdirSync(path.join(outdir, "stacks"))) {
    stacks[id] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
  }
  return stacks;
}

const real = synth(false);
const sandbox = synth(true);
const gapTypes = SANDBOX_GAPS.flatMap((gap) => gap.resourceTypes).filter((t) => /^aws_[a-z0-9_]+$/.test(t));

function typesIn(stacks: Record<string, any>): Set<string> {
  return new Set(Object.values(stacks).flatMap((json) => Object.keys(json.resource ?? {})));
}

describe("sandboxFromEnvironment", () => {
  it("is off unless DR_SANDBOX_ENDPOINT is set", () => {
    expect(sandboxFromEnvironment({})).toBeUndefined();
    expect(sandboxFromEnvironment({ DR_SANDBOX_ENDPOINT: "" })).toBeUndefined();
  });
  it("accepts a loopback endpoint with an absolute state folder", () => {
    expect(sandboxFromEnvironment({ DR_SANDBOX_ENDPOINT: "http://localhost:5055/", DR_SANDBOX_STATE_DIR: "/tmp/s" })).toEqual({
      endpoint: "http://localhost:5055",
      stateDir: "/tmp/s",
    });
  });
  it.each([
    ["http://10.0.0.5:5055", 'DR_SANDBOX_ENDPOINT: must be an http(s):// URL on the loopback interface (127.0.0.1, localhost or [::1]); the sandbox never talks to another host (got "http://10.0.0.5:5055")'],
    ["ftp://127.0.0.1:5055", 'DR_SANDBOX_ENDPOINT: must be an http(s):// URL on the loopback interface (127.0.0.1, localhost or [::1]); the sandbox never talks to another host (got "ftp://127.0.0.1:5055")'],
    ["127.0.0.1:5055", 'DR_SANDBOX_ENDPOINT: must be a URL like https://127.0.0.1:5055 (got "127.0.0.1:5055")'],
    ["not a url", 'DR_SANDBOX_ENDPOINT: must be a URL like https://127.0.0.1:5055 (got "not a url")'],
  ])("refuses %s", (endpoint, message) => {
    expect(() => sandboxFromEnvironment({ DR_SANDBOX_ENDPOINT: endpoint, DR_SANDBOX_STATE_DIR: "/tmp/s" })).toThrow(new ConfigurationError([message]));
  });
  it("needs an absolute state folder", () => {
    expect(() => sandboxFromEnvironment({ DR_SANDBOX_ENDPOINT: ENDPOINT, DR_SANDBOX_STATE_DIR: "state" })).toThrow(
      new ConfigurationError(['DR_SANDBOX_STATE_DIR: must be an absolute folder for the sandbox\'s local state (got "state")']),
    );
  });
});

describe("sandbox mode", () => {
  it("points every AWS provider at the emulator, bound to the emulator's account", () => {
    for (const [id, json] of Object.entries(sandbox)) {
      for (const provider of json.provider.aws) {
        expect({ id, endpoints: provider.endpoints[0].s3, account: provider.allowed_account_ids }).toEqual({ id, endpoints: ENDPOINT, account: [SANDBOX_ACCOUNT_ID] });
        expect(provider).toMatchObject({ s3_use_path_style: true, skip_credentials_validation: true });
        expect(provider.access_key).toBeUndefined();
        expect(provider.secret_key).toBeUndefined();
      }
    }
  });

  it("keeps every stack's state locally, in the sandbox's state folder", () => {
    for (const [id, json] of Object.entries(sandbox)) {
      expect(json.terraform.backend).toEqual({ local: { path: `/tmp/sandbox-state/${id}.tfstate` } });
    }
  });

  it("leaves out exactly the resources the emulator cannot serve, which real mode keeps", () => {
    const realTypes = typesIn(real);
    const sandboxTypes = typesIn(sandbox);
    expect(gapTypes.sort()).toEqual([
      "aws_db_instance_automated_backups_replication",
      "aws_eks_access_entry",
      "aws_eks_access_policy_association",
      "aws_eks_addon",
      "aws_kms_replica_key",
      "aws_s3_bucket_policy",
    ]);
    for (const type of gapTypes) {
      expect({ type, real: realTypes.has(type), sandbox: sandboxTypes.has(type) }).toEqual({ type, real: true, sandbox: false });
    }
    // Nothing else differs in kind: every other resource type exists in both modes.
    expect([...realTypes].filter((t) => !gapTypes.includes(t)).sort()).toEqual([...sandboxTypes].sort());
  });

  it("changes nothing in real mode: no endpoints, S3 state, the environment's account", () => {
    for (const json of Object.values(real)) {
      for (const provider of json.provider.aws) {
        expect(provider.endpoints).toBeUndefined();
        expect(provider.allowed_account_ids).toEqual(["123456789012"]);
      }
    }
    expect(real["networking-us-east-1"].terraform.backend.s3.bucket).toBe("acme-terraform-state");
  });

  it("announces itself on every synth", () => {
    const out = tempDir("sandbox-banner-");
    const result = run("node", ["--require", "sucrase/register/ts", "main.ts"], {
      env: { DR_SANDBOX_ENDPOINT: ENDPOINT, DR_SANDBOX_STATE_DIR: path.join(out, "state"), CDKTF_OUTDIR: path.join(out, "cdktf.out") },
    });
    expect(result.status).toBe(0);
    expect(result.stderr.startsWith(`${sandboxBanner({ endpoint: ENDPOINT, stateDir: path.join(out, "state") })}\nPolicy suppressions (7):\n`)).toBe(true);
    expect(result.stderr).toMatch(/^SANDBOX MODE: AWS providers point at http:\/\/127\.0\.0\.1:5055 \(local emulator\)/);
  });
});
