import { Token } from "cdktf";
import { containerSecurityContext, podSecurityContext, type ContainerResources } from "../../backup/job-parts";

/**
 * The backup jobs' pod parts in the kubernetes provider's shapes (numbers as strings, octal
 * modes as strings), built from the same source as the printed verify-backup Job.
 */

/** Terraform reads `${` and `%{` in any string as a template: scripts must carry them escaped. */
export function terraformLiteral(text: string): string {
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

export function providerPodSecurityContext() {
  const pod = podSecurityContext();
  return {
    runAsNonRoot: pod.runAsNonRoot,
    runAsUser: String(pod.runAsUser),
    runAsGroup: String(pod.runAsGroup),
    fsGroup: String(pod.fsGroup),
    seccompProfile: { type: pod.seccompProfile.type },
  };
}

export function providerContainerSecurityContext() {
  const container = containerSecurityContext();
  return {
    runAsNonRoot: container.runAsNonRoot,
    runAsUser: String(container.runAsUser),
    runAsGroup: String(container.runAsGroup),
    readOnlyRootFilesystem: container.readOnlyRootFilesystem,
    allowPrivilegeEscalation: container.allowPrivilegeEscalation,
    capabilities: { drop: container.capabilities.drop },
    seccompProfile: { type: container.seccompProfile.type },
  };
}

export function providerResources(resources: ContainerResources) {
  return { requests: { ...resources.requests }, limits: { ...resources.limits } };
}

/** A volume mount of a container, in the kubernetes provider's shape. */
export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
}

export interface ScriptStepOptions {
  /** The container's name. */
  readonly name: string;
  readonly image: string;
  /** The script under /scripts (from the job's ConfigMap) and its arguments. */
  readonly script: string;
  readonly args?: readonly string[];
  /** The interpreter. @default "/bin/sh" */
  readonly interpreter?: string;
  readonly env: readonly EnvVar[];
  /** Mounts besides the scripts, the work folder and /tmp (volumeMounts). */
  readonly mounts?: readonly VolumeMount[];
  readonly resources: ReturnType<typeof providerResources>;
}

/**
 * One container of a script job: `<interpreter> /scripts/<script> <args>` with the scripts, the work
 * folder and a writable /tmp mounted, the restricted security context, and its resources. Every
 * step of the library's jobs is one of these.
 */
export function scriptStep(options: ScriptStepOptions) {
  return {
    name: options.name,
    image: options.image,
    command: [options.interpreter ?? "/bin/sh", `${SCRIPTS_PATH}/${options.script}`, ...(options.args ?? [])],
    env: [...options.env],
    volumeMount: [...volumeMounts(), ...(options.mounts ?? [])],
    resources: options.resources,
    securityContext: providerContainerSecurityContext(),
  };
}

/** One environment variable: a value, or a key of a secret. */
export type EnvVar =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly valueFrom: { readonly secretKeyRef: { readonly name: string; readonly key: string } } };

export const SCRIPTS_PATH = "/scripts";
export const WORK_PATH = "/work";

/** Scripts (read-only, from the ConfigMap), the work folder, and a writable /tmp on a read-only root. */
export function volumeMounts() {
  return [
    { name: "scripts", mountPath: SCRIPTS_PATH, readOnly: true },
    { name: "work", mountPath: WORK_PATH },
    { name: "tmp", mountPath: "/tmp" },
  ];
}

export function volumes(configMapName: string, workSpace: string) {
  return [
    { name: "scripts", configMap: { name: configMapName, defaultMode: "0555" } },
    { name: "work", emptyDir: { sizeLimit: workSpace } },
    { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
  ];
}

/** Five cron fields, or a macro such as @hourly; the CronJob controller rejects anything else late. */
export function cronProblem(construct: string, schedule: string): string | undefined {
  if (Token.isUnresolved(schedule)) return undefined;
  const macro = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/;
  const fields = schedule.trim().split(/\s+/);
  if (macro.test(schedule) || (fields.length === 5 && fields.every((field) => /^[\d*,\-/A-Za-z?]+$/.test(field)))) return undefined;
  return `${construct}: schedule must be five cron fields or a macro such as @hourly (got ${JSON.stringify(schedule)})`;
}

/** DNS-1123 label, short enough for the Job names the CronJob derives (name + 11 characters). */
export function nameProblem(construct: string, name: string): string | undefined {
  if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) && name.length <= 52) return undefined;
  return `${construct}: name must be a DNS label of at most 52 characters (got ${JSON.stringify(name)})`;
}

/** The broker administrator's Secrets Manager secret, which a pod reads when it runs. */
export interface BrokerAdminSecret {
  /** Name (or ARN) of the secret. */
  readonly secretName: string;
  /** Its region (the broker's). */
  readonly region: string;
}

/** Where a pod keeps the broker administrator's password it read: a memory-backed volume, never a disk. */
export const BROKER_ADMIN_PATH = "/run/broker-admin";
/** The file the password is in, for the step that uses it (`ADMIN_PASSWORD_FILE`). */
export const BROKER_ADMIN_PASSWORD_FILE = `${BROKER_ADMIN_PATH}/password`;

/**
 * The init container that reads the administrator's password (AWSCURRENT) from Secrets Manager
 * when the pod runs (backup/broker-definitions.sh admin-password, aws CLI image, the pod's
 * identity), into the `broker-admin` volume: no copy in a Kubernetes secret or Terraform's state,
 * and never older than the last rotation.
 */
export function brokerAdminPasswordStep(image: string, resources: ReturnType<typeof providerResources>, secret: BrokerAdminSecret) {
  return scriptStep({
    name: "admin-password",
    image,
    script: "broker-definitions.sh",
    args: ["admin-password"],
    env: [
      { name: "ADMIN_SECRET", value: secret.secretName },
      { name: "AWS_REGION", value: secret.region },
      { name: "ADMIN_PASSWORD_FILE", value: BROKER_ADMIN_PASSWORD_FILE },
      { name: "HOME", value: "/tmp" },
    ],
    mounts: [{ name: "broker-admin", mountPath: BROKER_ADMIN_PATH }],
    resources,
  });
}

/** The step that uses the password mounts the volume read-only. */
export const BROKER_ADMIN_MOUNT = { name: "broker-admin", mountPath: BROKER_ADMIN_PATH, readOnly: true };
/** tmpfs: the password goes with the pod. */
export const BROKER_ADMIN_VOLUME = { name: "broker-admin", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } };
