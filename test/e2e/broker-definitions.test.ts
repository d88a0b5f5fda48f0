import { spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";
import { startArchiveBucket } from "../support/archive-bucket";
import { tempDir } from "../support/temp";
import { REPO } from "../support/run";

/**
 * backup/broker-definitions.js against a local HTTP server speaking the RabbitMQ management API's
 * /api/definitions (the peer, not the code under test), and backup/broker-definitions.sh against
 * the emulator's S3 with IAM enforced.
 */
jest.setTimeout(120_000);

const ADMIN = "admin";
const ADMIN_PASSWORD = "admin-password-for-tests";

const brokerDefinitions = () => ({
  rabbit_version: "3.13.7",
  users: [
    { name: ADMIN, password_hash: "adminhash", hashing_algorithm: "rabbit_password_hashing_sha256", tags: ["administrator"], limits: {} },
    { name: "orders", password_hash: "ordershash", hashing_algorithm: "rabbit_password_hashing_sha256", tags: [], limits: {} },
  ],
  vhosts: [{ name: "/" }],
  permissions: [
    { user: ADMIN, vhost: "/", configure: ".*", write: ".*", read: ".*" },
    { user: "orders", vhost: "/", configure: "^orders", write: "^orders", read: "^orders" },
  ],
  topic_permissions: [{ user: ADMIN, vhost: "/", exchange: "", write: ".*", read: ".*" }],
  parameters: [],
  global_parameters: [{ name: "cluster_name", value: "rabbit@b-1" }],
  policies: [{ vhost: "/", name: "ha", pattern: ".*", "apply-to": "queues", definition: { "queue-mode": "lazy" }, priority: 0 }],
  queues: [{ name: "orders.created", vhost: "/", durable: true, auto_delete: false, arguments: { "x-queue-type": "quorum" } }],
  exchanges: [{ name: "orders", vhost: "/", type: "topic", durable: true, auto_delete: false, internal: false, arguments: {} }],
  bindings: [{ source: "orders", vhost: "/", destination: "orders.created", destination_type: "queue", routing_key: "created", arguments: {} }],
});

/** What the export must write: no administrator, no hashes, everything else as the broker said. */
const stripped = () => {
  const d = brokerDefinitions();
  return {
    ...d,
    users: [{ name: "orders", password_hash: "", hashing_algorithm: "rabbit_password_hashing_sha256", tags: [], limits: {} }],
    permissions: [d.permissions[1]],
    topic_permissions: [],
  };
};

/** The management API's /api/definitions with basic auth: GET answers `state`, POST replaces it. */
class FakeBroker {
  state: any;
  posts: any[] = [];
  private server = http.createServer((request, response) => this.handle(request, response));
  constructor(state: any) {
    this.state = state;
  }
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop() {
    return new Promise((resolve) => this.server.close(resolve));
  }
  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const expected = `Basic ${Buffer.from(`${ADMIN}:${ADMIN_PASSWORD}`).toString("base64")}`;
    if (request.headers.authorization !== expected) {
      response.writeHead(401).end('{"error":"not_authorised","reason":"Login failed"}');
    } else if (request.url !== "/api/definitions") {
      response.writeHead(404).end('{"error":"Object Not Found","reason":"Not Found"}');
    } else if (request.method === "GET") {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(this.state));
    } else if (request.method !== "POST" || request.headers["content-type"] !== "application/json") {
      response.writeHead(request.method !== "POST" ? 405 : 415).end();
    } else {
      const chunks: Buffer[] = [];
      request.on("data", (chunk) => chunks.push(chunk));
      request.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        this.posts.push(body);
        this.state = body;
        response.writeHead(204).end();
      });
    }
  }
}

