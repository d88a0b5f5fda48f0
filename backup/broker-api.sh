# Sourced by the broker scripts (rotate-broker-passwords.sh, broker-users.sh) after
# script-common.sh: Secrets Manager through curl's own SigV4 signing (--aws-sigv4: the pinned
# curl image has no aws CLI) with the pod's credentials, and the RabbitMQ management API. Every
# secret goes to curl through a config on stdin, never on a command line, and nothing secret is
# printed. Needs AWS_REGION, MANAGEMENT_URL, ADMIN_USERNAME, WORK (a private temporary folder);
# ENDPOINT is SECRETS_MANAGER_ENDPOINT or https://secretsmanager.<region>.amazonaws.com.

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
    echo "$SCRIPT: secretsmanager:$1 failed: $(cat "$WORK/error") $(field message <"$WORK/answer")$(field Message <"$WORK/answer")" >&2
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
    echo "$SCRIPT: $1 $2 did not reach the broker: $(cat "$WORK/error")" >&2
    echo 000
  }
}

# set_password <user> <password> [<tags> [<administrator's password to authenticate with>]]
set_password() {
  status=$(broker PUT "/api/users/$1" "$ADMIN_USERNAME" "${4:-$ADMIN_PASSWORD}" "{\"password\":\"$2\",\"tags\":\"${3:-}\"}")
  case "$status" in 2??) return 0 ;; *) echo "$SCRIPT: PUT /api/users/$1 answered $status" >&2 && return 1 ;; esac
}

# The administrator's password of this run: AWSCURRENT of ADMIN_SECRET, read now (a rotation may have changed it).
read_admin() {
  current=$(secrets_manager GetSecretValue "{\"SecretId\":\"$ADMIN_SECRET\",\"VersionStage\":\"AWSCURRENT\"}") ||
    fail "$ADMIN_USERNAME: cannot read $ADMIN_SECRET: nothing changed"
  ADMIN_VERSION=$(printf '%s' "$current" | field VersionId)
  ADMIN_PASSWORD=$(printf '%s' "$current" | field SecretString)
  printf '%s' "$ADMIN_PASSWORD" | grep -Eq '^[A-Za-z0-9]{12,}$' ||
    fail "$ADMIN_USERNAME: the AWSCURRENT value of $ADMIN_SECRET is not a generated password (12 or more letters and digits): nothing changed; set one with put-secret-value first"
}
