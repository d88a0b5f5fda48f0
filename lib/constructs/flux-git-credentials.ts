import { Construct } from "constructs";
import type { TerraformResource } from "cdktf";
import type { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { AWS_CLI, CURL, regionalReference, type ImageRegistry } from "../kubernetes/images";
import { FLUX_GIT_CREDENTIALS_JOB, FLUX_GIT_CREDENTIALS_SERVICE_ACCOUNT } from "../naming";
import { cronProblem, providerPodSecurityContext, providerResources, volumes, scriptStep } from "./private/backup-pod";
import { Job } from "./private/kubernetes-workload";
import { scriptCronJob, scriptsConfigMap, type CronJobPod } from "./private/script-job";

/** The script in backup/ (with what it sources). */
export const FLUX_GIT_CREDENTIALS_SCRIPT = "flux-git-credentials.sh";

/**
 * What each step may use: the aws CLI (Python) reads one secret, curl sends one or two requests;
 * the limits stop a hung step from starving Flux's namespace.
 */
export const FLUX_GIT_CREDENTIALS_RESOURCES = {
  requests: { cpu: "10m", memory: "64Mi" },
  limits: { cpu: "200m", memory: "256Mi" },
} as const;

/** Where the pod keeps the credentials it read: a memory-backed volume, never a disk. */
const CREDENTIALS_PATH = "/run/git-credentials";

export interface FluxGitCredentialsProps {
  /** Flux's namespace (`restricted`): the job, its service account and the secret are there. */
  readonly namespace: string;
  /** Name of the Kubernetes secret the GitRepository's `secretRef` names. */
  readonly secretName: string;
  /** Secrets Manager secret with the Git credentials as JSON, in `region` (the primary's, or its replica). */
  readonly gitCredentialsSecretName: string;
  /** Region of that secret: the cluster's (a recovery reads its replica). */
  readonly region: string;
  /**
   * When the copy is refreshed besides every deploy (cron, UTC on EKS); rotate-git-credentials
   * prints the command that refreshes it at once.
   * @default "@hourly"
   */
  readonly schedule?: string;
  /** The account's registry in the cluster's region: the images are pulled from it, by digest (lib/kubernetes/images.ts). */
  readonly registry: ImageRegistry;
}

/**
 * Flux's Git credentials, copied from Secrets Manager into the Kubernetes secret
 * source-controller reads, by a pod in the cluster when it runs (backup/flux-git-credentials.sh):
 * an init container reads the secret with the aws CLI and the pod's identity into a memory-backed
 * volume, a container writes the Kubernetes secret through the API with its service account's
 * token. A Job does it at every deploy (the deploy waits for it), a CronJob keeps the copy fresh
 * after a rotation. The value is never in Terraform's state, the synthesized JSON or the pod spec.
 *
 * The service account may update that one secret and create secrets in the namespace (RBAC
 * cannot restrict a create to a name), nothing else: no read, list or delete.
 */
export class FluxGitCredentials extends Construct {
  public readonly job: TerraformResource;
  public readonly cronJob: TerraformResource;
  public readonly configMap: ConfigMapV1;
  public readonly role: RoleV1;
  public readonly serviceAccountName: string;
  public readonly cronJobName = FLUX_GIT_CREDENTIALS_JOB;

  constructor(scope: Construct, id: string, props: FluxGitCredentialsProps) {
    super(scope, id);
    const schedule = props.schedule ?? "@hourly";
    const problem = cronProblem("FluxGitCredentials", schedule);
    if (problem !== undefined) throw new Error(problem);
    // Fixed: the kubernetes stack's pod identity association and the session-tag condition of Flux's
    // role name this service account (FLUX_GIT_CREDENTIALS_SERVICE_ACCOUNT).
    this.serviceAccountName = FLUX_GIT_CREDENTIALS_SERVICE_ACCOUNT.name;
    const metadata = { name: this.cronJobName, namespace: props.namespace };

    const serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata: { name: this.serviceAccountName, namespace: props.namespace },
      // The apply step authenticates to the API with the projected token.
      automountServiceAccountToken: true,
    });
    this.role = new RoleV1(this, "role", {
      metadata,
      rule: [
        { apiGroups: [""], resources: ["secrets"], resourceNames: [props.secretName], verbs: ["update"] },
        // A create carries no name at authorization time: RBAC cannot narrow it to one secret.
        { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
      ],
    });
    const binding = new RoleBindingV1(this, "role-binding", {
      metadata,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: this.role.metadata.name },
      subject: [{ kind: "ServiceAccount", name: serviceAccount.metadata.name, namespace: props.namespace }],
    });
    this.configMap = scriptsConfigMap(this, metadata, FLUX_GIT_CREDENTIALS_SCRIPT);

    const resources = providerResources(FLUX_GIT_CREDENTIALS_RESOURCES);
    const file = { name: "CREDENTIALS_FILE", value: `${CREDENTIALS_PATH}/credentials.json` };
    const step = (name: "read" | "apply", image: string, env: { name: string; value: string }[]) =>
      scriptStep({
        name,
        image,
        script: FLUX_GIT_CREDENTIALS_SCRIPT,
        args: [name],
        env: [file, { name: "HOME", value: "/tmp" }, ...env],
        mounts: [{ name: "git-credentials", mountPath: CREDENTIALS_PATH, readOnly: name === "apply" }],
        resources,
      });
    const pod: CronJobPod = {
      serviceAccountName: serviceAccount.metadata.name,
      automountServiceAccountToken: true,
      restartPolicy: "Never",
      securityContext: providerPodSecurityContext(),
      initContainer: [
        step("read", regionalReference(AWS_CLI, props.registry), [
          { name: "GIT_CREDENTIALS_SECRET", value: props.gitCredentialsSecretName },
          { name: "AWS_REGION", value: props.region },
        ]),
      ],
      container: [
        step("apply", regionalReference(CURL, props.registry), [
          { name: "NAMESPACE", value: props.namespace },
          { name: "SECRET_NAME", value: props.secretName },
        ]),
      ],
      volume: [...volumes(this.configMap.metadata.name, "16Mi"), { name: "git-credentials", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } }],
    };
    const dependsOn = [binding, this.configMap];
    this.job = new Job(this, "job", {
      metadata,
      dependsOn,
      waitForCompletion: true,
      timeouts: { create: "10m", update: "10m" },
      spec: { backoffLimit: 3, template: { metadata: { labels: { "app.kubernetes.io/name": this.cronJobName } }, spec: pod } },
    });
    this.cronJob = scriptCronJob(this, { name: this.cronJobName, namespace: props.namespace, schedule, backoffLimit: 2, dependsOn, pod });
  }
}
