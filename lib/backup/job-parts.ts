import * as fs from "fs";
import * as path from "path";

/**
 * What every backup job shares: pinned images, the restricted pod security, the scripts of
 * backup/ as ConfigMap data. Plain objects in Kubernetes' own (camelCase) field names: the
 * printed Job uses them as they are, the constructs map them onto the provider's bindings.
 */

/** pg_dump, pg_restore and psql of the shipped environments' engine major (16). */
export const POSTGRES_CLIENT_IMAGE = "postgres:16.4";
/** The aws CLI v2 (uploads and downloads archives and definitions). */
export const AWS_CLI_IMAGE = "amazon/aws-cli:2.22.0";
/** Node with built-ins only, for backup/broker-definitions.js. */
export const NODE_IMAGE = "node:20.18.1-bookworm-slim";

/** The postgres image's own `postgres` user; the other images run as it too (no home, no passwd entry needed). */
export const JOB_USER_ID = 999;

/** Folder in the repository holding the job scripts. */
export const BACKUP_SCRIPTS_DIR = path.resolve(__dirname, "../../backup");

/** File name -> content of scripts from backup/, for a ConfigMap mounted at /scripts. */
export function scriptFiles(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, fs.readFileSync(path.join(BACKUP_SCRIPTS_DIR, name), "utf8")]));
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
