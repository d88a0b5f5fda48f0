#!/usr/bin/env node
import * as path from "path";
import { parseArgs } from "util";
import { ConfigurationError } from "../lib/environment";
import { DR_CLI } from "../lib/naming";
import { UsageError, type CliContext, type Command } from "./command";
import { commandHelp, mainHelp, usageLine } from "./help";
import { commandNamed } from "./registry";

/**
 * `npx dr-platform <command>`: disaster-recovery operations derived from the environment files and
 * the synthesized stack graph. Dispatches from the registry (cli/registry.ts); a command's output
 * goes to stdout alone (it can be redirected: `sops-config <region> > .sops.yaml`), everything else
 * to stderr. Exit status: the command's own, 2 on a usage mistake.
 */

function write(stream: NodeJS.WriteStream, text: string): void {
  stream.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** A command's arguments by name and its options, or "help"; a usage mistake throws a UsageError. */
export function parseInvocation(command: Command, argv: readonly string[]): "help" | { args: Record<string, string>; options: Record<string, unknown> } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(
          Object.entries(command.options).map(([name, o]) => [name, o.default === undefined ? { type: o.type } : { type: o.type, default: o.default }]),
        ),
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values as Record<string, unknown>;
  if (values.help) return "help";
  const { positionals } = parsed;
  const expected = command.arguments;
  if (positionals.length < expected.length) {
    const missing = expected.slice(positionals.length);
    throw new UsageError(`${command.name} needs ${missing.map((a) => `<${a.name}>: ${a.help}`).join("; and ")}`);
  }
  if (positionals.length > expected.length)
    throw new UsageError(
      `unexpected argument ${positionals
        .slice(expected.length)
        .map((p) => JSON.stringify(p))
        .join(", ")}`,
    );
  return {
    args: Object.fromEntries(expected.map((a, i) => [a.name, positionals[i]])),
    options: Object.fromEntries(Object.entries(command.options).map(([name, o]) => [name, o.type === "boolean" ? values[name] === true : values[name]])),
  };
}

/** Runs the CLI on `argv` (the arguments after the executable); resolves to the exit status. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--help" || name === "-h") {
    write(process.stdout, mainHelp());
    return 0;
  }
  const command = name === undefined ? undefined : commandNamed(name);
  if (!command) {
    write(process.stderr, `dr-platform: ${name === undefined ? "no command given" : `unknown command ${JSON.stringify(name)}`}\n\n${mainHelp()}`);
    return 2;
  }
  const context: CliContext = { environmentsDir: env.DR_ENVIRONMENTS_DIR ?? path.resolve(cwd, "environments"), env };
  try {
    const parsed = parseInvocation(command, rest);
    if (parsed === "help") {
      write(process.stdout, commandHelp(command));
      return 0;
    }
    return await command.run({ ...parsed, context });
  } catch (error) {
    if (error instanceof UsageError) {
      write(process.stderr, `dr-platform: ${error.message}\nUsage: ${usageLine(command)}\nRun ${DR_CLI} ${command.name} --help for more.`);
      return 2;
    }
    if (error instanceof ConfigurationError) {
      write(process.stderr, `dr-platform: invalid configuration:\n${error.problems.map((p) => `  ${p}`).join("\n")}`);
      return 1;
    }
    write(process.stderr, `dr-platform: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  // exitCode, not exit(): stdout is flushed before the process ends, also when it is a pipe or a file.
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
