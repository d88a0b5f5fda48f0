import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import * as path from "path";
import {
  assumedCredentialsIn,
  classifyRequest,
  GLOBAL_SERVICES,
  isReadAction,
  needsBody,
  READ_ACTION_PREFIXES,
  startFaultProxy,
  type RequestHead,
} from "../../lib/tooling/fault-proxy";
import { createLocalCertificate, type LocalCertificate } from "../../lib/tooling/tls";
import { tempDir } from "../support/temp";

/**
 * The fault proxy's classification and its guards, without an emulator. Forwarding, refusing and
 * counting against moto are in test/e2e/fault-proxy.test.ts.
 */

const SIGNED = (region: string, service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123`;

const head = (method: string, url: string, headers: RequestHead["headers"] = {}): RequestHead => ({ method, url, headers });

const FORM = "application/x-www-form-urlencoded; charset=utf-8";

describe("classifyRequest", () => {
  it("reads region and service from the Authorization header's credential scope and the operation from X-Amz-Target", () => {
    const request = head("POST", "/", { authorization: SIGNED("eu-west-1", "kms"), "x-amz-target": "TrentService.CreateKey" });
    expect(classifyRequest(request)).toEqual({ region: "eu-west-1", service: "kms", accessKeyId: "AKIDEXAMPLE", action: "CreateKey", write: true });
  });

  it("counts a JSON-protocol read as a read", () => {
    const request = head("POST", "/", { authorization: SIGNED("us-east-2", "secretsmanager"), "x-amz-target": "secretsmanager.GetSecretValue" });
    expect(classifyRequest(request)).toEqual({
      region: "us-east-2",
      service: "secretsmanager",
      accessKeyId: "AKIDEXAMPLE",
      action: "GetSecretValue",
      write: false,
    });
  });

  it("reads the Action of a query protocol from the form body", () => {
    const request = head("POST", "/", { authorization: SIGNED("us-east-1", "iam"), "content-type": FORM });
    expect(classifyRequest(request, "Action=CreateRole&Version=2010-05-08&RoleName=r")).toEqual({
      region: "us-east-1",
      service: "iam",
      accessKeyId: "AKIDEXAMPLE",
      action: "CreateRole",
      write: true,
    });
  });

  it("reads the Action of a query protocol from the query string", () => {
    const request = head("GET", "/?Action=DescribeVpcs&Version=2016-11-15", { authorization: SIGNED("us-east-2", "ec2") });
    expect(classifyRequest(request)).toEqual({ region: "us-east-2", service: "ec2", accessKeyId: "AKIDEXAMPLE", action: "DescribeVpcs", write: false });
  });

  it.each([
    ["GET", false],
    ["HEAD", false],
    ["OPTIONS", false],
    ["PUT", true],
    ["POST", true],
    ["DELETE", true],
    ["PATCH", true],
  ])("classifies a REST %s as write=%s, naming method and path without the query", (method, write) => {
    const request = head(method, "/acme-data/backups/2026.dump?tagging", { authorization: SIGNED("us-east-2", "s3") });
    expect(classifyRequest(request)).toEqual({
      region: "us-east-2",
      service: "s3",
      accessKeyId: "AKIDEXAMPLE",
      action: `${method} /acme-data/backups/2026.dump`,
      write,
    });
  });

  it("reads the credential scope of a presigned URL from X-Amz-Credential", () => {
    const url = "/acme-data/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20261121%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc";
    expect(classifyRequest(head("GET", url))).toEqual({ region: "us-east-1", service: "s3", accessKeyId: "test", action: "GET /acme-data/k", write: false });
  });

  it("reads X-Amz-Credential whatever its case", () => {
    const url = "/k?x-amz-credential=test%2F20261121%2Fap-south-1%2Fs3%2Faws4_request";
    expect(classifyRequest(head("GET", url))).toMatchObject({ region: "ap-south-1", service: "s3", accessKeyId: "test" });
  });

  it.each([
    ["no Authorization header", {}],
    ["a credential without a scope", { authorization: "AWS4-HMAC-SHA256 Credential=test, SignedHeaders=host, Signature=abc" }],
    ["a scope not ending in aws4_request", { authorization: "AWS4-HMAC-SHA256 Credential=test/20261121/us-east-1/s3/other, Signature=abc" }],
  ])("classifies a request with %s as unknown", (_, headers) => {
    expect(classifyRequest(head("GET", "/moto-api/", headers))).toEqual({
      region: "unknown",
      service: "unknown",
      accessKeyId: "unknown",
      action: "GET /moto-api/",
      write: false,
    });
  });

  it.each([
    ["a SigV2 Authorization header", "/k", { authorization: "AWS AKIDV2EXAMPLE:c2lnbmF0dXJl" }],
    ["a SigV2 presigned URL", "/k?AWSAccessKeyId=AKIDV2EXAMPLE&Expires=1790000000&Signature=c2ln", {}],
  ])("reads the access key of %s, with region and service unknown (SigV2 has no scope)", (_, url, headers) => {
    expect(classifyRequest(head("GET", url, headers))).toEqual({
      region: "unknown",
      service: "unknown",
      accessKeyId: "AKIDV2EXAMPLE",
      action: "GET /k",
      write: false,
    });
  });
});

describe("isReadAction", () => {
  it.each(READ_ACTION_PREFIXES.map((prefix) => `${prefix}Something`))("counts %s as a read", (action) => {
    expect(isReadAction(action)).toBe(true);
  });

  // Deliberately conservative: anything not named like a read counts as a write.
  it.each(["CreateRole", "PutRolePolicy", "DeleteHostedZone", "ChangeResourceRecordSets", "AssumeRole", "BatchGetImage", "Decrypt"])(
    "counts %s as a write",
    (action) => {
      expect(isReadAction(action)).toBe(false);
    },
  );
});

describe("needsBody", () => {
  it("reads the body of a form-encoded POST without X-Amz-Target or Action in the query", () => {
    expect(needsBody(head("POST", "/", { "content-type": FORM }))).toBe(true);
  });

  it.each([
    ["a GET", head("GET", "/", { "content-type": FORM })],
    ["a JSON-protocol request", head("POST", "/", { "content-type": FORM, "x-amz-target": "TrentService.CreateKey" })],
    ["an Action in the query string", head("POST", "/?Action=DescribeVpcs", { "content-type": FORM })],
    ["an S3 upload", head("POST", "/bucket/key?uploads", { "content-type": "application/octet-stream" })],
    ["no content type", head("POST", "/")],
  ])("streams %s without reading it first", (_, request) => {
    expect(needsBody(request)).toBe(false);
  });
});

describe("assumedCredentialsIn", () => {
  const ANSWER = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <SessionToken>FQoGZXIvYXdzEExample</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</SecretAccessKey>
      <Expiration>2026-11-21T13:00:00Z</Expiration>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
    </Credentials>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::345678901234:assumed-role/rebuild/drill</Arn>
      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:drill</AssumedRoleId>
    </AssumedRoleUser>
  </AssumeRoleResult>
</AssumeRoleResponse>`;

  it("reads the new key and the account of the role from an AssumeRole answer", () => {
    expect(assumedCredentialsIn(ANSWER, "test")).toEqual({
      accessKeyId: "ASIAIOSFODNN7EXAMPLE",
      accountId: "345678901234",
      assumedRoleArn: "arn:aws:sts::345678901234:assumed-role/rebuild/drill",
      assumedWith: "test",
    });
  });

  it.each([
    ["an error", "<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>"],
    ["an answer without AssumedRoleUser", ANSWER.replace(/<AssumedRoleUser>[\s\S]*<\/AssumedRoleUser>/, "")],
    ["an answer without Credentials", ANSWER.replace(/<Credentials>[\s\S]*<\/Credentials>/, "")],
  ])("reads nothing from %s", (_, answer) => {
    expect(assumedCredentialsIn(answer, "test")).toBeUndefined();
  });
});

