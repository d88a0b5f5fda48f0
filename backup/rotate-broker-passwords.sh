#!/bin/sh
# Rotates the password of each broker application user, following the Secrets Manager rotation
# protocol so that no client is locked out (curlimages/curl image: curl and busybox only).
#
#   rotate-broker-passwords.sh        for every USERS entry: generate, stage AWSPENDING, set it on
#                                     the broker, verify it there, then make it AWSCURRENT
#
# Until the last step AWSCURRENT still holds the password the broker accepts: a failed broker
# update, verification or promotion puts the previous password back on the broker, so a
# workload that re-reads AWSCURRENT after a refused connection always gets a working one.
#
# Secrets Manager is called with curl's own SigV4 signing (--aws-sigv4): the one pinned image
# the library already runs has curl but no aws CLI. Credentials come from the EKS Pod Identity
# agent (AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE), or from
# AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY[/AWS_SESSION_TOKEN]. Every secret goes to curl through
# a config on stdin, never on a command line, and nothing secret is printed.
#
# Environment: AWS_REGION; USERS ("<user>=<secret name> ..."); MANAGEMENT_URL; ADMIN_USERNAME;
# ADMIN_PASSWORD_FILE; SECRETS_MANAGER_ENDPOINT (default https://secretsmanager.<region>.amazonaws.com).
set -eu

fail() {
  echo "rotate-broker-passwords: $*" >&2
  exit 1
}

for name in AWS_REGION USERS MANAGEMENT_URL ADMIN_USERNAME ADMIN_PASSWORD_FILE; do
  eval "value=\${$name:-}"
  [ -n "$value" ] || fail "$name must be set"
done
[ -r "$ADMIN_PASSWORD_FILE" ] || fail "ADMIN_PASSWORD_FILE names a file that cannot be read: $ADMIN_PASSWORD_FILE"
ADMIN_PASSWORD=$(cat "$ADMIN_PASSWORD_FILE")
ENDPOINT=${SECRETS_MANAGER_ENDPOINT:-https://secretsmanager.$AWS_REGION.amazonaws.com}
MANAGEMENT_URL=${MANAGEMENT_URL%/}

# A value inside a double-quoted curl config string: backslashes and quotes escaped.
quote() {
  printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'
}

# The string value of a top-level field of a one-line JSON document.
field() {
  sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p"
}

credentials() {
  if [ -n "${AWS_ACCESS_KEY_ID:-}" ]; then
    KEY_ID=$AWS_ACCESS_KEY_ID SECRET_KEY=${AWS_SECRET_ACCESS_KEY:?AWS_SECRET_ACCESS_KEY must be set with AWS_ACCESS_KEY_ID} TOKEN=${AWS_SESSION_TOKEN:-}
    return
  fi
  [ -n "${AWS_CONTAINER_CREDENTIALS_FULL_URI:-}" ] || fail "no AWS credentials: is the pod identity association of this service account in place? (kubernetes stack)"
  authorization=$(cat "${AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE:?AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE must be set}")
  answer=$(printf 'header = "Authorization: %s"\n' "$(quote "$authorization")" | curl -sS --fail -K - "$AWS_CONTAINER_CREDENTIALS_FULL_URI") ||
    fail "the EKS Pod Identity agent gave no credentials ($AWS_CONTAINER_CREDENTIALS_FULL_URI): check the eks-pod-identity-agent add-on"
  KEY_ID=$(printf '%s' "$answer" | field AccessKeyId)
  SECRET_KEY=$(printf '%s' "$answer" | field SecretAccessKey)
  TOKEN=$(printf '%s' "$answer" | field Token)
  [ -n "$KEY_ID" ] && [ -n "$SECRET_KEY" ] || fail "the EKS Pod Identity agent's answer has no AccessKeyId/SecretAccessKey"
}

# secrets_manager <action> <json body>: the answer on stdout; on an error, its message (never a secret) on stderr.
secrets_manager() {
  {
    printf 'user = "%s:%s"\n' "$(quote "$KEY_ID")" "$(quote "$SECRET_KEY")"
    [ -z "$TOKEN" ] || printf 'header = "x-amz-security-token: %s"\n' "$(quote "$TOKEN")"
    printf 'data-binary = "%s"\n' "$(quote "$2")"
  } | curl -sS --fail-with-body -K - --aws-sigv4 "aws:amz:$AWS_REGION:secretsmanager" -X POST \
    -H "content-type: application/x-amz-json-1.1" -H "x-amz-target: secretsmanager.$1" "$ENDPOINT/" >"$WORK/answer" 2>"$WORK/error" || {
    echo "rotate-broker-passwords: secretsmanager:$1 failed: $(cat "$WORK/error") $(field message <"$WORK/answer")$(field Message <"$WORK/answer")" >&2
    return 1
  }
  cat "$WORK/answer"
}

# broker <method> <path> <user> <password> [json body]: the management API's HTTP status on stdout.
broker() {
  {
    printf 'user = "%s:%s"\n' "$(quote "$3")" "$(quote "$4")"
    [ -z "${5:-}" ] || printf 'data-binary = "%s"\n' "$(quote "$5")"
  } | curl -sS -K - -X "$1" -H "content-type: application/json" -o /dev/null -w '%{http_code}' --max-time 30 "$MANAGEMENT_URL$2" 2>"$WORK/error" || {
    echo "rotate-broker-passwords: $1 $2 did not reach the broker: $(cat "$WORK/error")" >&2
    echo 000
  }
}

set_password() {
  status=$(broker PUT "/api/users/$1" "$ADMIN_USERNAME" "$ADMIN_PASSWORD" "{\"password\":\"$2\",\"tags\":\"\"}")
  case "$status" in 2??) return 0 ;; *) echo "rotate-broker-passwords: PUT /api/users/$1 answered $status" >&2 && return 1 ;; esac
}

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

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
credentials
for entry in $USERS; do
  case "$entry" in
    ?*=?*) rotate "${entry%%=*}" "${entry#*=}" ;;
    *) fail "USERS entries must be <user>=<secret name> (got $entry)" ;;
  esac
done
