# Sourced by the job scripts (archive-database.sh, verify-archive.sh, restore-test.sh,
# rotate-broker-passwords.sh, broker-users.sh) once they have set `here` (their folder) and SCRIPT
# (their name, for messages):
#   . "$here/script-common.sh"
# Every ConfigMap that carries one of them carries this file too (lib/backup/job-parts.ts).

# First key segment of every archive (ARCHIVE_PREFIX, default postgres).
prefix_root=${ARCHIVE_PREFIX:-postgres}

fail() {
  echo "$SCRIPT: $*" >&2
  exit 1
}

# Fails naming the first of the given variables that is unset or empty.
require() {
  for name in "$@"; do
    eval "value=\${$name:-}"
    [ -n "$value" ] || fail "$name must be set"
  done
}
