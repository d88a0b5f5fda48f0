import { Construct } from "constructs";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";

/** Pinned image with curl and a POSIX shell. */
export const CURL_IMAGE = "curlimages/curl:8.11.1";

export interface RabbitMqUsersProps {
  /** Namespace for the job and its secret. */
  readonly namespace: string;
  /** The broker's management URL (`https://b-....mq.<region>.amazonaws.com`). */
  readonly managementUrl: string;
  readonly adminUsername: string;
  /** Secrets Manager secret holding the administrator's password. */
  readonly adminSecretName: string;
  /** Application users and the secrets holding their passwords. */
  readonly users: readonly { readonly username: string; readonly secretName: string }[];
  /**
   * Image the job runs.
   * @default CURL_IMAGE
   */
  readonly image?: string;
}

/**
 * Creates (or updates) every user and its permissions on vhost "/" through the management API.
 * No `${` anywhere: Terraform would read it as an interpolation.
 */
const SCRIPT = [
  "set -eu",
  "i=0",
  'while [ "$i" -lt "$USER_COUNT" ]; do',
  '  eval "name=\\$USER_"$i"_NAME; password=\\$USER_"$i"_PASSWORD"',
  '  curl -fsS -u "$ADMIN_USERNAME:$ADMIN_PASSWORD" -X PUT -H "content-type: application/json" --data "{\\"password\\":\\"$password\\",\\"tags\\":\\"\\"}" "$MANAGEMENT_URL/api/users/$name"',
  '  curl -fsS -u "$ADMIN_USERNAME:$ADMIN_PASSWORD" -X PUT -H "content-type: application/json" --data \'{"configure":".*","write":".*","read":".*"}\' "$MANAGEMENT_URL/api/permissions/%2F/$name"',
  '  echo "user $name ready"',
  "  i=$((i + 1))",
  "done",
].join("\n");

/**
 * The RabbitMQ application users of a rebuilt broker, created from their generated secrets by a
 * Kubernetes Job inside the cluster (the broker is private; Amazon MQ's API creates only the
 * administrator). Passwords reach the job through a Kubernetes secret filled from Secrets
 * Manager: never a literal in code or JSON (the values do sit in this stack's state, like any
 * Kubernetes secret Terraform manages).
 */
export class RabbitMqUsers extends Construct {
  public readonly job: JobV1;
  public readonly secret: SecretV1;

  constructor(scope: Construct, id: string, props: RabbitMqUsersProps) {
    super(scope, id);
    if (props.users.length === 0) throw new Error("RabbitMqUsers: users must list at least one user (got none)");
    const password = (name: string, secretName: string) =>
      new DataAwsSecretsmanagerSecretVersion(this, `password-${name}`, { secretId: secretName }).secretString;

    const data: Record<string, string> = {
      ADMIN_USERNAME: props.adminUsername,
      ADMIN_PASSWORD: password(props.adminUsername, props.adminSecretName),
    };
    props.users.forEach((user, index) => {
      data[`USER_${index}_NAME`] = user.username;
      data[`USER_${index}_PASSWORD`] = password(user.username, user.secretName);
    });
    this.secret = new SecretV1(this, "secret", { metadata: { name: "rabbitmq-users", namespace: props.namespace }, data });

    this.job = new JobV1(this, "job", {
      metadata: { name: "rabbitmq-users", namespace: props.namespace },
      waitForCompletion: true,
      timeouts: { create: "10m", update: "10m" },
      spec: {
        backoffLimit: 4,
        template: {
          metadata: {},
          spec: {
            restartPolicy: "Never",
            container: [
              {
                name: "create-users",
                image: props.image ?? CURL_IMAGE,
                command: ["/bin/sh", "-c", SCRIPT],
                env: [
                  { name: "MANAGEMENT_URL", value: props.managementUrl },
                  { name: "USER_COUNT", value: String(props.users.length) },
                ],
                envFrom: [{ secretRef: { name: this.secret.metadata.name } }],
                securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
              },
            ],
          },
        },
      },
    });
  }
}
