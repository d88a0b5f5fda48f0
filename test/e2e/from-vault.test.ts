import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { CreateSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand } from "@aws-sdk/client-secrets-manager";
import { CreateRepositoryCommand, DescribeImagesCommand, DescribeRepositoriesCommand, PutImageCommand } from "@aws-sdk/client-ecr";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import * as https from "https";
import { awsClients, outcome } from "../support/aws";
import { useEmulator } from "../support/emulator";
import { REPO, run } from "../support/run";
import { tempDir } from "../support/temp";

/**
 * `npx dr-platform from-vault` against the emulator, as the on-call runs it after the workload
 * account is lost: the shipped pair's files edited for a new account (345678901234), the vault
 * account's copies (210987654321) read through the vault role, written into the new account with
 * the caller's credentials. The emulator maps the credentials AssumeRole returns to the role's
 * account, and here refuses S3 calls across accounts (MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS=false, read
 * by the moto_server this file starts): a vault object read with the new account's credentials, or a
 * new object written with the vault's, fails, so a copy that arrives proves which side did what.
 */
jest.setTimeout(180_000);

process.env.MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS = "false";
const emulatorOf = useEmulator({ firstPort: 6700 });

const NEW = "345678901234";
const OTHER = "456789012345";
const VAULT = "210987654321";
const VAULT_REGION = "us-west-2";
const STATE_COPY = `acme-vault-state-us-east-1-${VAULT}`;
const ARCHIVE_COPY = `acme-vault-archives-us-east-1-${VAULT}`;
const NEW_STATE = `acme-terraform-state-${NEW}`;
const NEW_HOSTING = `acme-hosting-services-us-east-1-${NEW}`;
const ASSETS_COPY = `acme-vault-assets-us-east-1-${VAULT}`;
const NEW_ASSETS = `acme-assets-us-east-1-${NEW}`;
const ASSET_KEYS = ["img/logo.png", "img/nested/a b.jpg", "index.html"];
const SECRET = "acme/flux/platform-k8s-git";
const GIT_VALUE = JSON.stringify({ username: "flux-bot", password: "vault-token-0123456789" });
const VAULT_PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"].vault';
const DEFAULT_PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const STATE_PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"].state';
const NEWEST = "postgres/app/20261121T030000Z/";

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string };
const credentials: Record<"vault" | "new" | "other", Credentials> = {} as never;
const s3 = (who: keyof typeof credentials, region: string): S3Client => awsClients(emulatorOf.current(), region, credentials[who]).s3;
const secrets = (who: keyof typeof credentials, region: string) => awsClients(emulatorOf.current(), region, credentials[who]).secrets;

async function assume(roleArn: string): Promise<Credentials> {
  const emulator = emulatorOf.current();
  const sts = new STSClient({
    endpoint: emulator.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: fs.readFileSync(emulator.caFile) }) }),
  });
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "on-call" }));
  return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
}

/** The shipped us-east-1.ts and us-east-2.ts as the on-call edits them for the new account. */
function editedEnvironments(): string {
  const dir = path.join(tempDir("from-vault-environments-"), "environments");
  fs.mkdirSync(dir);
  for (const file of ["us-east-1.ts", "us-east-2.ts"]) {
    const shipped = fs.readFileSync(path.join(REPO, "environments", file), "utf8");
    const edited = shipped
      .replace('from "../lib/environment"', `from ${JSON.stringify(path.join(REPO, "dist/lib/environment"))}`)
      .replace('accountId: "123456789012",', `accountId: "${NEW}",\n  bucketSuffix: "${NEW}",`)
      .replace('bucket: "acme-terraform-state"', `bucket: "${NEW_STATE}"`)
      .replace(/arn:aws:iam::123456789012:/g, `arn:aws:iam::${NEW}:`);
    if (!edited.includes(`bucketSuffix: "${NEW}"`) || !edited.includes(NEW_STATE)) throw new Error(`environments/${file}: the edits did not apply`);
    fs.writeFileSync(path.join(dir, file), edited);
  }
  return dir;
}

