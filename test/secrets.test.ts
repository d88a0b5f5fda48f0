import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { addEnvironments } from "../app/assemble";
import { useTarget } from "../lib/targets";
import { EmulatorTarget } from "../lib/targets/emulator-target";
import { credentialPatterns, insensitiveSecretOutputs, literalSecrets } from "./support/secret-scan";
import { shippedEnvironments } from "./support/shipped";
import { tempDir } from "./support/temp";

/** Every synthesized stack of the shipped environments, in real and in sandbox mode. */
function synthesizedStacks(sandbox: boolean): [string, string][] {
  const outdir = tempDir("secrets-");
  const app = new App({ outdir });
  if (sandbox) useTarget(app, new EmulatorTarget("https://127.0.0.1:5055", "/tmp/state"));
  addEnvironments(app, shippedEnvironments());
  app.synth();
  return fs.readdirSync(path.join(outdir, "stacks")).map((id) => [id, fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8")]);
}

const stacks = [...synthesizedStacks(false).map(([id, text]) => [`${id}`, text]), ...synthesizedStacks(true).map(([id, text]) => [`${id} (sandbox)`, text])];

describe("secrets hygiene of every synthesized stack", () => {
  it("scans all of them", () => {
    // 15 stacks (state bootstrap, the pair's dns stack, the primary's vault stack, the recovery's standby and replication stacks, five layers per region), real and sandbox.
    expect(stacks.map(([id]) => id).filter((id) => id.startsWith("standby-"))).toEqual(["standby-us-east-2", "standby-us-east-2 (sandbox)"]);
    expect(stacks).toHaveLength(30);
  });

  it.each(stacks)("%s holds no secret literal, access key or private key", (_id, text) => {
    expect(literalSecrets(JSON.parse(text))).toEqual([]);
    expect(credentialPatterns(text)).toEqual([]);
  });

  it.each(stacks)("%s marks every output that could carry a secret as sensitive", (_id, text) => {
    expect(insensitiveSecretOutputs(JSON.parse(text))).toEqual([]);
  });

  it("the output check catches a secret output that is not sensitive", () => {
    expect(
      insensitiveSecretOutputs({
        output: {
          leak: { value: "${aws_iam_access_key.k.secret}" },
          fine: { value: "${aws_iam_access_key.k.secret}", sensitive: true },
          arn: { value: "${aws_secretsmanager_secret.s.arn}" },
        },
      }),
    ).toEqual(["leak"]);
  });
});
