import * as path from "path";
import { REPO, run } from "./support/run";

/**
 * The lint rules that guard the architecture, run through the real ESLint CLI on a snippet as if
 * it were a file of the repository (`--stdin-filename`), with the project's configuration.
 */
const ESLINT = path.join(REPO, "node_modules/eslint/bin/eslint.js");

function lint(file: string, source: string): string[] {
  const result = run("node", [ESLINT, "--stdin", "--stdin-filename", file, "--format", "json"], { input: source });
  const [report] = JSON.parse(result.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return report.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

// Built from parts so that this file does not itself contain the imports it forbids.
const AWS_ROOT = ["@cdktf", "provider-aws"].join("/");
const WHOLE_PACKAGE = "no-restricted-imports: '@cdktf/provider-aws' import is restricted from being used by a pattern. Import the resource deeply";

describe("lint", () => {
  it("refuses a whole-package provider import, in every form", () => {
    expect(lint("lib/constructs/example.ts", `import { S3Bucket } from "${AWS_ROOT}";\nexport const b = S3Bucket;\n`)).toEqual([
      expect.stringContaining(WHOLE_PACKAGE),
    ]);
    expect(lint("scripts/example.ts", `export const aws = require("${AWS_ROOT}");\n`)).toEqual([
      expect.stringContaining("@typescript-eslint/no-require-imports"),
      expect.stringContaining("no-restricted-syntax: Import the resource deeply"),
    ]);
    expect(lint("test/example.test.ts", `export const aws = import("${AWS_ROOT}");\n`)).toEqual([
      expect.stringContaining("no-restricted-syntax: Import the resource deeply"),
    ]);
  });

  it("accepts a deep import", () => {
    expect(lint("lib/constructs/example.ts", `import { S3Bucket } from "${AWS_ROOT}/lib/s3-bucket";\nexport const b = S3Bucket;\n`)).toEqual([]);
  });

  it("keeps the emulator target out of constructs, policy and stacks", () => {
    for (const file of ["lib/constructs/example.ts", "lib/policy/example.ts", "stacks/example.ts"]) {
      const depth = file.split("/").length - 1;
      const source = `import { EMULATOR_GAPS } from "${"../".repeat(depth)}lib/targets/emulator-target";\nexport const g = EMULATOR_GAPS;\n`.replace(
        "../lib/lib/",
        "../lib/",
      );
      expect({ file, problems: lint(file, source) }).toEqual({ file, problems: [expect.stringContaining("must not know a deployment target's details")] });
    }
    expect(lint("app/example.ts", 'import { EMULATOR_GAPS } from "../lib/targets/emulator-target";\nexport const g = EMULATOR_GAPS;\n')).toEqual([]);
  });

  it("keeps the library from importing the stacks or the app", () => {
    expect(lint("lib/operations/example.ts", 'import { NetworkingStack } from "../../stacks/networking-stack";\nexport const s = NetworkingStack;\n')).toEqual([
      expect.stringContaining("lib/ never imports stacks"),
    ]);
  });

  it("keeps the library from importing the CLI, which may import the app", () => {
    expect(lint("lib/operations/example.ts", 'import { COMMANDS } from "../../cli/registry";\nexport const c = COMMANDS;\n')).toEqual([
      expect.stringContaining("lib/ never imports stacks, the app assembly, the CLI or the scripts."),
    ]);
    expect(lint("lib/constructs/example.ts", 'import { main } from "../../cli/main";\nexport const m = main;\n')).toEqual([
      expect.stringContaining("lib/ and stacks/ never import the app assembly, the CLI or the scripts."),
    ]);
    expect(lint("cli/example.ts", 'import { synthesize } from "../app/synthesize";\nexport const s = synthesize;\n')).toEqual([]);
  });

  it("keeps stacks as wiring: no non-null assertion, at most 130 lines", () => {
    const bang = 'export function f(m: Map<string, string>) {\n  return m.get("a")!;\n}\n';
    expect(lint("stacks/example.ts", bang)).toEqual([expect.stringContaining("@typescript-eslint/no-non-null-assertion")]);
    expect(lint("stacks/roles/example.ts", bang)).toEqual([expect.stringContaining("@typescript-eslint/no-non-null-assertion")]);
    expect(lint("lib/constructs/example.ts", bang)).toEqual([]);
    const long = Array.from({ length: 131 }, (_, i) => `export const v${i} = ${i};`).join("\n") + "\n";
    expect(lint("stacks/example.ts", long)).toEqual([expect.stringContaining("max-lines: File has too many lines (131). Maximum allowed is 130.")]);
    expect(lint("stacks/example.ts", long.split("\n").slice(1).join("\n"))).toEqual([]);
  });
});
