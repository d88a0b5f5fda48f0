#!/bin/sh
# Point-in-time restore test of the RDS automated backups (the CronJob PointInTimeRestoreTestJob
# runs it, opt-in, monthly): the source instance's backups are restored, beside it, into a
# temporary instance at the snapshot time of an archive written by archive-database.sh chosen at
# random within a window; the restored tables are compared with that archive's manifest; every
# temporary instance is deleted; the outcome becomes a report next to the archive and two
# CloudWatch metrics.
#
#   pitr-restore-test.sh start    choose the restore point, restore, set a fresh master password (aws CLI image)
#   pitr-restore-test.sh check    compare the restored tables with the manifest, timed (postgres image)
#   pitr-restore-test.sh finish   delete the temporary instances, report, metrics; exit 1 when the test failed (aws CLI image)
#   pitr-restore-test.sh all      the three in order, where one image has aws and psql
#
# start:  ARCHIVE_BUCKET, ARCHIVE_REGION (the bucket's region, drRegion; default AWS_REGION),
#         ARCHIVE_DIR (the steps' shared work folder), SECRET_DIR (a memory-backed
#         folder only start and check share: the temporary instance's master password),
#         AWS_REGION, SOURCE_DB_IDENTIFIER, RESTORE_DB_PREFIX (the temporary instance is
#         <prefix>-<YYYYMMDDHHMM>; it must start with "<SOURCE_DB_IDENTIFIER>-"),
#         DB_INSTANCE_CLASS, DB_SUBNET_GROUP, DB_PARAMETER_GROUP, DB_SECURITY_GROUP_IDS (space
#         separated), RESTORE_SECONDS_TARGET (the restore until the instance is available, and its
#         checks, slower than this fail the test); RESTORE_TEST_WINDOW_DAYS (default 7): only
#         archives whose stamp is at most that many days old, and inside the source's restorable
#         window (after its InstanceCreateTime and now - BackupRetentionPeriod days, not after its
#         LatestRestorableTime); ARCHIVE_PREFIX (default postgres); RESTORE_TEST_SEED (a number: the
#         same seed and listing pick the same archive; default random); RESTORE_TEST_NOW (seconds
#         since the epoch; default the clock); RESTORE_POLL_SECONDS (between two looks at the
#         instance's status; default 30).
#         Reads only the chosen archive's manifest.json (its snapshotAt is the restore time, its
#         database and tables what the check expects), never the dump.
# check:  ARCHIVE_DIR, SECRET_DIR, RESTORE_SECONDS_TARGET; libpq's PGSSLMODE (require),
#         PGCONNECT_TIMEOUT, ... apply; RESTORE_POLL_SECONDS (between two connection attempts;
#         default 30). Connects to the endpoint start recorded, as the master user, with the password
#         from SECRET_DIR (through a PGPASSFILE there; never printed).
# finish: ARCHIVE_BUCKET, ARCHIVE_REGION, ARCHIVE_DIR, AWS_REGION (RDS, the metrics: the alarm's), SOURCE_DB_IDENTIFIER, RESTORE_DB_PREFIX,
#         RESTORE_SECONDS_TARGET, RESTORE_TEST_NAMESPACE (CloudWatch namespace of the metrics
#         PointInTimeRestoreTestSuccess, 0 or 1, and PointInTimeRestoreSeconds),
#         RESTORE_TEST_ENVIRONMENT (their dimension Environment; none when empty).
#         Deletes EVERY instance whose identifier starts with "<RESTORE_DB_PREFIX>-" (this run's and
#         those a killed run left; nothing else), without waiting for the deletion; writes
#         <archive folder>pitr-test-<stamp>.json (format dr-platform/pitr-restore-test/1), the only
#         object it writes, when start chose an archive.
#
# Records in ARCHIVE_DIR: failure (why the test failed), archive-key (the archive's folder),
# manifest.json, restore-time, instance (recorded as soon as the restore call succeeded, so that
# finish deletes it whatever happens next), restore-called-ms, target (host=, port=, user=,
# database= lines), tables ("expected present exact"), restore-ms. The password is never there.
#
# start and check record a failed test with `failed` and exit 0, so that finish always runs: a
# failure is published and the temporary instance deleted, not lost with the pod. They exit
# non-zero only when they cannot work at all (a variable missing) before anything was created.
# Row counts and checksums that differ from the manifest are reported, not judged: the archive's
# snapshot and the restore point (its snapshotAt, to the millisecond) differ by the writes
# committed within that same instant. A table of the manifest missing from the restored database
# fails the test.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
SCRIPT=pitr-restore-test
. "$here/script-common.sh"
# The archives are in drRegion; RDS and the metrics in the database's region (AWS_REGION).
archive_region=${ARCHIVE_REGION:-${AWS_REGION:-}}

