import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { main } from "../../cli/main";
import { commandHelp, mainHelp, usageLine } from "../../cli/help";
import { COMMANDS, commandNamed } from "../../cli/registry";
import { buildFailback, checkFailbackPair, formatFailback } from "../../lib/operations/failback";
import { backupReplicationAddress, databaseResourceAddress } from "../../lib/operations/stack-addresses";
import { replicateExistingRequest } from "../../lib/operations/replicate-existing";
import type { Manifest } from "../../lib/operations/stack-graph";
import { REPO, run } from "../support/run";
import { shippedEnvironments, synthShipped } from "../support/shipped";
import { tempDir } from "../support/temp";

/** `npx dr-platform ...` as the bin will run it (until the build: the sources through sucrase), in the repository. */
const CLI = ["--require", "sucrase/register/ts", path.join(REPO, "cli/main.ts")];
const dr = (...args: string[]) => run("node", [...CLI, ...args], { env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" } });

/** main() in this process, with what it wrote. */
async function inProcess(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const status = await main(argv, { DR_ENVIRONMENTS_DIR: path.join(REPO, "environments") }, REPO);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const usageError = (command: string, reason: string) =>
  `dr-platform: ${reason}\nUsage: ${usageLine(commandNamed(command)!)}\nRun npx dr-platform ${command} --help for more.\n`;

describe("help, generated from the registry", () => {
  it("lists every command with its arguments and summary", async () => {
    const result = await inProcess("--help");
    expect(result).toEqual({ status: 0, stdout: `${mainHelp()}\n`, stderr: "" });
    for (const command of COMMANDS) expect(result.stdout).toContain(`  ${[command.name, ...command.arguments.map((a) => `<${a.name}>`)].join(" ")}`);
  });

  it.each(COMMANDS.map((c) => [c.name]))("%s --help prints its usage, options and exit codes", async (name) => {
    const command = commandNamed(name)!;
    for (const flag of ["--help", "-h"]) expect(await inProcess(name, flag)).toEqual({ status: 0, stdout: `${commandHelp(command)}\n`, stderr: "" });
    const help = commandHelp(command);
    expect(help.split("\n")[0]).toBe(`Usage: ${usageLine(command)}`);
    for (const option of Object.keys(command.options)) expect(help).toContain(`  --${option}`);
    for (const exit of command.exitCodes) expect(help).toMatch(new RegExp(`^  ${exit.code}  `, "m"));
    expect(command.exitCodes.map((e) => e.code)).toContain(2);
  });

  it("the fence's exit codes say what each means", () => {
    expect(commandHelp(commandNamed("fence")!)).toContain(
      [
        "Exit codes:",
        "  0  every action is done or already done (a dry run: nothing failed or was unreachable)",
        "  1  an action failed",
        "  2  a usage mistake (an unknown option, a missing argument, a region without an environment file): the reason and the usage are printed",
        "  3  something was not reachable (the rest was done): run it again when it answers",
      ].join("\n"),
    );
  });
});

describe("usage mistakes exit 2 with the reason and the command's usage, on stderr", () => {
  it.each([
    [["status"], "status", "status needs <region>: a recovery environment (environments/<region>.ts)"],
    [["failback-copy-assets", "us-east-2"], "failback-copy-assets", "failback-copy-assets needs <to>: the primary it recovered, to go back to"],
    [["status", "us-east-2", "us-east-1"], "status", 'unexpected argument "us-east-1"'],
    [["runbook", "eu-west-9"], "runbook", "no environment for eu-west-9; known: us-east-1, us-east-2"],
    [["verify-backup", "us-east-1"], "verify-backup", "verify-backup runs for a recovery environment; us-east-1 is a primary (its recovery: us-east-2)"],
    [["sops-config", "us-east-1"], "sops-config", "sops-config runs for a recovery environment; us-east-1 is a primary (its recovery: us-east-2)"],
    [
      ["failback", "us-east-1", "us-east-2"],
      "failback",
      "failback goes from a recovery region to the primary it recovers (got us-east-1 -> us-east-2; known: us-east-2 -> us-east-1)",
    ],
    [
      ["failback-copy-assets", "us-east-2", "us-east-1", "--since", "yesterday"],
      "failback-copy-assets",
      '--since must be an ISO 8601 time like 2026-11-21T03:00:00Z (got "yesterday")',
    ],
    [
      ["replicate-existing", "us-east-2", "--dry-run"],
      "replicate-existing",
      "replicate-existing applies to primary environments (they own the assets bucket); us-east-2 is a recovery environment",
    ],
    [["preflight", "us-east-2", "--platform-repo"], "preflight", "Option '--platform-repo <value>' argument missing"],
    [
      ["runbook", "us-east-1", "--to-time", "2026-12-01T10:00:00Z"],
      "runbook",
      "--to-time and --from-archive are options of the database scenario (--scenario database), not of region",
    ],
    [
      ["runbook", "us-east-1", "--new-account", "345678901234"],
      "runbook",
      "--new-account is an option of the account scenario (--scenario account), not of region",
    ],
    [
      ["runbook", "us-east-1", "--scenario", "account"],
      "runbook",
      "the account scenario needs --new-account <id>: the 12-digit id of the account the environment is rebuilt in",
    ],
    [
      ["runbook", "us-east-2", "--scenario", "account", "--new-account", "345678901234"],
      "runbook",
      "the account scenario rebuilds a primary from its vault; us-east-2 is a recovery: run it for us-east-1",
    ],
    [
      ["rebuild-account", "us-east-1", "--new-account", "210987654321", "--plan"],
      "rebuild-account",
      "--new-account 210987654321 is the vault account: rebuild in another account (the vault keeps the copies, apart)",
    ],
    [["retire-database", "us-east-1"], "retire-database", "--generation <n> is required: the database generation to retire"],
    [["retire-database", "us-east-1", "--generation", "one"], "retire-database", "--generation must be a whole number from 1 to 99 (got one)"],
    [["plan-gate", "application-eu-west-9"], "plan-gate", "no stack application-eu-west-9 in the synthesized environments (npx dr-platform graph lists them)"],
    [
      ["rehearse", "us-east-2", "--plan"],
      "rehearse",
      "environments/us-east-2.ts does not ask for a rehearsal generation: set rehearsal: true in it, then synthesize (npx cdktf synth)",
    ],
    [["rto", "us-east-2", "--tier", "hot"], "rto", '--tier must be one of backup-and-restore, pilot-light, warm-standby (got "hot")'],
    [
      ["rto", "us-east-1", "--tier", "warm-standby"],
      "rto",
      "--tier models a recovery's tier; us-east-1 is a primary (model the recovery that takes over from it)",
    ],
    [
      ["rehearse", "us-east-1", "--teardown"],
      "rehearse",
      "us-east-1 is a primary: a rehearsal rehearses a recovery (run it for the region that takes over from us-east-1)",
    ],
  ])("%j", async (argv, command, reason) => {
    expect(await inProcess(...argv)).toEqual({ status: 2, stdout: "", stderr: usageError(command, reason) });
  });

  it("an unknown option names the option", async () => {
    const result = await inProcess("status", "us-east-2", "--bogus");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^dr-platform: Unknown option '--bogus'\./);
    expect(result.stderr).toMatch(/\nUsage: npx dr-platform status <region> \[--json\]\n/);
  });

  it("an unknown command, or none, prints the commands", async () => {
    expect(await inProcess("bogus")).toEqual({ status: 2, stdout: "", stderr: `dr-platform: unknown command "bogus"\n\n${mainHelp()}\n` });
    expect(await inProcess()).toEqual({ status: 2, stdout: "", stderr: `dr-platform: no command given\n\n${mainHelp()}\n` });
  });

  it("invalid environment files exit 1 with every problem", async () => {
    const dir = path.join(tempDir(), "environments");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "us-east-1.ts"), "export default { region: 'us-east-1' };\n");
    let stderr = "";
    const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
    try {
      expect(await main(["runbook", "us-east-1"], { DR_ENVIRONMENTS_DIR: dir }, REPO)).toBe(1);
    } finally {
      err.mockRestore();
    }
    expect(stderr).toMatch(/^dr-platform: invalid configuration:\n {2}environments\/us-east-1\.ts: /);
  });
});

