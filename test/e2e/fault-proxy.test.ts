import { execFile } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { Readable } from "stream";
import { DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, ListRolesCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateHostedZoneCommand, ListHostedZonesCommand } from "@aws-sdk/client-route-53";
import { ListKeysCommand } from "@aws-sdk/client-kms";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { portInUse, startEmulator, stopProcess, type Emulator } from "../../lib/tooling/emulator";
import { startFaultProxy, type FaultProxy, type ProxiedCall, type RefusalReason } from "../../lib/tooling/fault-proxy";
import { EMULATOR_ACCOUNT_ID } from "../../lib/targets/emulator-target";
import { createLocalCertificate, type LocalCertificate } from "../../lib/tooling/tls";
import { awsClients, EMULATOR_CREDENTIALS, outcome } from "../support/aws";
import { tempDir } from "../support/temp";

/**
 * The fault proxy in front of a real moto_server over TLS, driven by the clients a drill uses:
 * AWS SDK v3 and the aws CLI. A dark region's regional endpoints must look dead (a connection
 * error, no HTTP answer), global services must keep answering, a lost account's keys must get
 * AWS's answer for an unknown key, and everything else must pass through byte for byte.
 */
jest.setTimeout(120_000);

const BUCKET = "fault-proxy-data";

let dir: string;
let tls: LocalCertificate;
let emulator: Emulator;
let proxy: FaultProxy;

/** The emulator's default account's access key: the account the lost-account tests lose. */
const EMULATOR_KEY = EMULATOR_CREDENTIALS.accessKeyId;

/** The emulator as clients see it through the proxy. */
const viaProxy = () => ({ endpoint: proxy.endpoint, caFile: emulator.caFile });

/** A call record, for exact comparisons: `refusedFor` false when forwarded; signed with the emulator's key unless said. */
const call = (region: string, service: string, action: string, write: boolean, refusedFor: RefusalReason | false, accessKeyId = EMULATOR_KEY): ProxiedCall =>
  refusedFor === false
    ? { region, service, accessKeyId, action, write, refused: false }
    : { region, service, accessKeyId, action, write, refused: true, refusedFor };

/**
 * How an SDK call failed: its message (under jest the SDK wraps Node's socket error, so the
 * name varies, but Node's "socket hang up" ends the message), the HTTP status it got (none for
 * a dropped connection) and its attempts.
 */
async function failure(send: () => Promise<unknown>): Promise<{ message: string; httpStatusCode: number | undefined; attempts: number | undefined }> {
  try {
    await send();
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number; attempts?: number } };
    return { message: e.message, httpStatusCode: e.$metadata?.httpStatusCode, attempts: e.$metadata?.attempts };
  }
  throw new Error("expected the call to fail");
}

/** The error an SDK call failed with, as the SDK named it. */
async function sdkError(
  send: () => Promise<unknown>,
): Promise<{ name: string; message: string; httpStatusCode: number | undefined; attempts: number | undefined }> {
  try {
    await send();
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number; attempts?: number } };
    return { name: e.name, message: e.message, httpStatusCode: e.$metadata?.httpStatusCode, attempts: e.$metadata?.attempts };
  }
  throw new Error("expected the call to fail");
}

/** What a client sees when the proxy drops the connection: no HTTP answer, twice (maxAttempts 2 in test/support/aws.ts). */
const DROPPED = { message: expect.stringMatching(/socket hang up$/), httpStatusCode: undefined, attempts: 2 };

/**
 * The aws CLI against the proxy, with the emulator's dummy credentials and no user configuration.
 * Asynchronous: the proxy runs in this process and must keep answering while the CLI waits.
 */
