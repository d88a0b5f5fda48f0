import { environment, primaryInput, recoveryInput } from "../support/environments";
import { RECOVERY_TIERS } from "../../lib/environment";
import { schemaProblems } from "../support/schema";

const FILE = "environments/us-east-2.ts";

/** The problem lines the loader would print for this input (named as us-east-2's file). */
/** The problem lines the loader would print for this input (named as us-east-1's file). */
const problems = (input: unknown): string[] => schemaProblems(input, FILE);

describe("EnvironmentSchema: tier (a recovery's tier)", () => {
  it("defaults to pilot-light and takes each tier", () => {
    expect(environment(recoveryInput()).tier).toBe("pilot-light");
    for (const tier of RECOVERY_TIERS) expect(environment(recoveryInput({ tier })).tier).toBe(tier);
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

  it("lists the tiers cheapest first", () => {
    expect(RECOVERY_TIERS).toEqual(["backup-and-restore", "pilot-light", "warm-standby"]);
  });
});
