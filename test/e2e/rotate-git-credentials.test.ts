import * as fs from "fs";
import * as path from "path";
import { CreateSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand } from "@aws-sdk/client-secrets-manager";
import { EMULATOR_ACCOUNT_ID } from "../../lib/targets/emulator-target";
import { awsClients } from "../support/aws";
import { useEmulator } from "../support/emulator";
import { primaryInput, recoveryInput } from "../support/environments";
import { REPO, run } from "../support/run";
import { environmentFile, environmentsFolder, tempDir } from "../support/temp";

/**
 * `npx dr-platform rotate-git-credentials` against the emulator, as the sandbox's operator runs it:
 * the secret in us-east-1 with its replica in us-east-2 (as the primary's application stack makes it), a new
 * value put from a file and followed by the replica, the old one kept as AWSPREVIOUS.
 */
jest.setTimeout(120_000);

const emulator = useEmulator({ firstPort: 5950 });
const OLD = JSON.stringify({ username: "flux-bot", password: "old-token-0123456789" });
const NEW = JSON.stringify({ username: "flux-bot", password: "new-token-9876543210" });

function cli(region: string, secretName: string, ...flags: string[]) {
  const flux = { repositoryUrl: "https://github.com/acme/platform-k8s", gitCredentialsSecretName: secretName };
  const environments = environmentsFolder({
    "us-east-1.ts": environmentFile(primaryInput({ accountId: EMULATOR_ACCOUNT_ID, flux })),
    "us-east-2.ts": environmentFile(recoveryInput({ accountId: EMULATOR_ACCOUNT_ID, flux })),
  });
  return run("node", ["--require", "sucrase/register/ts", path.join(REPO, "cli/main.ts"), "rotate-git-credentials", region, ...flags], {
    env: {
      DR_ENVIRONMENTS_DIR: environments,
      DR_SANDBOX_ENDPOINT: emulator.current().endpoint,
      DR_SANDBOX_STATE_DIR: tempDir("rotate-git-"),
      NODE_EXTRA_CA_CERTS: emulator.current().caFile,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    },
  });
}

function valueFile(value: string): string {
  const file = path.join(tempDir("git-credentials-"), "git-credentials.json");
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return file;
}

async function stages(region: string, name: string): Promise<Record<string, string>> {
  const secrets = awsClients(emulator.current(), region).secrets;
  const { Versions } = await secrets.send(new ListSecretVersionIdsCommand({ SecretId: name }));
  const result: Record<string, string> = {};
  for (const version of Versions ?? []) {
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: name, VersionId: version.VersionId }));
    for (const stage of version.VersionStages ?? []) result[stage] = SecretString!;
  }
  return result;
}

it("puts the new value in the primary's region, the replica follows, and the command says what comes next", async () => {
  const name = "acme/flux/platform-k8s-git";
  await awsClients(emulator.current(), "us-east-1").secrets.send(
    new CreateSecretCommand({ Name: name, SecretString: OLD, AddReplicaRegions: [{ Region: "us-east-2" }] }),
  );
  const result = cli("us-east-2", name, "--from-file", valueFile(NEW), "--wait", "30");
  expect(result.stderr.replace(/\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?show where the warning was created\)\n/, "")).toBe("");
  expect(result.status).toBe(0);
  const lines = result.stdout.trimEnd().split("\n");
  expect(lines[0]).toMatch(
    new RegExp(`^put a new value into ${name} in us-east-1: version [0-9a-f-]{36} is AWSCURRENT \\(the previous one is AWSPREVIOUS\\)$`),
  );
  const version = /version ([0-9a-f-]{36})/.exec(lines[0])![1];
  expect(lines.slice(1)).toEqual([
    `us-east-2: follows: the replica in us-east-2 is AWSCURRENT version ${version} (InSync)`,
    "next, in this order:",
    ...["us-east-1", "us-east-2"].map(
      (region) =>
        `  aws eks update-kubeconfig --region ${region} --name acme-${region} && kubectl -n flux-system create job --from=cronjob/flux-git-credentials flux-git-credentials-${version.slice(0, 8)} && kubectl -n flux-system wait --for=condition=complete --timeout=300s job/flux-git-credentials-${version.slice(0, 8)}   # Flux in ${region} gets the new value now (the hourly job would within the hour; a recovery's only where its cluster runs)`,
    ),
    "  then revoke the old credential at the Git host (AWSPREVIOUS keeps it until the next rotation)",
  ]);
  expect(await stages("us-east-1", name)).toEqual({ AWSCURRENT: NEW, AWSPREVIOUS: OLD });
  const replica = await awsClients(emulator.current(), "us-east-2").secrets.send(new GetSecretValueCommand({ SecretId: name }));
  expect([replica.VersionId, replica.SecretString]).toEqual([version, NEW]);
  for (const token of ["old-token", "new-token"]) expect(result.stdout + result.stderr).not.toContain(token);
});

it("writes nothing when the secret has no replica in the recovery region, and says which stack makes it", async () => {
  const name = "acme/flux/unreplicated";
  await awsClients(emulator.current(), "us-east-1").secrets.send(new CreateSecretCommand({ Name: name, SecretString: OLD }));
  const result = cli("us-east-1", name, "--from-file", valueFile(NEW));
  expect(result.status).toBe(1);
  expect(result.stdout).toBe(
    `${name} has no replica in us-east-2: the new value would not reach it; npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies first (it replicates the secret into its drRegion)\nnothing was written\n`,
  );
  expect(await stages("us-east-1", name)).toEqual({ AWSCURRENT: OLD });
});

it("refuses a value on the command line: --from-file is required", () => {
  const result = cli("us-east-2", "acme/flux/x");
  expect(result.status).toBe(2);
  expect(result.stderr).toContain("--from-file is required: the new credentials JSON, from a file or - for stdin (never on the command line)");
});
