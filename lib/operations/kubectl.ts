import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { servingClusterName, type Environment } from "../environment";
import { kubeconfigCommand } from "../naming";

/**
 * How operations reach a cluster (the kubectl counterpart of aws/clients.ts): kubectl with a
 * kubeconfig of its own, with short deadlines, so that a dark region's API is reported as not
 * reachable within seconds.
 */

/** The outcome of one kubectl (or aws eks update-kubeconfig) run. */
export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How a command reaches a cluster: kubectl with a kubeconfig for it (see `kubectlAccess`). */
export interface ClusterAccess {
  /** Logs in (writes a kubeconfig); undefined when it worked, else why not. */
  connect(): Promise<string | undefined>;
  kubectl(args: readonly string[]): Promise<CommandResult>;
}

/** Runs a command with a deadline; a missing binary is a failed run, not an exception. */
export function runCommand(command: string, args: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", (error) => resolve({ status: null, stdout, stderr: `${stderr}${error.message}` }));
    child.once("close", (status, signal) => resolve({ status, stdout, stderr: signal ? `${stderr}killed by ${signal} after ${timeoutMs} ms` : stderr }));
  });
}

/**
 * kubectl against the environment's cluster, logged in with the runbook's kubeconfig command
 * into a kubeconfig of its own (the operator's ~/.kube/config is left alone).
 */
export function kubectlAccess(environment: Environment, options: { readonly timeoutSeconds?: number; readonly env?: NodeJS.ProcessEnv } = {}): ClusterAccess {
  const timeoutSeconds = options.timeoutSeconds ?? 15;
  const kubeconfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dr-fence-")), "kubeconfig");
  const [command, ...args] = kubeconfigCommand(environment.region, servingClusterName(environment)).split(" ");
  return {
    connect: async () => {
      const result = await runCommand(command, [...args, "--kubeconfig", kubeconfig], timeoutSeconds * 1000, options.env);
      return result.status === 0 ? undefined : lastLine(result.stderr) || `${command} exited ${result.status}`;
    },
    kubectl: (kubectlArgs) =>
      runCommand("kubectl", ["--kubeconfig", kubeconfig, `--request-timeout=${timeoutSeconds}s`, ...kubectlArgs], (timeoutSeconds + 5) * 1000, options.env),
  };
}

/** The line of a command's error output that says what went wrong (its last). */
export function lastLine(text: string): string {
  return text.trim().split("\n").filter(Boolean).slice(-1)[0] ?? "";
}
