import { paginate } from "../../../lib/operations/aws/paginate";

describe("paginate", () => {
  it("follows each page's token until a page has none, keeping the items in order", async () => {
    const pages: Record<string, { items?: number[]; next?: string }> = { first: { items: [1, 2], next: "b" }, b: { next: "c" }, c: { items: [3] } };
    const asked: (string | undefined)[] = [];
    const items = await paginate(
      async (token: string | undefined) => {
        asked.push(token);
        return pages[token ?? "first"];
      },
      (page) => page.items,
      (page) => page.next,
    );
    expect(items).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, "b", "c"]);
  });
});
