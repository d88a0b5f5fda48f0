/**
 * Every page of a paginated AWS listing, in order. `fetch` sends one request with the token of
 * the page before (undefined for the first); `next` says the token of the page after, undefined on
 * the last.
 */
export async function paginate<Page, Item>(
  fetch: (token: string | undefined) => Promise<Page>,
  items: (page: Page) => readonly Item[] | undefined,
  next: (page: Page) => string | undefined,
): Promise<Item[]> {
  const all: Item[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    all.push(...(items(page) ?? []));
    token = next(page);
  } while (token);
  return all;
}
