import * as fs from "fs";
import * as path from "path";
import { resolvePairs, type LoadedEnvironment, type PrimarySide } from "../../../lib/environment";
import { accountEdits, buildAccountPlan, editedEnvironment } from "../../../lib/recovery/scenarios/account";
import { formatPlan } from "../../../lib/recovery/format";
import type { RecoveryPlan } from "../../../lib/recovery/plan";
import { cdktfCommands, cdktfRefusal } from "../../support/cdktf-selection";
import { shippedEnvironments, synthShipped } from "../../support/shipped";
import { tempDir } from "../../support/temp";
import { planSummary } from "../../support/plan";

const NEW = "345678901234";
const outdir = tempDir("dr-platform-account-plan-");
synthShipped(outdir);
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
const primarySide = (loaded: readonly LoadedEnvironment[] = shippedEnvironments()) =>
  resolvePairs(loaded.map((l) => l.environment)).find((s) => s.environment.region === "us-east-1") as PrimarySide;
const SIDE = primarySide();
const PLAN = buildAccountPlan(SIDE, manifest, NEW);

/** The shipped files as the plan's edit step leaves them (the app synthesized from them). */
const editedFiles = (): LoadedEnvironment[] => {
  const edits = accountEdits(SIDE, NEW);
  return shippedEnvironments().map((l) => ({ ...l, environment: editedEnvironment(l.environment, edits) })) as LoadedEnvironment[];
};
const editedOut = tempDir("dr-platform-account-edited-");
synthShipped(editedOut, editedFiles());
const editedManifest = JSON.parse(fs.readFileSync(path.join(editedOut, "manifest.json"), "utf8"));

const summary = planSummary;

describe("accountEdits (the account scenario's edit step)", () => {
  it("moves both files of the pair to the new account: its id, a bucket suffix, a new state bucket, the admin roles, the alarm topic, the broker's import", () => {
    expect(accountEdits(SIDE, NEW).map((e) => `${e.file} ${e.field}: ${JSON.stringify(e.from)} -> ${JSON.stringify(e.to)}`)).toEqual([
      'environments/us-east-1.ts accountId: "123456789012" -> "345678901234"',
      'environments/us-east-1.ts bucketSuffix: undefined -> "345678901234"',
      'environments/us-east-1.ts state.bucket: "acme-terraform-state" -> "acme-terraform-state-345678901234"',
      'environments/us-east-1.ts kubernetes.adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"] -> ["arn:aws:iam::345678901234:role/platform-admin"]',
      "environments/us-east-1.ts broker.importDefinitions: undefined -> true",
      'environments/us-east-2.ts accountId: "123456789012" -> "345678901234"',
      'environments/us-east-2.ts bucketSuffix: undefined -> "345678901234"',
      'environments/us-east-2.ts state.bucket: "acme-terraform-state" -> "acme-terraform-state-345678901234"',
      'environments/us-east-2.ts kubernetes.adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"] -> ["arn:aws:iam::345678901234:role/platform-admin"]',
      'environments/us-east-2.ts standby.alarmTopicArn: "arn:aws:sns:us-east-2:123456789012:acme-platform-alerts" -> "arn:aws:sns:us-east-2:345678901234:acme-platform-alerts"',
    ]);
  });

  it("removes a reusable delegation set (the lost account's) and replaces an old suffix in the state bucket's name", () => {
    const side = {
      ...SIDE,
      environment: {
        ...SIDE.environment,
        bucketSuffix: "123456789012",
        state: { ...SIDE.environment.state, bucket: "acme-state-123456789012" },
        dns: { ...SIDE.environment.dns, delegationSetId: "N0123456789ABCDEFGHIJ" },
      },
    };
    const edits = accountEdits(side as PrimarySide, NEW).filter((e) => e.file === "environments/us-east-1.ts");
    expect(edits.find((e) => e.field === "state.bucket")!.to).toBe("acme-state-345678901234");
    expect(edits.find((e) => e.field === "dns.delegationSetId")).toEqual({
      file: "environments/us-east-1.ts",
      field: "dns.delegationSetId",
      from: "N0123456789ABCDEFGHIJ",
      to: undefined,
    });
    expect(editedEnvironment(side.environment as PrimarySide["environment"], edits).dns).not.toHaveProperty("delegationSetId");
  });

  it("is empty once the files name the new account, and the edited files pass the schema and synthesize", () => {
    expect(accountEdits(primarySide(editedFiles()), NEW)).toEqual([]);
    expect(Object.keys(editedManifest.stacks)).toContain(`state-acme-terraform-state-${NEW}`);
  });

  it("refuses bad input, naming every problem", () => {
    const noVault = { ...SIDE, environment: { ...SIDE.environment, vault: undefined } } as PrimarySide;
    expect(() => accountEdits(noVault, "12345")).toThrow(
      "--new-account must be a 12-digit AWS account id (got 12345); environments/us-east-1.ts declares no vault: a rebuild in a new account restores from the vault's copies (docs/vault.md)",
    );
    expect(() => accountEdits(SIDE, "210987654321")).toThrow(
      "--new-account 210987654321 is the vault account: rebuild in another account (the vault keeps the copies, apart)",
    );
  });

  it("refuses files that name the new account with the lost account's bucket names, or a recovery still in the lost account", () => {
    const unsuffixed = { ...SIDE, environment: { ...SIDE.environment, accountId: NEW } } as PrimarySide;
    expect(() => accountEdits(unsuffixed, NEW)).toThrow(
      `environments/us-east-1.ts names account ${NEW} but no bucketSuffix: the bucket names of the lost account stay reserved; set bucketSuffix: "${NEW}"`,
    );
    const halfEdited = { ...unsuffixed, environment: { ...unsuffixed.environment, bucketSuffix: NEW } } as PrimarySide;
    expect(() => accountEdits(halfEdited, NEW)).toThrow(`environments/us-east-2.ts still name account 123456789012: set accountId "${NEW}" there too`);
  });
});

