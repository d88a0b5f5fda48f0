import { Construct } from "constructs";
import type { ITerraformDependable, TerraformResource } from "cdktf";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { CURL, imageProblems, regionalImage, type ContainerImage, type ImageRegistry } from "../kubernetes/images";
import { SCRIPTS_PATH, volumeMounts, volumes } from "./private/backup-pod";
import { Job } from "./private/kubernetes-workload";
import { scriptsConfigMap } from "./private/script-job";

/** The job's script in backup/ (with what it sources). */
export const BROKER_USERS_SCRIPT = "broker-users.sh";

/**
 * What the job may use: curl sends a few small requests per user; the limits stop a hung or
 * looping script from starving the other pods of the namespace.
 */
export const RABBITMQ_USERS_RESOURCES = {
  requests: { cpu: "10m", memory: "16Mi" },
  limits: { cpu: "100m", memory: "64Mi" },
} as const;

export interface RabbitMqUsersProps {
  /** Namespace of the job and its script (a `restricted` one). */
  readonly namespace: string;
  /**
   * Service account the job runs as: its pod identity role may `secretsmanager:GetSecretValue`
   * the administrator's secret and every user's (the backup jobs' service account has exactly
   * that, for the password rotation).
   */
  readonly serviceAccountName: string;
  /** Region of the secrets (the broker's). */
  readonly secretsRegion: string;
  /** The broker's management URL (`https://b-....mq.<region>.amazonaws.com`). */
  readonly managementUrl: string;
  readonly adminUsername: string;
  /** Secrets Manager secret holding the administrator's password (read when the job runs). */
  readonly adminSecretName: string;
  /** Application users and the secrets holding their passwords (read when the job runs). */
  readonly users: readonly { readonly username: string; readonly secretName: string }[];
  /**
   * The account's registry in the cluster's region: the images are pulled from it (through its
   * pull through cache rules), by digest (lib/kubernetes/images.ts).
   */
  readonly registry: ImageRegistry;
  /**
   * Image the job runs (curl with SigV4 signing and a POSIX shell), pinned by tag and digest,
   * with the numeric user and group it runs as.
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
 * The RabbitMQ application users of a (rebuilt) broker, created through the management API by a
 * Kubernetes Job inside the cluster (the broker is private; Amazon MQ's API creates only the
 * administrator), each with the password its Secrets Manager secret holds when the job runs
 * (backup/broker-users.sh, with the pod's own credentials), and granted the `/` vhost. No
 * password is in a Kubernetes secret, the pod spec, the synthesized JSON or Terraform's state.
 */
export class RabbitMqUsers extends Construct {
  public readonly job: TerraformResource;
  public readonly configMap: ConfigMapV1;

  constructor(scope: Construct, id: string, props: RabbitMqUsersProps) {
    super(scope, id);
    const image = props.image ?? regionalImage(CURL, props.registry);
    const problems = [
      ...(props.users.length === 0 ? ["users must list at least one user (got none)"] : []),
      ...props.users
        .filter((user) => !/^[A-Za-z0-9._~-]+$/.test(user.username) || !/^[A-Za-z0-9/_+=.@-]+$/.test(user.secretName))
        .map((user) => `users must be letters, digits and . _ ~ - with secret names of Secrets Manager's characters (got ${JSON.stringify(user)})`),
      ...imageProblems(image).map((problem) => `image.${problem}`),
    ];
    if (problems.length > 0) throw new Error(`RabbitMqUsers: ${problems.join("; ")}`);

    this.configMap = scriptsConfigMap(this, { name: "rabbitmq-users", namespace: props.namespace }, BROKER_USERS_SCRIPT);
    // Pod Security `restricted`, with the image's user as numbers: the kubelet cannot prove a
    // user name non-root and would never start the container.
    const user = { runAsNonRoot: true, runAsUser: String(image.userId), runAsGroup: String(image.groupId) };
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
            serviceAccountName: props.serviceAccountName,
            restartPolicy: "Never",
            securityContext: { ...user, fsGroup: String(image.groupId), seccompProfile: { type: "RuntimeDefault" } },
            container: [
              {
                name: "create-users",
                image: image.reference,
                command: ["/bin/sh", `${SCRIPTS_PATH}/${BROKER_USERS_SCRIPT}`],
                env: [
                  { name: "AWS_REGION", value: props.secretsRegion },
                  { name: "USERS", value: props.users.map((u) => `${u.username}=${u.secretName}`).join(" ") },
                  { name: "MANAGEMENT_URL", value: props.managementUrl },
                  { name: "ADMIN_USERNAME", value: props.adminUsername },
                  { name: "ADMIN_SECRET", value: props.adminSecretName },
                  { name: "HOME", value: "/tmp" },
                ],
                volumeMount: volumeMounts(),
                securityContext: {
                  ...user,
                  readOnlyRootFilesystem: true,
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ["ALL"] },
                  seccompProfile: { type: "RuntimeDefault" },
                },
                resources: { requests: { ...RABBITMQ_USERS_RESOURCES.requests }, limits: { ...RABBITMQ_USERS_RESOURCES.limits } },
              },
            ],
            volume: volumes(this.configMap.metadata.name, "16Mi"),
          },
        },
      },
    });
  }
}
