-- Row count and checksum of every ordinary table, one JSON object per line, ordered by schema and
-- table (byte order). Run with psql; the archive script runs it inside the dump's snapshot and
-- verify-backup runs it after a restore: both must produce the same text for the same data.
--
-- checksum = the sum, as a decimal string, of the first 60 bits of md5(row as text) over all rows.
-- A sum does not depend on row order, so no sort and no primary key are needed and memory stays
-- constant; it changes when any row is changed, added or removed (a random change goes unnoticed
-- with probability about 2^-60). It is an integrity check against accidents, not a signature.
--
-- A row's text depends on these settings: fixed here so that the server's and the session's
-- defaults (time zone, date style, ...) cannot make two equal tables differ.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SET extra_float_digits = 1;
SET bytea_output = 'hex';
\pset format unaligned
\pset tuples_only on
SELECT format(
         'SELECT json_build_object(''schema'', %L, ''table'', %L, ''rows'', count(*), ''checksum'', '
         'coalesce(sum((''x'' || substr(md5(ROW(r.*)::text), 1, 15))::bit(60)::bigint), 0)::text) FROM %I.%I AS r',
         n.nspname, c.relname, n.nspname, c.relname)
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname !~ '^pg_(toast|temp_)'
   -- Tables that belong to an extension are recreated by CREATE EXTENSION, not by the dump's data.
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C"
\gexec