describe("buildAccountPlan (runbook --scenario account, rebuild-account)", () => {
  it("bootstraps the new state, takes the vault stack's state out of the vault, deploys the primary, loads the vault's archive before the workloads, then stands the recovery up again", () => {
    expect(summary(PLAN)).toEqual([
      "gate declare <- -",
      "gate edit <- declare",
      "check preflight <- edit",
      "check synth <- preflight",
      "deploy state-bucket <- synth",
      "check vault-state <- state-bucket",
      "deploy deploy:dns-us-east-1 <- state-bucket",
      "deploy deploy:networking-us-east-1 <- deploy:dns-us-east-1",
      "deploy deploy:vault-us-east-1 <- vault-state",
      "deploy deploy:application-us-east-1 <- deploy:networking-us-east-1,deploy:vault-us-east-1",
      "deploy deploy:kubernetes-us-east-1 <- deploy:application-us-east-1,deploy:networking-us-east-1",
      "deploy deploy:gitops-us-east-1 <- deploy:kubernetes-us-east-1,deploy:networking-us-east-1",
      "check git-credentials <- deploy:application-us-east-1",
      "check archive <- deploy:application-us-east-1",
      "check load <- archive",
      "deploy deploy:workloads-us-east-1 <- deploy:application-us-east-1,deploy:gitops-us-east-1,deploy:networking-us-east-1,git-credentials,load",
      "gate sops <- deploy:application-us-east-1",
      "check assets <- deploy:application-us-east-1",
      "check images <- deploy:application-us-east-1",
      "check flux <- deploy:workloads-us-east-1,git-credentials,images,sops",
      "gate name-servers <- deploy:dns-us-east-1",
      "check smoke <- assets,flux,name-servers",
      "deploy deploy:standby-us-east-2 <- smoke (after serving)",
      "deploy deploy:networking-us-east-2 <- deploy:standby-us-east-2,smoke (after serving)",
    ]);
    expect([PLAN.scenario, PLAN.manualSteps, PLAN.runOptions]).toEqual(["account", 4, ["--new-account", NEW]]);
    // What peacetime must have done: the vault deployed, its copies current (read by status, in peacetime).
    expect(PLAN.preparation.map((p) => [p.id, p.kind, p.commands])).toEqual([["vault", "check", ["npx dr-platform status us-east-2"]]]);
  });

  it("is printed as the rebuild that rebuild-account runs in the new account", () => {
    const text = formatPlan(PLAN, "text").split("\n");
    expect(text[0]).toBe("Account rebuild runbook: us-east-1");
    expect(text[2]).toMatch(new RegExp(`^Run all of it with: npx dr-platform rebuild-account us-east-1 --new-account ${NEW} `));
    expect(text).toContain("Manual steps remaining: 4");
  });

  it("copies out of the vault with from-vault: the state, the Git credentials, the newest archive (then loaded by verify-backup), the assets and the images", () => {
    const commands = (id: string) => PLAN.steps.find((s) => s.id === id)!.commands;
    expect(commands("preflight")).toEqual(["npx dr-platform from-vault us-east-1 check"]);
    expect([commands("vault-state"), commands("git-credentials"), commands("archive"), commands("assets"), commands("images")]).toEqual([
      ["npx dr-platform from-vault us-east-1 state"],
      ["npx dr-platform from-vault us-east-1 git-credentials"],
      ["npx dr-platform from-vault us-east-1 archive"],
      ["npx dr-platform from-vault us-east-1 assets"],
      ["npx dr-platform from-vault us-east-1 images"],
    ]);
    expect(commands("load")[0]).toMatch(
      /^npx dr-platform verify-backup us-east-2 --target "postgresql:\/\/dbadmin:\$\(aws secretsmanager get-secret-value --region us-east-1 --secret-id \$\(aws rds describe-db-instances --region us-east-1 --db-instance-identifier acme-us-east-1 /,
    );
  });

  it("pins the archive the file names (database.restore from an archive) in the copy and the load", () => {
    const key = "postgres/app/20261201T090000Z/archive.dump";
    const side = {
      ...SIDE,
      environment: { ...SIDE.environment, database: { ...SIDE.environment.database, restore: { from: "archive" as const, archiveKey: key } } },
    };
    const plan = buildAccountPlan(side, manifest, NEW);
    expect(plan.steps.find((s) => s.id === "archive")!.commands).toEqual([`npx dr-platform from-vault us-east-1 archive --key ${key}`]);
    expect(plan.steps.find((s) => s.id === "load")!.commands[0]).toMatch(
      new RegExp(`^npx dr-platform verify-backup us-east-2 --archive ${key.replace(/\./g, "\\.")} --target `),
    );
  });

  it("is the same plan when built from the edited files and their synthesized app (a run resumes across the edit)", () => {
    const resumed = buildAccountPlan(primarySide(editedFiles()), editedManifest, NEW);
    const edit = (plan: RecoveryPlan) => plan.steps.find((s) => s.id === "edit")!;
    expect(edit(resumed).note).toBe("Already done: the files name the new account.");
    expect({ ...resumed, steps: resumed.steps.filter((s) => s.id !== "edit") }).toEqual({ ...PLAN, steps: PLAN.steps.filter((s) => s.id !== "edit") });
  });

  it("prints cdktf commands that cdktf 0.21 runs on the app synthesized after the edit", () => {
    const commands = PLAN.steps.flatMap((s) => s.commands.flatMap(cdktfCommands));
    expect(commands.map((c) => c.slice(0, 2).join(" "))).toEqual([
      "synth",
      `deploy state-acme-terraform-state-${NEW}`,
      "deploy dns-us-east-1",
      "deploy networking-us-east-1",
      "deploy vault-us-east-1",
      "deploy application-us-east-1",
      "deploy kubernetes-us-east-1",
      "deploy gitops-us-east-1",
      "deploy workloads-us-east-1",
      "output dns-us-east-1",
      "deploy standby-us-east-2",
      "deploy networking-us-east-2",
    ]);
    for (const command of commands) expect({ command, refusal: cdktfRefusal(command, editedManifest) }).toEqual({ command, refusal: undefined });
  });

  it("refuses a manifest without the vault stack", () => {
    const { ["vault-us-east-1"]: _vault, ...others } = manifest.stacks;
    expect(() => buildAccountPlan(SIDE, { ...manifest, stacks: others }, NEW)).toThrow("manifest.json has no stack vault-us-east-1; synthesize again");
  });
});