/** Runs a backup/ script asynchronously (the fake broker answers in this same process). */
function runScript(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const SCRIPT = path.join(REPO, "backup/broker-definitions.js");
const node = (args: string[], env: NodeJS.ProcessEnv) => runScript("node", [SCRIPT, ...args], env);

let primary: FakeBroker;
let primaryUrl: string;
let passwordFile: string;

beforeAll(async () => {
  primary = new FakeBroker(brokerDefinitions());
  primaryUrl = await primary.start();
  passwordFile = path.join(tempDir("broker-"), "password");
  fs.writeFileSync(passwordFile, `${ADMIN_PASSWORD}\n`);
});

afterAll(() => primary?.stop());

const adminEnv = () => ({ MANAGEMENT_URL: primaryUrl, ADMIN_USERNAME: ADMIN, ADMIN_PASSWORD_FILE: passwordFile });

describe("export", () => {
  it("writes the definitions without password hashes and without the administrator", async () => {
    const dir = tempDir("definitions-");
    const before = Date.now();
    const result = await node(["export", dir], adminEnv());
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "definitions.json"), "utf8"))).toEqual(stripped());
    expect(fs.readFileSync(path.join(dir, "definitions.json"), "utf8")).not.toMatch(/hash"\s*:\s*"[^"]/);
    const stamp = fs.readFileSync(path.join(dir, "exported-at"), "utf8");
    expect(stamp).toMatch(/^\d{8}T\d{6}Z$/);
    const exported = Date.parse(stamp.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"));
    expect(exported).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(result.stdout).toBe(
      `broker-definitions: exported 1 vhosts, 1 users, 1 permissions, 1 exchanges, 1 queues, 1 bindings, 1 policies to ${dir}/definitions.json (password hashes removed, administrator left out)\n`,
    );
  });

  it("fails with the broker's answer when the password is wrong", async () => {
    const result = await node(["export", tempDir("definitions-")], { ...adminEnv(), ADMIN_PASSWORD_FILE: "", ADMIN_PASSWORD: "wrong" });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('broker-definitions: GET /api/definitions answered 401: {"error":"not_authorised","reason":"Login failed"}\n');
  });

  it("fails when the broker cannot be reached", async () => {
    const result = await node(["export", tempDir("definitions-")], { ...adminEnv(), MANAGEMENT_URL: "http://127.0.0.1:1" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^broker-definitions: export failed: connect ECONNREFUSED 127\.0\.0\.1:1\n$/);
  });
});

describe("import", () => {
  it("posts the definitions, again without the administrator", async () => {
    const recovery = new FakeBroker({ users: [{ name: ADMIN, password_hash: "managed", tags: ["administrator"] }] });
    const url = await recovery.start();
    try {
      const file = path.join(tempDir("definitions-"), "definitions.json");
      fs.writeFileSync(file, JSON.stringify(brokerDefinitions()));
      const result = await node(["import", file], { ...adminEnv(), MANAGEMENT_URL: url });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(recovery.posts).toEqual([stripped()]);
      expect(result.stdout).toBe(`broker-definitions: imported 1 vhosts, 1 users, 1 permissions, 1 exchanges, 1 queues, 1 bindings, 1 policies from ${file}\n`);
    } finally {
      await recovery.stop();
    }
  });

  it("TOPOLOGY_ONLY=true (a standing broker's scheduled import) posts no users and no permissions, so the passwords set since survive", async () => {
    const standby = new FakeBroker({ users: [{ name: ADMIN, password_hash: "managed", tags: ["administrator"] }] });
    const url = await standby.start();
    try {
      const file = path.join(tempDir("definitions-"), "definitions.json");
      fs.writeFileSync(file, JSON.stringify(brokerDefinitions()));
      const result = await node(["import", file], { ...adminEnv(), MANAGEMENT_URL: url, TOPOLOGY_ONLY: "true" });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      const d = brokerDefinitions();
      expect(standby.posts).toEqual([
        {
          rabbit_version: d.rabbit_version,
          vhosts: d.vhosts,
          parameters: [],
          global_parameters: d.global_parameters,
          policies: d.policies,
          queues: d.queues,
          exchanges: d.exchanges,
          bindings: d.bindings,
        },
      ]);
      expect(result.stdout).toBe(`broker-definitions: imported 1 vhosts, 0 users, 0 permissions, 1 exchanges, 1 queues, 1 bindings, 1 policies from ${file}\n`);
    } finally {
      await standby.stop();
    }
  });

  it("refuses a file that holds no definitions", async () => {
    const file = path.join(tempDir("definitions-"), "definitions.json");
    fs.writeFileSync(file, "[]");
    const result = await node(["import", file], adminEnv());
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`broker-definitions: ${file} does not hold broker definitions (a JSON object)\n`);
  });

  it("refuses a file it cannot read", async () => {
    const result = await node(["import", "/nonexistent/definitions.json"], adminEnv());
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "broker-definitions: cannot read definitions from /nonexistent/definitions.json: ENOENT: no such file or directory, open '/nonexistent/definitions.json'\n",
    );
  });
});

describe("settings", () => {
  it.each([
    ["MANAGEMENT_URL", { MANAGEMENT_URL: "" }, "MANAGEMENT_URL must be set"],
    ["ADMIN_USERNAME", { ADMIN_USERNAME: "" }, "ADMIN_USERNAME must be set"],
    ["a password", { ADMIN_PASSWORD_FILE: "" }, "ADMIN_PASSWORD or ADMIN_PASSWORD_FILE must be set"],
    [
      "a readable password file",
      { ADMIN_PASSWORD_FILE: "/nonexistent/password" },
      "ADMIN_PASSWORD_FILE names a file that cannot be read: /nonexistent/password",
    ],
    ["an http(s) URL", { MANAGEMENT_URL: "broker:15671" }, "MANAGEMENT_URL must be an https:// URL (got broker://...)"],
    ["a URL", { MANAGEMENT_URL: "not a url" }, "MANAGEMENT_URL must be a URL (got not a url)"],
  ])("requires %s", async (_what, change, message) => {
    const result = await node(["export", tempDir("definitions-")], { ...adminEnv(), ...change });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`broker-definitions: ${message}\n`);
  });

  it("names the commands when given none", async () => {
    const result = await node([], adminEnv());
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("broker-definitions: usage: broker-definitions.js export <dir> | import <file> (got: nothing)\n");
  });
});

