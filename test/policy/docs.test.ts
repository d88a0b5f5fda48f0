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

/** The rows of the table whose header is `header`, as cell lists (separator row excluded). */
function rulesTable(markdown: string, header: readonly string[] = HEADER): string[][] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => l.trim().startsWith("|") && JSON.stringify(cells(l)) === JSON.stringify(header));
  if (start < 0) throw new Error(`docs/policy.md has no table with the header | ${header.join(" | ")} |`);
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

/** Every checkov id a text names, with ranges (`CKV_K8S_10-13`) spelled out. */
function checkIds(text: string): string[] {
  return [...text.matchAll(/\b(CKV2?_[A-Z0-9]+_)(\d+)(?:-(\d+))?\b/g)].flatMap(([, prefix, first, last]) =>
    Array.from({ length: (last ? Number(last) : Number(first)) - Number(first) + 1 }, (_, i) => `${prefix}${Number(first) + i}`),
  );
}

describe("docs/policy.md's checkov table (issue 28: every check id mapped to a rule or deliberately not)", () => {
  const checks = rulesTable(markdown, ["check", "what checkov checks", "on", "verdict", "why"]);
  const byId = new Map(checks.map((row) => [row[0], row]));
  const ruleIds = new Set(rules.map((r) => r.id));

  it("lists each check once, with a verdict: a rule of the pack, pass, trade-off or n/a, and a reason unless a rule answers", () => {
    expect(checks.length).toBeGreaterThan(100);
    expect(byId.size).toBe(checks.length);
    for (const [id, , on, verdict, why] of checks) {
      expect([id, checkIds(id)]).toEqual([id, [id]]);
      expect([id, on.length > 0]).toEqual([id, true]);
      expect([id, ruleIds.has(verdict) || ["pass", "trade-off", "n/a"].includes(verdict)]).toEqual([id, true]);
      if (!ruleIds.has(verdict)) expect([id, why !== "-" && why.length > 10]).toEqual([id, true]);
    }
  });

  it("holds every check id a rule names as its counterpart, mapped to that rule (or n/a where the rule says it is none)", () => {
    for (const rule of rules) {
      const text = rule.counterparts.checkov ?? "-";
      for (const id of checkIds(text)) {
        const row = byId.get(id);
        expect([rule.id, id, row !== undefined]).toEqual([rule.id, id, true]);
        // "- (CKV_... does not ...)": named only to say it is not a counterpart.
        const expected = text.startsWith("-") ? "n/a" : undefined;
        if (expected) expect([id, row![3]]).toEqual([id, expected]);
        else
          expect([id, [row![3], ...checkIds(row![4])].some((v) => v === rule.id || rules.find((r) => r.id === v)?.counterparts.checkov?.includes(id))]).toEqual(
            [id, true],
          );
      }
    }
  });

  it("maps a check to a rule only where that rule names the check as its counterpart", () => {
    for (const [id, , , verdict] of checks) {
      if (!ruleIds.has(verdict)) continue;
      const counterparts = rules.find((r) => r.id === verdict)!.counterparts.checkov ?? "";
      expect([id, verdict, checkIds(counterparts).includes(id)]).toEqual([id, verdict, true]);
    }
  });

  it("explains every check that still fails somewhere in its own paragraph", () => {
    const text = section(markdown, "Hardening, second round \\(issue 28\\)");
    const failing = checks.filter(([, , , verdict, why]) => verdict === "trade-off" || /^fails/.test(why)).map((row) => row[0]);
    expect(failing.sort()).toEqual(
      [
        "CKV_AWS_18",
        "CKV_AWS_39",
        "CKV_AWS_40",
        "CKV_AWS_143",
        "CKV_AWS_144",
        "CKV_AWS_145",
        "CKV_AWS_209",
        "CKV_AWS_260",
        "CKV_AWS_273",
        "CKV2_AWS_57",
        "CKV2_AWS_61",
        "CKV2_AWS_62",
      ].sort(),
    );
    for (const id of failing) expect([id, text.includes(`**${id}`) || text.includes(`and ${id}**`)]).toEqual([id, true]);
  });
});
