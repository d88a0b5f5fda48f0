#!/bin/sh
# Scheduled restore test of the database archives written by archive-database.sh (the CronJob
# RestoreTestJob runs it): an archive chosen at random within a window is restored into an empty
# PostgreSQL and checked against its manifest by verify-archive.sh (the same code as
# `verify-backup`), timed against a target; the outcome becomes a report next to the archive and
# two CloudWatch metrics.
#
#   restore-test.sh pick      choose the archive, fetch it into ARCHIVE_DIR (aws CLI image)
#   restore-test.sh restore   verify-archive.sh restore into a PostgreSQL of its own, timed (postgres image)
#   restore-test.sh report    report next to the archive, metrics; exit 1 when the test failed (aws CLI image)
#   restore-test.sh all       the three in order, where one image has aws, psql and pg_restore
#
# pick:    ARCHIVE_BUCKET, ARCHIVE_DIR; RESTORE_TEST_WINDOW_DAYS (default 7): only archives whose
#          stamp is at most that many days old; ARCHIVE_PREFIX (default postgres);
#          RESTORE_TEST_SEED (a number: the same seed and listing pick the same archive; default
#          random); RESTORE_TEST_NOW (seconds since the epoch; default the clock).
# restore: ARCHIVE_DIR, RESTORE_SECONDS_TARGET (a restore and its checks slower than this fail the
#          test); RESTORE_DATA_DIR (an empty, writable folder: the step runs initdb there and a
#          server listening on a Unix socket in it only, stopped when the step ends), or TARGET_URL
#          (an EMPTY database of a server that already runs) instead.
# report:  ARCHIVE_BUCKET, ARCHIVE_DIR, RESTORE_TEST_NAMESPACE (CloudWatch namespace of the
#          metrics RestoreTestSuccess, 0 or 1, and RestoreSeconds), RESTORE_TEST_ENVIRONMENT (their
#          dimension Environment; none when empty); METRICS_REGION (where the metrics go: the
#          alarms' region, the cluster's; default AWS_REGION, the archives').
#          Writes <archive folder>/restore-test-<stamp>.json, the only object it writes.
#
# pick and restore record their outcome in ARCHIVE_DIR and exit 0 on a failed test, so that the
# report step always runs: a failure is published, not lost with the pod. They exit non-zero
# only when they cannot work at all (no metric then: the alarm treats missing data as a failure).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
SCRIPT=restore-test
. "$here/script-common.sh"

# Records why the test failed; the report step publishes it.
failed() {
  printf '%s\n' "$*" >"$ARCHIVE_DIR/failure"
  echo "restore-test: FAIL: $*"
}

# Milliseconds since the epoch (GNU date; whole seconds where %N is not supported).
now_ms() {
  ns=$(date +%s%N)
  case "$ns" in
    *N) echo "$(($(date +%s) * 1000))" ;;
    *) echo "$((ns / 1000000))" ;;
  esac
}