function awsCli(args: string[], region: string, accessKeyId = EMULATOR_KEY): Promise<{ status: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("AWS_")) env[key] = value;
  const config = path.join(dir, "aws-config");
  // SigV4 presigned URLs (the CLI's v1 default for S3 in us-east-1 is SigV2, which carries no region).
  fs.writeFileSync(config, "[default]\ns3 =\n    signature_version = s3v4\n");
  const options = {
    env: {
      ...env,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_CA_BUNDLE: emulator.caFile,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "no-credentials"),
      // One attempt, so one refused call per command.
      AWS_MAX_ATTEMPTS: "1",
    },
    encoding: "utf8" as const,
    timeout: 60_000,
  };
  return new Promise((resolve) => {
    execFile("aws", [...args, "--endpoint-url", proxy.endpoint, "--region", region], options, (error, stdout, stderr) => {
      const status = error ? ((error as { code?: unknown }).code as number) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

/** GET over TLS trusting the emulator's certificate; resolves with status and body, rejects on a connection error. */
function get(url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: fs.readFileSync(emulator.caFile), agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode!, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

beforeAll(async () => {
  let port = 5500;
  while (await portInUse(port)) port++;
  dir = tempDir("fault-proxy-");
  tls = createLocalCertificate(dir);
  emulator = await startEmulator({ port, tls, logFile: path.join(dir, "emulator.log") });
  proxy = await startFaultProxy({ upstream: emulator, tls });
  const direct = awsClients(emulator, "us-east-2");
  await direct.s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: "us-east-2" } }));
  await direct.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "hello.txt", Body: "hello through the proxy" }));
});

afterAll(async () => {
  await proxy?.close();
  if (emulator) stopProcess(emulator.pid);
});

beforeEach(() => {
  proxy.setDark([]);
  proxy.setLostCredentials([]);
  proxy.reset();
});

it("forwards calls unchanged when no region is dark", async () => {
  const aws = awsClients(viaProxy(), "us-east-1");
  const buckets = await aws.s3.send(new ListBucketsCommand({}));
  const vpcs = await aws.ec2.send(new DescribeVpcsCommand({}));
  expect(buckets.Buckets!.map((b) => b.Name)).toEqual([BUCKET]);
  // moto creates one default VPC per region.
  expect(vpcs.Vpcs!.length).toBe(1);
  expect(proxy.calls()).toEqual([call("us-east-1", "s3", "GET /", false, false), call("us-east-1", "ec2", "DescribeVpcs", false, false)]);
});

it("refuses S3 signed for a dark region with a dropped connection, and lets the same call signed for another region through", async () => {
  proxy.setDark(["us-east-1"]);
  expect(await failure(() => awsClients(viaProxy(), "us-east-1").s3.send(new ListBucketsCommand({})))).toEqual(DROPPED);
  const other = await awsClients(viaProxy(), "us-east-2").s3.send(new ListBucketsCommand({}));
  expect(other.Buckets!.map((b) => b.Name)).toEqual([BUCKET]);
  // The SDK's two attempts (maxAttempts 2 in test/support/aws.ts) are two refused calls.
  expect(proxy.calls()).toEqual([
    call("us-east-1", "s3", "GET /", false, "dark-region"),
    call("us-east-1", "s3", "GET /", false, "dark-region"),
    call("us-east-2", "s3", "GET /", false, false),
  ]);
  expect(proxy.callsTo("us-east-1")).toEqual(proxy.calls().slice(0, 2));
});

it("refuses EC2 (a query protocol) signed for a dark region and still records its action from the form body", async () => {
  proxy.setDark(["us-east-1"]);
  expect(await failure(() => awsClients(viaProxy(), "us-east-1").ec2.send(new DescribeVpcsCommand({})))).toEqual(DROPPED);
  expect(await outcome(() => awsClients(viaProxy(), "us-west-2").ec2.send(new DescribeVpcsCommand({})))).toBe("ok");
  expect(proxy.calls()).toEqual([
    call("us-east-1", "ec2", "DescribeVpcs", false, "dark-region"),
    call("us-east-1", "ec2", "DescribeVpcs", false, "dark-region"),
    call("us-west-2", "ec2", "DescribeVpcs", false, false),
  ]);
});