# Records why the test failed; finish publishes it.
failed() {
  printf '%s\n' "$*" >"$ARCHIVE_DIR/failure"
  echo "pitr-restore-test: FAIL: $*"
}

# Milliseconds since the epoch (GNU date; whole seconds where %N is not supported).
now_ms() {
  ns=$(date +%s%N)
  case "$ns" in
    *N) echo "$(($(date +%s) * 1000))" ;;
    *) echo "$((ns / 1000000))" ;;
  esac
}

# An ISO 8601 time in UTC (2026-12-03T05:00:00Z, ...T05:00:00.123456+00:00) as 17 digits,
# YYYYMMDDHHMMSSmmm, which compare as numbers; exit 1 for anything else.
iso_digits() {
  awk -v t="$1" 'BEGIN {
    if (t !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9]:[0-9][0-9](\.[0-9]+)?(Z|[+]00:?00)$/) exit 1
    f = ""
    if (substr(t, 20, 1) == ".") { f = substr(t, 21); sub(/[^0-9].*$/, "", f) }
    print substr(t, 1, 4) substr(t, 6, 2) substr(t, 9, 2) substr(t, 12, 2) substr(t, 15, 2) substr(t, 18, 2) substr(f "000", 1, 3)
  }'
}

# Seconds since the epoch as 17 digits (see iso_digits).
epoch_digits() {
  echo "$(date -u -d "@$1" +%Y%m%d%H%M%S)000"
}

# 17 digits as a readable time (2026-12-03T05:00:00.123Z).
digits_iso() {
  echo "$1" | sed 's/^\(....\)\(..\)\(..\)\(..\)\(..\)\(..\)\(...\)$/\1-\2-\3T\4:\5:\6.\7Z/'
}

# The last lines of a command's error output, on one line.
tail_of() {
  tail -n 3 "$1" 2>/dev/null | tr '\n' ' ' | sed 's/ *$//'
}

# A field of the target record.
target_field() {
  sed -n "s/^$1=//p" "$ARCHIVE_DIR/target" | head -n 1
}

# The instance's status and pending master password change, as "available None".
instance_state() {
  aws rds describe-db-instances --db-instance-identifier "$1" \
    --query 'DBInstances[0].[DBInstanceStatus,PendingModifiedValues.MasterUserPassword]' --output text 2>"$ARCHIVE_DIR/aws.err" | tr '\t' ' '
}

# Waits until the instance is available with no password change pending; 1 when RESTORE_SECONDS_TARGET
# has passed since the restore call first.
wait_available() {
  while :; do
    state=$(instance_state "$1") || state="unknown ($(tail_of "$ARCHIVE_DIR/aws.err"))"
    case "$state" in
      "available None" | "available") return 0 ;;
    esac
    if [ $(($(now_ms) - called)) -ge $((RESTORE_SECONDS_TARGET * 1000)) ]; then return 1; fi
    echo "pitr-restore-test: $1 is $state; looking again in $poll s"
    sleep "$poll"
  done
}

