import { z } from "zod";

/**
 * A configuration error the user can fix: printed as a list of problems, without a stack trace.
 * Anything else that is thrown is a bug in this library and keeps its stack.
 */
export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigurationError";
  }
}

/** `network.availabilityZones[1]`; the empty path is the file's default export itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(default export)";
  return path.map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`)).join("");
}

/** The value as the user wrote it, short enough for one line. */
export function formatValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = typeof value === "bigint" ? `${value}n` : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One line per problem: `<file>: <field.path>: <what is wrong> (got <value>)`. */
export function problem(file: string, path: readonly PropertyKey[], message: string, value: unknown): string {
  return `${file}: ${formatPath(path)}: ${message} (got ${formatValue(value)})`;
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "an object",
  array: "a list",
};

/** Turns zod issues into problem lines; unknown keys give one line each. */
export function formatIssues(file: string, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case "unrecognized_keys":
        return issue.keys.map((key) => problem(file, [...issue.path, key], issue.message, (input as Record<string, unknown> | undefined)?.[key]));
      case "invalid_type":
        // The schema's own message, where it has one, says what is allowed (a number that is not
        // whole, a field of the other role, a field a role requires).
        if ((issue.expected === "int" && typeof input === "number") || !issue.message.startsWith("Invalid input")) {
          return [problem(file, issue.path, issue.message, input)];
        }
        return [
          problem(
            file,
            issue.path,
            input === undefined ? `is required (${TYPE_NAMES[issue.expected] ?? issue.expected})` : `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`,
            input,
          ),
        ];
      case "invalid_value":
        return [problem(file, issue.path, `must be one of ${issue.values.map((v) => formatValue(v)).join(", ")}`, input)];
      case "invalid_union":
        // An unknown top-level discriminator (`role`): zod reports the whole file as the input.
        if ("discriminator" in issue && typeof issue.discriminator === "string" && issue.path.length === 1) {
          return [problem(file, issue.path, issue.message, (input as Record<string, unknown> | undefined)?.[issue.discriminator])];
        }
        return [problem(file, issue.path, issue.message, input)];
      case "invalid_key":
        // A record key that failed its own checks: report the first reason against the key.
        return [problem(file, issue.path, issue.issues[0]?.message ?? issue.message, input)];
      default:
        return [problem(file, issue.path, issue.message, input)];
    }
  });
}
