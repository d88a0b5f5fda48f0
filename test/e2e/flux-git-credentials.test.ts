import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { spawn } from "child_process";
import type { AddressInfo } from "net";
import { CreateSecretCommand, PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { createLocalCertificate } from "../../lib/tooling/tls";
import { awsClients } from "../support/aws";
import { useEmulator } from "../support/emulator";
import { REPO } from "../support/run";
import { tempDir } from "../support/temp";

/**
 * backup/flux-git-credentials.sh, both steps: `read` with the aws CLI against the emulator's
 * Secrets Manager, `apply` with curl against a local HTTPS server speaking the part of the
 * Kubernetes API it uses (PUT and POST of one secret), trusted through the service account's
 * ca.crt as in a pod. Flux's Git credentials reach Kubernetes without Terraform holding them.
 */
jest.setTimeout(120_000);

const emulator = useEmulator({ firstPort: 6180 });
const SCRIPT = path.join(REPO, "backup/flux-git-credentials.sh");
const REGION = "us-east-2";
const TOKEN = "service-account-token-for-tests";
const HTTPS_VALUE = '{"username":"flux","password":"ghp_Secret0123456789"}';
const SSH_VALUE =
  '{\n  "identity": "-----BEGIN OPENSSH PRIVATE KEY-----\\nabc\\n-----END OPENSSH PRIVATE KEY-----\\n",\n  "known_hosts": "github.com ssh-ed25519 AAAA"\n}';

function run(step: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", [SCRIPT, step], { env: { PATH: process.env.PATH, HOME: tempDir("flux-git-home-"), ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const cliEnv = (): NodeJS.ProcessEnv => ({
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_REGION: REGION,
  AWS_DEFAULT_REGION: REGION,
  AWS_ENDPOINT_URL: emulator.current().endpoint,
  AWS_CA_BUNDLE: emulator.current().caFile,
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
});

let counter = 0;
async function secret(value?: string): Promise<string> {
  const id = `acme/flux/git-${++counter}`;
  await awsClients(emulator.current(), REGION).secrets.send(new CreateSecretCommand({ Name: id, ...(value === undefined ? {} : { SecretString: value }) }));
  return id;
}

