import * as fs from "fs";
import * as path from "path";
import { CreateSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand } from "@aws-sdk/client-secrets-manager";
import { awsClients } from "../support/aws";
import { useEmulator } from "../support/emulator";
import { ADMIN, ADMIN_PASSWORD, FakeBroker, podIdentityAgent, runScript as run } from "../support/fake-broker";
import { REPO } from "../support/run";
import { tempDir } from "../support/temp";

/**
 * backup/rotate-broker-passwords.sh (curl only, SigV4-signed Secrets Manager calls) against the
 * emulator's Secrets Manager and a local HTTP server speaking the RabbitMQ management API's
 * /api/users/<user> and /api/whoami (the peer, not the code under test).
 */
jest.setTimeout(120_000);

const emulator = useEmulator({ firstPort: 47_610 });
const SCRIPT = path.join(REPO, "backup/rotate-broker-passwords.sh");
const REGION = "us-east-1";
const runScript = (env: NodeJS.ProcessEnv) => run(SCRIPT, env);
let broker: FakeBroker;
let managementUrl: string;
let dir: string;
beforeEach(async () => {
  broker = new FakeBroker();
  managementUrl = await broker.start();
  dir = tempDir("rotation-");
  fs.writeFileSync(path.join(dir, "admin-password"), ADMIN_PASSWORD);
});
afterEach(() => broker.stop());

let counter = 0;
/** A broker user with a generated-looking password, on the broker and as AWSCURRENT of its secret. */
async function user(name: string): Promise<{ name: string; secret: string; password: string }> {
  const secret = `acme/us-east-1/rabbitmq/${name}-${++counter}`;
  const password = `Initial${counter}Password${"x".repeat(20)}`;
  await awsClients(emulator.current(), REGION).secrets.send(new CreateSecretCommand({ Name: secret, SecretString: password }));
  broker.passwords.set(name, password);
  return { name, secret, password };
}

const baseEnv = (users: { name: string; secret: string }[]): NodeJS.ProcessEnv => ({
  AWS_REGION: REGION,
  SECRETS_MANAGER_ENDPOINT: emulator.current().endpoint,
  CURL_CA_BUNDLE: emulator.current().caFile,
  USERS: users.map((u) => `${u.name}=${u.secret}`).join(" "),
  MANAGEMENT_URL: managementUrl,
  ADMIN_USERNAME: ADMIN,
  ADMIN_PASSWORD_FILE: path.join(dir, "admin-password"),
});
const keyEnv = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };

async function stages(secret: string): Promise<Record<string, string>> {
  const secrets = awsClients(emulator.current(), REGION).secrets;
  const { Versions } = await secrets.send(new ListSecretVersionIdsCommand({ SecretId: secret }));
  const result: Record<string, string> = {};
  for (const version of Versions ?? []) {
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: secret, VersionId: version.VersionId }));
    for (const stage of version.VersionStages ?? []) result[stage] = SecretString!;
  }
  return result;
}

