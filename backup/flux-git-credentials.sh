#!/bin/sh
# Flux's Git credentials, from Secrets Manager into the Kubernetes secret source-controller reads
# (FluxGitCredentials runs it as a Job at every deploy of the gitops stack and as a CronJob;
# rotate-git-credentials prints the command that runs it at once). Two steps, two images, one pod:
#
#   flux-git-credentials.sh read   AWSCURRENT of GIT_CREDENTIALS_SECRET in AWS_REGION (aws CLI, the
#                                  pod's identity) -> CREDENTIALS_FILE (a memory-backed volume only
#                                  the pod mounts)
#   flux-git-credentials.sh apply  CREDENTIALS_FILE -> the Kubernetes secret SECRET_NAME in NAMESPACE
#                                  (curl, the pod's service account token): replaced when it exists,
#                                  created when it does not
#
# The value must be the JSON object Flux reads (username and password for HTTPS, identity for
# SSH); apply checks its shape before it sends anything. The value is never printed, never on a
# command line, and never in Terraform's state (Terraform makes the job, not the secret).
#
# apply also takes KUBERNETES_API (default https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT)
# and SERVICE_ACCOUNT_DIR (default /var/run/secrets/kubernetes.io/serviceaccount: token, ca.crt).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
SCRIPT=flux-git-credentials
. "$here/script-common.sh"

case "${1:-}" in
  read)
    require GIT_CREDENTIALS_SECRET AWS_REGION CREDENTIALS_FILE
    umask 077
    aws secretsmanager get-secret-value --secret-id "$GIT_CREDENTIALS_SECRET" --query SecretString --output text >"$CREDENTIALS_FILE.tmp" || {
      rm -f "$CREDENTIALS_FILE.tmp"
      fail "cannot read $GIT_CREDENTIALS_SECRET in $AWS_REGION (its message is above)"
    }
    [ -s "$CREDENTIALS_FILE.tmp" ] || {
      rm -f "$CREDENTIALS_FILE.tmp"
      fail "$GIT_CREDENTIALS_SECRET in $AWS_REGION has no value: npx dr-platform rotate-git-credentials <primary region> puts one"
    }
    mv "$CREDENTIALS_FILE.tmp" "$CREDENTIALS_FILE"
    echo "$SCRIPT: read $GIT_CREDENTIALS_SECRET in $AWS_REGION"
    ;;
  apply)
    require CREDENTIALS_FILE NAMESPACE SECRET_NAME
    [ -s "$CREDENTIALS_FILE" ] || fail "$CREDENTIALS_FILE is missing or empty: the read step runs first"
    # The shape Flux reads, judged on the keys only (their names are not secret).
    compact=$(tr -d ' \t\r\n' <"$CREDENTIALS_FILE")
    case "$compact" in
      \{*\}) ;;
      *) fail "the value of the secret is not a JSON object: put {\"username\",\"password\"} (HTTPS) or {\"identity\",\"known_hosts\"} (SSH) with rotate-git-credentials" ;;
    esac
    has() { printf '%s' "$compact" | grep -q "\"$1\":\""; }
    if has identity; then
      :
    elif has username && has password; then
      :
    else
      fail "the value of the secret has neither username and password (HTTPS) nor identity (SSH) as strings: put one with rotate-git-credentials"
    fi
    if [ -z "${KUBERNETES_API:-}" ]; then
      require KUBERNETES_SERVICE_HOST KUBERNETES_SERVICE_PORT
      KUBERNETES_API="https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT"
    fi
    account=${SERVICE_ACCOUNT_DIR:-/var/run/secrets/kubernetes.io/serviceaccount}
    [ -s "$account/token" ] || fail "no service account token in $account: the pod needs automountServiceAccountToken"
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
    umask 077
    {
      printf '{"apiVersion":"v1","kind":"Secret","type":"Opaque","metadata":{"name":"%s","namespace":"%s",' "$SECRET_NAME" "$NAMESPACE"
      printf '"labels":{"app.kubernetes.io/managed-by":"dr-platform","app.kubernetes.io/name":"flux-git-credentials"}},"stringData":'
      cat "$CREDENTIALS_FILE"
      printf '}'
    } >"$WORK/body"
    # request <method> <path>: the HTTP status on stdout; the token goes through a config on stdin.
    request() {
      printf 'header = "Authorization: Bearer %s"\n' "$(cat "$account/token")" |
        curl -sS -K - -X "$1" --max-time 30 --cacert "$account/ca.crt" -H "content-type: application/json" \
          --data-binary "@$WORK/body" -o "$WORK/answer" -w '%{http_code}' "$KUBERNETES_API$2" 2>"$WORK/error" || {
        echo "$SCRIPT: $1 $2 did not reach the Kubernetes API: $(cat "$WORK/error")" >&2
        echo 000
      }
    }
    message() { sed -nE 's/.*"message" *: *"(([^"\\]|\\.)*)".*/\1/p' "$WORK/answer"; }
    path="/api/v1/namespaces/$NAMESPACE/secrets"
    status=$(request PUT "$path/$SECRET_NAME")
    case "$status" in
      200) echo "$SCRIPT: replaced $NAMESPACE/$SECRET_NAME" ;;
      404)
        status=$(request POST "$path")
        case "$status" in
          201) echo "$SCRIPT: created $NAMESPACE/$SECRET_NAME" ;;
          *) fail "POST $path answered $status: $(message)" ;;
        esac
        ;;
      *) fail "PUT $path/$SECRET_NAME answered $status: $(message)" ;;
    esac
    ;;
  *)
    fail "usage: flux-git-credentials.sh read|apply"
    ;;
esac
