import * as fs from "fs";
import * as path from "path";
import { DR_POLICY_PACK } from "../../lib/policy/pack";
import { EMULATOR_GAPS } from "../../lib/targets/emulator-target";

const DOC_PATH = path.resolve(__dirname, "../../docs/policy.md");
const HEADER = ["id", "what it demands", "how to fix", "cdk-nag", "checkov"];

/** The cells of a Markdown table row (`| a | b |` -> ["a", "b"]). */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((c) => c.trim());
}

/** The rows of the table whose header is HEADER, as cell lists (separator row excluded). */
function rulesTable(markdown: string): string[][] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => l.trim().startsWith("|") && JSON.stringify(cells(l)) === JSON.stringify(HEADER));
  if (start < 0) throw new Error(`docs/policy.md has no table with the header | ${HEADER.join(" | ")} |`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.trim().startsWith("|")) break;
    rows.push(cells(line));
  }
  const [separator, ...body] = rows;
  if (!separator?.every((c) => /^:?-{3,}:?$/.test(c))) throw new Error("the rules table has no separator row under its header");
  return body;
}

/** The text of a `## <title>` section, up to the next `## `. */
function section(markdown: string, title: string): string {
  const match = new RegExp(`^## ${title}\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, "m").exec(markdown);
  if (!match) throw new Error(`docs/policy.md has no "## ${title}" section`);
  return match[1];
}

const markdown = fs.readFileSync(DOC_PATH, "utf8");
const rows = rulesTable(markdown);
const rules = DR_POLICY_PACK.rules.map((r) => r.rule);

describe("docs/policy.md", () => {
  it("has five cells in every row of the rules table", () => {
    for (const row of rows) expect(row).toHaveLength(HEADER.length);
  });

  it("has exactly one row per rule of DR_POLICY_PACK, and no other rows", () => {
    const docIds = rows.map((row) => row[0]);
    expect(new Set(docIds).size).toBe(docIds.length);
    expect([...docIds].sort()).toEqual(rules.map((r) => r.id).sort());
  });

  describe.each(rules.map((rule) => [rule.id, rule] as const))("the row of %s", (id, rule) => {
    const row = () => {
      const found = rows.find((r) => r[0] === id);
      if (!found) throw new Error(`no row for ${id}`);
      return found;
    };

    it("shows the rule's cdk-nag and checkov counterparts", () => {
      expect(row()[3]).toBe(rule.counterparts.cdkNag ?? "-");
      expect(row()[4]).toBe(rule.counterparts.checkov ?? "-");
    });

    it("shows the rule's description and fix", () => {
      expect(row()[1]).toBe(rule.description);
      expect(row()[2]).toBe(rule.fix);
    });
  });

  it("names only rule ids that exist", () => {
    const known = new Set(rules.map((r) => r.id));
    const mentioned = [...markdown.matchAll(/\bDR-[A-Z0-9]+-\d+\b/g)].map((m) => m[0]);
    expect(mentioned.filter((id) => !known.has(id))).toEqual([]);
  });

  it("documents suppressRule: a required reason, shown as an info annotation", () => {
    const text = section(markdown, "Suppressions");
    expect(text).toContain("suppressRule(construct, ruleId, reason)");
    expect(text).toContain("lib/policy/suppress.ts");
    expect(text).toMatch(/reason is required/i);
    expect(text).toMatch(/info annotation/i);
  });

  it("documents the exceptions: KMS key policies and every rule sandbox mode suppresses", () => {
    const text = section(markdown, "Documented exceptions");
    expect(text).toMatch(/KMS key policies are not checked by DR-IAM-1/);
    const suppressedInSandbox = EMULATOR_GAPS.flatMap((gap) => (gap.violates ?? []).map((ruleId) => ({ ruleId, gap: gap.id })));
    expect(suppressedInSandbox.length).toBeGreaterThan(0);
    for (const { ruleId, gap } of suppressedInSandbox) {
      expect(text).toContain(`${ruleId} (gap \`${gap}\`)`);
    }
    const listed = [...text.matchAll(/^\s*- (DR-[A-Z0-9]+-\d+) \(gap `([^`]+)`\)/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(listed.sort()).toEqual(suppressedInSandbox.map((s) => `${s.ruleId} ${s.gap}`).sort());
  });
});
