import * as fs from "fs";
import type * as http from "http";
import * as https from "https";
import type { AddressInfo } from "net";
import { pipeline } from "stream";
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

/** Region and service of a request that carries no SigV4 credential scope (moto's own API, anonymous S3). */
export const UNKNOWN = "unknown";

/** REST methods that do not change anything. */
const READ_METHODS = ["GET", "HEAD", "OPTIONS"];

/** A region name's shape (us-east-1, eu-central-2, us-gov-west-1, ap-southeast-7). */
const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Headers that describe one connection, not the request, and are not forwarded. */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "te", "upgrade", "expect"];

/** One request the proxy saw. */
export interface ProxiedCall {
  /** Region of the SigV4 credential scope, or UNKNOWN when unsigned. */
  readonly region: string;
  /** Service of the SigV4 credential scope (`s3`, `ec2`, `iam`, ...), or UNKNOWN when unsigned. */
  readonly service: string;
  /** Operation name (`CreateRole`, `CreateKey`) or, for REST protocols, `<METHOD> <path>`. */
  readonly action: string;
  readonly write: boolean;
  /** True when the proxy destroyed the connection instead of forwarding (dark region). */
  readonly refused: boolean;
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
  /** A copy of every call recorded since start or the last reset, in arrival order. */
  calls(): ProxiedCall[];
  reset(): void;
  /** Calls signed for `region` to regional services, refused ones included. */
  callsTo(region: string): ProxiedCall[];
  /** Writes to the given global services, whatever region they were signed for. */
  globalWrites(services?: readonly string[]): ProxiedCall[];
}

/** Region and service of the SigV4 credential scope (header or presigned query), or UNKNOWN. */
function credentialScope(head: RequestHead, query: URLSearchParams): { region: string; service: string } {
  const authorization = head.headers.authorization ?? "";
  const fromHeader = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)/.exec(authorization)?.[1];
  const credential = fromHeader ?? queryParameter(query, "x-amz-credential");
  // <key>/<date>/<region>/<service>/aws4_request, read from the end: the key is the caller's.
  const parts = credential?.split("/") ?? [];
  if (parts.length < 5 || parts[parts.length - 1] !== "aws4_request") return { region: UNKNOWN, service: UNKNOWN };
  return { region: parts[parts.length - 3], service: parts[parts.length - 2] };
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

/**
 * Classifies a request by its SigV4 credential scope and its operation: the `X-Amz-Target`
 * header (JSON protocols), the `Action` parameter of the query string or the form body (query
 * protocols), else the method and path (REST protocols: S3, Route 53, EKS, ...).
 */
export function classifyRequest(head: RequestHead, formBody = ""): Omit<ProxiedCall, "refused"> {
  const url = new URL(head.url, "https://proxy");
  const { region, service } = credentialScope(head, url.searchParams);
  const target = header(head, "x-amz-target");
  const operation =
    (target !== undefined ? target.slice(target.lastIndexOf(".") + 1) : undefined) ??
    queryParameter(url.searchParams, "action") ??
    (formBody ? (new URLSearchParams(formBody).get("Action") ?? undefined) : undefined);
  if (operation !== undefined) return { region, service, action: operation, write: !isReadAction(operation) };
  return { region, service, action: `${head.method} ${url.pathname}`, write: !READ_METHODS.includes(head.method) };
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

/**
 * Starts a TLS proxy on 127.0.0.1 in front of a local emulator. It forwards every request
 * unchanged (the Host header too, so SigV4 signatures stay valid) except those signed for a dark
 * region and a regional service: their connection is destroyed without an HTTP answer, as a dead
 * endpoint's would be. Every request is recorded (see `ProxiedCall`).
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = validate(options);
  const ca = readFile(options.upstream.caFile, "upstream.caFile");
  const cert = readFile(options.tls.certFile, "tls.certFile");
  const key = readFile(options.tls.keyFile, "tls.keyFile");
  // Keep-alive to the emulator: a new TLS handshake per call would dominate the proxy's cost.
  const agent = new https.Agent({ keepAlive: true, ca });
  let dark = new Set<string>();
  let recorded: ProxiedCall[] = [];

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer | undefined): void => {
    const headers: http.OutgoingHttpHeaders = { ...req.headers };
    for (const name of HOP_BY_HOP) delete headers[name];
    const outgoing = https.request(
      { protocol: "https:", hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (incoming) => {
        const responseHeaders: http.OutgoingHttpHeaders = { ...incoming.headers };
        for (const name of HOP_BY_HOP) delete responseHeaders[name];
        res.writeHead(incoming.statusCode ?? 502, incoming.statusMessage, responseHeaders);
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
      const call = classifyRequest(head, body?.toString("utf8"));
      const refused = dark.has(call.region) && !GLOBAL_SERVICES.includes(call.service);
      recorded.push({ ...call, refused });
      if (refused) {
        req.socket.destroy();
        return;
      }
      if (expectsContinue && body === undefined) res.writeContinue();
      forward(req, res, body);
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
    callsTo: (region) => recorded.filter((call) => call.region === region && !GLOBAL_SERVICES.includes(call.service)),
    globalWrites: (services = ["iam", "route53"]) => recorded.filter((call) => services.includes(call.service) && call.write),
  };
}