pick() {
  require ARCHIVE_BUCKET ARCHIVE_DIR
  mkdir -p "$ARCHIVE_DIR"
  rm -f "$ARCHIVE_DIR/archive-key" "$ARCHIVE_DIR/failure" "$ARCHIVE_DIR/restore-ms"
  days=${RESTORE_TEST_WINDOW_DAYS:-7}
  now=${RESTORE_TEST_NOW:-$(date +%s)}
  # Stamps sort as text: every archive at or after the window's start qualifies.
  since=$(date -u -d "@$((now - days * 86400))" +%Y%m%dT%H%M%SZ)
  until=$(date -u -d "@$now" +%Y%m%dT%H%M%SZ)
  seed=${RESTORE_TEST_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
  listing=$(aws s3api list-objects-v2 --bucket "$ARCHIVE_BUCKET" --prefix "$prefix_root" --query 'Contents[].Key' --output text) ||
    fail "cannot list s3://$ARCHIVE_BUCKET/$prefix_root/ (the message is above)"
  folder=$(echo "$listing" | tr '\t' '\n' | grep -E "^$prefix_root/[^/]+/[0-9]{8}T[0-9]{6}Z/manifest\.json\$" |
    awk -F/ -v since="$since" -v until="$until" '$3 >= since && $3 <= until' | sort | sed 's/manifest\.json$//' |
    awk -v seed="$seed" 'BEGIN { srand(seed) } { folders[NR] = $0 } END { if (NR > 0) print folders[int(rand() * NR) + 1] }') || true
  if [ -z "$folder" ]; then
    failed "no archive with a manifest.json under s3://$ARCHIVE_BUCKET/$prefix_root/ since $since (window $days days)"
    return 0
  fi
  printf '%s' "$folder" >"$ARCHIVE_DIR/archive-key"
  echo "restore-test: picked s3://$ARCHIVE_BUCKET/${folder} (seed $seed, window $days days since $since)"
  ARCHIVE_KEY=$folder sh "$here/verify-archive.sh" fetch
}

# A throwaway server in RESTORE_DATA_DIR: no TCP, trust on its own socket, stopped on exit.
start_server() {
  require RESTORE_DATA_DIR
  data=$RESTORE_DATA_DIR/pgdata
  socket=$RESTORE_DATA_DIR/socket
  rm -rf "$data" "$socket"
  mkdir -p "$socket"
  initdb --pgdata="$data" --username=postgres --auth=trust --encoding=UTF8 --no-locale --no-sync >"$RESTORE_DATA_DIR/initdb.log" 2>&1 ||
    fail "initdb failed: $(tail -n 3 "$RESTORE_DATA_DIR/initdb.log")"
  trap 'pg_ctl --pgdata="$data" --mode=fast stop >/dev/null 2>&1 || true' EXIT
  pg_ctl --pgdata="$data" --log="$RESTORE_DATA_DIR/server.log" --wait \
    --options="-c listen_addresses= -k $socket -c fsync=off -c full_page_writes=off" start >/dev/null ||
    fail "the PostgreSQL server did not start: $(tail -n 3 "$RESTORE_DATA_DIR/server.log")"
  createdb --host="$socket" --username=postgres restoretest
  TARGET_URL="postgresql://postgres@/restoretest?host=$socket"
  export TARGET_URL
  echo "restore-test: started PostgreSQL $(postgres --version | sed 's/^[^)]*) \([^ ]*\).*/\1/') in $data"
}

restore() {
  require ARCHIVE_DIR RESTORE_SECONDS_TARGET
  [ ! -s "$ARCHIVE_DIR/failure" ] || return 0
  [ -s "$ARCHIVE_DIR/archive-key" ] || fail "$ARCHIVE_DIR/archive-key is missing: run the pick step first"
  if [ -z "${TARGET_URL:-}" ]; then start_server; fi
  started=$(now_ms)
  if sh "$here/verify-archive.sh" restore >"$ARCHIVE_DIR/verify.log" 2>&1; then status=0; else status=$?; fi
  finished=$(now_ms)
  cat "$ARCHIVE_DIR/verify.log"
  elapsed=$((finished - started))
  printf '%s' "$elapsed" >"$ARCHIVE_DIR/restore-ms"
  seconds=$(awk -v ms="$elapsed" 'BEGIN { printf "%.1f", ms / 1000 }')
  if [ "$status" != 0 ]; then
    # verify-archive.sh prints each differing table as "DIFFERENT expected|got {json}".
    tables=$(sed -n 's/^DIFFERENT [a-z]* *{.*"schema" *: *"\([^"]*\)".*"table" *: *"\([^"]*\)".*/\1.\2/p' "$ARCHIVE_DIR/verify.log" |
      sort -u | tr '\n' ' ' | sed 's/ $//')
    if [ -n "$tables" ]; then
      failed "tables differ from the manifest: $tables"
    else
      failed "$(grep -v '^$' "$ARCHIVE_DIR/verify.log" | tail -n 1)"
    fi
  elif [ "$elapsed" -gt $((RESTORE_SECONDS_TARGET * 1000)) ]; then
    failed "the restore and its checks took $seconds s, over the target of $RESTORE_SECONDS_TARGET s"
  else
    echo "restore-test: PASS in $seconds s (target $RESTORE_SECONDS_TARGET s)"
  fi
}

# A JSON string of the text on stdin (quotes, backslashes and control characters escaped).
json_string() {
  awk 'BEGIN { RS = "\001"; ORS = "" } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); gsub(/\r/, ""); sub(/\n+$/, ""); gsub(/\n/, "\\n"); print "\"" $0 "\"" }'
}

report() {
  require ARCHIVE_BUCKET ARCHIVE_DIR RESTORE_TEST_NAMESPACE
  work=$ARCHIVE_DIR
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  tested_at=$(echo "$stamp" | sed 's/^\(....\)\(..\)\(..\)T\(..\)\(..\)\(..\)Z$/\1-\2-\3T\4:\5:\6Z/')
  if [ -s "$work/failure" ]; then success=0; else success=1; fi
  [ "$success" = 0 ] || [ -s "$work/restore-ms" ] || fail "$work/restore-ms is missing: run the restore step first"
  dimensions=
  if [ -n "${RESTORE_TEST_ENVIRONMENT:-}" ]; then dimensions=",Dimensions=[{Name=Environment,Value=$RESTORE_TEST_ENVIRONMENT}]"; fi
  metrics="MetricName=RestoreTestSuccess,Value=$success,Unit=Count$dimensions"
  if [ -s "$work/restore-ms" ]; then
    seconds=$(awk -v ms="$(cat "$work/restore-ms")" 'BEGIN { printf "%.1f", ms / 1000 }')
    metrics="$metrics MetricName=RestoreSeconds,Value=$seconds,Unit=Seconds$dimensions"
  else
    seconds=null
  fi
  if [ -s "$work/archive-key" ]; then
    folder=$(cat "$work/archive-key")
    key="${folder}restore-test-$stamp.json"
    {
      printf '{\n'
      printf '  "format": "dr-platform/restore-test/1",\n'
      printf '  "archiveKey": "%sarchive.dump",\n' "$folder"
      printf '  "testedAt": "%s",\n' "$tested_at"
      if [ "$success" = 1 ]; then printf '  "passed": true,\n'; else printf '  "passed": false,\n'; fi
      printf '  "restoreSeconds": %s,\n' "$seconds"
      printf '  "restoreSecondsTarget": %s,\n' "${RESTORE_SECONDS_TARGET:-null}"
      if [ "$success" = 1 ]; then printf '  "failure": null\n'; else printf '  "failure": %s\n' "$(json_string <"$work/failure")"; fi
      printf '}\n'
    } >"$work/report.json"
    aws s3 cp --only-show-errors --content-type application/json "$work/report.json" "s3://$ARCHIVE_BUCKET/$key"
    echo "restore-test: wrote s3://$ARCHIVE_BUCKET/$key"
  fi
  # shellcheck disable=SC2086 # one argument per metric
  aws cloudwatch put-metric-data --region "${METRICS_REGION:-$AWS_REGION}" --namespace "$RESTORE_TEST_NAMESPACE" --metric-data $metrics
  echo "restore-test: published RestoreTestSuccess=$success to $RESTORE_TEST_NAMESPACE in ${METRICS_REGION:-$AWS_REGION}"
  if [ "$success" = 0 ]; then fail "FAIL: $(cat "$work/failure")"; fi
  echo "restore-test: PASS"
}

case "${1:-}" in
  pick) pick ;;
  restore) restore ;;
  report) report ;;
  all)
    pick
    restore
    report
    ;;
  *) fail "usage: restore-test.sh pick|restore|report|all (got: ${1:-nothing})" ;;
esac
