import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { servingClusterName, type PrimarySide } from "../environment";
import { deployStackCommand, refreshGitCredentialsCommand, stackId } from "../naming";
import { regionOf } from "./aws/clients";
import { putGitCredentials } from "./actions/git-credentials";
import { credentialsProblem } from "./checks/preflight/git-credentials";
import { replicaFollows, type ReplicaVerdict } from "./checks/git-credentials/replica-follows";
import { credentialsShape, probeGitCredentials } from "./probes/git-credentials";

/**
 * `rotate-git-credentials <region>`: puts a new value into Flux's Git credentials secret where it
 * lives (the primary's region; the primary's application stack replicates it into its drRegion), then
 * waits until every replica carries it. A job in each cluster copies the secret into Flux's
 * namespace (FluxGitCredentials: at every gitops deploy and hourly), so the command ends with the
 * commands that run that job now in each cluster, and the old credential is revoked at the Git host
 * only after that.
 */

/** Where a secret is written and who reads it. */
export interface GitCredentialsPlan {
  /** The secret's name (`flux.gitCredentialsSecretName`). */
  readonly name: string;
  /** The region it lives in: the primary's. */
  readonly homeRegion: string;
  /** The recoveries of that primary that use the same secret: its replicas are there. */
  readonly replicaRegions: readonly string[];
  /** Every environment whose cluster reads this secret (the primary's and its recoveries'), with its serving cluster. */
  readonly readers: readonly { readonly region: string; readonly clusterName: string }[];
}

/**
 * The plan for the secret `name` (an environment's `flux.gitCredentialsSecretName`) of the pair
 * whose primary is `home` (lib/environment/pair.ts): written in the primary's region, replicated
 * into each recovery that names the same secret.
 */
export function gitCredentialsPlan(name: string, home: PrimarySide): GitCredentialsPlan {
  const primary = home.environment;
  const recoveries = home.recoveries.filter((r) => r.flux.gitCredentialsSecretName === name);
  const readers = [...(primary.flux.gitCredentialsSecretName === name ? [primary] : []), ...recoveries].map((env) => ({
    region: env.region,
    clusterName: servingClusterName(env),
  }));
  return { name, homeRegion: primary.region, replicaRegions: recoveries.map((r) => r.region), readers };
}

export interface RotateGitCredentialsClients {
  /** Secrets Manager of the plan's home region. */
  readonly home: SecretsManagerClient;
  /** Secrets Manager of each replica region. */
  readonly replicas: Readonly<Record<string, SecretsManagerClient>>;
}

export interface RotateGitCredentialsOptions {
  /** How long the replicas may take to follow. */
  readonly waitSeconds: number;
  /** @default 3000 */
  readonly intervalMs?: number;
  /** @default - a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

/** What the command prints and exits with: 0 every replica follows, 1 nothing was written or a call failed, 3 put but a replica did not follow. */
export interface RotateGitCredentialsResult {
  readonly exitCode: 0 | 1 | 3;
  readonly lines: readonly string[];
  readonly replicas: readonly ReplicaVerdict[];
}

/** Puts `value` (never printed) into the plan's secret and waits for its replicas. */
export async function rotateGitCredentials(
  plan: GitCredentialsPlan,
  value: string,
  clients: RotateGitCredentialsClients,
  options: RotateGitCredentialsOptions,
): Promise<RotateGitCredentialsResult> {
  const { name, homeRegion } = plan;
  const refuse = (line: string): RotateGitCredentialsResult => ({ exitCode: 1, lines: [line, "nothing was written"], replicas: [] });
  for (const [region, client] of [[homeRegion, clients.home], ...plan.replicaRegions.map((r) => [r, clients.replicas[r]] as const)] as const) {
    if (!client || (await regionOf(client)) !== region)
      return refuse(`rotate-git-credentials: the Secrets Manager client for ${region} is missing or bound to another region`);
  }
  const problem = credentialsProblem(credentialsShape(value));
  if (problem !== undefined) return refuse(`the new value is not one Flux can use: ${problem}`);

  const before = await probeGitCredentials(clients.home, name, homeRegion);
  if (!before.ok) return refuse(`${before.failure.call} in ${homeRegion}: ${before.failure.description}`);
  if (!before.value.exists) return refuse(`no ${name} in ${homeRegion}: ${deployStackCommand(stackId("application", homeRegion))} makes it`);
  if (before.value.primaryRegion) return refuse(`${name} in ${homeRegion} is a replica of ${before.value.primaryRegion}: put the value there`);
  const missing = plan.replicaRegions.filter((r) => !before.value.replicas?.some((replica) => replica.region === r));
  if (missing.length > 0) {
    return refuse(
      `${name} has no replica in ${missing.join(", ")}: the new value would not reach it; ${deployStackCommand(stackId("application", homeRegion))} first (it replicates the secret into its drRegion)`,
    );
  }

  const put = await putGitCredentials(clients.home, name, homeRegion, value);
  if (!put.ok) return refuse(`${put.failure.call} in ${homeRegion}: ${put.failure.description}`);
  const { versionId } = put.value;
  const lines = [`put a new value into ${name} in ${homeRegion}: version ${versionId} is AWSCURRENT (the previous one is AWSPREVIOUS)`];

  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + options.waitSeconds * 1000;
  let verdicts: ReplicaVerdict[] = [];
  for (;;) {
    const home = await probeGitCredentials(clients.home, name, homeRegion);
    const statuses = home.ok ? (home.value.replicas ?? []) : [];
    verdicts = await Promise.all(
      plan.replicaRegions.map(async (region) =>
        replicaFollows(
          versionId,
          await probeGitCredentials(clients.replicas[region], name, region),
          home.ok ? statuses.find((s) => s.region === region) : { region, status: "Unknown" },
          name,
        ),
      ),
    );
    if (verdicts.every((v) => v.status !== "pending") || now() >= deadline) break;
    await sleep(options.intervalMs ?? 3000);
  }
  for (const verdict of verdicts) {
    lines.push(
      `${verdict.region}: ${verdict.status === "pass" ? "follows" : verdict.status === "fail" ? "FAILED" : `did not follow within ${options.waitSeconds}s`}: ${verdict.detail}`,
    );
    if (verdict.fix) lines.push(`  fix: ${verdict.fix}`);
  }
  if (plan.replicaRegions.length === 0) lines.push("no replica to follow: no recovery environment uses this secret");
  const followed = verdicts.every((v) => v.status === "pass");
  lines.push(
    "next, in this order:",
    // The Job's name carries the version: one per rotation, never a clash with an earlier one.
    ...plan.readers.map(
      ({ region, clusterName }) =>
        `  ${refreshGitCredentialsCommand(
          region,
          clusterName,
          versionId
            .toLowerCase()
            .replace(/[^a-z0-9]/g, "")
            .slice(0, 8) || "rotated",
        )}   # Flux in ${region} gets the new value now (the hourly job would within the hour; a recovery's only where its cluster runs)`,
    ),
    "  then revoke the old credential at the Git host (AWSPREVIOUS keeps it until the next rotation)",
  );
  return { exitCode: followed ? 0 : verdicts.some((v) => v.status === "fail") ? 1 : 3, lines, replicas: verdicts };
}
