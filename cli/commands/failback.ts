import * as fs from "fs";
import * as path from "path";
import { backupReplicationAddress, buildFailback, databaseResourceAddress, failbackStamp, formatFailback, type Failback } from "../../lib/operations";
import { stackId } from "../../lib/naming";
import { UsageError, type CliContext } from "../command";
import { failbackPair } from "../environments";
import { withSynthesized } from "../synthesized";

/** `failback <from> <to>`: the ordered failback procedure, with the database's address from the synthesized stack. */
export async function failback(
  args: { from: string; to: string },
  options: { markdown: boolean; stamp: string | undefined; generation: string | undefined },
  context: CliContext,
): Promise<number> {
  const { recovery, primary } = failbackPair(context, args.from, args.to);
  const read = (outdir: string, stack: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  const [stack, recoveryStack, recoveryReplication] = withSynthesized(context, (outdir) => [
    read(outdir, stackId("application", args.to)),
    read(outdir, stackId("application", args.from)),
    read(outdir, stackId("replication", args.from)),
  ]);
  const recoveryReplicationAddress = backupReplicationAddress(recoveryReplication);
  const address = databaseResourceAddress(stack);
  let procedure: Failback;
  try {
    procedure = buildFailback(primary, recovery, {
      stamp: options.stamp ?? failbackStamp(new Date()),
      generation: options.generation === undefined ? undefined : Number(options.generation),
      databaseResourceAddress: address,
      backupReplicationAddress: backupReplicationAddress(stack),
      recoveryAddresses:
        recoveryReplicationAddress === undefined
          ? undefined
          : { database: databaseResourceAddress(recoveryStack), backupReplication: recoveryReplicationAddress },
    });
  } catch (error) {
    // The stamp and the generation are the options' values: a mistake in them is a usage mistake.
    throw new UsageError((error as Error).message);
  }
  console.log(formatFailback(procedure, options.markdown ? "markdown" : "text"));
  return 0;
}
