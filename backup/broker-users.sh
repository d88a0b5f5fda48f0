#!/bin/sh
# Creates (or updates) the broker's application users, each with the password its Secrets Manager
# secret holds now (AWSCURRENT), and grants each the "/" vhost, through the RabbitMQ management
# API as the administrator (RabbitMqUsers runs it once per deploy, inside the cluster: the broker
# is private and Amazon MQ's API creates only the administrator). Every password is read when
# the job runs, with the pod's own credentials: none is in a Kubernetes secret, the pod spec or
# Terraform's state, and a password rotated since the last deploy is the one set.
#
# Each user is checked with its own password (GET /api/whoami) before the next one; the first
# failure stops the job naming the user and what answered, so the deploy that waits for it fails.
#
# Environment: AWS_REGION (of the secrets); USERS ("<user>=<secret name> ..."); MANAGEMENT_URL;
# ADMIN_USERNAME; ADMIN_SECRET (the administrator's secret: its AWSCURRENT is the password used);
# SECRETS_MANAGER_ENDPOINT (default https://secretsmanager.<region>.amazonaws.com); credentials as
# broker-api.sh takes them (EKS Pod Identity in the cluster).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
SCRIPT=broker-users
. "$here/script-common.sh"

require AWS_REGION MANAGEMENT_URL ADMIN_USERNAME ADMIN_SECRET USERS
. "$here/broker-api.sh"

# The user's password: AWSCURRENT of its secret, a generated one (it goes into a JSON body unescaped).
current_password() {
  answer=$(secrets_manager GetSecretValue "{\"SecretId\":\"$2\",\"VersionStage\":\"AWSCURRENT\"}") || fail "$1: cannot read $2 (the message is above)"
  password=$(printf '%s' "$answer" | field SecretString)
  printf '%s' "$password" | grep -Eq '^[A-Za-z0-9]{12,}$' ||
    fail "$1: the AWSCURRENT value of $2 is not a generated password (12 or more letters and digits); set one with put-secret-value first"
}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
credentials
read_admin
for entry in $USERS; do
  case "$entry" in
    ?*=?*) ;;
    *) fail "USERS entries must be <user>=<secret name> (got $entry)" ;;
  esac
  user=${entry%%=*} secret=${entry#*=}
  current_password "$user" "$secret"
  set_password "$user" "$password" || fail "$user: the broker did not take the user (the answer is above)"
  status=$(broker PUT "/api/permissions/%2F/$user" "$ADMIN_USERNAME" "$ADMIN_PASSWORD" '{"configure":".*","write":".*","read":".*"}')
  case "$status" in 2??) ;; *) fail "$user: PUT /api/permissions/%2F/$user answered $status" ;; esac
  status=$(broker GET /api/whoami "$user" "$password")
  [ "$status" = 200 ] || fail "$user: the broker refused the user's password from $secret (GET /api/whoami answered $status)"
  echo "$SCRIPT: $user ready (password from $secret, vhost /)"
done
