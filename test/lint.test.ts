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
      // stacks/ also hear that the file is behind an entry point.
      const deep = file.startsWith("stacks/") ? [expect.stringContaining("Import the library through its entry points")] : [];
      expect({ file, problems: lint(file, source) }).toEqual({
        file,
        problems: [...deep, expect.stringContaining("must not know a deployment target's details")],
      });
    }
    expect(lint("app/example.ts", 'import { EMULATOR_GAPS } from "../lib/targets";\nexport const g = EMULATOR_GAPS;\n')).toEqual([]);
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
      expect.stringContaining("lib/ never imports stacks, the app assembly, the CLI or the scripts."),
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

  it("keeps every operations file at most 300 lines", () => {
    const long = Array.from({ length: 301 }, (_, i) => `export const v${i} = ${i};`).join("\n") + "\n";
    expect(lint("lib/operations/example.ts", long)).toEqual([expect.stringContaining("max-lines: File has too many lines (301). Maximum allowed is 300.")]);
    expect(lint("lib/operations/checks/preflight/example.ts", long)).toEqual([
      expect.stringContaining("max-lines: File has too many lines (301). Maximum allowed is 300."),
    ]);
    expect(lint("lib/operations/example.ts", long.split("\n").slice(1).join("\n"))).toEqual([]);
    expect(lint("lib/constructs/example.ts", long)).toEqual([]);
  });

  describe("the repository's app takes the library's entry points only", () => {
    const DEEP = "Import the library through its entry points";
    /** `../` as many times as `file` is deep in the repository. */
    const up = (file: string) => (file.includes("/") ? "../".repeat(file.split("/").length - 1) : "./");

    it.each(["stacks/example.ts", "app/example.ts", "main.ts", "environments/eu-west-1.ts", "scripts/example.ts", "cli/example.ts"])(
      "refuses a deep import in %s and accepts the layer's entry point",
      (file) => {
        const deep = `import { Vpc } from "${up(file)}lib/constructs/vpc";\nexport const v = Vpc;\n`;
        expect(lint(file, deep)).toEqual([
          expect.stringContaining(`'${up(file)}lib/constructs/vpc' import is restricted from being used by a pattern. ${DEEP}`),
        ]);
        expect(lint(file, `import { Vpc } from "${up(file)}lib/constructs";\nexport const v = Vpc;\n`)).toEqual([]);
      },
    );

    it("refuses private helpers and the files behind the root entry point, accepts the root and naming", () => {
      for (const deep of ["../lib/constructs/private/iam", "../lib/aws-provider", "../lib/tags", "../lib/environment/problems"]) {
        expect({ deep, problems: lint("stacks/example.ts", `import { x } from "${deep}";\nexport const v = x;\n`) }).toEqual({
          deep,
          problems: [expect.stringContaining(DEEP)],
        });
      }
      expect(
        lint(
          "stacks/example.ts",
          'import { awsProvider } from "../lib";\nimport { stackId } from "../lib/naming";\nexport const v = [awsProvider, stackId];\n',
        ),
      ).toEqual([]);
    });

    it("leaves the tests free to import any file they test", () => {
      expect(lint("test/constructs/example.test.ts", 'import { Vpc } from "../../lib/constructs/vpc";\nexport const v = Vpc;\n')).toEqual([]);
    });
  });

  it("keeps the emulator's names out of stacks even through the targets entry point", () => {
    expect(lint("stacks/example.ts", 'import { EmulatorTarget, targetOf } from "../lib/targets";\nexport const v = [EmulatorTarget, targetOf];\n')).toEqual([
      expect.stringContaining(
        "'EmulatorTarget' import from '../lib/targets' is restricted from being used by a pattern. Constructs, policy and stacks must not know",
      ),
    ]);
    expect(lint("lib/constructs/example.ts", 'import { EMULATOR_GAPS } from "../targets";\nexport const v = EMULATOR_GAPS;\n')).toEqual([
      expect.stringContaining("must not know a deployment target's details"),
    ]);
    expect(lint("app/example.ts", 'import { EmulatorTarget } from "../lib/targets";\nexport const v = EmulatorTarget;\n')).toEqual([]);
  });

  it("keeps operations and the AWS SDK out of what synthesis loads", () => {
    const cases: [string, string][] = [
      ["stacks/example.ts", "../lib/operations"],
      ["app/example.ts", "../lib/operations"],
      ["lib/constructs/example.ts", "@aws-sdk/client-s3"],
      ["lib/environment/example.ts", "../operations/rto"],
    ];
    for (const [file, module] of cases) {
      expect({ file, problems: lint(file, `import { x } from "${module}";\nexport const v = x;\n`) }).toEqual({
        file,
        problems: [expect.stringContaining("Synthesis never loads lib/operations or the AWS SDK")],
      });
    }
    expect(lint("lib/operations/example.ts", 'import { S3Client } from "@aws-sdk/client-s3";\nexport const v = S3Client;\n')).toEqual([]);
  });
});
