import * as fs from "fs";
import * as path from "path";
import { AWS_CLI, JOB_USER_ID, NODE, POSTGRES, regionalReference, type ImageRegistry } from "../kubernetes/images";

/**
 * What every backup job shares: pinned images from the cluster's regional registry, the
 * restricted pod security, the scripts of backup/ as ConfigMap data. Plain objects in
 * Kubernetes' own (camelCase) field names: the printed Job uses them as they are, the constructs
 * map them onto the provider's bindings.
 */

export { JOB_USER_ID } from "../kubernetes/images";

/** The backup jobs' images as a cluster of `registry`'s region pulls them (lib/kubernetes/images.ts). */
export function jobImages(registry: ImageRegistry): { readonly postgres: string; readonly awsCli: string; readonly node: string } {
  return { postgres: regionalReference(POSTGRES, registry), awsCli: regionalReference(AWS_CLI, registry), node: regionalReference(NODE, registry) };
}

/** Folder in the repository holding the job scripts. */
export const BACKUP_SCRIPTS_DIR = path.resolve(__dirname, "../../backup");

/**
 * File name -> content of scripts from backup/, for a ConfigMap mounted at /scripts: the files
 * named, then every file they source from their own folder (`. "$here/<file>"`, e.g.
 * script-common.sh), so that a ConfigMap never carries a script without what it sources.
 */
export function scriptFiles(...names: string[]): Record<string, string> {
  const files: Record<string, string> = {};
  const add = (name: string) => {
    if (name in files) return;
    files[name] = fs.readFileSync(path.join(BACKUP_SCRIPTS_DIR, name), "utf8");
    for (const m of files[name].matchAll(/^\s*\. "\$here\/([A-Za-z0-9._-]+)"\s*$/gm)) add(m[1]);
  };
  for (const name of names) add(name);
  return files;
}

/** Pod-level security: non-root numeric user and group, RuntimeDefault seccomp. */
export function podSecurityContext() {
  return {
    runAsNonRoot: true,
    runAsUser: JOB_USER_ID,
    runAsGroup: JOB_USER_ID,
    fsGroup: JOB_USER_ID,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Container-level security: read-only root filesystem, no privilege escalation, every capability dropped. */
export function containerSecurityContext() {
  return {
    runAsNonRoot: true,
    runAsUser: JOB_USER_ID,
    runAsGroup: JOB_USER_ID,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Requests and limits of one container. */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export const DEFAULT_RESOURCES: ContainerResources = {
  requests: { cpu: "100m", memory: "256Mi" },
  limits: { cpu: "1", memory: "1Gi" },
};