let environmentsDir = "";
function cli(who: keyof typeof credentials, ...args: string[]) {
  return cliWith({}, who, ...args);
}
function cliWith(extra: NodeJS.ProcessEnv, who: keyof typeof credentials, ...args: string[]) {
  const emulator = emulatorOf.current();
  const result = run("node", [path.join(REPO, "dist/cli/main.js"), "from-vault", ...args], {
    env: {
      ...extra,
      DR_ENVIRONMENTS_DIR: environmentsDir,
      DR_SANDBOX_ENDPOINT: emulator.endpoint,
      NODE_EXTRA_CA_CERTS: emulator.caFile,
      // Only the caller's credentials: the lost account's (the emulator's `test`) are nowhere to be found.
      AWS_ACCESS_KEY_ID: credentials[who].accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials[who].secretAccessKey,
      AWS_SESSION_TOKEN: credentials[who].sessionToken,
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    },
  });
  // The SDK's notice about Node versions is not the command's.
  return { ...result, stderr: result.stderr.replace(/\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?show where the warning was created\)\n/, "") };
}

const resource = (mode: "managed" | "data", type: string, name: string, provider: string) => ({
  mode,
  type,
  name,
  provider,
  instances: [{ schema_version: 0, attributes: { id: `${type}-${name}` }, sensitive_attributes: [] }],
});

/** vault-us-east-1.tfstate as the lost account's last deploy of the vault stack left it: both accounts' resources. */
const vaultStackState = (serial: number) => ({
  version: 4,
  terraform_version: "1.11.4",
  serial,
  lineage: "0b6f3c1e-52a4-4d8e-a1f7-3c9e8d2b7a60",
  outputs: { vault_key_arn: { value: `arn:aws:kms:${VAULT_REGION}:${VAULT}:key/1234abcd`, type: "string" } },
  resources: [
    resource("data", "aws_caller_identity", "current", VAULT_PROVIDER),
    resource("managed", "aws_kms_key", "key_resource_A1B2", VAULT_PROVIDER),
    resource("managed", "aws_s3_bucket", "archives_resource_C3D4", VAULT_PROVIDER),
    resource("managed", "aws_s3_bucket", "state_resource_E5F6", VAULT_PROVIDER),
    resource("managed", "aws_secretsmanager_secret", "git-credentials", VAULT_PROVIDER),
    resource("data", "aws_kms_alias", "state-key", STATE_PROVIDER),
    resource("managed", "aws_s3_bucket_replication_configuration", "state-replication_rule_0A1B", STATE_PROVIDER),
    resource("managed", "aws_iam_role", "state-replication_role_2C3D", STATE_PROVIDER),
    resource("managed", "aws_backup_plan", "database-copies_plan_4E5F", DEFAULT_PROVIDER),
    resource("managed", "aws_backup_vault", "database-copies_source_6A7B", DEFAULT_PROVIDER),
  ],
  check_results: null,
});

/** One archive folder as backup/archive-database.sh uploads it: the dump, then its manifest last. */
async function putArchive(client: S3Client, folder: string, dump: Buffer, withManifest = true): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: ARCHIVE_COPY, Key: `${folder}archive.dump`, Body: dump }));
  if (!withManifest) return;
  const manifest = {
    format: "dr-platform/database-archive/1",
    keyPrefix: folder,
    database: "app",
    serverVersion: "16.4",
    startedAt: "2026-11-21T03:00:00Z",
    snapshotAt: "2026-11-21T03:00:01.000Z",
    finishedAt: "2026-11-21T03:00:09Z",
    archive: { file: "archive.dump", format: "custom", bytes: dump.length, sha256: sha256(dump) },
    tables: [{ schema: "public", table: "orders", rows: 3, checksum: "123456789" }],
  };
  await client.send(
    new PutObjectCommand({ Bucket: ARCHIVE_COPY, Key: `${folder}manifest.json`, Body: JSON.stringify(manifest), ContentType: "application/json" }),
  );
}

