import { environment, primaryInput, recoveryInput } from "../support/environments";
import { EnvironmentSchema, RECOVERY_TIERS, SYNTHESIZED_TIERS } from "../../lib/environment";
import { formatIssues } from "../../lib/environment/problems";

const FILE = "environments/us-east-2.ts";

/** The problem lines the loader would print for this input (named as us-east-2's file). */
function problems(input: unknown): string[] {
  const result = EnvironmentSchema.safeParse(input, { reportInput: true });
  return result.success ? [] : formatIssues(FILE, result.error.issues);
}

describe("EnvironmentSchema: tier (a recovery's tier)", () => {
  it("defaults to pilot-light and takes backup-and-restore", () => {
    expect(environment(recoveryInput()).tier).toBe("pilot-light");
    expect(environment(recoveryInput({ tier: "backup-and-restore" })).tier).toBe("backup-and-restore");
    expect(environment(recoveryInput({ tier: "pilot-light" })).tier).toBe("pilot-light");
  });

  it("refuses warm-standby, saying it is modelled but not synthesized and what to choose instead", () => {
    expect(problems(recoveryInput({ tier: "warm-standby" }))).toEqual([
      `${FILE}: tier: "warm-standby" is modelled by \`npx dr-platform rto <region> --tier warm-standby\` but not synthesized yet (its read replica, standing cluster and standby broker are not built): choose one of "backup-and-restore", "pilot-light" (got "warm-standby")`,
    ]);
  });

  it("refuses any other value with the tiers", () => {
    for (const value of ["warm", "", 3]) {
      expect(problems(recoveryInput({ tier: value }))).toEqual([
        `${FILE}: tier: must be one of "backup-and-restore", "pilot-light", "warm-standby" (got ${JSON.stringify(value)})`,
      ]);
    }
  });

  it("is a recovery's only", () => {
    expect(problems(primaryInput({ tier: "pilot-light" }))).toEqual([
      `${FILE}: tier: is only allowed when role is "recovery" (the tier is what a recovery prepares: set it in the file of the recovery that takes over from this primary) (got "pilot-light")`,
    ]);
  });

  it("lists the tiers cheapest first; the file may choose the synthesized ones", () => {
    expect(RECOVERY_TIERS).toEqual(["backup-and-restore", "pilot-light", "warm-standby"]);
    expect(SYNTHESIZED_TIERS).toEqual(["backup-and-restore", "pilot-light"]);
  });
});