it("treats exactly IAM, Route 53, CloudFront and Organizations as global (STS is regional)", () => {
  expect(GLOBAL_SERVICES).toEqual(["iam", "route53", "cloudfront", "organizations"]);
});

describe("startFaultProxy", () => {
  let tls: LocalCertificate;
  const upstream = (endpoint: string) => ({ endpoint, caFile: tls.certFile });

  beforeAll(() => {
    tls = createLocalCertificate(tempDir("fault-proxy-unit-"));
  });

  it.each([
    ["not a URL", "127.0.0.1:5055", 'upstream.endpoint must be a URL like https://127.0.0.1:5055 (got "127.0.0.1:5055")'],
    ["plain HTTP", "http://127.0.0.1:5055", 'upstream.endpoint must be an https:// URL on 127.0.0.1 or localhost (got "http://127.0.0.1:5055")'],
    ["another host", "https://10.0.0.5:5055", 'upstream.endpoint must be an https:// URL on 127.0.0.1 or localhost (got "https://10.0.0.5:5055")'],
  ])("refuses an upstream that is %s", async (_, endpoint, message) => {
    await expect(startFaultProxy({ upstream: upstream(endpoint), tls })).rejects.toThrow(`startFaultProxy: ${message}`);
  });

  it.each([80, 1023, 65536, 5055.5])("refuses port %s", async (port) => {
    await expect(startFaultProxy({ upstream: upstream("https://127.0.0.1:5055"), tls, port })).rejects.toThrow(
      `startFaultProxy: port must be a whole number from 1024 to 65535 (got ${port})`,
    );
  });

  it("names every problem at once", async () => {
    await expect(startFaultProxy({ upstream: upstream("http://127.0.0.1:5055"), tls, port: 1 })).rejects.toThrow(
      'startFaultProxy: upstream.endpoint must be an https:// URL on 127.0.0.1 or localhost (got "http://127.0.0.1:5055"); port must be a whole number from 1024 to 65535 (got 1)',
    );
  });

  it.each([
    ["upstream.caFile", (missing: string) => ({ upstream: { endpoint: "https://127.0.0.1:5055", caFile: missing }, tls })],
    ["tls.certFile", (missing: string) => ({ upstream: upstream("https://127.0.0.1:5055"), tls: { ...tls, certFile: missing } })],
    ["tls.keyFile", (missing: string) => ({ upstream: upstream("https://127.0.0.1:5055"), tls: { ...tls, keyFile: missing } })],
  ])("names an unreadable %s", async (what, options) => {
    const missing = path.join(tempDir(), "missing.pem");
    await expect(startFaultProxy(options(missing))).rejects.toThrow(`startFaultProxy: cannot read ${what} ${missing} (ENOENT)`);
  });

  it("refuses a port another process uses", async () => {
    const other = net.createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => other.once("listening", resolve));
    const port = (other.address() as net.AddressInfo).port;
    try {
      await expect(startFaultProxy({ upstream: upstream("https://127.0.0.1:5055"), tls, port })).rejects.toThrow(
        `startFaultProxy: port ${port} on 127.0.0.1 is already in use by another process; choose another or omit port`,
      );
    } finally {
      other.close();
    }
  });

  it("picks a free port on 127.0.0.1 and listens on no other address", async () => {
    const proxy = await startFaultProxy({ upstream: upstream("https://127.0.0.1:5055"), tls });
    const connects = (host: string) =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect({ host, port: proxy.port });
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      });
    try {
      expect(proxy.endpoint).toBe(`https://127.0.0.1:${proxy.port}`);
      expect(await connects("127.0.0.1")).toBe(true);
      // The whole of 127.0.0.0/8 is loopback on Linux: a wildcard listener would accept 127.0.0.2 too.
      expect(await connects("127.0.0.2")).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it("answers 502 naming the emulator when it cannot reach it", async () => {
    const unused = net.createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => unused.once("listening", resolve));
    const port = (unused.address() as net.AddressInfo).port;
    await new Promise((resolve) => unused.close(resolve));
    const proxy = await startFaultProxy({ upstream: upstream(`https://127.0.0.1:${port}`), tls });
    try {
      const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        https
          .get(`${proxy.endpoint}/`, { ca: fs.readFileSync(tls.certFile), agent: false }, (res) => {
            let body = "";
            res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
            res.on("end", () => resolve({ status: res.statusCode!, body }));
          })
          .on("error", reject);
      });
      expect(response).toEqual({
        status: 502,
        body: `fault proxy: cannot reach the emulator at https://127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port})\n`,
      });
      expect(proxy.calls()).toEqual([{ region: "unknown", service: "unknown", accessKeyId: "unknown", action: "GET /", write: false, refused: false }]);
    } finally {
      await proxy.close();
    }
  });

  it("answers a lost key itself with AWS's error and forwards every other key (the emulator here is unreachable: 502)", async () => {
    const unused = net.createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => unused.once("listening", resolve));
    const port = (unused.address() as net.AddressInfo).port;
    await new Promise((resolve) => unused.close(resolve));
    const proxy = await startFaultProxy({ upstream: upstream(`https://127.0.0.1:${port}`), tls });
    const getSigned = (accessKeyId: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261121/us-east-2/s3/aws4_request, SignedHeaders=host, Signature=abc`;
        https
          .get(`${proxy.endpoint}/`, { ca: fs.readFileSync(tls.certFile), agent: false, headers: { authorization } }, (res) => {
            let body = "";
            res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
            res.on("end", () => resolve({ status: res.statusCode!, body }));
          })
          .on("error", reject);
      });
    try {
      proxy.setLostCredentials(["AKIDLOST"]);
      const lost = await getSigned("AKIDLOST");
      const other = await getSigned("AKIDKEPT");
      expect([lost.status, /<Code>(\w+)<\/Code>/.exec(lost.body)?.[1]]).toEqual([403, "InvalidAccessKeyId"]);
      expect(other.status).toBe(502);
      const signed = { region: "us-east-2", service: "s3", action: "GET /", write: false };
      expect(proxy.calls()).toEqual([
        { ...signed, accessKeyId: "AKIDLOST", refused: true, refusedFor: "lost-credentials" },
        { ...signed, accessKeyId: "AKIDKEPT", refused: false },
      ]);
      expect(proxy.callsSignedBy(["AKIDLOST"])).toEqual([proxy.calls()[0]]);
    } finally {
      await proxy.close();
    }
  });

  it("refuses lost credentials that are not access key ids, naming them", async () => {
    const proxy = await startFaultProxy({ upstream: upstream("https://127.0.0.1:5055"), tls });
    try {
      expect(() => proxy.setLostCredentials(["test", "arn:aws:iam::000000000042:root", "", "unknown", "AKIA IOSFODNN7"])).toThrow(
        'setLostCredentials: not access key ids: "arn:aws:iam::000000000042:root", "", "unknown", "AKIA IOSFODNN7" (expected ids like AKIAIOSFODNN7EXAMPLE or test)',
      );
      expect(() => proxy.setLostCredentials(["test", "AKIAIOSFODNN7EXAMPLE", "ASIAIOSFODNN7EXAMPLE"])).not.toThrow();
    } finally {
      await proxy.close();
    }
  });

  it("refuses dark regions that are not region names, naming them", async () => {
    const proxy = await startFaultProxy({ upstream: upstream("https://127.0.0.1:5055"), tls });
    try {
      expect(() => proxy.setDark(["us-east-1", "us-east1", "US-EAST-2"])).toThrow(
        'setDark: not region names: "us-east1", "US-EAST-2" (expected names like us-east-1)',
      );
      expect(() => proxy.setDark(["us-east-1", "us-gov-west-1", "ap-southeast-7"])).not.toThrow();
    } finally {
      await proxy.close();
    }
  });
});
