import * as path from "path";
import { App } from "cdktf";
import { addEnvironments } from "../../app/assemble";
import { kubernetesCalendarFinding, loadEnvironments, type LoadedEnvironment } from "../../lib/environment";
import { REPO } from "./run";

/** The shipped environments, loaded as `cdktf synth` loads them. */
export function shippedEnvironments() {
  return loadEnvironments(path.join(REPO, "environments"));
}

/**
 * The warnings a synth of the shipped environments prints on `now`: the EKS calendar's only (from
 * 90 days before a pin leaves standard support), as the loader formats them. Tests expect exactly
 * these, so a shipped pin entering its warning window does not fail CI on a fixed day.
 */
export function shippedCalendarWarnings(now = new Date()): string[] {
  return shippedEnvironments().flatMap(({ file, environment }) => {
    const finding = kubernetesCalendarFinding(environment.kubernetes.version, now);
    return finding?.level === "warning" ? [`${file}: kubernetes.version: ${finding.message} (got "${environment.kubernetes.version}")`] : [];
  });
}

/**
 * The shipped environments with us-east-1's file edited as `restore-database`'s second step says:
 * database generation 2, restored from `restoredFrom` (by default generation 1's backups at a fixed time).
 */
export function shippedRestoringDatabase(
  restoredFrom: Record<string, unknown> = { from: "point-in-time", generation: 1, restoreTime: "2026-12-01T10:00:00Z" },
): LoadedEnvironment[] {
  return shippedEnvironments().map((l) =>
    l.environment.region === "us-east-1"
      ? { ...l, environment: { ...l.environment, database: { ...l.environment.database, generation: 2, restoredFrom } } }
      : l,
  ) as LoadedEnvironment[];
}

/** The shipped environments with us-east-2's file choosing `tier: "warm-standby"`. */
export function shippedWarmStandby(): LoadedEnvironment[] {
  return shippedEnvironments().map((l) =>
    l.environment.region === "us-east-2" ? { ...l, environment: { ...l.environment, tier: "warm-standby" } } : l,
  ) as LoadedEnvironment[];
}

/** Synthesizes the shipped environments (or `environments`) into `outdir` (manifest.json and one folder per stack). */
export function synthShipped(outdir: string, environments: readonly LoadedEnvironment[] = shippedEnvironments()): App {
  // stackTraces off, as synthesize() has it: annotations (the policy suppressions) then carry no call site.
  const app = new App({ outdir, skipValidation: false, stackTraces: false });
  addEnvironments(app, environments);
  app.synth();
  return app;
}

/** The stacks the shipped environments make, written out by hand (the tests compare against it). */
export const SHIPPED_STACK_IDS = [
  "application-us-east-1",
  "application-us-east-2",
  "dns-us-east-1",
  "gitops-us-east-1",
  "gitops-us-east-2",
  "kubernetes-us-east-1",
  "kubernetes-us-east-2",
  "networking-us-east-1",
  "networking-us-east-2",
  "replication-us-east-2",
  "standby-us-east-2",
  "state-acme-terraform-state",
  "vault-us-east-1",
  "workloads-us-east-1",
  "workloads-us-east-2",
] as const;
