import { formatRetireDatabase, retireDatabaseExitCode, runRetireDatabase } from "../../lib/operations";
import { clientSettings } from "../aws";
import { UsageError, type CliContext } from "../command";
import { environmentOf } from "../environments";

/** `retire-database <region> --generation <n> [--yes]`: lists what retiring a replaced database generation deletes; deletes with --yes. */
export async function retireDatabase(
  args: { region: string },
  options: { generation: string | undefined; yes: boolean },
  context: CliContext,
): Promise<number> {
  if (options.generation === undefined) throw new UsageError("--generation <n> is required: the database generation to retire");
  if (!/^[1-9][0-9]?$/.test(options.generation)) throw new UsageError(`--generation must be a whole number from 1 to 99 (got ${options.generation})`);
  const environment = environmentOf(context, args.region);
  const result = await runRetireDatabase(environment, Number(options.generation), { apply: options.yes, settings: clientSettings(context) });
  process.stdout.write(formatRetireDatabase(result));
  return retireDatabaseExitCode(result);
}
