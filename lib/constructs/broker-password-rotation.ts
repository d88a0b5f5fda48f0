import { Construct } from "constructs";
import { Token, type ITerraformDependable, type TerraformResource } from "cdktf";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { type ContainerResources } from "../backup/job-parts";
import { CURL, imageProblems, regionalImage, type ContainerImage, type ImageRegistry } from "../kubernetes/images";
import { BROKER_ROTATION_SCRIPT } from "../naming";
import { cronProblem, nameProblem, providerResources, SCRIPTS_PATH, volumeMounts, volumes } from "./private/backup-pod";
import { scriptCronJob, scriptsConfigMap } from "./private/script-job";

const ROTATION_SCRIPT = BROKER_ROTATION_SCRIPT;

/** curl sends a few small requests per user; the limits stop a hung script from taking a node's share. */
export const ROTATION_RESOURCES: ContainerResources = {
  requests: { cpu: "10m", memory: "16Mi" },
  limits: { cpu: "100m", memory: "64Mi" },
};

export interface BrokerPasswordRotationProps {
  readonly namespace: string;
  /**
   * Name of the CronJob and its ConfigMap.
   * @default "broker-password-rotation"
   */
  readonly name?: string;
  /** When to rotate (cron, in the cluster's time zone: UTC on EKS), e.g. "0 3 1 * *". */
  readonly schedule: string;
  /**
   * Service account whose pod identity role may get, put and re-stage exactly the users' secrets
   * (the backup-job role).
   */
  readonly serviceAccountName: string;
  /** Region of the secrets (the broker's region). */
  readonly secretsRegion: string;
  /** The broker's management URL (`https://b-....mq.<region>.amazonaws.com`). */
  readonly managementUrl: string;
  readonly adminUsername: string;
  /**
   * The administrator's Secrets Manager secret: the job reads its AWSCURRENT when it runs (the
   * service account's pod identity role may get, put and re-stage it), to sign in to the broker.
   */
  readonly adminSecretName: string;
  /**
   * Rotate the administrator's password as well (last, by the same protocol). Every pod that uses
   * it reads it from Secrets Manager when it runs, so no copy is to be refreshed.
   * @default false
   */
  readonly rotateAdmin?: boolean;
  /** Application users and their Secrets Manager secrets; every one is rotated (may be empty with `rotateAdmin`). */
  readonly users: readonly { readonly username: string; readonly secretName: string }[];
  /**
   * The account's registry in the cluster's region: the images are pulled from it (through its
   * pull through cache rules), by digest (lib/kubernetes/images.ts).
   */
  readonly registry: ImageRegistry;
  /**
   * Image with curl (SigV4 signing) and a POSIX shell, pinned by tag and digest.
   * @default - CURL from `registry`
   */
  readonly image?: ContainerImage;
  /** @default ROTATION_RESOURCES */
  readonly resources?: ContainerResources;
  /**
   * What must be done before the first rotation can run: the jobs that set the first passwords
   * (a rotation racing them would fight over the same users).
   * @default - nothing
   */
  readonly after?: readonly ITerraformDependable[];
}

/**
 * A CronJob that rotates the broker application users' passwords, and with `rotateAdmin` the
 * administrator's (backup/rotate-broker-passwords.sh), by the Secrets Manager rotation protocol: a
 * new version staged AWSPENDING, set on the broker through the management API, verified there, and
 * only then made AWSCURRENT. Workloads that re-read their secret when the broker refuses a
 * connection (docs/gitops.md) are never locked out, and the other broker jobs read the
 * administrator's password when they run. In the cluster because the broker is private; no
 * Lambda, no VPC endpoint for it.
 */
export class BrokerPasswordRotation extends Construct {
  public readonly resource: TerraformResource;
  public readonly configMap: ConfigMapV1;
  public readonly cronJobName: string;
  public readonly schedule: string;
  /** The secrets this job rotates (the users', then the administrator's). */
  public readonly secretNames: readonly string[];

