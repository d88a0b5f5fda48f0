import { startPostgres, type PostgresServer } from "../support/postgres";

jest.setTimeout(60_000);

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server?.stop());

it("starts a throwaway server on 127.0.0.1 with password authentication", () => {
  server.createDatabase("shop");
  expect(server.psql("SELECT current_database() || ' ' || inet_server_addr()", "shop")).toBe("shop 127.0.0.1/32");
  expect(server.major).toBeGreaterThanOrEqual(15);
});
