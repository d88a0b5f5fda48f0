import { spawnSync } from "child_process";
import * as path from "path";
import { terraformProcessEnv } from "../../lib/tooling/terraform-cli";

export const REPO = path.resolve(__dirname, "../..");

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command in the repository with Terraform's environment (mirror when configured). */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): RunResult {
  const result = spawnSync(command, args, {
    input: options.input,
    cwd: options.cwd ?? REPO,
    env: { ...terraformProcessEnv(), CHECKPOINT_DISABLE: "1", CI: "true", FORCE_COLOR: "0", ...options.env },
    encoding: "utf8",
    timeout: options.timeoutMs ?? 120_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The cdktf CLI of this project. */
export const CDKTF = path.join(REPO, "node_modules/cdktf-cli/bundle/bin/cdktf");
