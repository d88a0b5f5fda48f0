#!/bin/sh
# In-cluster verification of a database archive written by archive-database.sh (the Job that
# `verify-backup --print-job` prints runs it; the CLI does the same in TypeScript).
#
#   verify-archive.sh fetch     newest (or ARCHIVE_KEY's) archive and manifest into ARCHIVE_DIR (amazon/aws-cli image)
#   verify-archive.sh restore   sha256, restore into the EMPTY database TARGET_URL, compare tables (postgres image)
#
# fetch:   ARCHIVE_BUCKET, ARCHIVE_DIR; ARCHIVE_KEY (a folder, archive.dump or manifest.json key)
#          or ARCHIVE_DATABASE to pick the newest of one database; ARCHIVE_PREFIX (default postgres).
# restore: ARCHIVE_DIR, TARGET_URL (postgresql://...; from a secret).
# Exit status 0 only when every table's row count and checksum match the manifest.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
SCRIPT=verify-archive
. "$here/script-common.sh"

fetch() {
  require ARCHIVE_BUCKET ARCHIVE_DIR
  mkdir -p "$ARCHIVE_DIR"
  if [ -n "${ARCHIVE_KEY:-}" ]; then
    folder=$(echo "$ARCHIVE_KEY" | sed -e 's/archive\.dump$//' -e 's/manifest\.json$//' -e 's:/*$:/:')
  else
    # Stamps sort as text: the newest folder holding a manifest is the last one.
    database=${ARCHIVE_DATABASE:-[^/]*}
    folder=$(aws s3api list-objects-v2 --bucket "$ARCHIVE_BUCKET" --prefix "$prefix_root" --query 'Contents[].Key' --output text |
      tr '\t' '\n' | grep -E "^$prefix_root/$database/[0-9]{8}T[0-9]{6}Z/manifest\.json\$" |
      awk -F/ '{ print $3 "\t" $0 }' | sort | tail -n 1 | cut -f 2 | sed 's/manifest\.json$//') || true
    [ -n "$folder" ] || fail "no archive with a manifest.json under s3://$ARCHIVE_BUCKET/$prefix_root/"
  fi
  aws s3 cp --only-show-errors "s3://$ARCHIVE_BUCKET/${folder}manifest.json" "$ARCHIVE_DIR/manifest.json"
  aws s3 cp --only-show-errors "s3://$ARCHIVE_BUCKET/${folder}archive.dump" "$ARCHIVE_DIR/archive.dump"
  echo "verify-archive: fetched s3://$ARCHIVE_BUCKET/${folder}archive.dump"
}

restore() {
  require ARCHIVE_DIR TARGET_URL
  work=$ARCHIVE_DIR
  manifest="$work/manifest.json"
  expected_sha=$(sed -n 's/.*"sha256": "\([0-9a-f]*\)".*/\1/p' "$manifest")
  got_sha=$(sha256sum "$work/archive.dump" | cut -d ' ' -f 1)
  if [ "$expected_sha" != "$got_sha" ]; then
    echo "DIFFERENT archive sha256: expected $expected_sha, got $got_sha"
    echo "FAIL: the archive is not the one the manifest describes; nothing restored"
    exit 1
  fi
  relations=$(psql -X -q -w -A -t -v ON_ERROR_STOP=1 --dbname "$TARGET_URL" -c \
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'")
  [ "$relations" = 0 ] || fail "the target database is not empty ($relations relations); restore only into an empty database"

  started=$(date +%s)
  pg_restore --no-owner --no-acl --exit-on-error --dbname "$TARGET_URL" "$work/archive.dump"
  finished=$(date +%s)
  psql -X -q -w -A -t -v ON_ERROR_STOP=1 --dbname "$TARGET_URL" -f "$here/table-checksums.sql" >"$work/restored.jsonl"
  # The manifest's tables are one JSON object per line, as table-checksums.sql prints them.
  sed -n '/"tables": \[/,/^  \]/p' "$manifest" | sed -e '1d' -e '$d' -e 's/^    //' -e 's/,$//' >"$work/expected.jsonl"

  echo "recovery point: $(sed -n 's/.*"snapshotAt": "\(.*\)".*/\1/p' "$manifest")"
  echo "restore: $((finished - started)) s"
  if diff "$work/expected.jsonl" "$work/restored.jsonl" >"$work/differences"; then
    echo "PASS: every table's row count and checksum match the manifest"
  else
    sed -n -e 's/^< /DIFFERENT expected /p' -e 's/^> /DIFFERENT got      /p' "$work/differences"
    echo "FAIL: the restored tables differ from the manifest"
    exit 1
  fi
}

case "${1:-}" in
  fetch) fetch ;;
  restore) restore ;;
  *) fail "usage: verify-archive.sh fetch|restore (got: ${1:-nothing})" ;;
esac
