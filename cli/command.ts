/**
 * What a command of the `dr-platform` CLI declares (once, in cli/registry.ts): its name, positional
 * arguments, options with their types and help, a summary, a long help, its exit codes, and the
 * function that runs it. Parsing, `--help`, usage errors and docs/cli.md are generated from it.
 */

export interface OptionSpec {
  readonly type: "boolean" | "string";
  readonly help: string;
  /** A string option's value as the usage shows it, e.g. `<path>`. */
  readonly value?: string;
  /** A string option's value when it is not given. */
  readonly default?: string;
}

export interface ArgumentSpec<A extends string = string> {
  readonly name: A;
  readonly help: string;
}

export interface ExitCode {
  readonly code: number;
  readonly meaning: string;
}

/** What a command's `run` receives: its arguments by name and its options, typed from the declaration. */
export interface Invocation<A extends string, O extends Readonly<Record<string, OptionSpec>>> {
  readonly args: Readonly<Record<A, string>>;
  readonly options: {
    readonly [K in keyof O]: O[K]["type"] extends "boolean" ? boolean : O[K] extends { readonly default: string } ? string : string | undefined;
  };
  readonly context: CliContext;
}

/** Where the CLI runs: the environment files it reads and the process environment. */
export interface CliContext {
  /** `DR_ENVIRONMENTS_DIR`, or `./environments` of the current folder. */
  readonly environmentsDir: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface CommandSpec<A extends string, O extends Readonly<Record<string, OptionSpec>>> {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The long help: what it does, what it reads or writes, what it needs. */
  readonly description: string;
  readonly arguments: readonly ArgumentSpec<A>[];
  readonly options: O;
  /** Every exit status but 2 (a usage mistake, which every command has). */
  readonly exitCodes: readonly ExitCode[];
  /** Runs the command; resolves to its exit status. */
  readonly run: (invocation: Invocation<A, O>) => Promise<number>;
}

/** A declared command with its types erased, as the registry lists it. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly arguments: readonly ArgumentSpec[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly exitCodes: readonly ExitCode[];
  run(invocation: {
    readonly args: Readonly<Record<string, string>>;
    readonly options: Readonly<Record<string, unknown>>;
    readonly context: CliContext;
  }): Promise<number>;
}

/** Exit status of a usage mistake: the reason and the command's usage are printed. */
export const USAGE_EXIT: ExitCode = {
  code: 2,
  meaning: "a usage mistake (an unknown option, a missing argument, a region without an environment file): the reason and the usage are printed",
};

/** A usage mistake: the CLI prints the reason and the command's usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Declares a command; its types check the run function against the declared arguments and options. */
export function defineCommand<const A extends string, const O extends Readonly<Record<string, OptionSpec>>>(spec: CommandSpec<A, O>): Command {
  return {
    ...spec,
    exitCodes: [...spec.exitCodes, USAGE_EXIT].sort((a, b) => a.code - b.code),
    run: (invocation) => spec.run(invocation as unknown as Invocation<A, O>),
  };
}
