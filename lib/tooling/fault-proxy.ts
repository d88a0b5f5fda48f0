import * as fs from "fs";
import type * as http from "http";
import * as https from "https";
import type { AddressInfo } from "net";
import { pipeline } from "stream";
import { lostCredentialsAnswer, type WireProtocol } from "./fault-proxy-refusal";
import type { LocalCertificate } from "./tls";

/**
 * Services whose control plane AWS runs in one place whatever region a request is signed for
 * (IAM and Route 53 in us-east-1, CloudFront and Organizations likewise): a request to them is
 * never refused for its signing region, so a dark us-east-1 still lets a client reach IAM, as
 * AWS's data plane for IAM authentication keeps answering in a regional impairment. Their WRITES
 * are what a statically stable recovery must not need (see `globalWrites`). STS is deliberately
 * not here: its regional endpoints die with their region.
 */
export const GLOBAL_SERVICES: readonly string[] = ["iam", "route53", "cloudfront", "organizations"];

/**
 * Operation-name prefixes of reads in the query and JSON protocols. Anything else counts as a
 * write, on purpose: a drill that over-counts fails loudly, one that under-counts lies.
 */
export const READ_ACTION_PREFIXES: readonly string[] = ["Get", "List", "Describe", "Head", "Search", "Lookup"];

/** Region, service or access key id of a request that does not carry it (moto's own API, anonymous S3; SigV2 has no scope). */
export const UNKNOWN = "unknown";

/** REST methods that do not change anything. */
const READ_METHODS = ["GET", "HEAD", "OPTIONS"];

/** A region name's shape (us-east-1, eu-central-2, us-gov-west-1, ap-southeast-7). */
const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** An access key id's shape: IAM's `[\w]+` (AKIA..., ASIA..., the emulator's `test`). */
const ACCESS_KEY_SHAPE = /^\w+$/;

/** Largest STS answer read to learn the credentials it issued; AssumeRole's is a few KB. */
const MAX_ISSUED_ANSWER_BYTES = 1024 * 1024;

/** Headers that describe one connection, not the request, and are not forwarded. */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "te", "upgrade", "expect"];

/** What the proxy reads from one request before deciding what to do with it. */
export interface ClassifiedRequest {
  /** Region of the SigV4 credential scope, or UNKNOWN when unsigned. */
  readonly region: string;
  /** Service of the SigV4 credential scope (`s3`, `ec2`, `iam`, ...), or UNKNOWN when unsigned. */
  readonly service: string;
  /** Access key id the request is signed with (SigV4 or SigV2, header or presigned URL), or UNKNOWN when unsigned. */
  readonly accessKeyId: string;
  /** Operation name (`CreateRole`, `CreateKey`) or, for REST protocols, `<METHOD> <path>`. */
  readonly action: string;
  readonly write: boolean;
}

/**
 * Why the proxy did not forward a call:
 * - `dark-region`: signed for a dark region's regional service; the connection was destroyed
 *   without an HTTP answer, as a dead endpoint's would be.
 * - `lost-credentials`: signed with a lost access key; answered with AWS's error for an access key
 *   it does not know (a closed account answers, it does not vanish). A call that is both counts
 *   as `dark-region`: a dead endpoint never gets to look at the signature.
 */
export type RefusalReason = "dark-region" | "lost-credentials";

/** One request the proxy saw: forwarded, or refused and why. */
export type ProxiedCall = ClassifiedRequest & ({ readonly refused: false } | { readonly refused: true; readonly refusedFor: RefusalReason });

/**
 * Credentials an STS AssumeRole the proxy forwarded returned. They are a new access key id that
 * acts in the ROLE's account (as on AWS, and in the emulator: see MOTO_FIXES in emulator.ts),
 * whatever key asked for them.
 */
export interface AssumedCredentials {
  /** The new access key id (ASIA... on AWS and in moto). */
  readonly accessKeyId: string;
  /** Account of the assumed role: the account these credentials act in. */
  readonly accountId: string;
  /** The session's ARN, `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  readonly assumedRoleArn: string;
  /** Access key id the AssumeRole call was signed with. */
  readonly assumedWith: string;
}

/** What the classification reads: the request line and headers. */
export interface RequestHead {
  readonly method: string;
  /** Path and query, as on the request line. */
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
}

export interface FaultProxyOptions {
  /** The emulator the proxy forwards to: its https:// endpoint on 127.0.0.1 and the CA file to trust. */
  readonly upstream: { readonly endpoint: string; readonly caFile: string };
  /** Certificate the proxy serves TLS with; clients trust it as they trust the emulator's. */
  readonly tls: LocalCertificate;
  /**
   * Port on 127.0.0.1.
   * @default - a free port chosen by the operating system
   */
  readonly port?: number;
}

