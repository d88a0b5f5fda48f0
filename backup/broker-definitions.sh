#!/bin/sh
# Moves exported broker definitions between DEFINITIONS_DIR and S3 (amazon/aws-cli image).
#
#   broker-definitions.sh upload   DEFINITIONS_DIR/definitions.json -> s3://ARCHIVE_BUCKET/rabbitmq/<exported-at>/definitions.json
#   broker-definitions.sh fetch    the newest uploaded definitions -> DEFINITIONS_DIR/definitions.json
#   broker-definitions.sh admin-password
#                                  the administrator's password, AWSCURRENT of ADMIN_SECRET, read now
#                                  -> ADMIN_PASSWORD_FILE (a memory-backed volume only the pod mounts)
#
# Stamps sort as text, so the newest is the greatest. The uploader needs s3:PutObject only; the
# fetcher s3:ListBucket and s3:GetObject; admin-password secretsmanager:GetSecretValue on ADMIN_SECRET.
set -eu

fail() {
  echo "broker-definitions: $*" >&2
  exit 1
}

# Fails naming the first of the given variables that is unset or empty.
require() {
  for name in "$@"; do
    eval "value=\${$name:-}"
    [ -n "$value" ] || fail "$name must be set"
  done
}

case "${1:-}" in
  admin-password)
    require ADMIN_SECRET ADMIN_PASSWORD_FILE
    umask 077
    aws secretsmanager get-secret-value --secret-id "$ADMIN_SECRET" --query SecretString --output text >"$ADMIN_PASSWORD_FILE.tmp" ||
      fail "cannot read the administrator's secret $ADMIN_SECRET (its message is above)"
    [ -s "$ADMIN_PASSWORD_FILE.tmp" ] || fail "the administrator's secret $ADMIN_SECRET is empty"
    mv "$ADMIN_PASSWORD_FILE.tmp" "$ADMIN_PASSWORD_FILE"
    echo "broker-definitions: read the administrator's password from $ADMIN_SECRET"
    ;;
  upload)
    require DEFINITIONS_DIR ARCHIVE_BUCKET
    for file in definitions.json exported-at; do
      [ -s "$DEFINITIONS_DIR/$file" ] || fail "$DEFINITIONS_DIR/$file is missing: run the export first"
    done
    key="rabbitmq/$(cat "$DEFINITIONS_DIR/exported-at")/definitions.json"
    aws s3 cp --only-show-errors --content-type application/json "$DEFINITIONS_DIR/definitions.json" "s3://$ARCHIVE_BUCKET/$key"
    echo "broker-definitions: uploaded s3://$ARCHIVE_BUCKET/$key"
    ;;
  fetch)
    require DEFINITIONS_DIR ARCHIVE_BUCKET
    key=$(aws s3api list-objects-v2 --bucket "$ARCHIVE_BUCKET" --prefix rabbitmq --query 'Contents[].Key' --output text |
      tr '\t' '\n' | grep -E '^rabbitmq/[0-9]{8}T[0-9]{6}Z/definitions\.json$' | sort | tail -n 1) || true
    [ -n "$key" ] || fail "no definitions under s3://$ARCHIVE_BUCKET/rabbitmq/"
    mkdir -p "$DEFINITIONS_DIR"
    aws s3 cp --only-show-errors "s3://$ARCHIVE_BUCKET/$key" "$DEFINITIONS_DIR/definitions.json"
    echo "broker-definitions: fetched s3://$ARCHIVE_BUCKET/$key"
    ;;
  *) fail "usage: broker-definitions.sh upload|fetch|admin-password (got: ${1:-nothing})" ;;
esac
