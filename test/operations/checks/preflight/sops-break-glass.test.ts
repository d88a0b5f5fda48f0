import { sopsBreakGlassCheck } from "../../../../lib/operations/checks/preflight/sops-break-glass";
import type { PrimaryEnvironment } from "../../../../lib/environment";
import { environment, primaryInput } from "../../../support/environments";
import { primary, recovery } from "../../../support/facts";
import { AGE_KEYS } from "../../../support/sops-fixtures";

const REPLICA = "arn:aws:kms:us-east-2:123456789012:key/mrk-1";
const withKeys = (...keys: string[]) =>
  environment(primaryInput({ flux: { ...primaryInput().flux, breakGlassAgeRecipients: keys } as any })) as PrimaryEnvironment;
const file = (name: string, ageRecipients: string[]) => ({ file: name, kmsArns: [REPLICA], ageRecipients });

describe("sopsBreakGlassCheck", () => {
  it("has no row when the primary names no break-glass key", () => {
    expect(primary.flux.breakGlassAgeRecipients).toEqual([]);
    expect(sopsBreakGlassCheck(recovery, primary, "/repo", { folder: true, files: [file("a.sops.yaml", [])] })).toBeUndefined();
  });

  it("passes when every file is also encrypted for every key", () => {
    const files = [file("a.sops.yaml", [AGE_KEYS[1], AGE_KEYS[0]]), file("b.sops.json", [...AGE_KEYS])];
    expect(sopsBreakGlassCheck(recovery, withKeys(...AGE_KEYS), "/repo", { folder: true, files })).toEqual({
      id: "sops-break-glass",
      title: "SOPS files in /repo are also encrypted for the break-glass age keys",
      status: "pass",
      detail: `all 2 SOPS files list ${AGE_KEYS[0]}, ${AGE_KEYS[1]}`,
      fix: "",
    });
  });

  it("fails the files that lack a key, naming what each lacks, with sops-config and updatekeys for each", () => {
    const files = [file("clusters/a.sops.yaml", [AGE_KEYS[0]]), file("clusters/b.sops.yaml", [...AGE_KEYS]), file("clusters/c.sops.yaml", [])];
    expect(sopsBreakGlassCheck(recovery, withKeys(...AGE_KEYS), "/repo", { folder: true, files })).toEqual({
      id: "sops-break-glass",
      title: "SOPS files in /repo are also encrypted for the break-glass age keys",
      status: "fail",
      detail: [
        "2 of 3 SOPS files would die with the account's KMS keys:",
        `  clusters/a.sops.yaml (lacks ${AGE_KEYS[1]})`,
        `  clusters/c.sops.yaml (lacks ${AGE_KEYS[0]}, ${AGE_KEYS[1]})`,
      ].join("\n"),
      fix: [
        "npx dr-platform sops-config us-east-2 > /repo/.sops.yaml",
        "# then, in /repo, while us-east-1 is up (sops decrypts each data key with the us-east-1 key):",
        "sops updatekeys -y clusters/a.sops.yaml",
        "sops updatekeys -y clusters/c.sops.yaml",
      ].join("\n"),
    });
  });

  it("says one key in the singular, and leaves a checkout without SOPS files to sops-files", () => {
    expect(sopsBreakGlassCheck(recovery, withKeys(AGE_KEYS[0]), "/repo", { folder: true, files: [file("a.sops.yaml", [AGE_KEYS[0]])] })?.title).toBe(
      "SOPS files in /repo are also encrypted for the break-glass age key",
    );
    for (const checkout of [{ folder: false } as const, { folder: true, files: [] } as const]) {
      expect(sopsBreakGlassCheck(recovery, withKeys(AGE_KEYS[0]), "/repo", checkout)).toMatchObject({
        status: "fail",
        detail: "no SOPS file to check (see sops-files)",
        fix: "fix sops-files first, then run again",
      });
    }
  });
});
