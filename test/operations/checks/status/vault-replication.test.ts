import type { ReplicationRule } from "@aws-sdk/client-s3";
import { vaultReplicationRow, type VaultRules } from "../../../../lib/operations/checks/status/vault-replication";
import type { ReplicationRules } from "../../../../lib/operations/probes/replication-rule";
import { failed, read } from "../../../support/facts";
import { ASSETS, HOSTING, STATE, VAULT_ARCHIVES, VAULT_ASSETS, VAULT_STATE, vaulted } from "../../../support/vault-facts";

const ROW = { id: "vault-replication", store: "vault replication", target: 'rule "Vault" into 210987654321' };
const APPLICATION = "npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies";
const VAULT_STACK = "npx cdktf deploy vault-us-east-1 --ignore-missing-stack-dependencies";
const DR_RULE: ReplicationRule = { ID: "DR Replication", Status: "Enabled", Destination: { Bucket: "arn:aws:s3:::acme-dr-assets-us-east-1" } };
const vaultRule = (into: string, change: Partial<ReplicationRule> = {}, account = "210987654321"): ReplicationRule => ({
  ID: "Vault",
  Status: "Enabled",
  Destination: { Bucket: `arn:aws:s3:::${into}`, Account: account },
  ...change,
});
const config = (bucket: string, ...rules: ReplicationRule[]) => read<ReplicationRules>({ bucket, configured: true, rules });
const none = (bucket: string) => read<ReplicationRules>({ bucket, configured: false, rules: [] });

/** Every rule in place; `change` replaces some readings. */
function rules(change: Partial<VaultRules> = {}): VaultRules {
  return {
    state: config(STATE, vaultRule(VAULT_STATE)),
    archives: config(HOSTING, vaultRule(VAULT_ARCHIVES)),
    assets: config(ASSETS, DR_RULE, vaultRule(VAULT_ASSETS)),
    ...change,
  };
}

const LINES = {
  state: `state: rule "Vault" on ${STATE} (us-west-2) enabled into arn:aws:s3:::${VAULT_STATE} (account 210987654321)`,
  archives: `archives: rule "Vault" on ${HOSTING} (us-east-2) enabled into arn:aws:s3:::${VAULT_ARCHIVES} (account 210987654321)`,
  assets: `assets: rule "Vault" on ${ASSETS} (us-east-1) enabled into arn:aws:s3:::${VAULT_ASSETS} (account 210987654321)`,
};

