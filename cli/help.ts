import { DR_CLI } from "../lib/naming";
import type { Command, OptionSpec } from "./command";
import { COMMANDS } from "./registry";

/** Help, usage lines and docs/cli.md's reference, all generated from the registry. */

function optionUsage(name: string, option: OptionSpec): string {
  return option.type === "boolean" ? `--${name}` : `--${name} ${option.value ?? "<value>"}`;
}

/** `npx dr-platform status <region> [--json]`. */
export function usageLine(command: Command): string {
  return [
    DR_CLI,
    command.name,
    ...command.arguments.map((a) => `<${a.name}>`),
    ...Object.entries(command.options).map(([n, o]) => `[${optionUsage(n, o)}]`),
  ].join(" ");
}

/** Two columns: the first padded to the widest entry. */
function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

function optionRows(command: Command): [string, string][] {
  return [
    ...Object.entries(command.options).map(([name, o]): [string, string] => [
      optionUsage(name, o),
      `${o.help}${o.default === undefined ? "" : ` (default: ${o.default})`}`,
    ]),
    ["-h, --help", "print this help"],
  ];
}

/** `npx dr-platform <command> --help`. */
export function commandHelp(command: Command): string {
  return [
    `Usage: ${usageLine(command)}`,
    "",
    `${command.summary[0].toUpperCase()}${command.summary.slice(1)}.`,
    "",
    command.description,
    ...(command.arguments.length > 0 ? ["", "Arguments:", ...table(command.arguments.map((a) => [`<${a.name}>`, a.help]))] : []),
    "",
    "Options:",
    ...table(optionRows(command)),
    "",
    "Exit codes:",
    ...table(command.exitCodes.map((e) => [String(e.code), e.meaning])),
  ].join("\n");
}

/** `npx dr-platform --help`. */
export function mainHelp(): string {
  return [
    `Usage: ${DR_CLI} <command> [arguments] [options]`,
    "",
    "Disaster-recovery operations for the environment files in DR_ENVIRONMENTS_DIR, or ./environments of the",
    "current folder.",
    "",
    "Commands:",
    ...table(COMMANDS.map((c) => [[c.name, ...c.arguments.map((a) => `<${a.name}>`)].join(" "), c.summary])),
    "",
    `Run ${DR_CLI} <command> --help for one command: its arguments, options and exit codes.`,
  ].join("\n");
}

/** The reference section of docs/cli.md: every command's usage, help and exit codes. */
export function cliReference(): string {
  // Markdown text: a "|" would end a table cell, a "<region>" would be read as an HTML tag.
  const escape = (text: string) => text.replace(/[|<]/g, (c) => `\\${c}`);
  const sections = COMMANDS.map((command) =>
    [
      `### ${command.name}`,
      "",
      "```",
      usageLine(command),
      "```",
      "",
      escape(`${command.summary[0].toUpperCase()}${command.summary.slice(1)}.`),
      "",
      "```",
      command.description,
      "```",
      "",
      "| option | meaning |",
      "| --- | --- |",
      ...optionRows(command).map(([option, help]) => `| \`${option}\` | ${escape(help)} |`),
      "",
      "| exit code | meaning |",
      "| ---: | --- |",
      ...command.exitCodes.map((e) => `| ${e.code} | ${escape(e.meaning)} |`),
    ].join("\n"),
  );
  return sections.join("\n\n");
}