it("refuses STS signed for a dark region (STS is regional) and lets another region's STS answer (aws CLI)", async () => {
  proxy.setDark(["us-east-1"]);
  const dark = await awsCli(["sts", "get-caller-identity"], "us-east-1");
  expect(dark.status).toBe(255);
  expect(dark.stderr.trim()).toBe(`Connection was closed before we received a valid response from endpoint URL: "${proxy.endpoint}/".`);
  const other = await awsCli(["sts", "get-caller-identity", "--query", "Account", "--output", "text"], "us-east-2");
  expect(other).toEqual({ status: 0, stdout: `${EMULATOR_ACCOUNT_ID}\n`, stderr: "" });
  expect(proxy.calls()).toEqual([
    call("us-east-1", "sts", "GetCallerIdentity", false, "dark-region"),
    call("us-east-2", "sts", "GetCallerIdentity", false, false),
  ]);
});

it("lets IAM signed for a dark region through (a global service) and counts CreateRole as a global write, ListRoles as a read", async () => {
  proxy.setDark(["us-east-1"]);
  const iam = awsClients(viaProxy(), "us-east-1").iam;
  const trust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: "sts:AssumeRole" }],
  });
  await iam.send(new CreateRoleCommand({ RoleName: "fault-proxy-role", AssumeRolePolicyDocument: trust }));
  const roles = await iam.send(new ListRolesCommand({}));
  expect(roles.Roles!.map((r) => r.RoleName)).toContain("fault-proxy-role");
  const createRole = call("us-east-1", "iam", "CreateRole", true, false);
  expect(proxy.calls()).toEqual([createRole, call("us-east-1", "iam", "ListRoles", false, false)]);
  expect(proxy.globalWrites()).toEqual([createRole]);
  // Global services are not calls to the region, whatever region they were signed for.
  expect(proxy.callsTo("us-east-1")).toEqual([]);
});

it("counts Route 53 (REST-XML) CreateHostedZone as a write and ListHostedZones as a read", async () => {
  proxy.setDark(["us-east-1"]);
  const route53 = awsClients(viaProxy(), "us-east-1").route53;
  await route53.send(new CreateHostedZoneCommand({ Name: "fault-proxy.example", CallerReference: "fault-proxy-test" }));
  const zones = await route53.send(new ListHostedZonesCommand({}));
  expect(zones.HostedZones!.map((z) => z.Name)).toEqual(["fault-proxy.example."]);
  const create = call("us-east-1", "route53", "POST /2013-04-01/hostedzone", true, false);
  expect(proxy.calls()).toEqual([create, call("us-east-1", "route53", "GET /2013-04-01/hostedzone", false, false)]);
  expect(proxy.globalWrites()).toEqual([create]);
  expect(proxy.globalWrites(["route53"])).toEqual([create]);
  expect(proxy.globalWrites(["iam"])).toEqual([]);
});

it("passes a few MB of S3 PutObject through intact, with a Content-Length body and with an aws-chunked stream", async () => {
  const s3 = awsClients(viaProxy(), "us-east-2").s3;
  const data = crypto.randomBytes(4 * 1024 * 1024 + 3);
  const sent: Record<string, string>[] = [];
  // The request as the SDK hands it to the network, to show which upload encoding each case used.
  s3.middlewareStack.add(
    (next) => async (args) => {
      sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
      return next(args);
    },
    { step: "deserialize", name: "captureHeaders" },
  );
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "sized.bin", Body: data }));
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: "streamed.bin",
      Body: Readable.from([data.subarray(0, 1_000_000), data.subarray(1_000_000)]),
      ContentLength: data.length,
    }),
  );
  expect([sent[0]["content-length"], sent[0]["Expect"], sent[0]["content-encoding"]]).toEqual([String(data.length), "100-continue", undefined]);
  expect([sent[1]["content-length"], sent[1]["content-encoding"], sent[1]["x-amz-decoded-content-length"]]).toEqual([
    undefined,
    "aws-chunked",
    String(data.length),
  ]);
  for (const key of ["sized.bin", "streamed.bin"]) {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const received = Buffer.from(await object.Body!.transformToByteArray());
    expect(received.length).toBe(data.length);
    expect(received.equals(data)).toBe(true);
  }
  expect(proxy.calls().map((c) => `${c.action} ${c.write}`)).toEqual([
    `PUT /${BUCKET}/sized.bin true`,
    `PUT /${BUCKET}/streamed.bin true`,
    `GET /${BUCKET}/sized.bin false`,
    `GET /${BUCKET}/streamed.bin false`,
  ]);
});