export interface FaultProxy {
  /** https://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly port: number;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
  /** Replaces the set of dark regions (`[]`: none). */
  setDark(regions: readonly string[]): void;
  /**
   * Replaces the set of lost access key ids (`[]`: none): every call signed with one of them is
   * refused as AWS refuses the key of a closed account (see fault-proxy-refusal.ts), and recorded
   * with `refusedFor: "lost-credentials"`.
   *
   * To lose an ACCOUNT, list every access key id that acts in it: its own keys (the emulator's
   * default account's is `test`) and every key assumed into one of its roles, whoever assumed it
   * (`accessKeysAssumedInto(account)` gives those that went through this proxy, Terraform's
   * provider-side AssumeRoles included). A key the lost account's key assumed into ANOTHER
   * account's role acts there and is not lost. Keys issued after this call are not added: call
   * it again, or check `callsSignedBy` with `accessKeysAssumedInto` at the end.
   */
  setLostCredentials(accessKeyIds: readonly string[]): void;
  /** A copy of every call recorded since start or the last reset, in arrival order. */
  calls(): ProxiedCall[];
  /** Forgets the recorded calls (not the assumed credentials, which outlive a phase of a drill). */
  reset(): void;
  /** Calls signed for `region` to regional services, refused ones included. */
  callsTo(region: string): ProxiedCall[];
  /** Writes to the given global services, whatever region they were signed for. */
  globalWrites(services?: readonly string[]): ProxiedCall[];
  /** Calls signed with any of the access key ids, refused ones included. */
  callsSignedBy(accessKeyIds: readonly string[]): ProxiedCall[];
  /** Every set of credentials STS AssumeRole returned through the proxy since start, in order. */
  assumedCredentials(): AssumedCredentials[];
  /** Access key ids of the credentials assumed through the proxy into roles of `accountId`. */
  accessKeysAssumedInto(accountId: string): string[];
}

/**
 * Access key id, region and service of the SigV4 credential scope (header or presigned query), or
 * UNKNOWN. SigV2 (`AWS <key>:<signature>`, or `AWSAccessKeyId` in a presigned URL; S3 still takes
 * it) names a key but no region or service.
 */
function credential(head: RequestHead, query: URLSearchParams): Pick<ClassifiedRequest, "accessKeyId" | "region" | "service"> {
  const authorization = header(head, "authorization") ?? "";
  const fromHeader = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)/.exec(authorization)?.[1];
  const scope = fromHeader ?? queryParameter(query, "x-amz-credential");
  // <key>/<date>/<region>/<service>/aws4_request.
  const parts = scope?.split("/") ?? [];
  if (parts.length === 5 && parts[4] === "aws4_request") return { accessKeyId: parts[0], region: parts[2], service: parts[3] };
  const sigV2 = /^AWS\s+([^:\s]+):/.exec(authorization)?.[1] ?? queryParameter(query, "awsaccesskeyid");
  return { accessKeyId: sigV2 || UNKNOWN, region: UNKNOWN, service: UNKNOWN };
}

/** A query parameter by case-insensitive name (presigned URLs are written X-Amz-Credential, tools vary). */
function queryParameter(query: URLSearchParams, name: string): string | undefined {
  for (const [key, value] of query) if (key.toLowerCase() === name) return value;
  return undefined;
}

