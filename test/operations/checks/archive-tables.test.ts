import { compareArchive, compareTables } from "../../../lib/operations/checks/archive-tables";

describe("compareArchive", () => {
  it("names a different sha256 and a different size", () => {
    expect(compareArchive({ sha256: "a", bytes: 3 }, { sha256: "a", bytes: 3 })).toEqual([]);
    expect(compareArchive({ sha256: "a", bytes: 3 }, { sha256: "b", bytes: 4 })).toEqual([
      { subject: "archive", field: "sha256", expected: "a", got: "b" },
      { subject: "archive", field: "bytes", expected: "3", got: "4" },
    ]);
  });
});

describe("compareTables", () => {
  const table = (name: string, rows: number, checksum: string) => ({ schema: "public", table: name, rows, checksum });

  it("finds nothing when every table matches", () => {
    expect(compareTables([table("a", 1, "10"), table("b", 0, "0")], [table("b", 0, "0"), table("a", 1, "10")])).toEqual([]);
  });

  it("names a missing table, an unexpected one, a row count and a checksum", () => {
    expect(
      compareTables(
        [table("gone", 3, "30"), table("rows", 2, "20"), table("sum", 1, "10")],
        [table("rows", 1, "20"), table("sum", 1, "11"), table("new", 4, "40")],
      ),
    ).toEqual([
      { subject: "public.gone", field: "table", expected: "3 rows", got: "no such table" },
      { subject: "public.rows", field: "rows", expected: "2", got: "1" },
      { subject: "public.sum", field: "checksum", expected: "10", got: "11" },
      { subject: "public.new", field: "table", expected: "not in the manifest", got: "4 rows" },
    ]);
  });
});
