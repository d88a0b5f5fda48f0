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
