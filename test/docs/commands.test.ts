import * as fs from "fs";
import * as path from "path";
import { commandNamed } from "../../cli/registry";
import { parseInvocation } from "../../cli/main";
import { cdktfRefusal } from "../support/cdktf-selection";
import { REPO, run } from "../support/run";
import { shippedEnvironments, synthShipped } from "../support/shipped";
import { tempDir } from "../support/temp";

/**
 * Every command that README.md and docs/*.md show is real: each line of a shell block, each command
 * printed in an output block, and each inline `command` is resolved against what it names.
 *  - `npx dr-platform ...`: the command is in the registry and its arguments and options parse
 *    (a region is an environment file's); usage synopses (`<region>`, `[--flag]`) name real options.
 *  - `npx cdktf ...`: cdktf 0.21's own stack selection and flags accept it (test/support/cdktf-selection.ts).
 *  - `npm run <script>`: the script exists; `npm run sandbox -- <sub>`: the sandbox has <sub>.
 *  - `npx <bin>`, `node <file>`, `bash <file>`: the bin or file exists.
 *  - `aws`, `terraform`, `helm`: the tool's own help resolves the subcommand; every other tool is named
 *    in the README's Prerequisites.
 * Inline spans in prose may name a command without its arguments (`npx dr-platform status`); lines of
 * a shell block must be complete.
 */
jest.setTimeout(120_000);

const DOCS = ["README.md", ...fs.readdirSync(path.join(REPO, "docs")).map((f) => `docs/${f}`)].filter((f) => f.endsWith(".md"));
const TOOLS = [
  "npx",
  "npm",
  "node",
  "bash",
  "terraform",
  "aws",
  "kubectl",
  "helm",
  "sops",
  "git",
  "curl",
  "psql",
  "pg_restore",
  "flux",
  "docker",
  "export",
  "cd",
  "cp",
  "mkdir",
];
const SHELL_FENCES = new Set(["bash", "sh", "shell", "console"]);

interface Shown {
  readonly where: string;
  readonly command: string;
  /** From a shell block or an output block: complete, with every argument. */
  readonly complete: boolean;
}

/** The commands a Markdown file shows: shell blocks' lines, output blocks' command lines, inline command spans. */
export function shownCommands(file: string, text: string): Shown[] {
  const shown: Shown[] = [];
  let fence: string | undefined;
  let pending = "";
  text.split("\n").forEach((line, index) => {
    const where = `${file}:${index + 1}`;
    const opening = /^\s*```(\w*)/.exec(line);
    if (opening) {
      fence = fence === undefined ? opening[1] || "output" : undefined;
      return;
    }
    if (fence === undefined) {
      for (const m of line.matchAll(/`([^`]+)`/g)) {
        const span = m[1].trim();
        if (TOOLS.includes(span.split(/\s+/)[0]) && /\s/.test(span)) shown.push({ where, command: span, complete: false });
      }
      return;
    }
    if (!SHELL_FENCES.has(fence) && fence !== "output") return;
    const joined = pending + line.replace(/^\s*\$ /, "").trim();
    if (joined.endsWith("\\")) {
      pending = `${joined.slice(0, -1)} `;
      return;
    }
    pending = "";
    const stripped = joined.replace(/^\d+\.\s+/, "");
    if (stripped === "" || stripped.startsWith("#")) return;
    const first = stripped.split(/\s+/)[0];
    // An output block shows commands among prose (a help text wraps a sentence that starts with "aws ...;").
    if (
      fence === "output" &&
      (!TOOLS.includes(first) ||
        stripped
          .split(/\s+/)
          .slice(1, 3)
          .some((w) => /[;,)]$/.test(w)))
    )
      return;
    shown.push({ where, command: stripped, complete: true });
  });
  return shown;
}

/** The simple commands of a line: split at && || ; |, comments, redirections and VAR=value prefixes removed. */
export function simpleCommands(line: string): string[][] {
  return line
    .replace(/<([a-z][^<>]*)>/g, (_, name: string) => `<${name.replace(/\s+/g, "_")}\uE000`)
    .replace(/\s#.*$/, "")
    .split(/&&|\|\||;|\|/)
    .map((part) =>
      part
        .replace(/(^|\s)\d?>>?\s*&?\S+/g, "")
        .replace(/(^|\s)<\s+\S+\s*$/, "")
        .replace(/\uE000/g, ">")
        .trim(),
    )
    .filter((part) => part !== "")
    .map((part) => {
      const words = part.match(/\[[^\]]+\]|'[^']*'|"[^"]*"|\S+/g) ?? [];
      while (/^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? "")) words.shift();
      return words;
    })
    .filter((words) => words.length > 0);
}

