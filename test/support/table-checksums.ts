import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as path from "path";
import type { PostgresServer } from "./postgres";

export interface TableChecksum {
  readonly schema: string;
  readonly table: string;
  readonly rows: number;
  readonly checksum: string;
}

/**
 * The manifest's table checksum computed in Node, not by backup/table-checksums.sql: each row's
 * text (with the settings that file fixes) is read back, and the first 60 bits of its md5 summed.
 */
export function independentChecksum(server: PostgresServer, database: string, schema: string, table: string): TableChecksum {
  const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const sql =
    "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1; SET bytea_output = 'hex'; " +
    `SELECT ROW(r.*)::text FROM ${quoted(schema)}.${quoted(table)} AS r`;
  // Records separated by NUL: a row's text may contain newlines.
  const result = spawnSync(path.join(server.binDir, "psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-A", "-t", "-0", "-c", sql], {
    env: server.env(database),
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(result.stderr);
  const rows = result.stdout === "" ? [] : result.stdout.replace(/\0$/, "").replace(/\n$/, "").split("\0");
  const sum = rows.reduce((total, row) => total + BigInt(`0x${crypto.createHash("md5").update(row, "utf8").digest("hex").slice(0, 15)}`), 0n);
  return { schema, table, rows: rows.length, checksum: sum.toString() };
}
