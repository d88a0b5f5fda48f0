import type { ClientSettings } from "./aws/clients";
import { runCommand, type CommandResult } from "./kubectl";

/**
 * How operations reach a failover switch (naming `failoverSwitchNames`): the AWS CLI's CloudWatch
 * in the switch's region, with short deadlines (the project has no CloudWatch SDK client; the
 * commands are the ones the runbook prints). With an emulator endpoint, every call goes there.
 */
export interface SwitchAccess {
  aws(args: readonly string[]): Promise<CommandResult>;
}

export function awsCliSwitchAccess(
  settings: ClientSettings = {},
  options: { readonly timeoutSeconds?: number; readonly env?: NodeJS.ProcessEnv } = {},
): SwitchAccess {
  const timeoutMs = (options.timeoutSeconds ?? 20) * 1000;
  const env = {
    ...(options.env ?? process.env),
    ...(settings.credentials ? { AWS_ACCESS_KEY_ID: settings.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: settings.credentials.secretAccessKey } : {}),
  };
  const endpoint = settings.endpoint === undefined ? [] : ["--endpoint-url", settings.endpoint];
  return { aws: (args) => runCommand("aws", [...args, ...endpoint, "--cli-connect-timeout", "5", "--cli-read-timeout", "10"], timeoutMs, env) };
}
