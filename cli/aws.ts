import type { ClientSettings } from "../lib/operations";
import { EMULATOR_ENDPOINT_VARIABLE } from "../lib/targets";
import type { CliContext } from "./command";

/**
 * The settings of every AWS client a command makes: AWS's endpoints, or the sandbox's emulator when
 * DR_SANDBOX_ENDPOINT names one (its certificate trusted through NODE_EXTRA_CA_CERTS).
 */
export function clientSettings(context: CliContext): ClientSettings {
  const endpoint = context.env[EMULATOR_ENDPOINT_VARIABLE];
  return endpoint ? { endpoint } : {};
}