  constructor(scope: Construct, id: string, props: BrokerPasswordRotationProps) {
    super(scope, id);
    this.cronJobName = props.name ?? "broker-password-rotation";
    this.schedule = props.schedule;
    const image = props.image ?? regionalImage(CURL, props.registry);
    const problems = [
      nameProblem("BrokerPasswordRotation", this.cronJobName),
      cronProblem("BrokerPasswordRotation", this.schedule),
      props.users.length === 0 && !props.rotateAdmin
        ? "BrokerPasswordRotation: users must list at least one user when rotateAdmin is not given (got none): there would be nothing to rotate"
        : undefined,
      /^[A-Za-z0-9/_+=.@-]+$/.test(props.adminSecretName)
        ? undefined
        : `BrokerPasswordRotation: adminSecretName must be a Secrets Manager name (got ${JSON.stringify(props.adminSecretName)})`,
      ...props.users
        .filter((user) => !/^[A-Za-z0-9._~-]+$/.test(user.username) || !/^[A-Za-z0-9/_+=.@-]+$/.test(user.secretName))
        .map(
          (user) =>
            `BrokerPasswordRotation: users must be letters, digits and . _ ~ - with secret names of Secrets Manager's characters (got ${JSON.stringify(user)})`,
        ),
      Token.isUnresolved(props.managementUrl) || /^https:\/\/[^/\s]+\/?$/.test(props.managementUrl)
        ? undefined
        : `BrokerPasswordRotation: managementUrl must be https://<host> (got ${JSON.stringify(props.managementUrl)})`,
      ...imageProblems(image).map((problem) => `BrokerPasswordRotation: image.${problem}`),
    ].filter((problem): problem is string => problem !== undefined);
    if (problems.length > 0) throw new Error(problems.join("\n"));
    const rotateAdmin = props.rotateAdmin ?? false;
    this.secretNames = [...props.users.map((user) => user.secretName), ...(rotateAdmin ? [props.adminSecretName] : [])];

    this.configMap = scriptsConfigMap(this, { name: this.cronJobName, namespace: props.namespace }, ROTATION_SCRIPT);

    // Numeric ids of the curl image's own user: the kubelet cannot prove a user name non-root.
    const user = { runAsNonRoot: true, runAsUser: String(image.userId), runAsGroup: String(image.groupId) };
    this.resource = scriptCronJob(this, {
      name: this.cronJobName,
      namespace: props.namespace,
      schedule: this.schedule,
      dependsOn: props.after && props.after.length > 0 ? [...props.after] : undefined,
      // One run at a time: two rotations of one secret at once would fight over AWSPENDING.
      backoffLimit: 2,
      pod: {
        serviceAccountName: props.serviceAccountName,
        restartPolicy: "Never",
        securityContext: { ...user, fsGroup: String(image.groupId), seccompProfile: { type: "RuntimeDefault" } },
        container: [
          {
            name: "rotate",
            image: image.reference,
            command: ["/bin/sh", `${SCRIPTS_PATH}/${ROTATION_SCRIPT}`],
            env: [
              { name: "AWS_REGION", value: props.secretsRegion },
              { name: "USERS", value: props.users.map((u) => `${u.username}=${u.secretName}`).join(" ") },
              { name: "MANAGEMENT_URL", value: props.managementUrl },
              { name: "ADMIN_USERNAME", value: props.adminUsername },
              // Read when the job runs, and rotated too unless ROTATE_ADMIN is false.
              { name: "ADMIN_SECRET", value: props.adminSecretName },
              { name: "ROTATE_ADMIN", value: String(rotateAdmin) },
              { name: "HOME", value: "/tmp" },
            ],
            volumeMount: volumeMounts(),
            resources: providerResources(props.resources ?? ROTATION_RESOURCES),
            securityContext: {
              ...user,
              readOnlyRootFilesystem: true,
              allowPrivilegeEscalation: false,
              capabilities: { drop: ["ALL"] },
              seccompProfile: { type: "RuntimeDefault" },
            },
          },
        ],
        volume: volumes(this.configMap.metadata.name, "16Mi"),
      },
    });
  }
}