describe("read", () => {
  it("writes the secret's current value into a file only its user may read, and prints only the secret's name", async () => {
    const id = await secret('{"username":"flux","password":"old0123456789"}');
    await awsClients(emulator.current(), REGION).secrets.send(new PutSecretValueCommand({ SecretId: id, SecretString: HTTPS_VALUE }));
    const file = path.join(tempDir("flux-git-"), "credentials.json");
    const result = await run("read", { ...cliEnv(), GIT_CREDENTIALS_SECRET: id, CREDENTIALS_FILE: file });
    expect([result.status, result.stdout, result.stderr]).toEqual([0, `flux-git-credentials: read ${id} in ${REGION}\n`, ""]);
    expect(fs.readFileSync(file, "utf8")).toBe(`${HTTPS_VALUE}\n`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("fails naming a secret that does not exist, and one without a value; writes nothing", async () => {
    const dir = tempDir("flux-git-");
    const missing = await run("read", { ...cliEnv(), GIT_CREDENTIALS_SECRET: "acme/flux/none", CREDENTIALS_FILE: path.join(dir, "a.json") });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("ResourceNotFoundException");
    expect(missing.stderr).toContain(`flux-git-credentials: cannot read acme/flux/none in ${REGION} (its message is above)\n`);
    const empty = await secret();
    const none = await run("read", { ...cliEnv(), GIT_CREDENTIALS_SECRET: empty, CREDENTIALS_FILE: path.join(dir, "b.json") });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(new RegExp(`flux-git-credentials: (cannot read ${empty}|${empty} in ${REGION} has no value)`));
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("names the first setting that is missing", async () => {
    const result = await run("read", { ...cliEnv(), GIT_CREDENTIALS_SECRET: "x" });
    expect([result.status, result.stderr]).toEqual([1, "flux-git-credentials: CREDENTIALS_FILE must be set\n"]);
  });
});

/** The Kubernetes API's secrets of one namespace, over TLS, with a bearer token. */
class FakeKubernetes {
  public readonly secrets = new Map<string, { stringData: Record<string, string>; labels: Record<string, string> }>();
  public readonly calls: string[] = [];
  public forbid = false;
  private server?: https.Server;

  public async start(tls: { certFile: string; keyFile: string }): Promise<string> {
    this.server = https.createServer({ cert: fs.readFileSync(tls.certFile), key: fs.readFileSync(tls.keyFile) }, (request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        this.calls.push(`${request.method} ${request.url}`);
        const answer = (status: number, message?: string) => {
          response.writeHead(status, { "content-type": "application/json" });
          response.end(JSON.stringify(message ? { kind: "Status", message } : JSON.parse(body)));
        };
        if (request.headers.authorization !== `Bearer ${TOKEN}`) return answer(401, "Unauthorized");
        if (this.forbid) return answer(403, 'secrets "flux-system-git" is forbidden: User "system:serviceaccount:flux-system:other" cannot update resource');
        const match = /^\/api\/v1\/namespaces\/flux-system\/secrets(?:\/([a-z0-9-]+))?$/.exec(request.url ?? "");
        if (!match) return answer(404, "no such path");
        const object = JSON.parse(body) as { metadata: { name: string; labels: Record<string, string> }; stringData: Record<string, string> };
        if (Object.values(object.stringData).some((v) => typeof v !== "string"))
          return answer(400, "json: cannot unmarshal number into Go struct field Secret.stringData of type string");
        const stored = { stringData: object.stringData, labels: object.metadata.labels };
        if (request.method === "PUT" && match[1]) {
          if (!this.secrets.has(match[1])) return answer(404, `secrets "${match[1]}" not found`);
          this.secrets.set(match[1], stored);
          return answer(200);
        }
        if (request.method === "POST" && !match[1]) {
          this.secrets.set(object.metadata.name, stored);
          return answer(201);
        }
        return answer(405, "method not allowed");
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `https://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  public stop(): void {
    this.server?.close();
  }
}

describe("apply", () => {
  let api: FakeKubernetes;
  let url: string;
  let account: string;
  beforeEach(async () => {
    const tls = createLocalCertificate(tempDir("fake-kubernetes-tls-"));
    api = new FakeKubernetes();
    url = await api.start(tls);
    account = tempDir("service-account-");
    fs.writeFileSync(path.join(account, "token"), TOKEN);
    fs.copyFileSync(tls.certFile, path.join(account, "ca.crt"));
  });
  afterEach(() => api.stop());

  const applyEnv = (value: string): NodeJS.ProcessEnv => {
    const file = path.join(tempDir("flux-git-"), "credentials.json");
    fs.writeFileSync(file, value);
    return { CREDENTIALS_FILE: file, NAMESPACE: "flux-system", SECRET_NAME: "flux-system-git", KUBERNETES_API: url, SERVICE_ACCOUNT_DIR: account };
  };

  it("creates the secret when it is absent, replaces it after a rotation, and prints no value", async () => {
    const created = await run("apply", applyEnv(HTTPS_VALUE));
    expect([created.status, created.stdout, created.stderr]).toEqual([0, "flux-git-credentials: created flux-system/flux-system-git\n", ""]);
    expect(api.calls).toEqual(["PUT /api/v1/namespaces/flux-system/secrets/flux-system-git", "POST /api/v1/namespaces/flux-system/secrets"]);
    expect(api.secrets.get("flux-system-git")).toEqual({
      stringData: { username: "flux", password: "ghp_Secret0123456789" },
      labels: { "app.kubernetes.io/managed-by": "dr-platform", "app.kubernetes.io/name": "flux-git-credentials" },
    });
    // A rotation to SSH: the whole secret is replaced (no username or password left behind).
    const replaced = await run("apply", applyEnv(SSH_VALUE));
    expect([replaced.status, replaced.stdout, replaced.stderr]).toEqual([0, "flux-git-credentials: replaced flux-system/flux-system-git\n", ""]);
    expect(api.secrets.get("flux-system-git")!.stringData).toEqual(JSON.parse(SSH_VALUE));
    expect(api.calls).toHaveLength(3);
  });

  it.each([
    ["not an object", '"just a token"', "the value of the secret is not a JSON object"],
    ["HTTPS without a password", '{"username":"flux"}', "the value of the secret has neither username and password (HTTPS) nor identity (SSH) as strings"],
    [
      "a number for a password",
      '{"username":"flux","password":12345}',
      "the value of the secret has neither username and password (HTTPS) nor identity (SSH) as strings",
    ],
  ])("refuses %s before it calls the API", async (_name, value, message) => {
    const result = await run("apply", applyEnv(value));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`flux-git-credentials: ${message}`);
    expect(result.stderr).not.toContain("12345");
    expect(api.calls).toEqual([]);
  });

  it("fails with the API's status and message when the service account may not write the secret", async () => {
    api.forbid = true;
    const result = await run("apply", applyEnv(HTTPS_VALUE));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'flux-git-credentials: PUT /api/v1/namespaces/flux-system/secrets/flux-system-git answered 403: secrets \\"flux-system-git\\" is forbidden: User \\"system:serviceaccount:flux-system:other\\" cannot update resource\n',
    );
    expect(result.stdout).toBe("");
  });

  it("refuses a server its ca.crt does not vouch for, and a pod without a token", async () => {
    fs.writeFileSync(path.join(account, "ca.crt"), fs.readFileSync(emulator.current().caFile));
    const untrusted = await run("apply", applyEnv(HTTPS_VALUE));
    expect(untrusted.status).toBe(1);
    expect(untrusted.stderr).toContain("did not reach the Kubernetes API");
    expect(api.calls).toEqual([]);
    fs.rmSync(path.join(account, "token"));
    const tokenless = await run("apply", applyEnv(HTTPS_VALUE));
    expect([tokenless.status, tokenless.stderr]).toEqual([
      1,
      `flux-git-credentials: no service account token in ${account}: the pod needs automountServiceAccountToken\n`,
    ]);
  });
});
