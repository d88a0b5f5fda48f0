#!/bin/sh
# Database archive: pg_dump --format=custom of one database plus a manifest, uploaded to S3.
#
#   archive-database.sh password  the database secret from Secrets Manager into a file (aws CLI image)
#   archive-database.sh dump      pg_dump and manifest into ARCHIVE_DIR (postgres client image)
#   archive-database.sh upload    both files from ARCHIVE_DIR to S3 (aws CLI image)
#   archive-database.sh all       the steps in order (password only with DATABASE_SECRET_ID), where
#                                 one image has pg_dump, psql and aws
#
# Key layout: <ARCHIVE_PREFIX>/<database>/<YYYYMMDDTHHMMSSZ>/archive.dump and manifest.json, the
# stamp being the dump's start in UTC. Stamps sort as text, so the newest archive is the greatest
# folder that holds a manifest.json; the manifest is uploaded last, so a folder with a manifest
# holds a complete archive.
#
# password: DATABASE_SECRET_ID (ARN or name of the secret RDS manages for the master user; it
#           rotates it every 7 days, so it is read each run, never copied into the cluster),
#           DATABASE_SECRET_FILE (where the secret's JSON goes: a memory-backed volume only the
#           dump step mounts); AWS credentials and region as the aws CLI finds them. The reader
#           needs secretsmanager:GetSecretValue on that secret.
# dump:     PGHOST, PGDATABASE, PGUSER (libpq's PGPORT, PGSSLMODE, ... apply); the password from
#           DATABASE_SECRET_FILE (its "password"), PGPASSWORD_FILE (a file holding only the
#           password) or PGPASSWORD; ARCHIVE_DIR.
# upload:   ARCHIVE_BUCKET, ARCHIVE_DIR; AWS credentials and region as the aws CLI finds them.
#           The uploader needs only s3:PutObject on the bucket's objects and s3:ListBucket.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
SCRIPT=archive-database
. "$here/script-common.sh"

