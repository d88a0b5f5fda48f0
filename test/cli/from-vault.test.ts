import * as path from "path";
import { main } from "../../cli/main";
import { usageLine } from "../../cli/help";
import { commandNamed } from "../../cli/registry";
import { environmentFile, environmentsFolder } from "../support/temp";
import { primaryInput } from "../support/environments";
import { REPO } from "../support/run";

/** `from-vault`'s usage mistakes: exit 2 with the reason and the usage, before any AWS call (no credentials are set). */
async function fromVault(environmentsDir: string, ...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const status = await main(["from-vault", ...argv], { DR_ENVIRONMENTS_DIR: environmentsDir }, REPO);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const SHIPPED = path.join(REPO, "environments");
const usage = (reason: string) => `dr-platform: ${reason}\nUsage: ${usageLine(commandNamed("from-vault")!)}\nRun npx dr-platform from-vault --help for more.\n`;

it.each([
  [["us-east-1", "logs"], 'unknown copy "logs": one of state, archive, git-credentials, assets, images, check'],
  [["us-east-1", "state", "--key", "postgres/app/20261120T030000Z/archive.dump"], "--key names an archive: it goes with archive only (got state)"],
  [
    ["us-east-2", "archive"],
    "us-east-2 is a recovery of us-east-1: the vault keeps the primary's copies; run from-vault us-east-1 archive (environments/us-east-1.ts, edited for the new account)",
  ],
  [["eu-west-1", "state"], "no environment for eu-west-1; known: us-east-1, us-east-2"],
])("from-vault %j is a usage mistake", async (argv, reason) => {
  expect(await fromVault(SHIPPED, ...argv)).toEqual({ status: 2, stdout: "", stderr: usage(reason) });
});

it("a primary without a vault section is a usage mistake that says what to add", async () => {
  const dir = environmentsFolder({ "us-east-1.ts": environmentFile(primaryInput()) });
  expect(await fromVault(dir, "us-east-1", "git-credentials")).toEqual({
    status: 2,
    stdout: "",
    stderr: usage(
      "environments/us-east-1.ts has no vault section: from-vault reads the vault account's copies; add vault: { accountId, region } of the vault as it was before the account was lost (docs/vault.md)",
    ),
  });
});
