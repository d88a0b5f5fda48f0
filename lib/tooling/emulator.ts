import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
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
 * Corrections of moto 5.2.1 where it contradicts AWS in a way Terraform's AWS provider trips over,
 * loaded by moto_server's interpreter at start (a `sitecustomize` module on its PYTHONPATH). Each one
 * makes moto behave as AWS documents; none adds an API moto lacks (those are EMULATOR_GAPS):
 * - every DB instance gets its own DbiResourceId. moto gives all of them one constant, so with two
 *   instances in a region (a database generation restored beside the one it replaces) the provider,
 *   which reads an instance by its resource id, finds two and fails with "couldn't find resource".
 *   AWS gives each new instance (created, restored, a replica) a new one; a rename keeps it.
 */
export const MOTO_FIXES = `# Written by lib/tooling/emulator.ts (MOTO_FIXES): moto 5.2.1 corrected where it contradicts AWS.
try:
    import secrets
    import string

    from moto.rds import models as _rds

    _init = _rds.DBInstance.__init__

    def _init_with_own_resource_id(self, *args, **kwargs):
        _init(self, *args, **kwargs)
        alphabet = string.ascii_uppercase + string.digits
        self.dbi_resource_id = "db-" + "".join(secrets.choice(alphabet) for _ in range(26))

    _rds.DBInstance.__init__ = _init_with_own_resource_id
except ImportError:
    pass
`;

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
  // moto's own defects that AWS does not have, corrected where moto_server's Python starts (MOTO_FIXES says which).
  const fixes = path.join(path.dirname(options.logFile), "moto-fixes");
  fs.mkdirSync(fixes, { recursive: true });
  fs.writeFileSync(path.join(fixes, "sitecustomize.py"), MOTO_FIXES);
  env.PYTHONPATH = [fixes, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
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
