#!/bin/sh
# Rotates the password of each broker application user, and of the broker's administrator, following
# the Secrets Manager rotation protocol so that no client is locked out (curlimages/curl image: curl
# and busybox only).
#
#   rotate-broker-passwords.sh        for every USERS entry, then for the administrator (ADMIN_SECRET):
#                                     generate, stage AWSPENDING, set it on the broker, verify it
#                                     there, then make it AWSCURRENT
#
# Until the last step AWSCURRENT still holds the password the broker accepts: a failed broker
# update, verification or promotion puts the previous password back on the broker, so a
# workload that re-reads AWSCURRENT after a refused connection always gets a working one.
#
# The administrator goes last, so the users are rotated with the password the run started with.
# Amazon MQ cannot reset a lost administrator password (the broker would have to be replaced), so
# the new one is stored (AWSPENDING) before the broker is changed and is never only on the broker.
# Every pod that uses the administrator's password reads AWSCURRENT when it runs: no copy of it
# is to be refreshed.
#
# Secrets Manager is called with curl's own SigV4 signing (--aws-sigv4): the one pinned image
# the library already runs has curl but no aws CLI. Credentials come from the EKS Pod Identity
# agent (AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE), or from
# AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY[/AWS_SESSION_TOKEN]. Every secret goes to curl through
# a config on stdin, never on a command line, and nothing secret is printed.
#
# Environment: AWS_REGION; USERS ("<user>=<secret name> ...", may be empty when the administrator
# is rotated); MANAGEMENT_URL; ADMIN_USERNAME; the administrator's password in ADMIN_PASSWORD_FILE,
# or ADMIN_SECRET (its secret: the password is its AWSCURRENT, read when the job runs); with
# ADMIN_SECRET the administrator is rotated too unless ROTATE_ADMIN is "false";
# SECRETS_MANAGER_ENDPOINT (default https://secretsmanager.<region>.amazonaws.com).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
SCRIPT=rotate-broker-passwords
. "$here/script-common.sh"

for name in AWS_REGION MANAGEMENT_URL ADMIN_USERNAME; do
  eval "value=\${$name:-}"
  [ -n "$value" ] || fail "$name must be set"
done
ROTATE_ADMIN=${ROTATE_ADMIN:-true}
case "$ROTATE_ADMIN" in true | false) ;; *) fail "ROTATE_ADMIN must be true or false (got $ROTATE_ADMIN)" ;; esac
[ -n "${ADMIN_SECRET:-}" ] || ROTATE_ADMIN=false
[ -n "${USERS:-}" ] || [ "$ROTATE_ADMIN" = true ] || fail "USERS must be set (or ADMIN_SECRET, to rotate the administrator only)"
USERS=${USERS:-}
if [ -z "${ADMIN_SECRET:-}" ]; then
  [ -n "${ADMIN_PASSWORD_FILE:-}" ] || fail "ADMIN_PASSWORD_FILE or ADMIN_SECRET must be set"
  [ -r "$ADMIN_PASSWORD_FILE" ] || fail "ADMIN_PASSWORD_FILE names a file that cannot be read: $ADMIN_PASSWORD_FILE"
  ADMIN_PASSWORD=$(cat "$ADMIN_PASSWORD_FILE")
fi
. "$here/broker-api.sh"

# The previous password back on the broker: AWSCURRENT still holds it.
revert() {
  if set_password "$1" "$2"; then
    fail "$1: $3; the broker has its previous password again (AWSCURRENT, unchanged): nothing is locked out. Fix the cause and run the CronJob again"
  fi
  fail "$1: $3, and putting the previous password back on the broker failed too: if the broker took the new one, clients of $1 are refused. Run the CronJob again (kubectl -n <namespace> create job --from=cronjob/<name> <name>-retry) or set the password of the AWSPENDING version ($4) on the broker by hand"
}