test("rotates every user: the broker accepts AWSCURRENT, the old password is AWSPREVIOUS, no AWSPENDING is left, nothing secret is printed", async () => {
  const orders = await user("orders");
  const billing = await user("billing");
  const agent = await podIdentityAgent("pod-identity-token");
  fs.writeFileSync(path.join(dir, "token"), "pod-identity-token");
  try {
    // Credentials from the pod identity agent, as in the cluster.
    const result = await runScript({
      ...baseEnv([orders, billing]),
      AWS_CONTAINER_CREDENTIALS_FULL_URI: agent.url,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: path.join(dir, "token"),
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(agent.calls()).toBe(1);
    for (const rotated of [orders, billing]) {
      const after = await stages(rotated.secret);
      expect(Object.keys(after).sort()).toEqual(["AWSCURRENT", "AWSPREVIOUS"]);
      expect(after.AWSPREVIOUS).toBe(rotated.password);
      expect(after.AWSCURRENT).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(broker.passwords.get(rotated.name)).toBe(after.AWSCURRENT);
      expect(result.output).toContain(`rotate-broker-passwords: ${rotated.name}: rotated (${rotated.secret} version `);
      for (const password of [rotated.password, after.AWSCURRENT, ADMIN_PASSWORD, "pod-secret", "pod-session-token"])
        expect(result.output).not.toContain(password);
    }
    expect(broker.puts).toEqual(["orders", "billing"]);
  } finally {
    agent.stop();
  }
});

test("a broker that refuses the new password gets the old one back, and AWSCURRENT keeps it", async () => {
  const orders = await user("orders");
  broker.refuseWhoami.add("orders");
  const result = await runScript({ ...baseEnv([orders]), ...keyEnv });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(
    "rotate-broker-passwords: orders: the broker refused the new password (GET /api/whoami answered 401); the broker has its previous password again (AWSCURRENT, unchanged): nothing is locked out.",
  );
  const after = await stages(orders.secret);
  expect(after.AWSCURRENT).toBe(orders.password);
  expect(broker.passwords.get("orders")).toBe(orders.password);
  // Set, then put back: the new password (AWSPENDING, never promoted) was never left on the broker.
  expect(broker.puts).toEqual(["orders", "orders"]);
  expect(after.AWSPENDING).toMatch(/^[A-Za-z0-9]{32}$/);
  expect(result.output).not.toContain(after.AWSPENDING);
  expect(result.output).not.toContain(orders.password);
});

test("a broker that refuses the administrator changes nothing anywhere", async () => {
  const orders = await user("orders");
  fs.writeFileSync(path.join(dir, "admin-password"), "WrongAdminPassword1");
  const result = await runScript({ ...baseEnv([orders]), ...keyEnv });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain("PUT /api/users/orders answered 401");
  expect(result.stderr).toContain("setting the new password on the broker failed, and putting the previous password back on the broker failed too");
  expect((await stages(orders.secret)).AWSCURRENT).toBe(orders.password);
  expect(broker.passwords.get("orders")).toBe(orders.password);
});

test("a current value that is not a generated password stops before anything changes", async () => {
  const orders = await user("orders");
  const odd = `acme/us-east-1/rabbitmq/odd-${++counter}`;
  await awsClients(emulator.current(), REGION).secrets.send(new CreateSecretCommand({ Name: odd, SecretString: 'has"quote' }));
  const result = await runScript({ ...baseEnv([{ name: "orders", secret: odd }]), ...keyEnv });
  expect(result.status).toBe(1);
  expect(result.stderr).toBe(
    `rotate-broker-passwords: orders: the AWSCURRENT value of ${odd} is not a generated password (12 or more letters and digits): nothing changed; set one with put-secret-value first\n`,
  );
  expect(Object.keys(await stages(odd))).toEqual(["AWSCURRENT"]);
  expect(broker.puts).toEqual([]);
  expect(orders.password).toBe(broker.passwords.get("orders"));
});

test("missing settings and malformed USERS entries are named", async () => {
  const noUsers = await runScript({ ...baseEnv([]), ...keyEnv });
  expect(noUsers.stderr).toBe("rotate-broker-passwords: USERS must be set (or ADMIN_SECRET, to rotate the administrator only)\n");
  const malformed = await runScript({ ...baseEnv([]), USERS: "orders", ...keyEnv });
  expect(malformed.stderr).toBe("rotate-broker-passwords: USERS entries must be <user>=<secret name> (got orders)\n");
  const { ADMIN_PASSWORD_FILE: _file, ...noAdmin } = baseEnv([{ name: "orders", secret: "x" }]);
  expect((await runScript({ ...noAdmin, ...keyEnv })).stderr).toBe("rotate-broker-passwords: ADMIN_PASSWORD_FILE or ADMIN_SECRET must be set\n");
  const noCredentials = await runScript({ ...baseEnv([{ name: "orders", secret: "x" }]) });
  expect(noCredentials.stderr).toBe(
    "rotate-broker-passwords: no AWS credentials: is the pod identity association of this service account in place? (kubernetes stack)\n",
  );
});

describe("the administrator (ADMIN_SECRET)", () => {
  beforeEach(() => {
    // A file copy that lags (a rotation happened since): with ADMIN_SECRET the job must not use it.
    fs.writeFileSync(path.join(dir, "admin-password"), "StaleAdminPassword1");
  });

  /** The administrator's secret, AWSCURRENT the password the broker accepts. */
  async function adminSecret(): Promise<string> {
    const secret = `acme/us-east-1/rabbitmq/admin-${++counter}`;
    await awsClients(emulator.current(), REGION).secrets.send(new CreateSecretCommand({ Name: secret, SecretString: ADMIN_PASSWORD }));
    return secret;
  }

  const adminEnv = (users: { name: string; secret: string }[], secret: string, rotate?: string): NodeJS.ProcessEnv => ({
    ...baseEnv(users),
    ...keyEnv,
    ADMIN_SECRET: secret,
    ...(rotate === undefined ? {} : { ROTATE_ADMIN: rotate }),
  });

  test("rotates the users with the current administrator password read at run time, then the administrator; nothing secret is printed", async () => {
    const orders = await user("orders");
    const secret = await adminSecret();
    const result = await runScript(adminEnv([orders], secret));
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);

    const after = await stages(secret);
    expect(Object.keys(after).sort()).toEqual(["AWSCURRENT", "AWSPREVIOUS"]);
    expect(after.AWSPREVIOUS).toBe(ADMIN_PASSWORD);
    expect(after.AWSCURRENT).toMatch(/^[A-Za-z0-9]{32}$/);
    // The broker: the users first (as the old administrator), then the administrator, keeping its tag.
    expect(broker.puts).toEqual(["orders", ADMIN]);
    expect(broker.passwords.get(ADMIN)).toBe(after.AWSCURRENT);
    expect(broker.tags.get(ADMIN)).toBe("administrator");
    expect(broker.passwords.get("orders")).toBe((await stages(orders.secret)).AWSCURRENT);
    expect(result.output).toContain(`rotate-broker-passwords: admin (administrator): rotated (${secret} version `);
    for (const password of [ADMIN_PASSWORD, after.AWSCURRENT, orders.password]) expect(result.output).not.toContain(password);
  });

  test("with ROTATE_ADMIN false, signs in with the administrator's current password and rotates the users only", async () => {
    const orders = await user("orders");
    const secret = await adminSecret();
    const result = await runScript(adminEnv([orders], secret, "false"));
    expect([result.status, result.stderr]).toEqual([0, ""]);
    expect(broker.puts).toEqual(["orders"]);
    expect(await stages(secret)).toEqual({ AWSCURRENT: ADMIN_PASSWORD });
    const refused = await runScript(adminEnv([], secret, "false"));
    expect([refused.status, refused.stderr]).toEqual([1, "rotate-broker-passwords: USERS must be set (or ADMIN_SECRET, to rotate the administrator only)\n"]);
    const odd = await runScript(adminEnv([orders], secret, "yes"));
    expect([odd.status, odd.stderr]).toEqual([1, "rotate-broker-passwords: ROTATE_ADMIN must be true or false (got yes)\n"]);
  });

  test("rotates the administrator alone when there are no users", async () => {
    const secret = await adminSecret();
    const { USERS: _users, ...env } = adminEnv([], secret);
    const result = await runScript(env);
    expect(result.status).toBe(0);
    expect(broker.puts).toEqual([ADMIN]);
    expect(broker.passwords.get(ADMIN)).toBe((await stages(secret)).AWSCURRENT);
  });

  test("a broker that refuses the new administrator password gets the previous one back (signing in with the new one); AWSCURRENT keeps it", async () => {
    const secret = await adminSecret();
    broker.refuseWhoami.add(ADMIN);
    const result = await runScript(adminEnv([], secret));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `rotate-broker-passwords: admin: the broker refused the new password (GET /api/whoami answered 401); the broker has its previous password again (AWSCURRENT of ${secret}, unchanged): nothing is locked out.`,
    );
    const after = await stages(secret);
    expect(after.AWSCURRENT).toBe(ADMIN_PASSWORD);
    expect(after.AWSPENDING).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(broker.passwords.get(ADMIN)).toBe(ADMIN_PASSWORD);
    expect(broker.puts).toEqual([ADMIN, ADMIN]);
    expect(result.output).not.toContain(after.AWSPENDING);
  });

  test("a broker that refuses the administrator's current password changes nothing anywhere", async () => {
    const secret = await adminSecret();
    broker.passwords.set(ADMIN, "SomeoneElsesPassword1");
    const result = await runScript(adminEnv([], secret));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("PUT /api/users/admin answered 401");
    expect(result.stderr).toContain(`The broker's administrator password is the AWSPENDING version`);
    expect((await stages(secret)).AWSCURRENT).toBe(ADMIN_PASSWORD);
    expect(broker.passwords.get(ADMIN)).toBe("SomeoneElsesPassword1");
  });
});