const sha256 = (bytes: Uint8Array) => crypto.createHash("sha256").update(bytes).digest("hex");
async function bytesOf(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  return Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
}
async function versions(client: S3Client, bucket: string): Promise<string[]> {
  const listed = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  return (listed.Versions ?? []).map((v) => `${v.Key} ${v.VersionId}`).sort();
}
const identityLine = `writes as account ${NEW} (arn:aws:sts::${NEW}:assumed-role/rebuild/on-call); reads the vault as account ${VAULT} (arn:aws:sts::${VAULT}:assumed-role/dr-platform-vault/dr-platform-from-vault)`;
const VAULT_OBJECTS = [`${NEWEST}archive.dump`, `${NEWEST}manifest.json`, "rabbitmq/20261121T020000Z/definitions.json"];

beforeAll(async () => {
  credentials.vault = await assume(`arn:aws:iam::${VAULT}:role/dr-platform-vault`);
  credentials.new = await assume(`arn:aws:iam::${NEW}:role/rebuild`);
  credentials.other = await assume(`arn:aws:iam::${OTHER}:role/rebuild`);
  environmentsDir = editedEnvironments();

  // The vault account's copies, as replication left them (moto does not replicate: put as a replica would be).
  const vault = s3("vault", VAULT_REGION);
  for (const bucket of [STATE_COPY, ARCHIVE_COPY])
    await vault.send(
      new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true, CreateBucketConfiguration: { LocationConstraint: VAULT_REGION } }),
    );
  await vault.send(new PutObjectCommand({ Bucket: STATE_COPY, Key: "vault-us-east-1.tfstate", Body: JSON.stringify(vaultStackState(6)) }));
  await vault.send(new PutObjectCommand({ Bucket: STATE_COPY, Key: "vault-us-east-1.tfstate", Body: JSON.stringify(vaultStackState(7)) }));
  await vault.send(new PutObjectCommand({ Bucket: STATE_COPY, Key: "application-us-east-1.tfstate", Body: JSON.stringify({ version: 4 }) }));
  await putArchive(vault, "postgres/app/20261120T030000Z/", crypto.randomBytes(1024));
  // The newest: a dump of several MiB, streamed across.
  await putArchive(vault, NEWEST, crypto.randomBytes(6 * 1024 * 1024 + 17));
  await putArchive(vault, "postgres/app/20261122T030000Z/", crypto.randomBytes(512), false);
  for (const stamp of ["20261120T020000Z", "20261121T020000Z"])
    await vault.send(new PutObjectCommand({ Bucket: ARCHIVE_COPY, Key: `rabbitmq/${stamp}/definitions.json`, Body: JSON.stringify({ stamp, queues: [] }) }));
  await secrets("vault", VAULT_REGION).send(new CreateSecretCommand({ Name: SECRET, SecretString: GIT_VALUE }));

  // The new account: its state bucket, its hosting-services bucket (in drRegion) and the secret its application stack made, empty.
  await s3("new", "us-west-2").send(new CreateBucketCommand({ Bucket: NEW_STATE, CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }));
  await s3("new", "us-east-2").send(
    new CreateBucketCommand({ Bucket: NEW_HOSTING, ObjectLockEnabledForBucket: true, CreateBucketConfiguration: { LocationConstraint: "us-east-2" } }),
  );
  await secrets("new", "us-east-1").send(new CreateSecretCommand({ Name: SECRET }));

  // The assets' copy in the vault and the new account's (empty) assets bucket.
  await vault.send(
    new CreateBucketCommand({ Bucket: ASSETS_COPY, ObjectLockEnabledForBucket: true, CreateBucketConfiguration: { LocationConstraint: VAULT_REGION } }),
  );
  for (const key of ASSET_KEYS) await vault.send(new PutObjectCommand({ Bucket: ASSETS_COPY, Key: key, Body: crypto.randomBytes(2048 + key.length) }));
  await s3("new", "us-east-1").send(new CreateBucketCommand({ Bucket: NEW_ASSETS }));

  // The vault's registry: a repository under the replicated prefix (acme) with two tags, and one outside it.
  const ecr = awsClients(emulatorOf.current(), VAULT_REGION, credentials.vault).ecr;
  await ecr.send(new CreateRepositoryCommand({ repositoryName: "acme/web", imageTagMutability: "IMMUTABLE" }));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: "other/tool" }));
  for (const [repositoryName, tag] of [
    ["acme/web", "v1"],
    ["acme/web", "v2"],
    ["other/tool", "v1"],
  ]) {
    await ecr.send(
      new PutImageCommand({
        repositoryName,
        imageTag: tag,
        imageManifest: JSON.stringify({
          schemaVersion: 2,
          mediaType: "application/vnd.docker.distribution.manifest.v2+json",
          config: { digest: `sha256:${sha256(Buffer.from(repositoryName + tag))}` },
        }),
      }),
    );
  }
});

