import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateSecretCommand, PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { portInUse, startEmulator, stopProcess, type Emulator } from "../../lib/tooling/emulator";
import { createLocalCertificate } from "../../lib/tooling/tls";
import { awsClients } from "../support/aws";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { tempDir } from "../support/temp";
import { REPO } from "../support/run";

/**
 * The archive job reads the database secret when it runs (backup/archive-database.sh's password
 * step, the real script and the real aws CLI against the emulator's Secrets Manager with IAM
 * enforced), never from a copy: RDS rotates the master password every 7 days, and a copy would
 * stop the archives within a week. The rotation below is what RDS does: a new password in the
 * database and in the secret; the next run archives with it, nothing in between was edited.
 */
jest.setTimeout(120_000);

const SCRIPT = path.join(REPO, "backup/archive-database.sh");
const REGION = "us-east-1";
const SECRET = "rds!db-0a1b2c3d";
const ROLE = "dbadmin";
/** CreateSecret, then CreateUser, PutUserPolicy and CreateAccessKey for each of the two users. */
const SETUP_CALLS = 7;

type Credentials = { accessKeyId: string; secretAccessKey: string };
let pg: PostgresServer;
let emulator: Emulator;
let secretArn: string;
let job: Credentials;
let rotator: Credentials;

/** What RDS stores in the secret it manages for the master user. */
const secretString = (password: string) => JSON.stringify({ username: ROLE, password });

beforeAll(async () => {
  let port = 5600;
  while (await portInUse(port)) port++;
  const dir = tempDir("archive-secret-");
  [pg, emulator] = await Promise.all([
    startPostgres(),
    startEmulator({ port, tls: createLocalCertificate(dir), logFile: path.join(dir, "emulator.log"), enforceIamAfterCalls: SETUP_CALLS }),
  ]);
  pg.createDatabase("shop");
  pg.psql(`CREATE ROLE ${ROLE} LOGIN PASSWORD 'first-"password\\'; GRANT pg_read_all_data TO ${ROLE};`);
  pg.psql("CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (1), (2);", "shop");
  const admin = awsClients(emulator, REGION);
  const created = await admin.secrets.send(new CreateSecretCommand({ Name: SECRET, SecretString: secretString('first-"password\\') }));
  secretArn = created.ARN!;
  const user = async (name: string, statement: object): Promise<Credentials> => {
    await admin.iam.send(new CreateUserCommand({ UserName: name }));
    await admin.iam.send(
      new PutUserPolicyCommand({ UserName: name, PolicyName: name, PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) }),
    );
    const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: name }));
    return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  };
  // The action DatabaseArchiveJob's pod identity role has on the secret (its scope to the one secret
  // is the construct test's: moto matches these policies on the action, not on a secret's ARN).
  job = await user("archive-job", { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" });
  rotator = await user("rds-rotation", { Effect: "Allow", Action: "secretsmanager:PutSecretValue", Resource: "*" });
});

afterAll(async () => {
  if (emulator) stopProcess(emulator.pid);
  await pg?.stop();
});

function cliEnv(credentials: Credentials): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: REGION,
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_CA_BUNDLE: emulator.caFile,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  };
}

/** The job's two containers as the CronJob runs them: the password step, then the dump step; no password in either's environment. */
function runJob(dir: string, credentials: Credentials) {
  const { PGPASSWORD, PGUSER, ...database } = pg.env("shop");
  expect(PGPASSWORD).toBeDefined();
  expect(PGUSER).toBeDefined();
  const secretFile = path.join(dir, "secret", "database.json");
  fs.mkdirSync(path.dirname(secretFile), { recursive: true });
  const common = { PATH: database.PATH, HOME: process.env.HOME, DATABASE_SECRET_FILE: secretFile };
  const password = spawnSync("sh", [SCRIPT, "password"], {
    env: { ...common, ...cliEnv(credentials), DATABASE_SECRET_ID: secretArn },
    encoding: "utf8",
    timeout: 60_000,
  });
  const dump = spawnSync("sh", [SCRIPT, "dump"], {
    env: { ...database, ...common, PGUSER: ROLE, ARCHIVE_DIR: path.join(dir, "work") },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { password, dump, secretFile, manifest: path.join(dir, "work", "manifest.json") };
}

it("reads the secret into a file only its owner reads, and dumps with the password in it", () => {
  const run = runJob(tempDir("archive-secret-"), job);
  expect(run.password.stderr).toBe("");
  expect(run.password.stdout).toBe(`archive-database: read the database secret ${secretArn}\n`);
  expect(run.password.status).toBe(0);
  expect(JSON.parse(fs.readFileSync(run.secretFile, "utf8"))).toEqual({ username: ROLE, password: 'first-"password\\' });
  expect(fs.statSync(run.secretFile).mode & 0o777).toBe(0o600);
  expect(run.dump.status).toBe(0);
  expect(JSON.parse(fs.readFileSync(run.manifest, "utf8")).database).toBe("shop");
});

it("keeps archiving after a rotation: the next run reads the new password, nothing was copied", async () => {
  pg.psql(`ALTER ROLE ${ROLE} PASSWORD 'second-password'`);
  const stale = runJob(tempDir("archive-secret-"), job);
  // Between RDS changing the password and the secret: the old one is refused, nothing is archived.
  expect(stale.dump.status).not.toBe(0);
  expect(stale.dump.stderr).toMatch(/password authentication failed for user "dbadmin"/);
  await awsClients(emulator, REGION, rotator).secrets.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: secretString("second-password") }));
  const next = runJob(tempDir("archive-secret-"), job);
  expect(next.password.status).toBe(0);
  expect(next.dump.stderr).toBe("");
  expect(next.dump.status).toBe(0);
  expect(fs.existsSync(next.manifest)).toBe(true);
});

it("fails the password step, writing no file, when the job may not read the secret; the dump step then refuses to start", () => {
  const run = runJob(tempDir("archive-secret-"), rotator);
  expect(run.password.status).toBe(1);
  expect(run.password.stderr).toMatch(/AccessDenied/);
  expect(run.password.stderr).toContain(`archive-database: cannot read the database secret ${secretArn} (its message is above)\n`);
  expect(fs.existsSync(run.secretFile)).toBe(false);
  expect(run.dump.status).toBe(1);
  expect(run.dump.stderr).toBe(`archive-database: DATABASE_SECRET_FILE names a file that cannot be read: ${run.secretFile} (run the password step first)\n`);
});

it("refuses a secret without a password string, naming the file", () => {
  const dir = tempDir("archive-secret-");
  const secretFile = path.join(dir, "database.json");
  fs.writeFileSync(secretFile, JSON.stringify({ username: ROLE }));
  const { PGPASSWORD: _, ...database } = pg.env("shop");
  const dump = spawnSync("sh", [SCRIPT, "dump"], {
    env: { ...database, PGUSER: ROLE, DATABASE_SECRET_FILE: secretFile, ARCHIVE_DIR: path.join(dir, "work") },
    encoding: "utf8",
  });
  expect(dump.status).toBe(1);
  expect(dump.stderr).toBe(`archive-database: the database secret in ${secretFile} has no usable "password" string\n`);
});
