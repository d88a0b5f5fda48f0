import { spawn } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import { EMULATOR_ACCOUNT_ID } from "../targets/emulator-target";
import type { LocalCertificate } from "./tls";

/** A running moto_server on the loopback interface. */
export interface Emulator {
  /** https://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Certificate clients must trust (AWS_CA_BUNDLE). */
  readonly caFile: string;
}

export interface StartOptions {
  readonly port: number;
  /** Certificate the emulator serves TLS with (see createLocalCertificate). */
  readonly tls: LocalCertificate;
  /** File that receives the emulator's log. */
  readonly logFile: string;
  /**
   * Enforce IAM policies after this many unauthenticated calls (moto's INITIAL_NO_AUTH_ACTION_COUNT).
   * @default - no enforcement
   */
  readonly enforceIamAfterCalls?: number;
  /** @default 30000 */
  readonly startTimeoutMs?: number;
}

/** True when something accepts connections on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** True when the endpoint answers like moto (its management API) over TLS with this CA. */
export function isMoto(endpoint: string, caFile: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.get(`${endpoint}/moto-api/`, { ca: fs.readFileSync(caFile), timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

/**
 * Starts moto_server on 127.0.0.1:<port>, detached so it outlives this process, and waits until
 * it answers. Refuses a port that something else already uses: the sandbox never deploys into a
 * process it did not start.
 */
export async function startEmulator(options: StartOptions): Promise<Emulator> {
  const { port } = options;
  if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new Error(`port must be a whole number from 1024 to 65535 (got ${port})`);
  if (await portInUse(port)) {
    throw new Error(`port ${port} on 127.0.0.1 is already in use by another process; choose another with --port or stop that process`);
  }
  const log = fs.openSync(options.logFile, "a");
  // AWS managed policies (AmazonEKSClusterPolicy, ...) exist in AWS; moto loads them only when asked.
  // The emulator answers as the emulator target's account, which no shipped environment uses.
  // MOTO_ACM_VALIDATION_WAIT: moto issues a DNS-validated certificate after this many seconds
  // (default 60) without looking at the record; 0 lets aws_acm_certificate_validation finish at once.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MOTO_IAM_LOAD_MANAGED_POLICIES: "true",
    MOTO_ACCOUNT_ID: EMULATOR_ACCOUNT_ID,
    MOTO_ACM_VALIDATION_WAIT: "0",
  };
  if (options.enforceIamAfterCalls !== undefined) env.INITIAL_NO_AUTH_ACTION_COUNT = String(options.enforceIamAfterCalls);
  let child;
  try {
    const args = ["-H", "127.0.0.1", "-p", String(port), "-c", options.tls.certFile, "-k", options.tls.keyFile];
    child = spawn("moto_server", args, { detached: true, stdio: ["ignore", log, log], env });
  } finally {
    fs.closeSync(log);
  }
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  child.unref();
  const endpoint = `https://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    const failed = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(() => r(undefined), 250))]);
    if (failed) throw new Error(`cannot start moto_server (${failed.message}); install it with: pip install 'moto[server]==5.2.1'`);
    if (child.exitCode !== null) break;
    if (await isMoto(endpoint, options.tls.certFile)) return { endpoint, port, pid: child.pid!, caFile: options.tls.certFile };
  }
  stopProcess(child.pid!);
  const tail = fs.readFileSync(options.logFile, "utf8").split("\n").slice(-10).join("\n");
  throw new Error(`moto_server did not answer on ${endpoint}; its log ends with:\n${tail}`);
}

/** Stops a detached emulator (its whole process group). */
export function stopProcess(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, "SIGTERM");
      return;
    } catch {
      // Already gone, or not a group leader: try the next form.
    }
  }
}
