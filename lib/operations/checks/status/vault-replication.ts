import type { ReplicationRule } from "@aws-sdk/client-s3";
import type { PrimaryEnvironment } from "../../../environment";
import { bucketArn, deployStackCommand, environmentNames, stackId, VAULT_RULE_ID, vaultNames } from "../../../naming";
import type { AwsFailure, Reading } from "../../aws/errors";
import type { ReplicationRules } from "../../probes/replication-rule";
import { failedRead, type StatusRow } from "./row";

/** A primary that declares a vault account. */
export type VaultedPrimary = PrimaryEnvironment & { readonly vault: NonNullable<PrimaryEnvironment["vault"]> };

export function hasVault(primary: PrimaryEnvironment): primary is VaultedPrimary {
  return primary.vault !== undefined;
}

/** The three buckets whose rule copies into the vault. */
export type VaultCopy = "archives" | "assets" | "state";

/** Each copied bucket's replication configuration (S3 GetBucketReplication in the bucket's region). */
export type VaultRules = Readonly<Record<VaultCopy, Reading<ReplicationRules>>>;

/** A copied bucket: where it is, which vault bucket it copies into, and the stack that makes the rule. */
export interface VaultSource {
  readonly copy: VaultCopy;
  readonly bucket: string;
  readonly region: string;
  readonly into: string;
  readonly stack: string;
}

/** The state bucket (its rule comes from the vault stack), the archives and the assets (theirs from the application stack). */
export function vaultSources(primary: VaultedPrimary): readonly [state: VaultSource, archives: VaultSource, assets: VaultSource] {
  const vault = vaultNames(primary, primary.vault);
  const names = environmentNames(primary);
  const application = stackId("application", primary.region);
  return [
    { copy: "state", bucket: primary.state.bucket, region: primary.state.region, into: vault.stateBucket, stack: stackId("vault", primary.region) },
    { copy: "archives", bucket: names.hostingServicesBucket, region: primary.drRegion, into: vault.archivesBucket, stack: application },
    { copy: "assets", bucket: names.assetsBucket, region: primary.region, into: vault.assetsBucket, stack: application },
  ];
}

type Judged =
  | { readonly kind: "ok" | "not judged"; readonly line: string }
  | { readonly kind: "problem"; readonly copy: VaultCopy; readonly line: string; readonly fix: string }
  | { readonly kind: "failed"; readonly line: string; readonly failure: AwsFailure };

/**
 * Each bucket's rule `Vault`: present, enabled, into the vault's bucket of the vault account. The
 * state bucket replicates into one vault, from the vault stack of the first primary (by region)
 * that keeps its state there (app/assemble.ts); one primary cannot tell whether it is that one, so
 * its state bucket is judged only when a rule replicates into this primary's vault state bucket.
 */
export function vaultReplicationRow(primary: VaultedPrimary, found: VaultRules): StatusRow {
  const account = primary.vault.accountId;
  const row = { id: "vault-replication", store: "vault replication", target: `rule "${VAULT_RULE_ID}" into ${account}` };
  const judged = vaultSources(primary).map((source) => judgeRule(source, found[source.copy], account));
  const detail = judged.map((j) => j.line).join("\n");
  const problems = judged.flatMap((j) => (j.kind === "problem" ? [j] : []));
  if (problems.length > 0) {
    return {
      ...row,
      state: `not replicating into the vault: ${problems.map((p) => p.copy).join(", ")}`,
      verdict: "missed",
      detail,
      fix: problems.map((p) => p.fix).join("\n"),
    };
  }
  const failed = judged.find((j) => j.kind === "failed");
  if (failed?.kind === "failed") return { ...failedRead(row, failed.failure), detail };
  const ok = judged.filter((j) => j.kind === "ok").length;
  const skipped = judged.length - ok;
  return { ...row, state: `${ok} rules enabled into the vault${skipped > 0 ? " (state not judged)" : ""}`, verdict: "met", detail, fix: "" };
}

function judgeRule(source: VaultSource, rules: Reading<ReplicationRules>, account: string): Judged {
  const { copy, bucket, region, into } = source;
  const on = `${bucket} (${region})`;
  if (!rules.ok) return { kind: "failed", line: `${copy}: ${failedRead({ id: "", store: "", target: "" }, rules.failure).detail}`, failure: rules.failure };
  const { rules: all, configured } = rules.value;
  const want = bucketArn(into);
  const rule = copy === "state" ? all.find((r) => r.Destination?.Bucket === want) : all.find((r) => r.ID === VAULT_RULE_ID);
  const problem = (what: string): Judged => ({
    kind: "problem",
    copy,
    line: `${copy}: ${what}`,
    fix: `${deployStackCommand(source.stack)}   # the rule "${VAULT_RULE_ID}" on ${bucket} replicates into ${into} (account ${account})`,
  });
  if (!rule) {
    const others = configured ? `rules: ${all.map((r) => JSON.stringify(r.ID ?? "")).join(", ") || "none"}` : "no replication configuration";
    if (copy === "state")
      return {
        kind: "not judged",
        line: `state: no rule on ${on} into ${want} (${others}): not judged (the state bucket replicates from the vault stack of the first primary, by region, keeping its state in it; status reads one primary)`,
      };
    return problem(`no rule "${VAULT_RULE_ID}" on ${on} (${others})`);
  }
  const text = `rule "${rule.ID ?? ""}" on ${on} ${rule.Status === "Enabled" ? "enabled" : "DISABLED"} into ${destination(rule)}`;
  if (rule.Status !== "Enabled") return problem(text);
  if (rule.Destination?.Bucket !== want || rule.Destination?.Account !== account) return problem(`${text}, not ${want} (account ${account})`);
  return { kind: "ok", line: `${copy}: ${text}` };
}

function destination(rule: ReplicationRule): string {
  return `${rule.Destination?.Bucket ?? "(no destination)"} (account ${rule.Destination?.Account ?? "not set"})`;
}