rotate() {
  user=$1 secret=$2
  current=$(secrets_manager GetSecretValue "{\"SecretId\":\"$secret\",\"VersionStage\":\"AWSCURRENT\"}") || fail "$user: cannot read $secret: nothing changed"
  current_version=$(printf '%s' "$current" | field VersionId)
  current_password=$(printf '%s' "$current" | field SecretString)
  # Generated passwords are letters and digits (Amazon MQ refuses some punctuation): anything else
  # would not survive this script's JSON unescaped, so it stops before changing anything.
  printf '%s' "$current_password" | grep -Eq '^[A-Za-z0-9]{12,}$' ||
    fail "$user: the AWSCURRENT value of $secret is not a generated password (12 or more letters and digits): nothing changed; set one with put-secret-value first"

  # 32 letters and digits, as the secrets are created; the version id is the idempotency token.
  password=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32)
  version=$(cat /proc/sys/kernel/random/uuid)
  secrets_manager PutSecretValue "{\"SecretId\":\"$secret\",\"ClientRequestToken\":\"$version\",\"SecretString\":\"$password\",\"VersionStages\":[\"AWSPENDING\"]}" >/dev/null ||
    fail "$user: cannot stage the new password as AWSPENDING on $secret: nothing changed"

  set_password "$user" "$password" || revert "$user" "$current_password" "setting the new password on the broker failed" "$version"
  status=$(broker GET /api/whoami "$user" "$password")
  [ "$status" = 200 ] || revert "$user" "$current_password" "the broker refused the new password (GET /api/whoami answered $status)" "$version"

  secrets_manager UpdateSecretVersionStage "{\"SecretId\":\"$secret\",\"VersionStage\":\"AWSCURRENT\",\"MoveToVersionId\":\"$version\",\"RemoveFromVersionId\":\"$current_version\"}" >/dev/null ||
    revert "$user" "$current_password" "promoting the new version of $secret to AWSCURRENT failed" "$version"
  # The rotation is complete: AWSPENDING marks a rotation in progress.
  secrets_manager UpdateSecretVersionStage "{\"SecretId\":\"$secret\",\"VersionStage\":\"AWSPENDING\",\"RemoveFromVersionId\":\"$version\"}" >/dev/null ||
    echo "rotate-broker-passwords: $user: AWSPENDING left on the current version of $secret (harmless; the next rotation moves it)" >&2
  echo "rotate-broker-passwords: $user: rotated ($secret version $version is AWSCURRENT, $current_version is AWSPREVIOUS)"
}

# The previous administrator password back on the broker (authenticating with the new one, or the
# old one if the change never took).
revert_admin() {
  if set_password "$ADMIN_USERNAME" "$ADMIN_PASSWORD" administrator "$1" || set_password "$ADMIN_USERNAME" "$ADMIN_PASSWORD" administrator "$ADMIN_PASSWORD"; then
    fail "$ADMIN_USERNAME: $2; the broker has its previous password again (AWSCURRENT of $ADMIN_SECRET, unchanged): nothing is locked out. Fix the cause and run the CronJob again"
  fi
  fail "$ADMIN_USERNAME: $2, and putting the previous password back on the broker failed too. The broker's administrator password is the AWSPENDING version ($3) of $ADMIN_SECRET if the broker took it, else AWSCURRENT: promote the one that works (aws secretsmanager update-secret-version-stage --secret-id $ADMIN_SECRET --version-stage AWSCURRENT --move-to-version-id <id> ...); Amazon MQ cannot reset a lost administrator password"
}

rotate_admin() {
  password=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32)
  version=$(cat /proc/sys/kernel/random/uuid)
  # Stored before the broker changes: a new administrator password never exists only on the broker.
  secrets_manager PutSecretValue "{\"SecretId\":\"$ADMIN_SECRET\",\"ClientRequestToken\":\"$version\",\"SecretString\":\"$password\",\"VersionStages\":[\"AWSPENDING\"]}" >/dev/null ||
    fail "$ADMIN_USERNAME: cannot stage the new password as AWSPENDING on $ADMIN_SECRET: nothing changed"
  set_password "$ADMIN_USERNAME" "$password" administrator || revert_admin "$password" "setting the new password on the broker failed" "$version"
  status=$(broker GET /api/whoami "$ADMIN_USERNAME" "$password")
  [ "$status" = 200 ] || revert_admin "$password" "the broker refused the new password (GET /api/whoami answered $status)" "$version"
  secrets_manager UpdateSecretVersionStage "{\"SecretId\":\"$ADMIN_SECRET\",\"VersionStage\":\"AWSCURRENT\",\"MoveToVersionId\":\"$version\",\"RemoveFromVersionId\":\"$ADMIN_VERSION\"}" >/dev/null ||
    revert_admin "$password" "promoting the new version of $ADMIN_SECRET to AWSCURRENT failed" "$version"
  secrets_manager UpdateSecretVersionStage "{\"SecretId\":\"$ADMIN_SECRET\",\"VersionStage\":\"AWSPENDING\",\"RemoveFromVersionId\":\"$version\"}" >/dev/null ||
    echo "rotate-broker-passwords: $ADMIN_USERNAME: AWSPENDING left on the current version of $ADMIN_SECRET (harmless; the next rotation moves it)" >&2
  echo "rotate-broker-passwords: $ADMIN_USERNAME (administrator): rotated ($ADMIN_SECRET version $version is AWSCURRENT, $ADMIN_VERSION is AWSPREVIOUS)"
}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
credentials
[ -z "${ADMIN_SECRET:-}" ] || read_admin
for entry in $USERS; do
  case "$entry" in
    ?*=?*) rotate "${entry%%=*}" "${entry#*=}" ;;
    *) fail "USERS entries must be <user>=<secret name> (got $entry)" ;;
  esac
done
[ "$ROTATE_ADMIN" = false ] || rotate_admin