describe("vaultReplicationRow", () => {
  it("is met when the three rules are enabled into the vault's buckets of the vault account", () => {
    expect(vaultReplicationRow(vaulted, rules())).toEqual({
      ...ROW,
      state: "3 rules enabled into the vault",
      verdict: "met",
      detail: [LINES.state, LINES.archives, LINES.assets].join("\n"),
      fix: "",
    });
  });

  it("does not judge a state bucket with no rule into this primary's vault state bucket, and says so", () => {
    const row = vaultReplicationRow(vaulted, rules({ state: config(STATE, vaultRule("acme-vault-state-eu-west-1-210987654321")) }));
    expect(row).toEqual({
      ...ROW,
      state: "2 rules enabled into the vault (state not judged)",
      verdict: "met",
      detail: [
        `state: no rule on ${STATE} (us-west-2) into arn:aws:s3:::${VAULT_STATE} (rules: "Vault"): not judged (the state bucket replicates from the vault stack of the first primary, by region, keeping its state in it; status reads one primary)`,
        LINES.archives,
        LINES.assets,
      ].join("\n"),
      fix: "",
    });
    expect(vaultReplicationRow(vaulted, rules({ state: none(STATE) })).detail.split("\n")[0]).toBe(
      `state: no rule on ${STATE} (us-west-2) into arn:aws:s3:::${VAULT_STATE} (no replication configuration): not judged (the state bucket replicates from the vault stack of the first primary, by region, keeping its state in it; status reads one primary)`,
    );
  });

  it("misses a missing rule, naming the bucket, what it has and the deploy that makes the rule", () => {
    expect(vaultReplicationRow(vaulted, rules({ archives: none(HOSTING), assets: config(ASSETS, DR_RULE) }))).toEqual({
      ...ROW,
      state: "not replicating into the vault: archives, assets",
      verdict: "missed",
      detail: [
        LINES.state,
        `archives: no rule "Vault" on ${HOSTING} (us-east-2) (no replication configuration)`,
        `assets: no rule "Vault" on ${ASSETS} (us-east-1) (rules: "DR Replication")`,
      ].join("\n"),
      fix: [
        `${APPLICATION}   # the rule "Vault" on ${HOSTING} replicates into ${VAULT_ARCHIVES} (account 210987654321)`,
        `${APPLICATION}   # the rule "Vault" on ${ASSETS} replicates into ${VAULT_ASSETS} (account 210987654321)`,
      ].join("\n"),
    });
  });

  it("misses a disabled rule; the state bucket's is the vault stack's", () => {
    const row = vaultReplicationRow(vaulted, rules({ state: config(STATE, vaultRule(VAULT_STATE, { Status: "Disabled" })) }));
    expect(row).toEqual({
      ...ROW,
      state: "not replicating into the vault: state",
      verdict: "missed",
      detail: [
        `state: rule "Vault" on ${STATE} (us-west-2) DISABLED into arn:aws:s3:::${VAULT_STATE} (account 210987654321)`,
        LINES.archives,
        LINES.assets,
      ].join("\n"),
      fix: `${VAULT_STACK}   # the rule "Vault" on ${STATE} replicates into ${VAULT_STATE} (account 210987654321)`,
    });
  });

  it("misses a rule into another bucket or another account", () => {
    const elsewhere = vaultReplicationRow(vaulted, rules({ assets: config(ASSETS, DR_RULE, vaultRule("acme-vault-assets-old")) }));
    expect([elsewhere.state, elsewhere.verdict, elsewhere.detail.split("\n")[2], elsewhere.fix]).toEqual([
      "not replicating into the vault: assets",
      "missed",
      `assets: rule "Vault" on ${ASSETS} (us-east-1) enabled into arn:aws:s3:::acme-vault-assets-old (account 210987654321), not arn:aws:s3:::${VAULT_ASSETS} (account 210987654321)`,
      `${APPLICATION}   # the rule "Vault" on ${ASSETS} replicates into ${VAULT_ASSETS} (account 210987654321)`,
    ]);
    const otherAccount = vaultReplicationRow(vaulted, rules({ archives: config(HOSTING, vaultRule(VAULT_ARCHIVES, {}, "123456789012")) }));
    expect([otherAccount.state, otherAccount.verdict, otherAccount.detail.split("\n")[1]]).toEqual([
      "not replicating into the vault: archives",
      "missed",
      `archives: rule "Vault" on ${HOSTING} (us-east-2) enabled into arn:aws:s3:::${VAULT_ARCHIVES} (account 123456789012), not arn:aws:s3:::${VAULT_ARCHIVES} (account 210987654321)`,
    ]);
    const noAccount = vaultReplicationRow(
      vaulted,
      rules({ archives: config(HOSTING, { ID: "Vault", Status: "Enabled", Destination: { Bucket: `arn:aws:s3:::${VAULT_ARCHIVES}` } }) }),
    );
    expect(noAccount.verdict).toBe("missed");
    expect(noAccount.detail.split("\n")[1]).toContain("(account not set), not");
  });

  it("is unknown when a bucket's rules cannot be read, and still misses what it could read wrong", () => {
    const dark = failed("unreachable", `S3 GetBucketReplication of ${ASSETS}`, "us-east-1", "TimeoutError: connect ETIMEDOUT");
    expect(vaultReplicationRow(vaulted, rules({ assets: dark }))).toEqual({
      ...ROW,
      state: "unknown (us-east-1 did not answer)",
      verdict: "unknown",
      detail: [LINES.state, LINES.archives, `assets: S3 GetBucketReplication of ${ASSETS} in us-east-1 got no answer: TimeoutError: connect ETIMEDOUT`].join(
        "\n",
      ),
      fix: "check the network path and AWS's health for us-east-1, then run again",
    });
    const both = vaultReplicationRow(vaulted, rules({ assets: dark, archives: none(HOSTING) }));
    expect([both.verdict, both.state]).toEqual(["missed", "not replicating into the vault: archives"]);
  });
});
