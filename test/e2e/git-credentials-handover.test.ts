import * as fs from "fs";
import * as path from "path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { CreateKeyCommand } from "@aws-sdk/client-kms";
import { CreateSecretCommand, DescribeSecretCommand, ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import { forgetGitCredentialsSecret, GitCredentialsSecret } from "../../lib/constructs/git-credentials-secret";
import { awsClients, EMULATOR_CREDENTIALS } from "../support/aws";
import { useEmulator } from "../support/emulator";
import { run } from "../support/run";
import { tempDir } from "../support/temp";

/**
 * The hand-over of Flux's Git credentials secret (issue 26, item 3), by real Terraform against the
 * emulator: a deployment whose secret the recovery's standby layer made (at the address
 * `aws_secretsmanager_secret.git-credentials`) forgets it on its next apply without deleting it,
 * and the primary's GitCredentialsSecret adopts it by an `import` block instead of failing to
 * create it again; in an account without it, the secret is created, and a secret whose name only
 * begins with the same name is never taken for it.
 */
jest.setTimeout(300_000);

const emulatorOf = useEmulator({ firstPort: 6540 });
const NAME = "acme/flux/platform-k8s-git";
const REPO_URL = "https://github.com/acme/platform-k8s";

type Layout = (stack: TerraformStack, keys: { primary: string; replica: string }) => void;

/** A one-stack app at `dir` (its state kept there), with a provider of the emulator. */
function synth(dir: string, layout: Layout, keys: { primary: string; replica: string }): string {
  const emulator = emulatorOf.current();
  const app = new App({ outdir: dir });
  const stack = new TerraformStack(app, "stack");
  new LocalBackend(stack, { path: "terraform.tfstate" });
  new AwsProvider(stack, "aws", {
    region: "us-east-1",
    accessKey: EMULATOR_CREDENTIALS.accessKeyId,
    secretKey: EMULATOR_CREDENTIALS.secretAccessKey,
    customCaBundle: emulator.caFile,
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: "true",
    endpoints: [{ secretsmanager: emulator.endpoint, kms: emulator.endpoint, sts: emulator.endpoint }],
  });
  layout(stack, keys);
  app.synth();
  return path.join(dir, "stacks", "stack");
}

function terraform(cwd: string, ...args: string[]) {
  const result = run("terraform", [...args, ...(args[0] === "state" ? [] : ["-input=false"]), "-no-color"], { cwd });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

function apply(cwd: string): string {
  const init = terraform(cwd, "init");
  expect({ status: init.status, out: init.status === 0 ? "" : init.out }).toEqual({ status: 0, out: "" });
  const applied = terraform(cwd, "apply", "-auto-approve");
  expect({ status: applied.status, out: applied.status === 0 ? "" : applied.out }).toEqual({ status: 0, out: "" });
  return applied.out;
}

/** The standby layer before the hand-over: the secret at the stack's root, id `git-credentials`. */
const standbyBefore: Layout = (stack, keys) => {
  new SecretsmanagerSecret(stack, "git-credentials", {
    name: NAME,
    description: `Flux Git credentials of ${REPO_URL} (value put by the operator), replicated into us-east-2`,
    kmsKeyId: keys.primary,
    replica: [{ region: "us-east-2", kmsKeyId: keys.replica }],
    recoveryWindowInDays: 30,
  });
};
const standbyAfter: Layout = (stack) => forgetGitCredentialsSecret(stack);
const primary =
  (name: string): Layout =>
  (stack, keys) =>
    new GitCredentialsSecret(stack, "git-credentials", {
      secretName: name,
      repositoryUrl: REPO_URL,
      kmsKeyArn: keys.primary,
      replicas: [{ region: "us-east-2", kmsKeyArn: keys.replica }],
    });

let keys: { primary: string; replica: string };
beforeAll(async () => {
  const key = async (region: string) =>
    (await awsClients(emulatorOf.current(), region).kms.send(new CreateKeyCommand({ Description: `test ${region}` }))).KeyMetadata!.Arn!;
  keys = { primary: await key("us-east-1"), replica: await key("us-east-2") };
});

const secrets = () => awsClients(emulatorOf.current(), "us-east-1").secrets;

it("hands a standby layer's secret over to the primary's stack: forgotten there, not deleted, adopted here, not created again", async () => {
  const root = tempDir("git-credentials-handover-");
  const standby = synth(path.join(root, "standby"), standbyBefore, keys);
  apply(standby);
  const made = (await secrets().send(new DescribeSecretCommand({ SecretId: NAME }))).ARN!;
  // A secret whose name begins with the same name is not the one to adopt.
  await secrets().send(new CreateSecretCommand({ Name: `${NAME}-old`, SecretString: "{}" }));

  // The standby layer's next apply forgets it: nothing in its state, the secret unchanged.
  expect(synth(path.join(root, "standby"), standbyAfter, keys)).toBe(standby);
  expect(apply(standby)).toContain("Apply complete! Resources: 0 added, 0 changed, 0 destroyed.");
  expect(terraform(standby, "state", "list")).toEqual({ status: 0, out: "" });
  expect((await secrets().send(new DescribeSecretCommand({ SecretId: NAME }))).ARN).toBe(made);

  // The primary's stack adopts it (the description and nothing else changes), then has nothing to do.
  const primaryDir = synth(path.join(root, "primary"), primary(NAME), keys);
  const adopted = apply(primaryDir);
  expect(adopted).toContain(`Import complete [id=${made}]`);
  expect(adopted).toContain("Apply complete! Resources: 1 imported, 0 added, 1 changed, 0 destroyed.");
  const again = terraform(primaryDir, "plan", "-detailed-exitcode");
  expect({ status: again.status, out: again.status === 0 ? "" : again.out }).toEqual({ status: 0, out: "" });
  const now = await secrets().send(new DescribeSecretCommand({ SecretId: NAME }));
  expect([now.ARN, now.Description, now.ReplicationStatus?.map((r) => [r.Region, r.KmsKeyId])]).toEqual([
    made,
    `Flux Git credentials of ${REPO_URL} (value put by the operator), replicated into us-east-2`,
    [["us-east-2", keys.replica]],
  ]);
});

it("creates the secret where none exists, whatever secrets begin with its name", async () => {
  const name = "acme/flux/fresh";
  const sibling = (await secrets().send(new CreateSecretCommand({ Name: `${name}-2`, SecretString: "{}" }))).ARN!;
  const dir = synth(tempDir("git-credentials-fresh-"), primary(name), keys);
  const json = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
  expect(json.import).toHaveLength(1);
  const out = apply(dir);
  expect(out).not.toContain("Import complete");
  expect(out).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
  const listed = (await secrets().send(new ListSecretsCommand({ Filters: [{ Key: "name", Values: [name] }] }))).SecretList!.map((s) => s.Name).sort();
  expect(listed).toEqual([name, `${name}-2`]);
  expect((await secrets().send(new DescribeSecretCommand({ SecretId: `${name}-2` }))).ARN).toBe(sibling);
});
