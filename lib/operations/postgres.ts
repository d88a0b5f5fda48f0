import { spawnSync } from "child_process";
import * as path from "path";
import type { TableChecksum } from "./probes/newest-archive";

/**
 * The PostgreSQL client tools a restoring verification runs (psql, pg_restore), against a target
 * named by URL whose password never reaches argv or the logs.
 */

/** backup/table-checksums.sql: the one definition of a table's checksum, shared with the archive script. */
export const TABLE_CHECKSUMS_SQL = path.resolve(__dirname, "../../backup/table-checksums.sql");

export interface Target {
  /** The URL without its password (libpq reads that from PGPASSWORD): safe in argv and logs. */
  readonly url: string;
  readonly display: string;
  readonly env: NodeJS.ProcessEnv;
}

/** The target of `postgresql://user[:password]@host[:port]/database`; throws on anything else. */
export function connection(targetUrl: string): Target {
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch {
    throw new Error("verify-backup: the target must be a postgresql:// URL (got something that is not a URL)");
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:")
    throw new Error(`verify-backup: the target must be a postgresql:// URL (got ${url.protocol}//...)`);
  if (url.pathname.length <= 1) throw new Error(`verify-backup: the target URL must name a database (postgresql://host/<database>)`);
  const password = decodeURIComponent(url.password);
  url.password = "";
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PGPASSWORD;
  if (password) env.PGPASSWORD = password;
  return { url: url.toString(), display: `${url.host}${url.pathname}`, env };
}

/** psql's output lines (unaligned, tuples only); throws with psql's message when it fails. */
export function runPsql(psql: string, target: Target, args: string[]): string[] {
  const result = spawnSync(psql, ["-X", "-q", "-w", "-v", "ON_ERROR_STOP=1", "-A", "-t", "--dbname", target.url, ...args], {
    env: target.env,
    encoding: "utf8",
  });
  if (result.error) throw new Error(`verify-backup: cannot run psql: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`verify-backup: psql against ${target.display} failed: ${result.stderr.trim()}`);
  return result.stdout.split("\n").filter((line) => line !== "");
}

/** Every relation of the target outside the system schemas (a restore needs an empty database). */
export function userRelations(psql: string, target: Target): string[] {
  return runPsql(psql, target, [
    "-c",
    "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
      "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)' ORDER BY 1",
  ]);
}

/** Each table's row count and checksum in the target, as backup/table-checksums.sql computes them. */
export function restoredTables(psql: string, target: Target): TableChecksum[] {
  return runPsql(psql, target, ["-f", TABLE_CHECKSUMS_SQL]).map((line) => JSON.parse(line) as TableChecksum);
}

/** pg_restore of a custom-format archive into the target; its exit status and seconds taken. */
export function restore(
  pgRestore: string,
  target: Target,
  file: string,
): { readonly status: number | null; readonly stderr: string; readonly seconds: number } {
  const started = process.hrtime.bigint();
  const result = spawnSync(pgRestore, ["--no-owner", "--no-acl", "--exit-on-error", "--dbname", target.url, file], { env: target.env, encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.error) throw new Error(`verify-backup: cannot run pg_restore: ${result.error.message}`);
  return { status: result.status, stderr: result.stderr, seconds };
}
