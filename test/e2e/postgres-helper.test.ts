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

describe("point-in-time copies (the stand-in for RDS's restore to a time)", () => {
  let archived: PostgresServer;
  const copies: PostgresServer[] = [];
  beforeAll(async () => {
    archived = await startPostgres({ walArchive: true });
  });
  afterAll(async () => {
    for (const copy of copies) await copy.stop();
    await archived?.stop();
  });

  it("replays the archived WAL up to the time: the commits before it are there, the ones after it are not", async () => {
    archived.createDatabase("shop");
    archived.psql("CREATE TABLE events (id int PRIMARY KEY)", "shop");
    const base = archived.baseBackup();
    archived.psql("INSERT INTO events SELECT generate_series(1, 100)", "shop");
    const time = archived.psql("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
    archived.psql("INSERT INTO events SELECT generate_series(101, 150)", "shop");
    archived.psql("DROP TABLE events", "shop");
    await archived.archiveWal();

    const copy = await archived.restoreToTime(base, time);
    copies.push(copy);
    expect(copy.psql("SELECT count(*) || ' ' || max(id) FROM events", "shop")).toBe("100 100");
    expect(copy.psql("SELECT pg_is_in_recovery()")).toBe("f");
    expect(copy.port).not.toBe(archived.port);
  });

  it("refuses a copy of a server started without the WAL archive", () => {
    expect(() => server.baseBackup()).toThrow("baseBackup: the server was started without walArchive");
  });
});
