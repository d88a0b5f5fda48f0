import type { Agent } from "https";

/**
 * The one way operations make AWS SDK clients. During an outage a region does not refuse
 * connections politely: it times out. So every client connects and reads with short deadlines and
 * tries few times, and a dark region is reported "unreachable" within seconds instead of hanging.
 */
export interface ClientSettings {
  /**
   * One endpoint for every service (the local emulator).
   * @default - AWS's endpoints
   */
  readonly endpoint?: string;
  /** @default - the SDK's credential chain */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /**
   * Agent for TLS (a custom certificate authority).
   * @default - Node's default agent
   */
  readonly httpsAgent?: Agent;
  /**
   * Milliseconds to wait for a connection: a dead endpoint must be reported, not waited for.
   * @default 3000
   */
  readonly connectionTimeoutMs?: number;
  /**
   * Milliseconds to wait for an answer once connected.
   * @default 10000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Attempts per call: one retry rides over a dropped connection; more only delay the verdict on a dark region.
   * @default 2
   */
  readonly maxAttempts?: number;
}

/** What every SDK v3 client constructor accepts and exposes, as far as this factory uses it. */
export type ClientClass<C> = new (config: any) => C;

/** A client of `Client` bound to `region`, with the settings above. */
export function awsClient<C>(Client: ClientClass<C>, region: string, settings: ClientSettings = {}): C {
  return new Client({
    region,
    maxAttempts: settings.maxAttempts ?? 2,
    requestHandler: {
      connectionTimeout: settings.connectionTimeoutMs ?? 3000,
      // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes, and a
      // server that accepts the connection and never answers (a stalled TLS handshake) hangs the call.
      requestTimeout: settings.requestTimeoutMs ?? 10000,
      throwOnRequestTimeout: true,
      httpsAgent: settings.httpsAgent,
    },
    // Path-style only for a custom endpoint: the emulator serves no bucket subdomains. Only S3 reads
    // forcePathStyle; the other clients ignore it.
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint, forcePathStyle: true }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
  });
}

/** A client's configured region (the SDK resolves it asynchronously). */
export async function regionOf(client: { config: { region: unknown } }): Promise<string> {
  const region = client.config.region;
  return typeof region === "function" ? await region() : String(region);
}

/**
 * Refuses clients bound to the wrong region: a recovery-region read must never reach the primary's.
 * `expected` names each client (as the caller's clients object does) with the region it must be in.
 */
export async function assertClientRegions(
  caller: string,
  expected: readonly (readonly [name: string, client: { config: { region: unknown } } | undefined, region: string, missing?: string])[],
): Promise<void> {
  const problems: string[] = [];
  for (const [name, client, region, missing] of expected) {
    if (client === undefined) {
      problems.push(`clients.${name} is required${missing ?? ""}`);
      continue;
    }
    const actual = await regionOf(client);
    if (actual !== region) problems.push(`clients.${name} must be bound to ${region} (got ${actual})`);
  }
  if (problems.length > 0) throw new Error(`${caller}: ${problems.join("; ")}`);
}
