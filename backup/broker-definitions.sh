#!/bin/sh
# Moves exported broker definitions between DEFINITIONS_DIR and S3 (amazon/aws-cli image).
#
#   broker-definitions.sh upload   DEFINITIONS_DIR/definitions.json -> s3://ARCHIVE_BUCKET/rabbitmq/<exported-at>/definitions.json
#   broker-definitions.sh fetch    the newest uploaded definitions -> DEFINITIONS_DIR/definitions.json
#
# Stamps sort as text, so the newest is the greatest. The uploader needs s3:PutObject only; the
# fetcher s3:ListBucket and s3:GetObject.
set -eu

fail() {
  echo "broker-definitions: $*" >&2
  exit 1
}

[ -n "${DEFINITIONS_DIR:-}" ] || fail "DEFINITIONS_DIR must be set"
[ -n "${ARCHIVE_BUCKET:-}" ] || fail "ARCHIVE_BUCKET must be set"

case "${1:-}" in
  upload)
    for file in definitions.json exported-at; do
      [ -s "$DEFINITIONS_DIR/$file" ] || fail "$DEFINITIONS_DIR/$file is missing: run the export first"
    done
    key="rabbitmq/$(cat "$DEFINITIONS_DIR/exported-at")/definitions.json"
    aws s3 cp --only-show-errors --content-type application/json "$DEFINITIONS_DIR/definitions.json" "s3://$ARCHIVE_BUCKET/$key"
    echo "broker-definitions: uploaded s3://$ARCHIVE_BUCKET/$key"
    ;;
  fetch)
    key=$(aws s3api list-objects-v2 --bucket "$ARCHIVE_BUCKET" --prefix rabbitmq --query 'Contents[].Key' --output text |
      tr '\t' '\n' | grep -E '^rabbitmq/[0-9]{8}T[0-9]{6}Z/definitions\.json$' | sort | tail -n 1) || true
    [ -n "$key" ] || fail "no definitions under s3://$ARCHIVE_BUCKET/rabbitmq/"
    mkdir -p "$DEFINITIONS_DIR"
    aws s3 cp --only-show-errors "s3://$ARCHIVE_BUCKET/$key" "$DEFINITIONS_DIR/definitions.json"
    echo "broker-definitions: fetched s3://$ARCHIVE_BUCKET/$key"
    ;;
  *) fail "usage: broker-definitions.sh upload|fetch (got: ${1:-nothing})" ;;
esac