describe("through the bucket (backup/broker-definitions.sh)", () => {
  let s3: Awaited<ReturnType<typeof startArchiveBucket>>;
  const shell = (step: string, dir: string, env: NodeJS.ProcessEnv) =>
    runScript("sh", [path.join(REPO, "backup/broker-definitions.sh"), step], { DEFINITIONS_DIR: dir, ARCHIVE_BUCKET: s3.bucket, ...env });

  beforeAll(async () => {
    s3 = await startArchiveBucket(5800, {
      users: {
        // The backup-job role reads the one secret by name (pod-identity-roles.ts); moto 5.2.1 answers
        // 500 to a Secrets Manager call under a policy scoped to a secret's ARN (seen), hence "*" here.
        "acme-backup-job": JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: ["secretsmanager:CreateSecret", "secretsmanager:GetSecretValue"], Resource: "*" }],
        }),
      },
    });
  });
  afterAll(() => s3?.stop());

  it("the newest export, uploaded with the backup policy, is what the recovery broker imports", async () => {
    const older = tempDir("definitions-");
    expect((await node(["export", older], adminEnv())).status).toBe(0);
    expect((await shell("upload", older, s3.cliEnv(s3.uploader))).status).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // stamps have one-second resolution
    primary.state = {
      ...brokerDefinitions(),
      queues: [...brokerDefinitions().queues, { name: "orders.cancelled", vhost: "/", durable: true, auto_delete: false, arguments: {} }],
    };
    const newer = tempDir("definitions-");
    expect((await node(["export", newer], adminEnv())).status).toBe(0);
    const upload = await shell("upload", newer, s3.cliEnv(s3.uploader));
    const key = `rabbitmq/${fs.readFileSync(path.join(newer, "exported-at"), "utf8")}/definitions.json`;
    expect(upload.stdout).toBe(`broker-definitions: uploaded s3://${s3.bucket}/${key}\n`);

    const fetched = tempDir("definitions-");
    const fetch = await shell("fetch", fetched, s3.cliEnv(s3.reader));
    expect(fetch.stdout).toBe(`broker-definitions: fetched s3://${s3.bucket}/${key}\n`);
    const recovery = new FakeBroker({});
    const url = await recovery.start();
    try {
      expect((await node(["import", path.join(fetched, "definitions.json")], { ...adminEnv(), MANAGEMENT_URL: url })).status).toBe(0);
      expect(recovery.state.queues.map((q: { name: string }) => q.name)).toEqual(["orders.created", "orders.cancelled"]);
      expect(recovery.state.users).toEqual(stripped().users);
    } finally {
      await recovery.stop();
      primary.state = brokerDefinitions();
    }
  });

  it("the uploader cannot fetch: it may not read objects", async () => {
    const result = await shell("fetch", tempDir("definitions-"), s3.cliEnv(s3.uploader));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/AccessDenied|Forbidden/);
  });

  it("admin-password: reads the administrator's password when the pod runs into a file only its user may read; nothing secret is printed", async () => {
    const secretId = "acme/us-east-1/rabbitmq/admin";
    const created = await runScript(
      "aws",
      ["secretsmanager", "create-secret", "--name", secretId, "--secret-string", "AdminPasswordRead0123"],
      s3.cliEnv(s3.users["acme-backup-job"]),
    );
    expect([created.status, created.stderr]).toEqual([0, ""]);
    const file = path.join(tempDir("broker-admin-"), "password");
    const result = await shell("admin-password", "", { ...s3.cliEnv(s3.users["acme-backup-job"]), ADMIN_SECRET: secretId, ADMIN_PASSWORD_FILE: file });
    expect([result.status, result.stdout, result.stderr]).toEqual([0, `broker-definitions: read the administrator's password from ${secretId}\n`, ""]);
    expect(fs.readFileSync(file, "utf8")).toBe("AdminPasswordRead0123\n");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // The reader has no secretsmanager:GetSecretValue: the step fails naming the secret, and writes nothing.
    const denied = path.join(tempDir("broker-admin-"), "password");
    const refused = await shell("admin-password", "", { ...s3.cliEnv(s3.reader), ADMIN_SECRET: secretId, ADMIN_PASSWORD_FILE: denied });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`broker-definitions: cannot read the administrator's secret ${secretId} (its message is above)`);
    expect(fs.existsSync(denied)).toBe(false);
    const unset = await shell("admin-password", "", { ...s3.cliEnv(s3.users["acme-backup-job"]), ADMIN_SECRET: secretId });
    expect([unset.status, unset.stderr]).toEqual([1, "broker-definitions: ADMIN_PASSWORD_FILE must be set\n"]);
  });

  it("refuses an upload before the export", async () => {
    const result = await shell("upload", tempDir("definitions-"), s3.cliEnv(s3.uploader));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^broker-definitions: \/\S+\/definitions\.json is missing: run the export first\n$/);
  });
});