it("the emulator keeps the accounts apart: the new account cannot read the vault's copies, the vault role cannot write the new account's buckets", async () => {
  expect({
    "new account: read the vault's state copy": await outcome(() => s3("new", VAULT_REGION).send(new ListObjectsV2Command({ Bucket: STATE_COPY }))),
    "vault role: write the new state bucket": await outcome(() =>
      s3("vault", "us-west-2").send(new PutObjectCommand({ Bucket: NEW_STATE, Key: "probe", Body: "x" })),
    ),
    "new account: the vault's secret": await outcome(() => secrets("new", VAULT_REGION).send(new GetSecretValueCommand({ SecretId: SECRET }))),
  }).toEqual({
    "new account: read the vault's state copy": "AccessDenied",
    "vault role: write the new state bucket": "AccessDenied",
    "new account: the vault's secret": "ResourceNotFoundException",
  });
});

it("check: reads every copy a rebuild takes through the vault role, one line each, and writes nothing", async () => {
  const result = cli("new", "us-east-1", "check");
  expect([result.status, result.stderr]).toEqual([0, ""]);
  const lines = result.stdout.trimEnd().split("\n");
  expect(lines.slice(0, 2)).toEqual([
    identityLine,
    `ok      state: s3://${STATE_COPY}/vault-us-east-1.tfstate: 5 resources of the vault account to adopt, 5 of the workload account to make again`,
  ]);
  expect(lines[2]).toMatch(
    new RegExp(`^ok      archive: ${NEWEST}archive\\.dump, snapshot 2026-11-21T03:00:01\\.000Z \\(\\d+\\.\\d h old\\): the rebuild's recovery point$`),
  );
  expect(lines.slice(3)).toEqual([
    `ok      git-credentials: ${SECRET} in ${VAULT_REGION} holds credentials Flux can use (not printed)`,
    `ok      assets: 3 objects in s3://${ASSETS_COPY}`,
    "ok      images: 2 tagged images in 1 repositories under acme",
    `the vault (account ${VAULT}, ${VAULT_REGION}) holds what a rebuild of us-east-1 takes; nothing was written`,
  ]);
  expect(result.stdout).not.toContain("vault-token");
  expect(await versions(s3("new", "us-west-2"), NEW_STATE)).toEqual([]);
});

it("refuses a caller whose account is not the file's accountId, and reads and writes nothing", async () => {
  for (const copy of ["state", "archive", "git-credentials"]) {
    const result = cli("other", "us-east-1", copy);
    expect([result.status, result.stderr]).toEqual([1, ""]);
    expect(result.stdout).toBe(
      `the caller is account ${OTHER} (arn:aws:sts::${OTHER}:assumed-role/rebuild/on-call), and environments/us-east-1.ts names accountId ${NEW}: from-vault writes only with the new account's credentials; use them, or set accountId to the new account's id\nnothing was read from the vault or written\n`,
    );
  }
  expect(await versions(s3("new", "us-west-2"), NEW_STATE)).toEqual([]);
  expect(await versions(s3("new", "us-east-2"), NEW_HOSTING)).toEqual([]);
  expect((await secrets("new", "us-east-1").send(new ListSecretVersionIdsCommand({ SecretId: SECRET }))).Versions ?? []).toEqual([]);
});

