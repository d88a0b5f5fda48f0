import { Construct } from "constructs";
import type { ITerraformDependable, TerraformResource } from "cdktf";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { CURL, imageProblems, regionalImage, type ContainerImage, type ImageRegistry } from "../kubernetes/images";
import { Job } from "./private/kubernetes-workload";

/**
 * What the job may use: curl sends a few small requests; the limits stop a hung or looping
 * script from starving the Flux controllers that share the namespace.
 */
export const RABBITMQ_USERS_RESOURCES = {
  requests: { cpu: "10m", memory: "16Mi" },
  limits: { cpu: "100m", memory: "64Mi" },
} as const;

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
   * The account's registry in the cluster's region: the images are pulled from it (through its
   * pull through cache rules), by digest (lib/kubernetes/images.ts).
   */
  readonly registry: ImageRegistry;
  /**
   * Image the job runs (curl and a POSIX shell), pinned by tag and digest, with the numeric
   * user and group it runs as.
   * @default - CURL from `registry`
   */
  readonly image?: ContainerImage;
  /**
   * What must complete before the users are created (a recovery's definitions import, which
   * would otherwise leave the imported users without passwords).
   * @default - nothing
   */
  readonly after?: readonly ITerraformDependable[];
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
  public readonly job: TerraformResource;
  public readonly secret: SecretV1;

  constructor(scope: Construct, id: string, props: RabbitMqUsersProps) {
    super(scope, id);
    const image = props.image ?? regionalImage(CURL, props.registry);
    const problems = [
      ...(props.users.length === 0 ? ["users must list at least one user (got none)"] : []),
      ...imageProblems(image).map((problem) => `image.${problem}`),
    ];
    if (problems.length > 0) throw new Error(`RabbitMqUsers: ${problems.join("; ")}`);
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

    this.job = new Job(this, "job", {
      metadata: { name: "rabbitmq-users", namespace: props.namespace },
      dependsOn: props.after && props.after.length > 0 ? [...props.after] : undefined,
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
                image: image.reference,
                command: ["/bin/sh", "-c", SCRIPT],
                env: [
                  { name: "MANAGEMENT_URL", value: props.managementUrl },
                  { name: "USER_COUNT", value: String(props.users.length) },
                ],
                envFrom: [{ secretRef: { name: this.secret.metadata.name } }],
                // Pod Security `restricted`, with the image's user as numbers: the kubelet cannot
                // prove a user name non-root and would never start the container.
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: String(image.userId),
                  runAsGroup: String(image.groupId),
                  readOnlyRootFilesystem: true,
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ["ALL"] },
                  seccompProfile: { type: "RuntimeDefault" },
                },
                resources: { requests: { ...RABBITMQ_USERS_RESOURCES.requests }, limits: { ...RABBITMQ_USERS_RESOURCES.limits } },
              },
            ],
          },
        },
      },
    });
  }
}