# The "password" string of the JSON object on stdin, its escapes decoded (RDS writes
# {"username":"...","password":"..."}). Exits 1 without one; 2 on a character outside ASCII.
json_password() {
  awk 'BEGIN { RS = "\001"; hex = "0123456789abcdef" }
  {
    if (!match($0, /"password"[ \t\r\n]*:[ \t\r\n]*"/)) exit 1
    s = substr($0, RSTART + RLENGTH); out = ""
    while (length(s) > 0) {
      c = substr(s, 1, 1)
      if (c == "\"") { printf "%s", out; exit 0 }
      if (c != "\\") { out = out c; s = substr(s, 2); continue }
      e = substr(s, 2, 1); s = substr(s, 3)
      if (e == "n") out = out "\n"
      else if (e == "t") out = out "\t"
      else if (e == "r") out = out "\r"
      else if (e == "b") out = out "\b"
      else if (e == "f") out = out "\f"
      else if (e == "u") {
        code = 0
        for (k = 1; k <= 4; k++) code = code * 16 + index(hex, tolower(substr(s, k, 1))) - 1
        s = substr(s, 5)
        if (code < 1 || code > 127) exit 2
        out = out sprintf("%c", code)
      } else out = out e
    }
    exit 1
  }'
}

password() {
  require DATABASE_SECRET_ID DATABASE_SECRET_FILE
  umask 077
  aws secretsmanager get-secret-value --secret-id "$DATABASE_SECRET_ID" --query SecretString --output text >"$DATABASE_SECRET_FILE.tmp" ||
    fail "cannot read the database secret $DATABASE_SECRET_ID (its message is above)"
  mv "$DATABASE_SECRET_FILE.tmp" "$DATABASE_SECRET_FILE"
  echo "archive-database: read the database secret $DATABASE_SECRET_ID"
}

dump() {
  require ARCHIVE_DIR PGHOST PGDATABASE PGUSER
  if [ -n "${DATABASE_SECRET_FILE:-}" ]; then
    [ -r "$DATABASE_SECRET_FILE" ] || fail "DATABASE_SECRET_FILE names a file that cannot be read: $DATABASE_SECRET_FILE (run the password step first)"
    PGPASSWORD=$(json_password <"$DATABASE_SECRET_FILE") || fail "the database secret in $DATABASE_SECRET_FILE has no usable \"password\" string"
    export PGPASSWORD
  elif [ -n "${PGPASSWORD_FILE:-}" ]; then
    [ -r "$PGPASSWORD_FILE" ] || fail "PGPASSWORD_FILE names a file that cannot be read: $PGPASSWORD_FILE"
    PGPASSWORD=$(cat "$PGPASSWORD_FILE")
    export PGPASSWORD
  fi
  # The database name becomes one segment of the object key.
  case "$PGDATABASE" in
    *[!A-Za-z0-9_.-]* | .*) fail "PGDATABASE must be letters, digits, '_', '.' or '-' (it is part of the object key); got: $PGDATABASE" ;;
  esac
  mkdir -p "$ARCHIVE_DIR"
  work=$ARCHIVE_DIR
  rm -f "$work/archive.dump" "$work/archive.failed" "$work/manifest.json" "$work/key-prefix" "$work/info" "$work/tables.jsonl"

  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  started=$(echo "$stamp" | sed 's/^\(....\)\(..\)\(..\)T\(..\)\(..\)\(..\)Z$/\1-\2-\3T\4:\5:\6Z/')
  ARCHIVE_FILE="$work/archive.dump"
  export ARCHIVE_FILE

  # One read-only transaction exports its snapshot to pg_dump and counts the rows in that same
  # snapshot, so the manifest describes exactly the data in the archive, even while the
  # application keeps writing.
  psql -X -q -w -v ON_ERROR_STOP=1 -v "info=$work/info" -v "tables=$work/tables.jsonl" -v "checksums=$here/table-checksums.sql" <<'SQL'
\pset format unaligned
\pset tuples_only on
BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;
SELECT pg_export_snapshot() AS snapshot \gset
\setenv ARCHIVE_SNAPSHOT :snapshot
\o :info
SELECT to_json(current_database())::text;
SELECT to_json(current_setting('server_version'))::text;
SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
\o
\! pg_dump --no-password --format=custom --snapshot="$ARCHIVE_SNAPSHOT" --file="$ARCHIVE_FILE" || touch "$ARCHIVE_FILE.failed"
\o :tables
\i :checksums
\o
COMMIT;
SQL
  finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  [ ! -e "$work/archive.dump.failed" ] || fail "pg_dump failed (its message is above); nothing to upload"
  [ -s "$work/archive.dump" ] || fail "pg_dump wrote no archive; nothing to upload"

  sha256=$(sha256sum "$work/archive.dump" | cut -d ' ' -f 1)
  bytes=$(wc -c <"$work/archive.dump" | tr -d ' ')
  key_prefix="$prefix_root/$PGDATABASE/$stamp/"
  {
    printf '{\n'
    printf '  "format": "dr-platform/database-archive/1",\n'
    printf '  "keyPrefix": "%s",\n' "$key_prefix"
    printf '  "database": %s,\n' "$(sed -n 1p "$work/info")"
    printf '  "serverVersion": %s,\n' "$(sed -n 2p "$work/info")"
    printf '  "startedAt": "%s",\n' "$started"
    printf '  "snapshotAt": "%s",\n' "$(sed -n 3p "$work/info")"
    printf '  "finishedAt": "%s",\n' "$finished"
    printf '  "archive": { "file": "archive.dump", "format": "custom", "bytes": %s, "sha256": "%s" },\n' "$bytes" "$sha256"
    printf '  "tableChecksum": "sum of the first 60 bits of md5(row text), decimal (backup/table-checksums.sql)",\n'
    if [ -s "$work/tables.jsonl" ]; then
      printf '  "tables": [\n'
      sed -e 's/^/    /' -e '$!s/$/,/' "$work/tables.jsonl"
      printf '  ]\n'
    else
      printf '  "tables": []\n'
    fi
    printf '}\n'
  } >"$work/manifest.json.tmp"
  mv "$work/manifest.json.tmp" "$work/manifest.json"
  printf '%s' "$key_prefix" >"$work/key-prefix"
  echo "archive-database: dumped $PGDATABASE ($bytes bytes, sha256 $sha256) into $work"
}

upload() {
  require ARCHIVE_DIR ARCHIVE_BUCKET
  work=$ARCHIVE_DIR
  for file in archive.dump manifest.json key-prefix; do
    [ -s "$work/$file" ] || fail "$work/$file is missing: run the dump step first"
  done
  key_prefix=$(cat "$work/key-prefix")
  target="s3://$ARCHIVE_BUCKET/$key_prefix"
  aws s3 cp --only-show-errors "$work/archive.dump" "${target}archive.dump"
  aws s3 cp --only-show-errors --content-type application/json "$work/manifest.json" "${target}manifest.json"
  echo "archive-database: uploaded ${target}archive.dump and ${target}manifest.json"
}

case "${1:-}" in
  password) password ;;
  dump) dump ;;
  upload) upload ;;
  all)
    if [ -n "${DATABASE_SECRET_ID:-}" ]; then password; fi
    dump
    upload
    ;;
  *) fail "usage: archive-database.sh password|dump|upload|all (got: ${1:-nothing})" ;;
esac