it("state: the newest vault-us-east-1.tfstate with the vault's resources only, serial + 1, same lineage, into the new state bucket", async () => {
  const result = cli("new", "us-east-1", "state");
  expect([result.status, result.stderr]).toEqual([0, ""]);
  const lines = result.stdout.trimEnd().split("\n");
  expect(lines[0]).toBe(identityLine);
  expect(lines[1]).toMatch(
    new RegExp(
      `^state: s3://${STATE_COPY}/vault-us-east-1\\.tfstate \\(version [^)]+\\) -> s3://${NEW_STATE}/vault-us-east-1\\.tfstate \\(serial 8, lineage 0b6f3c1e-52a4-4d8e-a1f7-3c9e8d2b7a60\\)$`,
    ),
  );
  expect(lines.slice(2)).toEqual([
    "kept 5 resources of the vault account; dropped 5 of the lost account (the deploy makes them again):",
    "  dropped data.aws_kms_alias.state-key",
    "  dropped aws_s3_bucket_replication_configuration.state-replication_rule_0A1B",
    "  dropped aws_iam_role.state-replication_role_2C3D",
    "  dropped aws_backup_plan.database-copies_plan_4E5F",
    "  dropped aws_backup_vault.database-copies_source_6A7B",
  ]);

  const target = s3("new", "us-west-2");
  const written = JSON.parse((await bytesOf(target, NEW_STATE, "vault-us-east-1.tfstate")).toString("utf8"));
  const source = vaultStackState(7);
  expect(written).toEqual({ ...source, serial: 8, resources: source.resources.filter((r) => r.provider === VAULT_PROVIDER) });
  expect(written.resources.map((r: { mode: string; type: string; name: string }) => `${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`)).toEqual([
    "data.aws_caller_identity.current",
    "aws_kms_key.key_resource_A1B2",
    "aws_s3_bucket.archives_resource_C3D4",
    "aws_s3_bucket.state_resource_E5F6",
    "aws_secretsmanager_secret.git-credentials",
  ]);
  const head = await target.send(new HeadObjectCommand({ Bucket: NEW_STATE, Key: "vault-us-east-1.tfstate" }));
  expect([head.ServerSideEncryption, head.ContentType]).toEqual(["AES256", "application/json"]);
});

it("archive: the newest archive's objects and the newest definitions export, byte for byte, into the new hosting-services bucket", async () => {
  const result = cli("new", "us-east-1", "archive");
  expect([result.status, result.stderr]).toEqual([0, ""]);
  expect(result.stdout.trimEnd().split("\n")).toEqual([
    identityLine,
    `archive: ${NEWEST}archive.dump`,
    "snapshotAt: 2026-11-21T03:00:01.000Z",
    `  copied: s3://${NEW_HOSTING}/${NEWEST}archive.dump (${6 * 1024 * 1024 + 17} bytes)`,
    `  copied: s3://${NEW_HOSTING}/${NEWEST}manifest.json (463 bytes)`,
    `  copied: s3://${NEW_HOSTING}/rabbitmq/20261121T020000Z/definitions.json (40 bytes)`,
    "recovery point: 2026-11-21T03:00:01.000Z (the archive's snapshot: a restore from it holds the data as of then)",
    `next: npx dr-platform verify-backup us-east-2 --archive ${NEWEST}archive.dump --target <url>`,
  ]);

  const target = s3("new", "us-east-2");
  const listed = await target.send(new ListObjectsV2Command({ Bucket: NEW_HOSTING }));
  expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual([...VAULT_OBJECTS].sort());
  for (const key of VAULT_OBJECTS) {
    expect({ key, sha256: sha256(await bytesOf(target, NEW_HOSTING, key)) }).toEqual({
      key,
      sha256: sha256(await bytesOf(s3("vault", VAULT_REGION), ARCHIVE_COPY, key)),
    });
  }
});

