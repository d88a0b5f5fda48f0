import { environment, primaryInput, recoveryInput } from "../support/environments";
import { schemaProblems } from "../support/schema";

const FILE = "environments/us-east-2.ts";

/** The problem lines the loader would print for this input. */
/** The problem lines the loader would print for this input (named as us-east-1's file). */
const problems = (input: unknown): string[] => schemaProblems(input, FILE);

describe("EnvironmentSchema: rehearsal", () => {
  it("is off by default in a recovery and taken when true; never set on a parsed file's environment: rehearsing", () => {
    expect(environment(recoveryInput())).toMatchObject({ rehearsal: false });
    expect(environment(recoveryInput({ rehearsal: true }))).toMatchObject({ rehearsal: true });
    expect(environment(recoveryInput({ rehearsal: true }))).not.toHaveProperty("rehearsing");
  });

  it("must be a boolean", () => {
    expect(problems(recoveryInput({ rehearsal: "yes" }))).toEqual([`${FILE}: rehearsal: must be true or false (got "yes")`]);
  });

  it("is refused in a primary's file (a primary has nothing to rehearse: its recovery does)", () => {
    expect(problems(primaryInput({ rehearsal: true }))).toEqual([
      `${FILE}: rehearsal: is only allowed when role is "recovery" (a rehearsal rehearses a recovery: set it in the file of the recovery that takes over from this primary) (got true)`,
    ]);
  });

  it("cannot be set by a file: rehearsing is not a field", () => {
    expect(problems({ ...recoveryInput(), rehearsing: true })).toEqual([
      `${FILE}: rehearsing: unknown field; allowed fields: project, region, drRegion, role, recoveryOf, accountId, bucketSuffix, state, network, assets, backups, recoveryObjectives, database, broker, kubernetes, flux, dns, waf, registry, logRetention, standby, tags, tier, rehearsal, vault (got true)`,
    ]);
  });

  it("is refused when the rehearsal's names (<project>-rehearsal) would be too long, naming the name", () => {
    // 29 characters: every real name fits, "<project>-rehearsal-dr-access-logs-us-east-2" is 64.
    const project = "a".repeat(29);
    expect(problems(recoveryInput({ project }))).toEqual([]);
    const lines = problems(recoveryInput({ project, rehearsal: true }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${FILE}: rehearsal: cannot be true with this project: "${project}-rehearsal-[a-z-]+-us-east-2" would be \\d+ characters and S3 bucket names allow at most 63 \\(a rehearsal names everything "${project}-rehearsal"\\) \\(got true\\)$`,
      ),
    );
  });

  it("recoveryObjectives.rehearsalDays: 92 by default, a whole number of days from 1 to 366", () => {
    expect(environment(recoveryInput({ rehearsal: true })).recoveryObjectives.rehearsalDays).toBe(92);
    expect(environment(recoveryInput({ recoveryObjectives: { rehearsalDays: 30 } })).recoveryObjectives.rehearsalDays).toBe(30);
    for (const days of [0, 367, 1.5]) {
      expect(problems(recoveryInput({ recoveryObjectives: { rehearsalDays: days } }))).toEqual([
        `${FILE}: recoveryObjectives.rehearsalDays: must be a whole number of days from 1 to 366 (got ${days})`,
      ]);
    }
  });
});