start() {
  require ARCHIVE_BUCKET ARCHIVE_DIR SECRET_DIR AWS_REGION SOURCE_DB_IDENTIFIER RESTORE_DB_PREFIX DB_INSTANCE_CLASS \
    DB_SUBNET_GROUP DB_PARAMETER_GROUP DB_SECURITY_GROUP_IDS RESTORE_SECONDS_TARGET
  case "$RESTORE_DB_PREFIX" in
    "$SOURCE_DB_IDENTIFIER"-?*) ;;
    *) fail "RESTORE_DB_PREFIX must start with \"$SOURCE_DB_IDENTIFIER-\" (got: $RESTORE_DB_PREFIX)" ;;
  esac
  mkdir -p "$ARCHIVE_DIR" "$SECRET_DIR"
  for record in failure failure.tmp archive-key manifest.json restore-time instance restore-called-ms target tables restore-ms \
    expected.jsonl restored.jsonl comparison report.json aws.err psql.err; do
    rm -f "${ARCHIVE_DIR:?}/$record"
  done
  rm -f "$SECRET_DIR/password" "$SECRET_DIR/pgpass" "$SECRET_DIR/modify.json"
  days=${RESTORE_TEST_WINDOW_DAYS:-7}
  poll=${RESTORE_POLL_SECONDS:-30}
  now=${RESTORE_TEST_NOW:-$(date +%s)}
  seed=${RESTORE_TEST_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}

  # The source's restorable window.
  described=$(aws rds describe-db-instances --db-instance-identifier "$SOURCE_DB_IDENTIFIER" \
    --query 'DBInstances[0].[MasterUsername,LatestRestorableTime,BackupRetentionPeriod,InstanceCreateTime]' --output text 2>"$ARCHIVE_DIR/aws.err") || {
    failed "cannot describe the source instance $SOURCE_DB_IDENTIFIER: $(tail_of "$ARCHIVE_DIR/aws.err")"
    return 0
  }
  # shellcheck disable=SC2086 # tab-separated fields
  set -- $described
  master_user=${1:-} latest=${2:-} retention=${3:-0} created=${4:-}
  case "$retention" in '' | *[!0-9]*) retention=0 ;; esac
  if [ "$retention" -lt 1 ] || ! latest_digits=$(iso_digits "$latest"); then
    failed "the source instance $SOURCE_DB_IDENTIFIER has no restorable window (BackupRetentionPeriod $retention, LatestRestorableTime $latest): automated backups are off"
    return 0
  fi
  if ! created_digits=$(iso_digits "$created"); then
    failed "cannot read the InstanceCreateTime of $SOURCE_DB_IDENTIFIER (got: $created)"
    return 0
  fi
  earliest_digits=$(epoch_digits $((now - retention * 86400)))
  if [ "$created_digits" -gt "$earliest_digits" ]; then earliest_digits=$created_digits; fi
  since_digits=$(epoch_digits $((now - days * 86400)))
  until_digits=$(epoch_digits "$now")

  # Stamps are whole seconds (the dump's start); the manifest's snapshotAt, a little later, is checked to the millisecond below.
  listing=$(aws s3api list-objects-v2 --region "$archive_region" --bucket "$ARCHIVE_BUCKET" --prefix "$prefix_root" --query 'Contents[].Key' --output text 2>"$ARCHIVE_DIR/aws.err") || {
    failed "cannot list s3://$ARCHIVE_BUCKET/$prefix_root/: $(tail_of "$ARCHIVE_DIR/aws.err")"
    return 0
  }
  folder=$(echo "$listing" | tr '\t' '\n' | grep -E "^$prefix_root/[^/]+/[0-9]{8}T[0-9]{6}Z/manifest\.json\$" |
    awk -F/ -v since="$since_digits" -v until="$until_digits" -v earliest="$earliest_digits" -v latest="$latest_digits" '{
      stamp = substr($3, 1, 8) substr($3, 10, 6)
      # Within the window; inside the restorable window (at second resolution at its start).
      if (stamp "000" >= since && stamp "000" <= until && stamp "999" >= earliest && stamp "000" <= latest) print }' |
    sort | sed 's/manifest\.json$//' |
    awk -v seed="$seed" 'BEGIN { srand(seed) } { folders[NR] = $0 } END { if (NR > 0) print folders[int(rand() * NR) + 1] }') || true
  window="window $days days since $(digits_iso "$since_digits"); restorable from $(digits_iso "$earliest_digits") to $(digits_iso "$latest_digits")"
  if [ -z "$folder" ]; then
    failed "no archive with a manifest.json under s3://$ARCHIVE_BUCKET/$prefix_root/ within the window and the restorable window of $SOURCE_DB_IDENTIFIER ($window)"
    return 0
  fi
  printf '%s' "$folder" >"$ARCHIVE_DIR/archive-key"
  echo "pitr-restore-test: picked s3://$ARCHIVE_BUCKET/${folder}manifest.json (seed $seed, $window)"
  aws s3 cp --region "$archive_region" --only-show-errors "s3://$ARCHIVE_BUCKET/${folder}manifest.json" "$ARCHIVE_DIR/manifest.json" 2>"$ARCHIVE_DIR/aws.err" || {
    failed "cannot read s3://$ARCHIVE_BUCKET/${folder}manifest.json: $(tail_of "$ARCHIVE_DIR/aws.err")"
    return 0
  }
  restore_time=$(sed -n 's/^ *"snapshotAt": "\([^"]*\)".*/\1/p' "$ARCHIVE_DIR/manifest.json" | head -n 1)
  database=$(sed -n 's/^ *"database": "\([^"]*\)".*/\1/p' "$ARCHIVE_DIR/manifest.json" | head -n 1)
  if ! restore_digits=$(iso_digits "$restore_time") || [ -z "$database" ]; then
    failed "the manifest ${folder}manifest.json has no usable snapshotAt or database"
    return 0
  fi
  if [ "$restore_digits" -lt "$earliest_digits" ] || [ "$restore_digits" -gt "$latest_digits" ]; then
    failed "the archive's snapshotAt $restore_time is outside the restorable window of $SOURCE_DB_IDENTIFIER ($(digits_iso "$earliest_digits") to $(digits_iso "$latest_digits"))"
    return 0
  fi
  printf '%s' "$restore_time" >"$ARCHIVE_DIR/restore-time"

  instance="$RESTORE_DB_PREFIX-$(date -u -d "@$now" +%Y%m%d%H%M)"
  called=$(now_ms)
  printf '%s' "$called" >"$ARCHIVE_DIR/restore-called-ms"
  # shellcheck disable=SC2086 # one argument per security group
  aws rds restore-db-instance-to-point-in-time \
    --source-db-instance-identifier "$SOURCE_DB_IDENTIFIER" \
    --target-db-instance-identifier "$instance" \
    --restore-time "$restore_time" \
    --db-instance-class "$DB_INSTANCE_CLASS" \
    --db-subnet-group-name "$DB_SUBNET_GROUP" \
    --db-parameter-group-name "$DB_PARAMETER_GROUP" \
    --vpc-security-group-ids $DB_SECURITY_GROUP_IDS \
    --no-publicly-accessible --no-multi-az --no-deletion-protection --no-manage-master-user-password \
    --tags "Key=dr-platform:restore-test,Value=$SOURCE_DB_IDENTIFIER" \
    --query 'DBInstance.DBInstanceIdentifier' --output text >/dev/null 2>"$ARCHIVE_DIR/aws.err" || {
    failed "the restore of $SOURCE_DB_IDENTIFIER to $restore_time into $instance failed: $(tail_of "$ARCHIVE_DIR/aws.err")"
    return 0
  }
  # From here on, finish deletes it whatever happens.
  printf '%s' "$instance" >"$ARCHIVE_DIR/instance"
  echo "pitr-restore-test: restoring $SOURCE_DB_IDENTIFIER to $restore_time (the archive's snapshotAt) into $instance"
  if ! wait_available "$instance"; then
    failed "restore slower than target: $instance was not available $RESTORE_SECONDS_TARGET s after the restore call"
    return 0
  fi
  echo "pitr-restore-test: $instance is available after $((($(now_ms) - called) / 1000)) s"

  # A fresh master password, in memory and in SECRET_DIR only: never printed, never an argument.
  umask 077
  password=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
  [ "${#password}" -ge 32 ] || fail "cannot read /dev/urandom"
  printf '%s' "$password" >"$SECRET_DIR/password"
  chmod 600 "$SECRET_DIR/password"
  # The restore asked for no Secrets Manager password (no secret to create, no rights for it);
  # should the copy still have one (moto gives it its source's setting), a password is refused
  # unless the management is turned off for the copy.
  managed=$(aws rds describe-db-instances --db-instance-identifier "$instance" --query 'DBInstances[0].MasterUserSecret.SecretArn' --output text 2>"$ARCHIVE_DIR/aws.err") || {
    failed "cannot describe $instance: $(tail_of "$ARCHIVE_DIR/aws.err")"
    return 0
  }
  case "$managed" in
    "" | None) unmanage="" ;;
    *) unmanage=', "ManageMasterUserPassword": false' ;;
  esac
  printf '{"DBInstanceIdentifier": "%s", "MasterUserPassword": "%s", "ApplyImmediately": true%s}\n' "$instance" "$password" "$unmanage" >"$SECRET_DIR/modify.json"
  unset password
  if ! aws rds modify-db-instance --cli-input-json "file://$SECRET_DIR/modify.json" --query 'DBInstance.DBInstanceIdentifier' --output text >/dev/null 2>"$ARCHIVE_DIR/aws.err"; then
    rm -f "$SECRET_DIR/modify.json"
    failed "cannot set the master password of $instance: $(tail_of "$ARCHIVE_DIR/aws.err")"
    return 0
  fi
  rm -f "$SECRET_DIR/modify.json"
  if ! wait_available "$instance"; then
    failed "restore slower than target: $instance was still applying its new master password $RESTORE_SECONDS_TARGET s after the restore call"
    return 0
  fi
  endpoint=$(aws rds describe-db-instances --db-instance-identifier "$instance" --query 'DBInstances[0].[Endpoint.Address,Endpoint.Port]' --output text 2>"$ARCHIVE_DIR/aws.err") || {
    failed "cannot read the endpoint of $instance: $(tail_of "$ARCHIVE_DIR/aws.err")"
    return 0
  }
  # shellcheck disable=SC2086 # tab-separated fields
  set -- $endpoint
  if [ -z "${1:-}" ] || [ "${1:-}" = None ] || [ -z "${2:-}" ]; then
    failed "$instance has no endpoint"
    return 0
  fi
  printf 'host=%s\nport=%s\nuser=%s\ndatabase=%s\n' "$1" "$2" "$master_user" "$database" >"$ARCHIVE_DIR/target"
  echo "pitr-restore-test: $instance is ready at $1:$2 (database $database, user $master_user)"
}

