import * as fs from "fs";
import * as path from "path";
import { CreateSecretCommand, PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { awsClients } from "../support/aws";
import { useEmulator } from "../support/emulator";
import { ADMIN, ADMIN_PASSWORD, FakeBroker, podIdentityAgent, runScript } from "../support/fake-broker";
import { REPO } from "../support/run";
import { tempDir } from "../support/temp";

/**
 * backup/broker-users.sh (curl only, SigV4-signed Secrets Manager calls) against the emulator's
 * Secrets Manager and a local HTTP server speaking the RabbitMQ management API: every password
 * is read when the job runs.
 */
jest.setTimeout(120_000);

const emulator = useEmulator({ firstPort: 47_640 });
const SCRIPT = path.join(REPO, "backup/broker-users.sh");
const REGION = "us-east-1";
const keyEnv = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };

let broker: FakeBroker;
let managementUrl: string;
let counter = 0;
let adminSecret: string;
beforeEach(async () => {
  broker = new FakeBroker();
  managementUrl = await broker.start();
  adminSecret = await secret("admin", ADMIN_PASSWORD);
});
afterEach(() => broker.stop());

async function secret(name: string, value: string): Promise<string> {
  const id = `acme/us-east-1/rabbitmq/${name}-${++counter}`;
  await awsClients(emulator.current(), REGION).secrets.send(new CreateSecretCommand({ Name: id, SecretString: value }));
  return id;
}

const env = (users: string): NodeJS.ProcessEnv => ({
  AWS_REGION: REGION,
  SECRETS_MANAGER_ENDPOINT: emulator.current().endpoint,
  CURL_CA_BUNDLE: emulator.current().caFile,
  USERS: users,
  MANAGEMENT_URL: managementUrl,
  ADMIN_USERNAME: ADMIN,
  ADMIN_SECRET: adminSecret,
});

test("creates every user with its secret's current password and grants it the / vhost; nothing secret is printed", async () => {
  const orders = await secret("orders", "OrdersPassword0123456789");
  const billing = await secret("billing", "BillingFirst0123456789");
  // A rotation since the secret was created: the current value is the one set.
  await awsClients(emulator.current(), REGION).secrets.send(new PutSecretValueCommand({ SecretId: billing, SecretString: "BillingRotated0123456789" }));
  const dir = tempDir("broker-users-");
  fs.writeFileSync(path.join(dir, "token"), "pod-identity-token");
  const agent = await podIdentityAgent("pod-identity-token");
  try {
    const result = await runScript(SCRIPT, {
      ...env(`orders=${orders} billing=${billing}`),
      AWS_CONTAINER_CREDENTIALS_FULL_URI: agent.url,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: path.join(dir, "token"),
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.output).toBe(
      `broker-users: orders ready (password from ${orders}, vhost /)\nbroker-users: billing ready (password from ${billing}, vhost /)\n`,
    );
    expect(agent.calls()).toBe(1);
  } finally {
    agent.stop();
  }
  expect(broker.puts).toEqual(["orders", "billing"]);
  expect(broker.passwords.get("orders")).toBe("OrdersPassword0123456789");
  expect(broker.passwords.get("billing")).toBe("BillingRotated0123456789");
  expect(broker.tags.get("orders")).toBe("");
  expect(Object.fromEntries(broker.permissions)).toEqual({
    orders: { configure: ".*", write: ".*", read: ".*" },
    billing: { configure: ".*", write: ".*", read: ".*" },
  });
});

test("the administrator's password is its secret's current value: a wrong one stops before any user, naming the answer", async () => {
  await awsClients(emulator.current(), REGION).secrets.send(new PutSecretValueCommand({ SecretId: adminSecret, SecretString: "WrongAdminPassword1" }));
  const orders = await secret("orders", "OrdersPassword0123456789");
  const result = await runScript(SCRIPT, { ...env(`orders=${orders}`), ...keyEnv });
  expect(result.status).toBe(1);
  expect(result.stderr).toBe(
    "broker-users: PUT /api/users/orders answered 401\nbroker-users: orders: the broker did not take the user (the answer is above)\n",
  );
  expect(broker.puts).toEqual([]);
});

test("a user the broker refuses afterwards stops the job naming it; the users before it stay done", async () => {
  const orders = await secret("orders", "OrdersPassword0123456789");
  const billing = await secret("billing", "BillingPassword0123456789");
  broker.refuseWhoami.add("billing");
  const result = await runScript(SCRIPT, { ...env(`orders=${orders} billing=${billing}`), ...keyEnv });
  expect(result.status).toBe(1);
  expect(result.output).toBe(
    `broker-users: orders ready (password from ${orders}, vhost /)\nbroker-users: billing: the broker refused the user's password from ${billing} (GET /api/whoami answered 401)\n`,
  );
});

test("a secret that cannot be read, or holds no generated password, is named; nothing is set for it", async () => {
  const missing = await runScript(SCRIPT, { ...env("orders=acme/us-east-1/rabbitmq/missing"), ...keyEnv });
  expect(missing.status).toBe(1);
  expect(missing.stderr).toContain("broker-users: secretsmanager:GetSecretValue failed:");
  expect(missing.stderr).toContain("broker-users: orders: cannot read acme/us-east-1/rabbitmq/missing (the message is above)\n");
  const odd = await secret("odd", 'has"quote');
  const notGenerated = await runScript(SCRIPT, { ...env(`orders=${odd}`), ...keyEnv });
  expect(notGenerated.stderr).toBe(
    `broker-users: orders: the AWSCURRENT value of ${odd} is not a generated password (12 or more letters and digits); set one with put-secret-value first\n`,
  );
  expect(broker.puts).toEqual([]);
});

test("missing settings and malformed USERS entries are named", async () => {
  for (const name of ["AWS_REGION", "MANAGEMENT_URL", "ADMIN_USERNAME", "ADMIN_SECRET", "USERS"]) {
    const result = await runScript(SCRIPT, { ...env("orders=x"), ...keyEnv, [name]: "" });
    expect([result.status, result.stderr]).toEqual([1, `broker-users: ${name} must be set\n`]);
  }
  const malformed = await runScript(SCRIPT, { ...env("orders"), ...keyEnv });
  expect([malformed.status, malformed.stderr]).toEqual([1, "broker-users: USERS entries must be <user>=<secret name> (got orders)\n"]);
  expect(broker.puts).toEqual([]);
});