it("git-credentials: the vault secret's value into the new account's secret, never printed", async () => {
  const result = cli("new", "us-east-1", "git-credentials");
  expect([result.status, result.stderr]).toEqual([0, ""]);
  const lines = result.stdout.trimEnd().split("\n");
  expect(lines[0]).toBe(identityLine);
  expect(lines[1]).toMatch(
    new RegExp(`^git-credentials: put the vault's value into ${SECRET} in us-east-1: version [0-9a-f-]{36} is AWSCURRENT \\(the value is not printed\\)$`),
  );
  expect((await secrets("new", "us-east-1").send(new GetSecretValueCommand({ SecretId: SECRET }))).SecretString).toBe(GIT_VALUE);
  expect(result.stdout + result.stderr).not.toContain("vault-token");
});

it("a second run changes nothing: every copy is already in place", async () => {
  const before = {
    state: await versions(s3("new", "us-west-2"), NEW_STATE),
    hosting: await versions(s3("new", "us-east-2"), NEW_HOSTING),
    secret: (await secrets("new", "us-east-1").send(new ListSecretVersionIdsCommand({ SecretId: SECRET }))).Versions?.map((v) => v.VersionId),
  };
  const state = cli("new", "us-east-1", "state");
  expect([state.status, state.stdout.split("\n")[1]]).toEqual([
    0,
    expect.stringMatching(new RegExp(`^state: s3://${NEW_STATE}/vault-us-east-1\\.tfstate is already in place \\(written .+\\); left as it is$`)),
  ]);
  const archive = cli("new", "us-east-1", "archive");
  expect(archive.status).toBe(0);
  for (const key of VAULT_OBJECTS) expect(archive.stdout).toMatch(new RegExp(`^  already in place: s3://${NEW_HOSTING}/${key} \\(\\d+ bytes\\)$`, "m"));
  const git = cli("new", "us-east-1", "git-credentials");
  expect([git.status, git.stdout.split("\n")[1]]).toEqual([0, `git-credentials: ${SECRET} in us-east-1 already holds the vault's value; nothing put`]);
  expect({
    state: await versions(s3("new", "us-west-2"), NEW_STATE),
    hosting: await versions(s3("new", "us-east-2"), NEW_HOSTING),
    secret: (await secrets("new", "us-east-1").send(new ListSecretVersionIdsCommand({ SecretId: SECRET }))).Versions?.map((v) => v.VersionId),
  }).toEqual(before);
});

it("assets: every object of the vault's assets copy, byte for byte, into the new assets bucket; a rerun copies nothing", async () => {
  const result = cli("new", "us-east-1", "assets");
  expect([result.status, result.stderr]).toEqual([0, ""]);
  expect(result.stdout.trimEnd().split("\n")).toEqual([
    identityLine,
    `assets: 3 objects of s3://${ASSETS_COPY} (account ${VAULT}, ${VAULT_REGION}) -> s3://${NEW_ASSETS} (us-east-1): 3 copied, 0 already in place`,
    "  the new bucket's replication rules copy them on to drRegion and the vault (written after the rules)",
  ]);
  const target = s3("new", "us-east-1");
  for (const key of ASSET_KEYS) {
    expect({ key, sha256: sha256(await bytesOf(target, NEW_ASSETS, key)) }).toEqual({
      key,
      sha256: sha256(await bytesOf(s3("vault", VAULT_REGION), ASSETS_COPY, key)),
    });
  }
  const again = cli("new", "us-east-1", "assets");
  expect(again.stdout.split("\n")[1]).toBe(
    `assets: 3 objects of s3://${ASSETS_COPY} (account ${VAULT}, ${VAULT_REGION}) -> s3://${NEW_ASSETS} (us-east-1): 0 copied, 3 already in place`,
  );
});

