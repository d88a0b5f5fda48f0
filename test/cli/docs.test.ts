import * as fs from "fs";
import * as path from "path";
import { cliReference } from "../../cli/help";
import { COMMANDS } from "../../cli/registry";
import { REPO } from "../support/run";

/**
 * docs/cli.md shows what the registry declares: the generated part is compared, exactly. After a
 * change to cli/registry.ts, paste the output of
 * `node --require sucrase/register/ts -e 'console.log(require("./cli/help").cliReference())'`
 * between the markers.
 */
const doc = fs.readFileSync(path.join(REPO, "docs/cli.md"), "utf8");

it("holds the reference generated from the registry between its markers", () => {
  const shown = /<!-- cli:start[^\n]*-->\n([\s\S]*)\n<!-- cli:end -->/.exec(doc);
  expect(shown?.[1]).toBe(cliReference());
});

it("documents every command's exit codes, 2 (a usage mistake) included", () => {
  for (const command of COMMANDS) {
    const section = doc.slice(doc.indexOf(`### ${command.name}\n`)).split("\n### ")[0];
    expect(command.exitCodes.map((e) => e.code)).toContain(2);
    for (const exit of command.exitCodes) expect(section).toContain(`| ${exit.code} | `);
  }
});

it("declares each command once", () => {
  const names = COMMANDS.map((c) => c.name);
  expect(new Set(names).size).toBe(names.length);
});