it("serves the aws CLI (aws s3 ls with --endpoint-url and AWS_CA_BUNDLE), refuses it in a dark region, and lets it through again after setDark([])", async () => {
  const listing = await awsCli(["s3", "ls"], "us-east-1");
  expect(listing).toEqual({ status: 0, stdout: expect.stringMatching(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ${BUCKET}\\n$`)), stderr: "" });
  proxy.setDark(["us-east-1"]);
  expect(await awsCli(["s3", "ls"], "us-east-1")).toEqual({
    status: 255,
    stdout: "",
    stderr: `\nConnection was closed before we received a valid response from endpoint URL: "${proxy.endpoint}/".\n`,
  });
  proxy.setDark([]);
  expect(await awsCli(["s3", "ls"], "us-east-1")).toMatchObject({ status: 0, stderr: "" });
  expect(proxy.calls()).toEqual([
    call("us-east-1", "s3", "GET /", false, false),
    call("us-east-1", "s3", "GET /", false, "dark-region"),
    call("us-east-1", "s3", "GET /", false, false),
  ]);
});

it("classifies a SigV4 presigned URL by its X-Amz-Credential parameter", async () => {
  const url = (await awsCli(["s3", "presign", `s3://${BUCKET}/hello.txt`], "us-east-1")).stdout.trim();
  expect(new URL(url).searchParams.get("X-Amz-Credential")).toMatch(/^test\/\d{8}\/us-east-1\/s3\/aws4_request$/);
  expect(await get(url)).toEqual({ status: 200, body: Buffer.from("hello through the proxy") });
  proxy.setDark(["us-east-1"]);
  await expect(get(url)).rejects.toMatchObject({ code: "ECONNRESET" });
  expect(proxy.calls()).toEqual([
    call("us-east-1", "s3", `GET /${BUCKET}/hello.txt`, false, false),
    call("us-east-1", "s3", `GET /${BUCKET}/hello.txt`, false, "dark-region"),
  ]);
});

it("forwards unsigned requests as region and service unknown, even while a region is dark", async () => {
  proxy.setDark(["us-east-1"]);
  const response = await get(`${proxy.endpoint}/moto-api/`);
  expect(response.status).toBe(200);
  expect(proxy.calls()).toEqual([call("unknown", "unknown", "GET /moto-api/", false, false, "unknown")]);
  expect(proxy.callsTo("us-east-1")).toEqual([]);
});

it("stops listening on close", async () => {
  const extra = await startFaultProxy({ upstream: emulator, tls });
  expect(await portInUse(extra.port)).toBe(true);
  await extra.close();
  expect(await portInUse(extra.port)).toBe(false);
});

describe("with the workload account lost (its access keys refused)", () => {
  const REBUILD_ACCOUNT = "345678901234";
  /** The answers AWS gives an access key it does not know, as the SDK reports them: not retried, one attempt. */
  const S3_UNKNOWN_KEY = {
    name: "InvalidAccessKeyId",
    message: "The AWS Access Key Id you provided does not exist in our records.",
    httpStatusCode: 403,
    attempts: 1,
  };
  const INVALID_TOKEN = { name: "InvalidClientTokenId", message: "The security token included in the request is invalid.", httpStatusCode: 403, attempts: 1 };

  const sts = (region: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = EMULATOR_CREDENTIALS) =>
    new STSClient({
      endpoint: proxy.endpoint,
      region,
      credentials,
      maxAttempts: 2,
      requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: fs.readFileSync(emulator.caFile) }) }),
    });

  /** Credentials for a role, assumed through the proxy with the emulator's key. */
  async function assume(roleArn: string) {
    const { Credentials } = await sts("us-east-2").send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "fault-proxy" }));
    return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
  }

  it("answers S3 ListBuckets with 403 InvalidAccessKeyId and STS GetCallerIdentity with 403 InvalidClientTokenId (SDK)", async () => {
    proxy.setLostCredentials([EMULATOR_KEY]);
    expect(await sdkError(() => awsClients(viaProxy(), "us-east-2").s3.send(new ListBucketsCommand({})))).toEqual(S3_UNKNOWN_KEY);
    expect(await sdkError(() => sts("us-east-2").send(new GetCallerIdentityCommand({})))).toEqual(INVALID_TOKEN);
    expect(proxy.calls()).toEqual([
      call("us-east-2", "s3", "GET /", false, "lost-credentials"),
      call("us-east-2", "sts", "GetCallerIdentity", false, "lost-credentials"),
    ]);
    expect(proxy.callsSignedBy([EMULATOR_KEY])).toEqual(proxy.calls());
  });

  it("answers each protocol as AWS does: EC2 401 AuthFailure, JSON (KMS, Secrets Manager) 400 UnrecognizedClientException, Route 53 403 InvalidClientTokenId", async () => {
    proxy.setLostCredentials([EMULATOR_KEY]);
    const aws = awsClients(viaProxy(), "us-east-2");
    const unrecognized = { name: "UnrecognizedClientException", message: INVALID_TOKEN.message, httpStatusCode: 400, attempts: 1 };
    expect(await sdkError(() => aws.ec2.send(new DescribeVpcsCommand({})))).toEqual({
      name: "AuthFailure",
      message: "AWS was not able to validate the provided access credentials",
      httpStatusCode: 401,
      attempts: 1,
    });
    expect(await sdkError(() => aws.kms.send(new ListKeysCommand({})))).toEqual(unrecognized);
    expect(await sdkError(() => aws.secrets.send(new ListSecretsCommand({})))).toEqual(unrecognized);
    expect(await sdkError(() => aws.route53.send(new ListHostedZonesCommand({})))).toEqual(INVALID_TOKEN);
    expect(proxy.calls().map((c) => `${c.service} ${c.action} ${c.refused && c.refusedFor}`)).toEqual([
      "ec2 DescribeVpcs lost-credentials",
      "kms ListKeys lost-credentials",
      "secretsmanager ListSecrets lost-credentials",
      "route53 GET /2013-04-01/hostedzone lost-credentials",
    ]);
  });

  it("refuses an S3 upload that waits for 100 Continue before sending its body, writes nothing, and serves the same client once the key is back", async () => {
    const s3 = awsClients(viaProxy(), "us-east-2").s3;
    const expects: (string | undefined)[] = [];
    s3.middlewareStack.add(
      (next) => async (args) => {
        expects.push((args.request as { headers: Record<string, string> }).headers["Expect"]);
        return next(args);
      },
      { step: "deserialize", name: "captureExpect" },
    );
    proxy.setLostCredentials([EMULATOR_KEY]);
    const upload = () => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "lost.bin", Body: crypto.randomBytes(4 * 1024 * 1024) }));
    expect(await sdkError(upload)).toEqual(S3_UNKNOWN_KEY);
    expect(expects).toEqual(["100-continue"]);
    proxy.setLostCredentials([]);
    expect(await outcome(() => s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "lost.bin" })))).toBe("NotFound");
    expect(await outcome(upload)).toBe("ok");
    expect(proxy.calls()).toEqual([
      call("us-east-2", "s3", `PUT /${BUCKET}/lost.bin`, true, "lost-credentials"),
      call("us-east-2", "s3", `HEAD /${BUCKET}/lost.bin`, false, false),
      call("us-east-2", "s3", `PUT /${BUCKET}/lost.bin`, true, false),
    ]);
  });

  it("serves credentials assumed into another account before the loss, records them under their own key, and notes which account they act in", async () => {
    const rebuild = await assume(`arn:aws:iam::${REBUILD_ACCOUNT}:role/rebuild`);
    expect(rebuild.accessKeyId).not.toBe(EMULATOR_KEY);
    proxy.setLostCredentials([EMULATOR_KEY]);
    const identity = await sts("us-east-2", rebuild).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(REBUILD_ACCOUNT);
    // The rebuild account's S3 has none of the lost account's buckets.
    const buckets = await awsClients(viaProxy(), "us-east-2", rebuild).s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets ?? []).toEqual([]);
    expect(proxy.calls()).toEqual([
      call("us-east-2", "sts", "AssumeRole", true, false),
      call("us-east-2", "sts", "GetCallerIdentity", false, false, rebuild.accessKeyId),
      call("us-east-2", "s3", "GET /", false, false, rebuild.accessKeyId),
    ]);
    expect(proxy.callsSignedBy([EMULATOR_KEY])).toEqual([call("us-east-2", "sts", "AssumeRole", true, false)]);
    expect(proxy.callsSignedBy([rebuild.accessKeyId]).length).toBe(2);
    expect(proxy.assumedCredentials()).toContainEqual({
      accessKeyId: rebuild.accessKeyId,
      accountId: REBUILD_ACCOUNT,
      assumedRoleArn: `arn:aws:sts::${REBUILD_ACCOUNT}:assumed-role/rebuild/fault-proxy`,
      assumedWith: EMULATOR_KEY,
    });
    expect(proxy.accessKeysAssumedInto(REBUILD_ACCOUNT)).toContain(rebuild.accessKeyId);
    expect(proxy.accessKeysAssumedInto(EMULATOR_ACCOUNT_ID)).not.toContain(rebuild.accessKeyId);
  });

  it("loses the keys assumed into the lost account's own roles once they are listed, as accessKeysAssumedInto names them", async () => {
    const inside = await assume(`arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/workload`);
    proxy.setLostCredentials([EMULATOR_KEY]);
    // Not listed yet: the base key alone does not lose the account.
    expect(await outcome(() => sts("us-east-2", inside).send(new GetCallerIdentityCommand({})))).toBe("ok");
    expect(proxy.accessKeysAssumedInto(EMULATOR_ACCOUNT_ID)).toContain(inside.accessKeyId);
    proxy.setLostCredentials([EMULATOR_KEY, ...proxy.accessKeysAssumedInto(EMULATOR_ACCOUNT_ID)]);
    expect(await sdkError(() => sts("us-east-2", inside).send(new GetCallerIdentityCommand({})))).toEqual(INVALID_TOKEN);
    expect(proxy.calls().map((c) => `${c.action} ${c.accessKeyId === inside.accessKeyId ? "inside" : c.accessKeyId} ${c.refused && c.refusedFor}`)).toEqual([
      "AssumeRole test false",
      "GetCallerIdentity inside false",
      "GetCallerIdentity inside lost-credentials",
    ]);
  });

  it("answers the aws CLI with the same errors for the lost key, and serves it again once the list is cleared", async () => {
    proxy.setLostCredentials([EMULATOR_KEY]);
    expect(await awsCli(["sts", "get-caller-identity"], "us-east-2")).toEqual({
      status: 255,
      stdout: "",
      stderr:
        "\nAn error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.\n",
    });
    expect(await awsCli(["s3", "ls"], "us-east-2")).toEqual({
      status: 255,
      stdout: "",
      stderr:
        "\nAn error occurred (InvalidAccessKeyId) when calling the ListBuckets operation: The AWS Access Key Id you provided does not exist in our records.\n",
    });
    proxy.setLostCredentials([]);
    expect(await awsCli(["sts", "get-caller-identity", "--query", "Account", "--output", "text"], "us-east-2")).toEqual({
      status: 0,
      stdout: `${EMULATOR_ACCOUNT_ID}\n`,
      stderr: "",
    });
    expect(await awsCli(["s3", "ls"], "us-east-2")).toMatchObject({ status: 0, stdout: expect.stringContaining(BUCKET), stderr: "" });
    expect(proxy.calls()).toEqual([
      call("us-east-2", "sts", "GetCallerIdentity", false, "lost-credentials"),
      call("us-east-2", "s3", "GET /", false, "lost-credentials"),
      call("us-east-2", "sts", "GetCallerIdentity", false, false),
      call("us-east-2", "s3", "GET /", false, false),
    ]);
  });

  it("refuses a presigned URL whose X-Amz-Credential names the lost key", async () => {
    const url = (await awsCli(["s3", "presign", `s3://${BUCKET}/hello.txt`], "us-east-2")).stdout.trim();
    proxy.setLostCredentials([EMULATOR_KEY]);
    const refused = await get(url);
    expect(refused.status).toBe(403);
    expect(refused.body.toString()).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>InvalidAccessKeyId<\/Code>.*<AWSAccessKeyId>test<\/AWSAccessKeyId>/,
    );
    expect(proxy.calls()).toEqual([call("us-east-2", "s3", `GET /${BUCKET}/hello.txt`, false, "lost-credentials")]);
  });

  it("drops the connection of a lost key's call to a dark region (a dead endpoint never reads the signature)", async () => {
    proxy.setLostCredentials([EMULATOR_KEY]);
    proxy.setDark(["us-east-1"]);
    expect(await failure(() => awsClients(viaProxy(), "us-east-1").s3.send(new ListBucketsCommand({})))).toEqual(DROPPED);
    expect(proxy.calls()).toEqual([call("us-east-1", "s3", "GET /", false, "dark-region"), call("us-east-1", "s3", "GET /", false, "dark-region")]);
  });
});