function header(head: RequestHead, name: string): string | undefined {
  const value = head.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * True when the operation name is only in a form-encoded body (query protocols: IAM, EC2, RDS,
 * STS, ...), so the body must be read before the request can be classified.
 */
export function needsBody(head: RequestHead): boolean {
  if (head.method !== "POST" || header(head, "x-amz-target") !== undefined) return false;
  if (queryParameter(new URL(head.url, "https://proxy").searchParams, "action") !== undefined) return false;
  return (header(head, "content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");
}

/** True when a query/JSON operation name reads. */
export function isReadAction(action: string): boolean {
  return READ_ACTION_PREFIXES.some((prefix) => action.startsWith(prefix));
}

/** A classified request and where its operation name was (which decides how it is refused). */
function inspect(head: RequestHead, formBody = ""): ClassifiedRequest & { protocol: WireProtocol } {
  const url = new URL(head.url, "https://proxy");
  const signer = credential(head, url.searchParams);
  const target = header(head, "x-amz-target");
  if (target !== undefined) {
    const action = target.slice(target.lastIndexOf(".") + 1);
    return { ...signer, action, write: !isReadAction(action), protocol: "json" };
  }
  const action = queryParameter(url.searchParams, "action") ?? (formBody ? (new URLSearchParams(formBody).get("Action") ?? undefined) : undefined);
  if (action !== undefined) return { ...signer, action, write: !isReadAction(action), protocol: "query" };
  return { ...signer, action: `${head.method} ${url.pathname}`, write: !READ_METHODS.includes(head.method), protocol: "rest" };
}

/**
 * Classifies a request by its SigV4 credential scope (or SigV2 access key) and its operation: the
 * `X-Amz-Target` header (JSON protocols), the `Action` parameter of the query string or the form
 * body (query protocols), else the method and path (REST protocols: S3, Route 53, EKS, ...).
 */
export function classifyRequest(head: RequestHead, formBody = ""): ClassifiedRequest {
  const { protocol: _, ...call } = inspect(head, formBody);
  return call;
}

/**
 * The credentials in an STS AssumeRole answer (AssumeRoleWithWebIdentity and AssumeRoleWithSAML
 * answer alike), or undefined when it is not one. The query protocol's XML is what every SDK and
 * Terraform's provider get from STS.
 */
export function assumedCredentialsIn(answer: string, assumedWith: string): AssumedCredentials | undefined {
  const accessKeyId = /<Credentials>[\s\S]*?<AccessKeyId>\s*([^<\s]+)\s*<\/AccessKeyId>/.exec(answer)?.[1];
  const assumedRoleArn = /<AssumedRoleUser>[\s\S]*?<Arn>\s*([^<\s]+)\s*<\/Arn>/.exec(answer)?.[1];
  const accountId = assumedRoleArn?.split(":")[4];
  if (accessKeyId === undefined || assumedRoleArn === undefined || !accountId) return undefined;
  return { accessKeyId, accountId, assumedRoleArn, assumedWith };
}

function validate(options: FaultProxyOptions): URL {
  const problems: string[] = [];
  let upstream: URL | undefined;
  try {
    upstream = new URL(options.upstream.endpoint);
  } catch {
    problems.push(`upstream.endpoint must be a URL like https://127.0.0.1:5055 (got ${JSON.stringify(options.upstream.endpoint)})`);
  }
  // Signed requests go wherever upstream says: only ever to an emulator on this machine, over TLS.
  if (upstream && (upstream.protocol !== "https:" || !["127.0.0.1", "localhost"].includes(upstream.hostname))) {
    problems.push(`upstream.endpoint must be an https:// URL on 127.0.0.1 or localhost (got ${JSON.stringify(options.upstream.endpoint)})`);
  }
  const { port } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 1024 || port > 65535)) {
    problems.push(`port must be a whole number from 1024 to 65535 (got ${port})`);
  }
  if (problems.length > 0) throw new Error(`startFaultProxy: ${problems.join("; ")}`);
  return upstream!;
}

