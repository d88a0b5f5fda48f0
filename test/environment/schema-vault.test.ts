import { environment, primaryInput, recoveryInput } from "../support/environments";
import { schemaProblems } from "../support/schema";

const FILE = "environments/us-east-1.ts";
const VAULT = { accountId: "210987654321", region: "us-west-2" };

/** The problem lines the loader would print for this input (named as us-east-1's file). */
/** The problem lines the loader would print for this input (named as us-east-1's file). */
const problems = (input: unknown): string[] => schemaProblems(input, FILE);

describe("EnvironmentSchema: vault (a primary's vault account)", () => {
  it("is optional, and given, takes the role name and retention defaults", () => {
    const none = environment(primaryInput());
    expect(none.role === "primary" && none.vault).toBeUndefined();
    const given = environment(primaryInput({ vault: VAULT }));
    expect(given.role === "primary" && given.vault).toEqual({
      accountId: "210987654321",
      region: "us-west-2",
      roleName: "dr-platform-vault",
      retentionDays: 35,
    });
  });

  it("takes a role name and a retention", () => {
    const given = environment(primaryInput({ vault: { ...VAULT, roleName: "vault-writer", retentionDays: 3650 } }));
    expect(given.role === "primary" && given.vault).toMatchObject({ roleName: "vault-writer", retentionDays: 3650 });
  });

  it("refuses every malformed field, each with what is allowed", () => {
    expect(problems(primaryInput({ vault: { accountId: "21098765432", region: "mars-1", roleName: "a b", retentionDays: 0, extra: 1 } }))).toEqual([
      `${FILE}: vault.accountId: must be a 12-digit AWS account id, as a string (got "21098765432")`,
      expect.stringMatching(/^environments\/us-east-1\.ts: vault\.region: must be a known AWS region code \(us-east-1, .*\(got "mars-1"\)$/),
      `${FILE}: vault.roleName: must be an IAM role name: 1 to 64 letters, digits or +=,.@_- (got "a b")`,
      `${FILE}: vault.retentionDays: must be a whole number from 1 to 3650 (got 0)`,
      `${FILE}: vault.extra: unknown field; allowed fields: accountId, region, roleName, retentionDays (got 1)`,
    ]);
    expect(problems(primaryInput({ vault: { ...VAULT, retentionDays: 3651 } }))).toEqual([
      `${FILE}: vault.retentionDays: must be a whole number from 1 to 3650 (got 3651)`,
    ]);
  });

  it("refuses the environment's own account and region", () => {
    expect(problems(primaryInput({ vault: { accountId: "123456789012", region: "us-east-1" } }))).toEqual([
      `${FILE}: vault.accountId: must be another account than accountId: a copy in the workload account is lost with it (got "123456789012")`,
      `${FILE}: vault.region: must differ from region: a copy in the environment's region is unreadable in a region outage (got "us-east-1")`,
    ]);
  });

  it("refuses a project whose vault names would be too long for S3", () => {
    const project = "a".repeat(23);
    expect(problems(primaryInput({ project, vault: VAULT }))).toEqual([
      `${FILE}: project: too long for a vault: "${project}-vault-access-logs-us-east-1-210987654321" would be 64 characters and S3 bucket names allow at most 63 (got "${project}")`,
    ]);
    // One character less fits exactly (63).
    expect(problems(primaryInput({ project: "a".repeat(22), vault: VAULT }))).toEqual([]);
  });

  it("is a primary's only", () => {
    expect(problems(recoveryInput({ vault: VAULT }))).toEqual([
      `environments/us-east-1.ts: vault: is only allowed when role is "primary" (the vault keeps the primary's copies: set it in the primary's file) (got {"accountId":"210987654321","region":"us-west-2"})`,
    ]);
  });
});