describe("with the emulator checking signatures", () => {
  /** Setup calls before moto starts enforcing IAM (and so verifying every SigV4 signature). */
  const SETUP_CALLS = 4;
  let strict: Emulator;
  let strictProxy: FaultProxy;

  beforeAll(async () => {
    let port = emulator.port + 1;
    while (await portInUse(port)) port++;
    strict = await startEmulator({ port, tls, logFile: path.join(dir, "strict-emulator.log"), enforceIamAfterCalls: SETUP_CALLS });
    strictProxy = await startFaultProxy({ upstream: strict, tls });
  });

  afterAll(async () => {
    await strictProxy?.close();
    if (strict) stopProcess(strict.pid);
  });

  it("keeps signatures valid: the Host header the client signed reaches the emulator unchanged", async () => {
    const admin = awsClients(strict, "us-east-2");
    await admin.s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: "us-east-2" } }));
    await admin.iam.send(new CreateUserCommand({ UserName: "reader" }));
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:aws:s3:::${BUCKET}` }] };
    await admin.iam.send(new PutUserPolicyCommand({ UserName: "reader", PolicyName: "list", PolicyDocument: JSON.stringify(policy) }));
    const { AccessKey } = await admin.iam.send(new CreateAccessKeyCommand({ UserName: "reader" }));
    const reader = awsClients({ endpoint: strictProxy.endpoint, caFile: strict.caFile }, "us-east-2", {
      accessKeyId: AccessKey!.AccessKeyId!,
      secretAccessKey: AccessKey!.SecretAccessKey!,
    }).s3;
    expect(await outcome(() => reader.send(new ListObjectsV2Command({ Bucket: BUCKET })))).toBe("ok");
    // The emulator does check: a wrong secret is refused, so the "ok" above was a verified signature.
    const forger = awsClients({ endpoint: strictProxy.endpoint, caFile: strict.caFile }, "us-east-2", {
      accessKeyId: AccessKey!.AccessKeyId!,
      secretAccessKey: "wrong",
    }).s3;
    expect(await outcome(() => forger.send(new ListObjectsV2Command({ Bucket: BUCKET })))).toBe("SignatureDoesNotMatch");
  });
});
