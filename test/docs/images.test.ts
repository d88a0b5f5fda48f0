import * as fs from "fs";
import * as path from "path";
import { cachedRepository, IMAGE_CATALOGUE, parseRegionalReference, upstreamReference } from "../../lib/kubernetes/images";
import { resourceImages } from "../../lib/policy/rules/kubernetes/images-from-regional-registry";
import { REPO } from "../support/run";
import { shippedEnvironments, synthShipped } from "../support/shipped";
import { tempDir } from "../support/temp";

/**
 * docs/images.md is true: its table lists exactly the images the synthesized stacks of the shipped
 * environments run, as lib/kubernetes/images.ts pins them, and every one of them is pulled from the
 * account's ECR registry of the stack's own region, by digest (the pending ones named).
 */
jest.setTimeout(120_000);

interface Row {
  readonly name: string;
  readonly upstream: string;
  readonly pending: boolean;
  readonly pulledAs: string;
  readonly stacks: string[];
  readonly user: string;
}

/** The rows of the table whose header starts with `| image | pinned upstream |`. */
export function imageRows(markdown: string): Row[] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => l.startsWith("| image | pinned upstream |"));
  if (start < 0) throw new Error("docs/images.md has no image table");
  const rows: Row[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    const code = (cell: string) => /`([^`]+)`/.exec(cell)?.[1] ?? "";
    rows.push({
      name: code(cells[0]),
      upstream: code(cells[1]),
      pending: cells[1].includes("(digest pending)"),
      pulledAs: code(cells[2]),
      stacks: cells[3].split(",").map((s) => s.trim()),
      user: cells[4],
    });
  }
  return rows;
}

interface Pulled {
  readonly stack: string;
  readonly stackRegion: string;
  readonly reference: string;
}

/** Every image reference in every synthesized stack, with the region of the stack's default AWS provider. */
function synthesizedImages(): Pulled[] {
  const out = tempDir("images-doc-");
  synthShipped(out);
  const pulled: Pulled[] = [];
  for (const stack of fs.readdirSync(path.join(out, "stacks")).sort()) {
    const json = JSON.parse(fs.readFileSync(path.join(out, "stacks", stack, "cdk.tf.json"), "utf8"));
    const stackRegion = (json.provider?.aws ?? []).find((p: { alias?: string }) => p.alias === undefined)?.region;
    for (const [type, byId] of Object.entries<Record<string, Record<string, unknown>>>(json.resource ?? {})) {
      for (const [id, config] of Object.entries(byId)) {
        for (const image of resourceImages({ type, id, config }) ?? []) pulled.push({ stack, stackRegion, reference: String(image) });
      }
    }
  }
  return pulled;
}

const rows = imageRows(fs.readFileSync(path.join(REPO, "docs/images.md"), "utf8"));
const pulled = synthesizedImages();
const accountIds = new Set(shippedEnvironments().map((l) => l.environment.accountId));

describe("docs/images.md", () => {
  it("lists the catalogue of lib/kubernetes/images.ts: each image's upstream pin, its cache repository and its user, pending digests named", () => {
    expect(rows).toEqual(
      IMAGE_CATALOGUE.map((image) =>
        expect.objectContaining({
          name: image.name,
          upstream: upstreamReference(image),
          pending: image.digest === undefined,
          pulledAs: `<registry>/${cachedRepository(image)}`,
          user: `${image.userId}:${image.groupId}`,
        }),
      ),
    );
  });

  it("lists exactly the images the synthesized stacks run, with the stacks that run each", () => {
    expect(pulled.length).toBeGreaterThan(0);
    const kind = (stack: string) => stack.replace(/-[a-z]{2}(-[a-z]+)+-\d+$/, "");
    const byRow = new Map<string, Set<string>>();
    for (const image of pulled) {
      const parsed = parseRegionalReference(image.reference);
      const row = rows.find((r) => parsed !== undefined && `<registry>/${parsed.repository}` === r.pulledAs && r.upstream.includes(`:${parsed.tag}`));
      expect([image.reference, row?.name]).toEqual([image.reference, expect.any(String)]);
      if (row) byRow.set(row.name, (byRow.get(row.name) ?? new Set()).add(kind(image.stack)));
    }
    expect(Object.fromEntries(rows.map((r) => [r.name, r.stacks]))).toEqual(Object.fromEntries([...byRow].map(([name, stacks]) => [name, [...stacks].sort()])));
  });
});

describe("every container image in every synthesized stack", () => {
  it("is in the account's ECR of the stack's own region", () => {
    const elsewhere = pulled.filter((p) => {
      const parsed = parseRegionalReference(p.reference);
      return parsed === undefined || parsed.region !== p.stackRegion || !accountIds.has(parsed.accountId);
    });
    expect(elsewhere).toEqual([]);
  });

  it("is pinned by tag and digest, except the catalogue's pending digests (each a named DR-K8S-3 exception)", () => {
    const byTag = pulled.filter((p) => parseRegionalReference(p.reference)?.digest === undefined).map((p) => parseRegionalReference(p.reference)?.repository);
    expect([...new Set(byTag)].sort()).toEqual(
      IMAGE_CATALOGUE.filter((i) => i.digest === undefined)
        .map(cachedRepository)
        .sort(),
    );
    for (const p of pulled) expect(parseRegionalReference(p.reference)?.tag).toBeDefined();
  });
});