const regions = new Set(shippedEnvironments().map((l) => l.environment.region));
const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).scripts;
const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
const prerequisites = readme.slice(readme.indexOf("## Prerequisites"), readme.indexOf("\n## ", readme.indexOf("## Prerequisites") + 5));
const outdir = tempDir("dr-platform-docs-");
synthShipped(outdir);
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
const sandboxHelp = run("node", ["--require", "sucrase/register/ts", "scripts/sandbox.ts", "--help"]).stdout;
const sandboxCommands = new Set([...sandboxHelp.matchAll(/^ {2}([a-z][a-z-]*)(?= |$)/gm)].map((m) => m[1]));
const helpOf = new Map<string, number>();
function resolvesByHelp(tool: string, args: string[]): boolean {
  const key = [tool, ...args].join(" ");
  if (!helpOf.has(key)) helpOf.set(key, run(tool, args, { env: { ...process.env, AWS_PAGER: "", PAGER: "cat" } }).status ?? 1);
  return helpOf.get(key) === 0;
}
/** Whether `terraform <parent> -help` lists `sub` among its commands. */
function terraformLists(parent: string[], sub: string): boolean {
  const help = run("terraform", [...parent, "-help"]);
  return new RegExp(`^ {2,}${sub.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s`, "m").test(help.stdout + help.stderr);
}
const placeholder = (word: string) => /^<[^>]+>$/.test(word) || /<[^>]+>/.test(word);