check() {
  require ARCHIVE_DIR SECRET_DIR RESTORE_SECONDS_TARGET
  if [ -s "$ARCHIVE_DIR/failure" ]; then
    echo "pitr-restore-test: check skipped: the test already failed ($(cat "$ARCHIVE_DIR/failure"))"
    return 0
  fi
  for record in target manifest.json restore-called-ms; do
    if [ ! -s "$ARCHIVE_DIR/$record" ]; then
      failed "$ARCHIVE_DIR/$record is missing: the start step did not finish"
      return 0
    fi
  done
  if [ ! -s "$SECRET_DIR/password" ]; then
    failed "$SECRET_DIR/password is missing: the start step did not finish"
    return 0
  fi
  poll=${RESTORE_POLL_SECONDS:-30}
  PGHOST=$(target_field host) PGPORT=$(target_field port) PGUSER=$(target_field user) PGDATABASE=$(target_field database)
  # A password file, not a variable or an argument: ':' and '\' escaped as libpq wants.
  (
    umask 077
    printf '*:*:*:*:%s\n' "$(sed -e 's/\\/\\\\/g' -e 's/:/\\:/g' "$SECRET_DIR/password")" >"$SECRET_DIR/pgpass"
  )
  PGPASSFILE=$SECRET_DIR/pgpass
  PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-15}
  export PGHOST PGPORT PGUSER PGDATABASE PGPASSFILE PGCONNECT_TIMEOUT
  unset PGPASSWORD

  # The new password may take a moment to reach the server: a few attempts.
  attempt=1
  until psql -X -q -w -A -t -v ON_ERROR_STOP=1 -c 'SELECT 1' >/dev/null 2>"$ARCHIVE_DIR/psql.err"; do
    if [ "$attempt" -ge 3 ]; then
      rm -f "$SECRET_DIR/pgpass"
      failed "cannot connect to $PGDATABASE on $PGHOST:$PGPORT as $PGUSER: $(tail_of "$ARCHIVE_DIR/psql.err")"
      return 0
    fi
    attempt=$((attempt + 1))
    sleep "$poll"
  done
  if ! psql -X -q -w -A -t -v ON_ERROR_STOP=1 -f "$here/table-checksums.sql" >"$ARCHIVE_DIR/restored.jsonl" 2>"$ARCHIVE_DIR/psql.err"; then
    rm -f "$SECRET_DIR/pgpass"
    failed "cannot read the tables of $PGDATABASE on $PGHOST:$PGPORT: $(tail_of "$ARCHIVE_DIR/psql.err")"
    return 0
  fi
  rm -f "$SECRET_DIR/pgpass"
  # The manifest's tables are one JSON object per line, as table-checksums.sql prints them.
  sed -n '/"tables": \[/,/^  \]/p' "$ARCHIVE_DIR/manifest.json" | sed -e '1d' -e '$d' -e 's/^    //' -e 's/,$//' >"$ARCHIVE_DIR/expected.jsonl"
  # One line per table: MISSING, DIFFERENT (expected and got) or EXTRA; then the counts.
  awk -v counts="$ARCHIVE_DIR/tables" '
    function key(line,   s, t) {
      s = line; sub(/^.*"schema" *: *"/, "", s); sub(/".*$/, "", s)
      t = line; sub(/^.*"table" *: *"/, "", t); sub(/".*$/, "", t)
      return s "." t
    }
    FNR == NR { if ($0 != "") got[key($0)] = $0; next }
    $0 != "" {
      k = key($0); expected++; seen[k] = 1
      if (!(k in got)) { print "MISSING " k; next }
      present++
      if (got[k] == $0) exact++
      else { print "DIFFERENT " k " expected " $0; print "DIFFERENT " k " got      " got[k] }
    }
    END {
      for (k in got) if (!(k in seen)) print "EXTRA " k " " got[k]
      print expected + 0, present + 0, exact + 0 > counts
    }' "$ARCHIVE_DIR/restored.jsonl" "$ARCHIVE_DIR/expected.jsonl" >"$ARCHIVE_DIR/comparison"
  finished=$(now_ms)
  elapsed=$((finished - $(cat "$ARCHIVE_DIR/restore-called-ms")))
  printf '%s' "$elapsed" >"$ARCHIVE_DIR/restore-ms"
  seconds=$(awk -v ms="$elapsed" 'BEGIN { printf "%.1f", ms / 1000 }')
  # shellcheck disable=SC2046 # three numbers
  set -- $(cat "$ARCHIVE_DIR/tables")
  echo "pitr-restore-test: restore point $(cat "$ARCHIVE_DIR/restore-time"): $1 tables in the manifest, $2 present, $3 exact"
  if grep -q '^DIFFERENT ' "$ARCHIVE_DIR/comparison"; then
    grep '^DIFFERENT ' "$ARCHIVE_DIR/comparison" | sed 's/^/pitr-restore-test: /'
    echo "pitr-restore-test: reported, not judged: the archive's snapshot and the restore point differ by the writes committed within the same second"
  fi
  grep '^EXTRA ' "$ARCHIVE_DIR/comparison" | sed 's/^/pitr-restore-test: /' || true
  missing=$(sed -n 's/^MISSING //p' "$ARCHIVE_DIR/comparison" | sort | tr '\n' ' ' | sed 's/ $//')
  if [ -n "$missing" ]; then
    failed "tables of the manifest missing from the restored database: $missing"
  elif [ "$elapsed" -gt $((RESTORE_SECONDS_TARGET * 1000)) ]; then
    failed "the restore and its checks took $seconds s, over the target of $RESTORE_SECONDS_TARGET s"
  else
    echo "pitr-restore-test: PASS in $seconds s from the restore call (target $RESTORE_SECONDS_TARGET s)"
  fi
}