describe("the commands, as a child process", () => {
  const shipped = shippedEnvironments().map((l) => l.environment);
  const outdir = path.join(tempDir("cli-"), "cdktf.out");
  synthShipped(outdir);
  const manifest: Manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));

  it("runbook --scenario database prints the database restore of us-east-1 to the time asked, and refuses bad input with exit 2", () => {
    const result = dr("runbook", "us-east-1", "--scenario", "database", "--to-time", "2026-12-01T10:00:00Z");
    expect(result.status).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe("Database restore runbook: us-east-1");
    expect(result.stdout).toContain("Run all of it with: npx dr-platform restore-database us-east-1 --to-time 2026-12-01T10:00:00Z ");
    expect(result.stdout).toContain("Manual steps remaining: 4");
    const both = dr("runbook", "us-east-1", "--scenario", "database", "--to-time", "2026-12-01T10:00:00Z", "--from-archive", "x");
    expect([both.status, both.stderr.split("\n")[0]]).toEqual([
      2,
      "dr-platform: give --to-time or --from-archive, not both; --from-archive must be the key of an archive file like postgres/app/20261121T030000Z/archive.dump (postgres/<database>/<stamp>/<file>) (got x)",
    ]);
  });

  it("runbook --scenario account prints the rebuild of us-east-1 in the new account, which rebuild-account --plan prints the same", () => {
    const result = dr("runbook", "us-east-1", "--scenario", "account", "--new-account", "345678901234");
    expect(result.status).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe("Account rebuild runbook: us-east-1");
    expect(result.stdout).toContain("Run all of it with: npx dr-platform rebuild-account us-east-1 --new-account 345678901234 ");
    expect(result.stdout).toContain("$ npx dr-platform from-vault us-east-1 state");
    expect(result.stdout).toContain("Manual steps remaining: 4");
    const plan = dr("rebuild-account", "us-east-1", "--new-account", "345678901234", "--plan");
    expect([plan.status, plan.stdout.trim()]).toEqual([0, result.stdout.trim()]);
  });

  it("rebuild-account refuses to run before the files name the new account, listing each edit, and writes nothing", () => {
    const result = dr("rebuild-account", "us-east-1", "--new-account", "345678901234", "--yes");
    expect(result.status).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(
      'dr-platform: edit the files for account 345678901234 first (the plan\'s step 2), then run again: environments/us-east-1.ts: accountId "345678901234"; environments/us-east-1.ts: bucketSuffix "345678901234"; environments/us-east-1.ts: state.bucket "acme-terraform-state-345678901234"; environments/us-east-1.ts: kubernetes.adminRoleArns ["arn:aws:iam::345678901234:role/platform-admin"]; environments/us-east-1.ts: broker.importDefinitions true; environments/us-east-2.ts: accountId "345678901234"; environments/us-east-2.ts: bucketSuffix "345678901234"; environments/us-east-2.ts: state.bucket "acme-terraform-state-345678901234"; environments/us-east-2.ts: kubernetes.adminRoleArns ["arn:aws:iam::345678901234:role/platform-admin"]; environments/us-east-2.ts: standby.alarmTopicArn "arn:aws:sns:us-east-2:345678901234:acme-platform-alerts"',
    );
    expect(fs.existsSync(path.join(REPO, ".dr-platform/recover/us-east-1/journal.json"))).toBe(false);
  });

  it("runbook prints the runbook of us-east-2", () => {
    const result = dr("runbook", "us-east-2");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Manual steps remaining: 1");
  });

  it("graph draws the stack graph as Mermaid, one edge per manifest dependency", () => {
    const result = dr("graph");
    expect(result.stdout.split("\n")[0]).toBe("flowchart LR");
    const edges = result.stdout.split("\n").filter((l) => l.includes("-->"));
    const expected = Object.entries(manifest.stacks).flatMap(([id, s]) => s.dependencies.map((d) => `  ${d.replace(/-/g, "_")} --> ${id.replace(/-/g, "_")}`));
    expect(edges.sort()).toEqual(expected.sort());
  });

  it("failback prints the procedure built from the synthesized stacks, reading nothing from AWS", () => {
    const { primary, recovery } = checkFailbackPair("us-east-2", "us-east-1", shipped);
    const stack = JSON.parse(fs.readFileSync(path.join(outdir, "stacks/application-us-east-1/cdk.tf.json"), "utf8"));
    const failback = buildFailback(primary, recovery, {
      stamp: "202611211530",
      databaseResourceAddress: databaseResourceAddress(stack),
      backupReplicationAddress: backupReplicationAddress(stack),
    });
    expect(failback.steps.find((s) => s.title.startsWith("Hand the identifier"))!.commands[0]).toContain(
      "-target=aws_db_instance_automated_backups_replication.",
    );
    const result = dr("failback", "us-east-2", "us-east-1", "--stamp", "202611211530");
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    expect(result.stdout).toBe(`${formatFailback(failback, "text")}\n`);
  });

  it("replicate-existing --dry-run prints every exact request (assets, and the shipped vault's archives and state) and sends nothing", () => {
    const result = dr("replicate-existing", "us-east-1", "--dry-run");
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    const blocks = result.stdout.trimEnd().split("\n\n");
    const printed = blocks.map((block) => {
      const [header, ...json] = block.split("\n");
      return { header, request: JSON.parse(json.join("\n")) };
    });
    expect(printed.map((p) => p.header)).toEqual([
      "Dry run: S3 Control CreateJob in us-east-1 (assets: acme-assets-us-east-1), not sent:",
      "Dry run: S3 Control CreateJob in us-east-2 (archives: acme-hosting-services-us-east-1), not sent:",
      "Dry run: S3 Control CreateJob in us-west-2 (state: acme-terraform-state), not sent:",
    ]);
    expect({ ...printed[0].request, ClientRequestToken: "x" }).toEqual({
      ...replicateExistingRequest(shipped.find((e) => e.region === "us-east-1")!),
      ClientRequestToken: "x",
    });
    const tokens = printed.map((p) => p.request.ClientRequestToken);
    expect(new Set(tokens).size).toBe(3);
    expect(printed.slice(1).map((p) => [p.request.RoleArn, p.request.ManifestGenerator.S3JobManifestGenerator.SourceBucket, p.request.Report.Bucket])).toEqual([
      [
        "arn:aws:iam::123456789012:role/acme-vault-archives-us-east-1",
        "arn:aws:s3:::acme-hosting-services-us-east-1",
        "arn:aws:s3:::acme-hosting-services-us-east-1",
      ],
      ["arn:aws:iam::123456789012:role/acme-vault-state-us-east-1", "arn:aws:s3:::acme-terraform-state", "arn:aws:s3:::acme-terraform-state"],
    ]);
  });

  it("verify-backup --print-job prints a Kubernetes List that parses, and nothing else, on stdout", () => {
    const result = dr("verify-backup", "us-east-2", "--print-job", "--namespace", "shop");
    expect(result.status).toBe(0);
    const list = parse(result.stdout);
    expect(list.kind).toBe("List");
    expect(list.items.map((i: { kind: string; metadata: { namespace: string } }) => `${i.kind} ${i.metadata.namespace}`)).toEqual([
      "ConfigMap shop",
      "Job shop",
    ]);
  });
});

describe("the bin, as the on-call runs it", () => {
  // Every printed command is `npx dr-platform ...`; in this repository npx runs the package's own bin
  // (dist/cli/main.js, by path). tsc writes it 0644: without the build's chmod this is "Permission denied".
  it("npx dr-platform runs the built CLI in the repository, its output free of npm's banner, without rebuilding dist/", () => {
    // npx installs this project into its cache to link the bin, and that runs `prepare` here: a
    // fresh cache (as on the on-call's machine, or a new clone) makes it do so every time. The build
    // is current, so prepare must leave dist/ alone (a rebuild empties it under every test running from it).
    const record = path.join(REPO, "dist/build-info.json");
    const built = fs.statSync(record).mtimeMs;
    const result = run("npx", ["--no-install", "dr-platform", "--help"], {
      env: { npm_config_update_notifier: "false", npm_config_cache: tempDir("npm-cache-") },
    });
    expect({ status: result.status, stdout: result.stdout, why: result.status === 0 ? "" : result.stderr }).toEqual({
      status: 0,
      stdout: `${mainHelp()}\n`,
      why: "",
    });
    expect(fs.statSync(record).mtimeMs).toBe(built);
  });
});
