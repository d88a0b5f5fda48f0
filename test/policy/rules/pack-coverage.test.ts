import * as fs from "fs";
import * as path from "path";
import { DR_POLICY_PACK } from "../../../lib/policy/pack";
import type { PolicyRule } from "../../../lib/policy/rule";
import { RULE_ID } from "../../support/policy";

const ROOT = path.resolve(__dirname, "../../..");
const RULES_DIR = path.join(ROOT, "lib/policy/rules");

/** Every .ts file under lib/policy/rules, relative to it (`s3/bucket-tls-only.ts`). */
function ruleFiles(dir = RULES_DIR): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return ruleFiles(full);
    return entry.name.endsWith(".ts") ? [path.relative(RULES_DIR, full)] : [];
  });
}

function isRule(value: unknown): value is PolicyRule {
  return typeof value === "object" && value !== null && typeof (value as PolicyRule).id === "string" && typeof (value as PolicyRule).evaluate === "function";
}

/** The rules a file exports, by export name. */
function exportedRules(file: string): [string, PolicyRule][] {
  // A synchronous load of a file found at run time (jest transpiles it): require is the tool for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module: Record<string, unknown> = require(path.join(RULES_DIR, file));
  return Object.entries(module).filter((entry): entry is [string, PolicyRule] => isRule(entry[1]));
}

const files = ruleFiles().sort();
const packRules = DR_POLICY_PACK.rules.map((r) => r.rule);

describe("DR_POLICY_PACK and lib/policy/rules", () => {
  it("finds the rule files (one folder per service)", () => {
    expect(files.length).toBeGreaterThanOrEqual(22);
    for (const file of files) expect(file).toMatch(/^[a-z0-9]+\/[a-z0-9-]+\.ts$/);
  });

  it.each(files)("%s exports exactly one rule, and it is in the pack", (file) => {
    const rules = exportedRules(file);
    expect(rules.map(([name]) => name)).toHaveLength(1);
    expect(packRules).toContain(rules[0][1]);
  });

  it("the pack holds no rule without a file under lib/policy/rules", () => {
    const fromFiles = files.flatMap((file) => exportedRules(file).map(([, rule]) => rule));
    for (const rule of packRules) expect(fromFiles).toContain(rule);
    expect(packRules).toHaveLength(fromFiles.length);
  });

  it("every rule id is shaped DR-<AREA>-<n>", () => {
    for (const rule of packRules) expect(rule.id).toMatch(RULE_ID);
  });

  it("rule ids are unique across the pack, and no rule is listed twice", () => {
    const ids = packRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(packRules).size).toBe(packRules.length);
  });

  it("every violation is an error (nothing scrolls past as a warning)", () => {
    for (const { severity } of DR_POLICY_PACK.rules) expect(severity).toBe("error");
  });

  it.each(files)("%s has a test file mirroring it under test/policy/rules", (file) => {
    expect(fs.existsSync(path.join(__dirname, file.replace(/\.ts$/, ".test.ts")))).toBe(true);
  });
});