# A JSON string of the text on stdin (quotes, backslashes and control characters escaped).
json_string() {
  awk 'BEGIN { RS = "\001"; ORS = "" } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); gsub(/\r/, ""); sub(/\n+$/, ""); gsub(/\n/, "\\n"); print "\"" $0 "\"" }'
}

# A record as a JSON string, or null when it is missing or empty.
json_record() {
  if [ -s "$ARCHIVE_DIR/$1" ]; then json_string <"$ARCHIVE_DIR/$1"; else printf 'null'; fi
}

finish() {
  require ARCHIVE_BUCKET ARCHIVE_DIR AWS_REGION SOURCE_DB_IDENTIFIER RESTORE_DB_PREFIX RESTORE_TEST_NAMESPACE
  case "$RESTORE_DB_PREFIX" in
    "$SOURCE_DB_IDENTIFIER"-?*) ;;
    *) fail "RESTORE_DB_PREFIX must start with \"$SOURCE_DB_IDENTIFIER-\" (got: $RESTORE_DB_PREFIX)" ;;
  esac
  mkdir -p "$ARCHIVE_DIR"
  work=$ARCHIVE_DIR
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  tested_at=$(echo "$stamp" | sed 's/^\(....\)\(..\)\(..\)T\(..\)\(..\)\(..\)Z$/\1-\2-\3T\4:\5:\6Z/')

  # Every temporary instance: this run's, and those a killed run left. Only under the prefix.
  deleted="" left="" candidates=""
  if listing=$(aws rds describe-db-instances --query 'DBInstances[].[DBInstanceIdentifier,DBInstanceStatus]' --output text 2>"$work/aws.err"); then
    candidates=$(echo "$listing" | awk -F'\t' -v prefix="$RESTORE_DB_PREFIX-" 'index($1, prefix) == 1 && $2 != "deleting" { print $1 }')
    echo "$listing" | awk -F'\t' -v prefix="$RESTORE_DB_PREFIX-" 'index($1, prefix) == 1 && $2 == "deleting" { print "pitr-restore-test: " $1 " is already being deleted" }'
  else
    echo "pitr-restore-test: cannot list the instances: $(tail_of "$work/aws.err")"
    # This run's own, at least.
    if [ -s "$work/instance" ]; then candidates=$(cat "$work/instance"); fi
    left="(cannot list the instances under $RESTORE_DB_PREFIX-: some may be left)"
  fi
  for id in $candidates; do
    case "$id" in
      "$RESTORE_DB_PREFIX"-*) ;;
      *) continue ;;
    esac
    [ "$id" != "$SOURCE_DB_IDENTIFIER" ] || continue
    if aws rds delete-db-instance --db-instance-identifier "$id" --skip-final-snapshot --delete-automated-backups \
      --query 'DBInstance.DBInstanceStatus' --output text >/dev/null 2>"$work/aws.err"; then
      echo "pitr-restore-test: deleting $id"
      deleted="$deleted $id"
    else
      echo "pitr-restore-test: cannot delete $id: $(tail_of "$work/aws.err")"
      left="$left $id"
    fi
  done
  deleted=${deleted# } left=${left# }
  if [ -n "$left" ]; then
    problem="left running, delete by hand: $left"
    if [ -s "$work/failure" ]; then
      printf '%s; %s\n' "$(cat "$work/failure")" "$problem" >"$work/failure.tmp"
      mv "$work/failure.tmp" "$work/failure"
    else
      printf '%s\n' "$problem" >"$work/failure"
    fi
  fi
  if [ ! -s "$work/failure" ] && { [ ! -s "$work/tables" ] || [ ! -s "$work/restore-ms" ]; }; then
    printf '%s\n' "the start and check steps recorded no outcome (did they run?)" >"$work/failure"
  fi
  if [ -s "$work/failure" ]; then success=0; else success=1; fi
  if [ -s "$work/restore-ms" ]; then
    seconds=$(awk -v ms="$(cat "$work/restore-ms")" 'BEGIN { printf "%.1f", ms / 1000 }')
  else
    seconds=null
  fi

  if [ -s "$work/archive-key" ]; then
    folder=$(cat "$work/archive-key")
    key="${folder}pitr-test-$stamp.json"
    {
      printf '{\n'
      printf '  "format": "dr-platform/pitr-restore-test/1",\n'
      printf '  "source": %s,\n' "$(printf '%s' "$SOURCE_DB_IDENTIFIER" | json_string)"
      printf '  "instance": %s,\n' "$(json_record instance)"
      printf '  "restoreTime": %s,\n' "$(json_record restore-time)"
      printf '  "archiveFolder": %s,\n' "$(json_record archive-key)"
      printf '  "testedAt": "%s",\n' "$tested_at"
      if [ "$success" = 1 ]; then printf '  "outcome": "pass",\n'; else printf '  "outcome": "fail",\n'; fi
      if [ "$success" = 1 ]; then printf '  "failure": null,\n'; else printf '  "failure": %s,\n' "$(json_record failure)"; fi
      printf '  "restoreSeconds": %s,\n' "$seconds"
      printf '  "targetSeconds": %s,\n' "${RESTORE_SECONDS_TARGET:-null}"
      if [ -s "$work/tables" ]; then
        # shellcheck disable=SC2046 # three numbers
        set -- $(cat "$work/tables")
        printf '  "tables": { "expected": %s, "present": %s, "exact": %s },\n' "$1" "$2" "$3"
      else
        printf '  "tables": null,\n'
      fi
      printf '  "deletedInstances": ['
      separator=""
      for id in $deleted; do
        printf '%s"%s"' "$separator" "$id"
        separator=", "
      done
      printf ']\n'
      printf '}\n'
    } >"$work/report.json"
    # Object Lock buckets take only uploads that carry a checksum.
    if aws s3api put-object --region "$archive_region" --bucket "$ARCHIVE_BUCKET" --key "$key" --body "$work/report.json" --content-type application/json \
      --checksum-algorithm SHA256 --query ETag --output text >/dev/null 2>"$work/aws.err"; then
      echo "pitr-restore-test: wrote s3://$ARCHIVE_BUCKET/$key"
    else
      # The metrics still go out: a run without its report is a failed run.
      problem="cannot write the report s3://$ARCHIVE_BUCKET/$key: $(tail_of "$work/aws.err")"
      if [ "$success" = 1 ]; then printf '%s\n' "$problem" >"$work/failure"; else printf '%s; %s\n' "$(cat "$work/failure")" "$problem" >"$work/failure"; fi
      success=0
    fi
  else
    echo "pitr-restore-test: no archive was chosen: no report"
  fi

  dimensions=
  if [ -n "${RESTORE_TEST_ENVIRONMENT:-}" ]; then dimensions=",Dimensions=[{Name=Environment,Value=$RESTORE_TEST_ENVIRONMENT}]"; fi
  metrics="MetricName=PointInTimeRestoreTestSuccess,Value=$success,Unit=Count$dimensions"
  if [ "$seconds" != null ]; then metrics="$metrics MetricName=PointInTimeRestoreSeconds,Value=$seconds,Unit=Seconds$dimensions"; fi
  # shellcheck disable=SC2086 # one argument per metric
  aws cloudwatch put-metric-data --namespace "$RESTORE_TEST_NAMESPACE" --metric-data $metrics
  echo "pitr-restore-test: published PointInTimeRestoreTestSuccess=$success to $RESTORE_TEST_NAMESPACE"
  if [ "$success" = 0 ]; then fail "FAIL: $(cat "$work/failure")"; fi
  echo "pitr-restore-test: PASS"
}

case "${1:-}" in
  start) start ;;
  check) check ;;
  finish) finish ;;
  all)
    start
    check
    finish
    ;;
  *) fail "usage: pitr-restore-test.sh start|check|finish|all (got: ${1:-nothing})" ;;
esac
