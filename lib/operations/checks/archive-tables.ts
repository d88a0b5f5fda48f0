import type { TableChecksum } from "../probes/newest-archive";

/** One way the restored data differs from what the manifest promises. */
export interface Difference {
  /** `archive`, `restore`, or the table as `schema.table`. */
  readonly subject: string;
  /** `sha256`, `bytes`, `pg_restore`, `table`, `rows` or `checksum`. */
  readonly field: string;
  readonly expected: string;
  readonly got: string;
}

/** The downloaded archive against its manifest: sha256 and size. */
export function compareArchive(
  expected: { readonly sha256: string; readonly bytes: number },
  got: { readonly sha256: string; readonly bytes: number },
): Difference[] {
  const differences: Difference[] = [];
  if (got.sha256 !== expected.sha256) differences.push({ subject: "archive", field: "sha256", expected: expected.sha256, got: got.sha256 });
  if (got.bytes !== expected.bytes) differences.push({ subject: "archive", field: "bytes", expected: String(expected.bytes), got: String(got.bytes) });
  return differences;
}

/** Table by table: missing, unexpected, row count, checksum. */
export function compareTables(expected: readonly TableChecksum[], got: readonly TableChecksum[]): Difference[] {
  const name = (t: TableChecksum) => `${t.schema}.${t.table}`;
  const restored = new Map(got.map((t) => [name(t), t]));
  const differences: Difference[] = [];
  for (const table of expected) {
    const found = restored.get(name(table));
    restored.delete(name(table));
    if (!found) {
      differences.push({ subject: name(table), field: "table", expected: `${table.rows} rows`, got: "no such table" });
      continue;
    }
    if (found.rows !== table.rows) differences.push({ subject: name(table), field: "rows", expected: String(table.rows), got: String(found.rows) });
    if (found.checksum !== table.checksum) differences.push({ subject: name(table), field: "checksum", expected: table.checksum, got: found.checksum });
  }
  for (const extra of restored.values()) differences.push({ subject: name(extra), field: "table", expected: "not in the manifest", got: `${extra.rows} rows` });
  return differences;
}