/** Why a `dr-platform` command would not run as shown; undefined when it parses. */
function drPlatformProblem(args: string[], complete: boolean): string | undefined {
  const [name, ...rest] = args;
  if (name === undefined || name === "<command>") return rest.every((a) => a === "--help") ? undefined : "a generic synopsis with options";
  if (name === "--help") return undefined;
  const command = commandNamed(name);
  if (!command) return `dr-platform has no command ${JSON.stringify(name)}`;
  const words = rest.flatMap((w) => (w.startsWith("[") ? w.slice(1, -1).split(/\s+/) : [w]));
  const filled = words.map((w) => (placeholder(w) ? "us-east-2" : w));
  const positionals = filled.filter((w, i) => !w.startsWith("-") && !(i > 0 && command.options[filled[i - 1].slice(2)]?.type === "string"));
  for (const [i, value] of positionals.entries()) {
    const argument = command.arguments[i];
    if (argument && ["region", "from", "to"].includes(argument.name) && !regions.has(value)) return `${value} is not a region with an environment file`;
  }
  const toParse = complete ? filled : [...filled, ...command.arguments.slice(positionals.length).map(() => "us-east-2")];
  try {
    parseInvocation(command, toParse);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

/** Why a simple command is not real; undefined when it resolves. */
function problem(words: string[], complete: boolean): string | undefined {
  const [tool, ...args] = words;
  switch (tool) {
    case "export":
    case "cd":
    case "cp":
    case "mkdir":
      return undefined;
    case "npx": {
      const [bin, ...rest] = args;
      if (bin === "dr-platform") return drPlatformProblem(rest, complete);
      if (bin === "cdktf") {
        if (rest.some(placeholder)) {
          const unknown = rest.filter((a) => a.startsWith("--") && !cdktfFlagsOf(rest[0]).has(a));
          return unknown.length > 0 ? `cdktf ${rest[0]} has no ${unknown.join(", ")}` : undefined;
        }
        return cdktfRefusal(rest, manifest);
      }
      if (!fs.existsSync(path.join(REPO, "node_modules/.bin", bin))) return `npx ${bin}: no such executable in node_modules/.bin`;
      const missing = rest.filter((a) => /^(test|lib|scripts|app|stacks|cli)\//.test(a) && !fs.existsSync(path.join(REPO, a)));
      return missing.length > 0 ? `no such file: ${missing.join(", ")}` : undefined;
    }
    case "npm": {
      const [verb, script, separator, sub] = args;
      if (["ci", "test", "install", "pack", "publish"].includes(verb)) return undefined;
      if (verb !== "run") return `npm ${verb} is not a command the docs should need`;
      if (script === undefined) return complete ? "npm run without a script" : undefined;
      if (!(script in scripts)) return `package.json has no script ${JSON.stringify(script)}`;
      if (script === "sandbox" && separator === "--" && sub !== undefined && !sandboxCommands.has(sub))
        return `the sandbox has no command ${JSON.stringify(sub)} (it has ${[...sandboxCommands].join(", ")})`;
      return undefined;
    }
    case "node":
    case "bash": {
      const file = args.find((a) => !a.startsWith("-") && !/^sucrase\//.test(a));
      if (file === undefined) return undefined;
      if (file === "dist/main.js" || file.startsWith("dist/"))
        return fs.existsSync(path.join(REPO, file.replace(/^dist\//, "").replace(/\.js$/, ".ts"))) ? undefined : `no source for ${file}`;
      return fs.existsSync(path.join(REPO, file)) ? undefined : `no such file: ${file}`;
    }
    case "aws": {
      const [service, operation] = args.filter((a) => !a.startsWith("-"));
      return resolvesByHelp("aws", [service, operation, "help"]) ? undefined : `aws ${service} ${operation}: the aws CLI has no such operation`;
    }
    case "terraform": {
      const sub = args.filter((a) => !a.startsWith("-")).slice(0, args[0] === "state" ? 2 : 1);
      const parent = sub.slice(0, -1);
      return terraformLists(parent, sub[sub.length - 1]) ? undefined : `terraform ${sub.join(" ")}: terraform has no such command`;
    }
    default:
      return prerequisites.includes(`\`${tool}\``) ? undefined : `${tool} is not named in the README's Prerequisites`;
  }
}

const flagCache = new Map<string, Set<string>>();
function cdktfFlagsOf(verb: string): Set<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!flagCache.has(verb)) flagCache.set(verb, (require("../support/cdktf-selection") as typeof import("../support/cdktf-selection")).cdktfFlags(verb));
  return flagCache.get(verb)!;
}

const shown = DOCS.flatMap((file) => shownCommands(file, fs.readFileSync(path.join(REPO, file), "utf8")));

it("finds the commands the docs show (the extraction itself works)", () => {
  expect(shown.length).toBeGreaterThan(100);
  expect(shown).toContainEqual({
    where: expect.stringMatching(/^README\.md:/),
    command: "npm ci && npm run synth   # install, build dist/ and helm (prepare), then synthesize every environment into cdktf.out/",
    complete: true,
  });
  expect(shown.filter((s) => s.command.startsWith("npx cdktf deploy") && s.complete).length).toBeGreaterThan(5);
});

it("every command in README.md and docs/*.md resolves", () => {
  const problems = shown.flatMap((s) =>
    simpleCommands(s.command)
      .map((words) => problem(words, s.complete))
      .filter((p): p is string => p !== undefined)
      .map((p) => `${s.where} \`${s.command}\`: ${p}`),
  );
  expect(problems).toEqual([]);
});

describe("the resolver refuses what is not real", () => {
  it.each([
    ["npx dr-platform recover us-east-9", true, "us-east-9 is not a region with an environment file"],
    ["npx dr-platform recover us-east-2 --force", true, "Unknown option '--force'"],
    ["npx dr-platform preflight <region> [--fast]", false, "Unknown option '--fast'"],
    ["npx dr-platform restore us-east-2", true, 'dr-platform has no command "restore"'],
    ["npx cdktf deploy application-us-east-2 --auto-approve", true, "dependencies"],
    ["npx cdktf deploy <stack> --skip-synth --fast", false, "cdktf deploy has no --fast"],
    ["npm run format:check", true, 'package.json has no script "format:check"'],
    ["npm run sandbox -- test:sandbox", true, 'the sandbox has no command "test:sandbox"'],
    ["node lib/sandbox.ts", true, "no such file: lib/sandbox.ts"],
    ["aws rds restore-everything", true, "aws rds restore-everything: the aws CLI has no such operation"],
    ["terraform state remove", true, "terraform state remove: terraform has no such command"],
    ["kubectl-fancy get pods", true, "kubectl-fancy is not named in the README's Prerequisites"],
  ])("%s", (command, complete, reason) => {
    const problems = simpleCommands(command)
      .map((w) => problem(w, complete))
      .filter(Boolean);
    expect(problems.join("; ")).toContain(reason);
  });

  it("splits a line into its simple commands", () => {
    expect(simpleCommands("A=1 npx dr-platform sops-config us-east-2 > .sops.yaml && sops updatekeys -y f.yaml # then")).toEqual([
      ["npx", "dr-platform", "sops-config", "us-east-2"],
      ["sops", "updatekeys", "-y", "f.yaml"],
    ]);
  });
});

it("every repository path that README.md and docs/*.md name exists", () => {
  const missing = DOCS.flatMap((file) =>
    [...fs.readFileSync(path.join(REPO, file), "utf8").matchAll(/`((?:lib|scripts|test|docs|app|stacks|cli|backup|environments|tools|\.ci)\/[^`\s]*)`/g)]
      .map((m) => m[1].replace(/[:#].*$/, ""))
      .filter((p) => !/[<*{]/.test(p) && !fs.existsSync(path.join(REPO, p)))
      .map((p) => `${file}: ${p}`),
  );
  expect(missing).toEqual([]);
});
