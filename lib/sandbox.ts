import type { IConstruct } from "constructs";
import { ConfigurationError } from "./environment/problems";

/**
 * Sandbox mode: every AWS provider talks to a local AWS emulator (moto) instead of AWS, and every
 * stack keeps its state in a local folder. It is on only when DR_SANDBOX_ENDPOINT is set (the
 * `npm run sandbox` command sets it), the endpoint must be on the loopback interface, and every
 * synth in this mode prints a banner. Real mode is exactly what it would be without this file.
 */
export const SANDBOX_ENDPOINT_VARIABLE = "DR_SANDBOX_ENDPOINT";
/** Folder for the sandbox's local state (git-ignored). */
export const SANDBOX_STATE_VARIABLE = "DR_SANDBOX_STATE_DIR";
/** The account moto answers for (GetCallerIdentity). */
export const SANDBOX_ACCOUNT_ID = "123456789012";

const CONTEXT_KEY = "dr-platform:sandbox";

export interface SandboxTarget {
  /** Emulator URL, e.g. https://127.0.0.1:5055. */
  readonly endpoint: string;
  /** Absolute folder for local state files. */
  readonly stateDir: string;
}

/** One kind of resource the emulator cannot serve, left out in sandbox mode only. */
export interface SandboxGap {
  readonly id: string;
  /** Terraform resource types left out. */
  readonly resourceTypes: readonly string[];
  /** What the emulator does, and what sandbox mode does instead. */
  readonly reason: string;
  /** Policy rules this gap violates; sandbox mode suppresses them with the reason above. */
  readonly violates?: readonly string[];
}

/**
 * Everything sandbox mode leaves out, found by deploying into moto 5.2.1. Unit tests keep
 * asserting these resources in the real-mode JSON.
 */
export const SANDBOX_GAPS: readonly SandboxGap[] = [
  {
    id: "eks-access-entries",
    resourceTypes: ["aws_eks_access_entry", "aws_eks_access_policy_association"],
    reason: "moto answers EKS CreateAccessEntry with 404; the admin roles get no access entries in the sandbox",
  },
  {
    id: "s3-bucket-policy",
    resourceTypes: ["aws_s3_bucket_policy"],
    reason:
      "moto evaluates bucket policies without the aws:SecureTransport key, so the TLS-only deny refuses every object request even over TLS; sandbox buckets have no bucket policy (the emulator is served over TLS all the same)",
    violates: ["DR-S3-4"],
  },
  {
    id: "eks-addons",
    resourceTypes: ["aws_eks_addon"],
    reason: "moto answers EKS CreateAddon with 404; the sandbox cluster has no managed add-ons",
  },
  {
    id: "kms-replica-key",
    resourceTypes: ["aws_kms_replica_key", "aws_kms_alias (of the replica)"],
    reason:
      "moto never reports a replica key as enabled (the provider waits until it times out); in the sandbox the SOPS key has no replica, so a recovery's Flux role gets no decrypt permission",
  },
  {
    id: "rds-backup-replication",
    resourceTypes: ["aws_db_instance_automated_backups_replication"],
    reason:
      "moto does not implement RDS StartDBInstanceAutomatedBackupsReplication (the provider waits for minutes); without replicated backups a recovery's database starts empty in the sandbox instead of restoring",
    violates: ["DR-RDS-5"],
  },
];

/** The sandbox target named by the environment, or undefined in real mode. */
export function sandboxFromEnvironment(variables: NodeJS.ProcessEnv = process.env): SandboxTarget | undefined {
  const endpoint = variables[SANDBOX_ENDPOINT_VARIABLE];
  if (endpoint === undefined || endpoint === "") return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigurationError([`${SANDBOX_ENDPOINT_VARIABLE}: must be a URL like https://127.0.0.1:5055 (got ${JSON.stringify(endpoint)})`]);
  }
  if (!["http:", "https:"].includes(url.protocol) || !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) {
    throw new ConfigurationError([
      `${SANDBOX_ENDPOINT_VARIABLE}: must be an http(s):// URL on the loopback interface (127.0.0.1, localhost or [::1]); the sandbox never talks to another host (got ${JSON.stringify(endpoint)})`,
    ]);
  }
  const stateDir = variables[SANDBOX_STATE_VARIABLE];
  if (!stateDir || !stateDir.startsWith("/")) {
    throw new ConfigurationError([`${SANDBOX_STATE_VARIABLE}: must be an absolute folder for the sandbox's local state (got ${JSON.stringify(stateDir ?? null)})`]);
  }
  return { endpoint: url.origin, stateDir };
}

/** Puts the app (and every stack under it) in sandbox mode. */
export function enableSandbox(app: IConstruct, target: SandboxTarget): void {
  app.node.setContext(CONTEXT_KEY, target);
}

/** The sandbox target in force for a construct, or undefined in real mode. */
export function sandboxOf(scope: IConstruct): SandboxTarget | undefined {
  return scope.node.tryGetContext(CONTEXT_KEY);
}

/** True when the construct is synthesized in sandbox mode and the gap's resources must be left out. */
export function leftOutInSandbox(scope: IConstruct, gapId: SandboxGap["id"]): boolean {
  if (!SANDBOX_GAPS.some((gap) => gap.id === gapId)) throw new Error(`unknown sandbox gap ${gapId}`);
  return sandboxOf(scope) !== undefined;
}

export function sandboxBanner(target: SandboxTarget): string {
  return [
    `SANDBOX MODE: AWS providers point at ${target.endpoint} (local emulator), state in ${target.stateDir}.`,
    `Left out because the emulator cannot serve them: ${SANDBOX_GAPS.map((g) => g.resourceTypes.join(", ")).join("; ")}.`,
  ].join("\n");
}
