import * as fs from "fs";
import * as path from "path";
import type { CommandRun } from "./run-step";

/**
 * A database restore that outlived Terraform's wait (`database.timeouts`) leaves an instance that
 * AWS has and the state does not (the create call returned, the wait gave up) or holds as tainted
 * (which the next plan would replace, and prevent_destroy refuses). Before a stack with an RDS
 * instance is deployed again, this adopts it: `terraform import` when the state lacks it,
 * `terraform untaint` when the state has it tainted. An instance AWS does not have is left to the
 * deploy. Never a hand-written step.
 */
export interface AdoptionContext {
  /** The synthesized stack's folder (`<cdktf.out>/stacks/<stack>`). */
  readonly stackDir: string;
  /** Whether the region has an RDS instance with this identifier (DescribeDBInstances). */
  readonly instanceExists: (identifier: string) => Promise<boolean>;
  /** Runs a command line as the step's other commands run (logged, the target's environment). */
  readonly run: CommandRun;
}

interface StateResource {
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly instances: readonly { readonly status?: string }[];
}

/** What was adopted, as step outputs (`adopted: ...`); undefined when nothing needed it. */
export async function adoptDatabases(context: AdoptionContext): Promise<Record<string, string> | undefined> {
  const json = JSON.parse(fs.readFileSync(path.join(context.stackDir, "cdk.tf.json"), "utf8"));
  const instances = Object.entries((json.resource?.aws_db_instance ?? {}) as Record<string, { identifier?: string }>);
  const adopted: string[] = [];
  let state: StateResource[] | undefined;
  const inDir = (command: string) => `cd ${JSON.stringify(context.stackDir)} && ${command}`;
  const must = async (command: string) => {
    const result = await context.run(inDir(command));
    if (result.status !== 0) throw new Error(`adopting the database: ${command} exited ${result.status}`);
    return result.output;
  };
  for (const [name, config] of instances) {
    const identifier = config.identifier;
    if (!identifier || !(await context.instanceExists(identifier))) continue;
    if (!state) {
      await must("terraform init -input=false -no-color");
      // `state pull` prints the raw state (empty when the stack has none yet).
      const pulled = (await must("terraform state pull")).trim();
      state = pulled === "" ? [] : ((JSON.parse(pulled.slice(pulled.indexOf("{"))).resources ?? []) as StateResource[]);
    }
    const address = `aws_db_instance.${name}`;
    const recorded = state.find((r) => r.mode === "managed" && r.type === "aws_db_instance" && r.name === name);
    if (!recorded || recorded.instances.length === 0) {
      await must(`terraform import -input=false -no-color ${address} ${identifier}`);
      adopted.push(`${identifier}: imported (AWS has it, the state did not: a restore that outlived Terraform's wait)`);
    } else if (recorded.instances.some((i) => i.status === "tainted")) {
      await must(`terraform untaint -no-color ${address}`);
      adopted.push(`${identifier}: untainted (the state marked it for replacement after Terraform's wait ran out)`);
    }
  }
  return adopted.length === 0 ? undefined : { adopted: adopted.join("; ") };
}