describe("images", () => {
  const VAULT_HOST = `${VAULT}.dkr.ecr.${VAULT_REGION}.amazonaws.com`;
  const NEW_HOST = `${NEW}.dkr.ecr.us-east-1.amazonaws.com`;
  const newEcr = () => awsClients(emulatorOf.current(), "us-east-1", credentials.new).ecr;
  const digests = async () => {
    const details = (
      await awsClients(emulatorOf.current(), VAULT_REGION, credentials.vault).ecr.send(new DescribeImagesCommand({ repositoryName: "acme/web" }))
    ).imageDetails!;
    return Object.fromEntries(details.map((d) => [d.imageTags![0], d.imageDigest!]));
  };

  it("without crane on PATH: lists what it would copy (the replicated prefix only, by digest) and writes nothing", async () => {
    const result = cliWith({ PATH: path.dirname(process.execPath) }, "new", "us-east-1", "images");
    const d = await digests();
    expect([result.status, result.stderr]).toEqual([1, ""]);
    expect(result.stdout.trimEnd().split("\n")).toEqual([
      identityLine,
      `images: 2 of 2 images of the vault's registry ${VAULT_HOST} to copy, and crane is not on PATH:`,
      `  would copy ${VAULT_HOST}/acme/web@${d.v1} -> ${NEW_HOST}/acme/web:v1`,
      `  would copy ${VAULT_HOST}/acme/web@${d.v2} -> ${NEW_HOST}/acme/web:v2`,
      "  fix: install crane (https://github.com/google/go-containerregistry, cmd/crane; this library does not ship it), then run again",
      "nothing was written",
    ]);
    expect(await outcome(() => newEcr().send(new DescribeRepositoriesCommand({ repositoryNames: ["acme/web"] })))).toBe("RepositoryNotFoundException");
  });

  it("with crane: makes the repository like the vault's, logs crane in to both registries with the password on stdin, copies each image by digest under its tag", async () => {
    // A crane that records what it is asked (this machine has no crane and the emulator serves no registry data plane).
    const bin = tempDir("from-vault-crane-");
    const log = path.join(bin, "calls.log");
    fs.writeFileSync(
      path.join(bin, "crane"),
      `#!/bin/sh\nprintf '%s|' "$@" >> ${log}\nif [ "$1" = auth ]; then printf 'stdin=%s' "$(cat)" >> ${log}; fi\nprintf '\\n' >> ${log}\n`,
      { mode: 0o755 },
    );
    const result = cliWith({ PATH: `${bin}:${path.dirname(process.execPath)}` }, "new", "us-east-1", "images");
    const d = await digests();
    expect([result.status, result.stderr]).toEqual([0, ""]);
    expect(result.stdout.trimEnd().split("\n")).toEqual([
      identityLine,
      `images: 2 of 2 images of the vault's registry ${VAULT_HOST} to copy (0 already in place)`,
      "  made repository acme/web in us-east-1 (tag mutability IMMUTABLE as the vault's; scan on push; KMS)",
      `  copied ${VAULT_HOST}/acme/web@${d.v1} -> ${NEW_HOST}/acme/web:v1`,
      `  copied ${VAULT_HOST}/acme/web@${d.v2} -> ${NEW_HOST}/acme/web:v2`,
    ]);
    const calls = fs.readFileSync(log, "utf8").trimEnd().split("\n");
    expect(calls.map((c) => c.replace(/stdin=.+$/, "stdin=<password>"))).toEqual([
      `auth|login|${VAULT_HOST}|--username|AWS|--password-stdin|stdin=<password>`,
      `auth|login|${NEW_HOST}|--username|AWS|--password-stdin|stdin=<password>`,
      `copy|${VAULT_HOST}/acme/web@${d.v1}|${NEW_HOST}/acme/web:v1|`,
      `copy|${VAULT_HOST}/acme/web@${d.v2}|${NEW_HOST}/acme/web:v2|`,
    ]);
    expect(calls.slice(0, 2).every((c) => /stdin=\S+$/.test(c))).toBe(true);
    const [made] = (await newEcr().send(new DescribeRepositoriesCommand({ repositoryNames: ["acme/web"] }))).repositories!;
    expect([made.imageTagMutability, made.imageScanningConfiguration?.scanOnPush, made.encryptionConfiguration?.encryptionType]).toEqual([
      "IMMUTABLE",
      true,
      "KMS",
    ]);
  });
});