function readFile(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new Error(`startFaultProxy: cannot read ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Validates and returns the dark-region set. */
function darkSet(regions: readonly string[]): Set<string> {
  const wrong = regions.filter((region) => !REGION_SHAPE.test(region));
  // A typo would leave the region reachable and the drill passing for the wrong reason.
  if (wrong.length > 0) throw new Error(`setDark: not region names: ${wrong.map((r) => JSON.stringify(r)).join(", ")} (expected names like us-east-1)`);
  return new Set(regions);
}

/** Validates and returns the lost access key set. */
function lostSet(accessKeyIds: readonly string[]): Set<string> {
  const wrong = accessKeyIds.filter((key) => !ACCESS_KEY_SHAPE.test(key) || key === UNKNOWN);
  // An ARN, an account id with dashes or a secret pasted by mistake would lose nothing.
  if (wrong.length > 0) {
    throw new Error(
      `setLostCredentials: not access key ids: ${wrong.map((k) => JSON.stringify(k)).join(", ")} (expected ids like AKIAIOSFODNN7EXAMPLE or test)`,
    );
  }
  return new Set(accessKeyIds);
}

/**
 * Starts a TLS proxy on 127.0.0.1 in front of a local emulator. It forwards every request
 * unchanged (the Host header too, so SigV4 signatures stay valid) except:
 * - those signed for a dark region and a regional service: their connection is destroyed without
 *   an HTTP answer, as a dead endpoint's would be;
 * - those signed with a lost access key: answered with AWS's error for an unknown key (403
 *   InvalidAccessKeyId from S3, InvalidClientTokenId from STS and IAM, ...; fault-proxy-refusal.ts).
 * Every request is recorded (see `ProxiedCall`), and the credentials STS AssumeRole hands out are
 * noted (see `assumedCredentials`).
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = validate(options);
  const ca = readFile(options.upstream.caFile, "upstream.caFile");
  const cert = readFile(options.tls.certFile, "tls.certFile");
  const key = readFile(options.tls.keyFile, "tls.keyFile");
  // Keep-alive to the emulator: a new TLS handshake per call would dominate the proxy's cost.
  const agent = new https.Agent({ keepAlive: true, ca });
  let dark = new Set<string>();
  let lost = new Set<string>();
  let recorded: ProxiedCall[] = [];
  const assumed: AssumedCredentials[] = [];

  /** Forwards a request; `onAnswer` also gets the whole answer of a successful call. */
  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer | undefined, onAnswer?: (answer: Buffer) => void): void => {
    const headers: http.OutgoingHttpHeaders = { ...req.headers };
    for (const name of HOP_BY_HOP) delete headers[name];
    const outgoing = https.request(
      { protocol: "https:", hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (incoming) => {
        const responseHeaders: http.OutgoingHttpHeaders = { ...incoming.headers };
        for (const name of HOP_BY_HOP) delete responseHeaders[name];
        res.writeHead(incoming.statusCode ?? 502, incoming.statusMessage, responseHeaders);
        if (onAnswer !== undefined && incoming.statusCode === 200) {
          const chunks: Buffer[] = [];
          let size = 0;
          incoming.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_ISSUED_ANSWER_BYTES) chunks.push(chunk);
          });
          pipeline(incoming, res, (error) => {
            if (!error && size <= MAX_ISSUED_ANSWER_BYTES) onAnswer(Buffer.concat(chunks));
          });
          return;
        }
        pipeline(incoming, res, () => undefined);
      },
    );
    outgoing.on("error", (error) => {
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "text/plain" }).end(`fault proxy: cannot reach the emulator at ${upstream.origin} (${error.message})\n`);
      } else {
        res.destroy();
      }
    });
    // The client going away mid-request must not leave a half-sent request to the emulator.
    res.on("close", () => {
      if (!res.writableFinished) outgoing.destroy();
    });
    if (body !== undefined) outgoing.end(body);
    else pipeline(req, outgoing, () => undefined);
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, expectsContinue: boolean): void => {
    const head: RequestHead = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers };
    const decide = (body: Buffer | undefined) => {
      const { protocol, ...call } = inspect(head, body?.toString("utf8"));
      if (dark.has(call.region) && !GLOBAL_SERVICES.includes(call.service)) {
        recorded.push({ ...call, refused: true, refusedFor: "dark-region" });
        req.socket.destroy();
        return;
      }
      if (lost.has(call.accessKeyId)) {
        recorded.push({ ...call, refused: true, refusedFor: "lost-credentials" });
        const answer = lostCredentialsAnswer({ service: call.service, protocol, contentType: header(head, "content-type") }, call.accessKeyId);
        // A body the client holds back for 100 Continue never comes: close rather than wait for it.
        const headers = expectsContinue && body === undefined ? { ...answer.headers, connection: "close" } : answer.headers;
        res.writeHead(answer.status, { ...headers, "content-length": Buffer.byteLength(answer.body) }).end(answer.body);
        // A body already on its way is read and dropped, so the connection stays usable.
        req.resume();
        return;
      }
      recorded.push({ ...call, refused: false });
      const learn =
        call.service === "sts" && call.action.startsWith("AssumeRole")
          ? (answer: Buffer) => {
              const credentials = assumedCredentialsIn(answer.toString("utf8"), call.accessKeyId);
              if (credentials !== undefined) assumed.push(credentials);
            }
          : undefined;
      if (expectsContinue && body === undefined) res.writeContinue();
      forward(req, res, body, learn);
    };
    if (!needsBody(head)) {
      decide(undefined);
      return;
    }
    if (expectsContinue) res.writeContinue();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => decide(Buffer.concat(chunks)));
  };

  const server = https.createServer({ cert, key });
  server.on("request", (req, res) => handle(req, res, false));
  server.on("checkContinue", (req, res) => handle(req, res, true));

  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`startFaultProxy: port ${options.port} on 127.0.0.1 is already in use by another process; choose another or omit port`)
          : error,
      );
    });
    // Only the loopback interface: the proxy holds no secrets, but it forwards to an emulator that accepts anything.
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });

  return {
    endpoint: `https://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
    setDark: (regions) => {
      dark = darkSet(regions);
    },
    calls: () => [...recorded],
    reset: () => {
      recorded = [];
    },
    setLostCredentials: (accessKeyIds) => {
      lost = lostSet(accessKeyIds);
    },
    callsTo: (region) => recorded.filter((call) => call.region === region && !GLOBAL_SERVICES.includes(call.service)),
    globalWrites: (services = ["iam", "route53"]) => recorded.filter((call) => services.includes(call.service) && call.write),
    callsSignedBy: (accessKeyIds) => recorded.filter((call) => accessKeyIds.includes(call.accessKeyId)),
    assumedCredentials: () => [...assumed],
    accessKeysAssumedInto: (accountId) => assumed.filter((c) => c.accountId === accountId).map((c) => c.accessKeyId),
  };
}
