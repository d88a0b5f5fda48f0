import * as fs from "fs";
import * as path from "path";
import { findSopsFiles, parseSopsFile, sopsKmsArns } from "../../../lib/operations/probes/sops-files";
import { AGE_KEYS, sopsJson, sopsSecretYaml, writeTree } from "../../support/sops-fixtures";
import { tempDir } from "../../support/temp";

const PRIMARY = "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab";
const REPLICA = "arn:aws:kms:us-east-2:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab";

describe("sopsKmsArns", () => {
  it.each([
    ["a SOPS document", { sops: { kms: [{ arn: PRIMARY }, { arn: REPLICA }] } }, [PRIMARY, REPLICA]],
    ["kms entries without an arn are ignored", { sops: { kms: [{ arn: PRIMARY }, { enc: "x" }, "text"] } }, [PRIMARY]],
    ["no sops map", { kind: "Secret" }, undefined],
    ["sops is not a map", { sops: "yes" }, undefined],
    ["sops without kms (age only)", { sops: { age: [{ recipient: "age1..." }] } }, undefined],
    ["an empty kms list", { sops: { kms: [] } }, undefined],
    ["kms is not a list", { sops: { kms: { arn: PRIMARY } } }, undefined],
    ["a list document", [{ sops: { kms: [{ arn: PRIMARY }] } }], undefined],
    ["null", null, undefined],
  ])("%s", (_case, document, arns) => {
    expect(sopsKmsArns(document)).toEqual(arns);
  });
});

describe("parseSopsFile", () => {
  it("reads a Kubernetes Secret encrypted by sops (YAML)", () => {
    expect(parseSopsFile("db.sops.yaml", sopsSecretYaml("db", [PRIMARY, REPLICA]))).toEqual({ kmsArns: [PRIMARY, REPLICA], ageRecipients: [] });
  });

  it("reads a JSON file encrypted by sops", () => {
    expect(parseSopsFile("registry.json", sopsJson([REPLICA]))).toEqual({ kmsArns: [REPLICA], ageRecipients: [] });
  });

  it("reads the age recipients a file is also encrypted for (the break-glass keys), in file order", () => {
    expect(parseSopsFile("db.sops.yaml", sopsSecretYaml("db", [PRIMARY, REPLICA], [AGE_KEYS[1], AGE_KEYS[0]]))).toEqual({
      kmsArns: [PRIMARY, REPLICA],
      ageRecipients: [AGE_KEYS[1], AGE_KEYS[0]],
    });
    // age alone is not enough to be counted: the checks are about the KMS-encrypted files.
    expect(parseSopsFile("x.json", JSON.stringify({ sops: { age: [{ recipient: AGE_KEYS[0], enc: "x" }] } }))).toBeUndefined();
  });

  it("collects the ARNs of every encrypted document of a multi-document YAML file", () => {
    const text = `${sopsSecretYaml("a", [PRIMARY])}---\napiVersion: v1\nkind: ConfigMap\n---\n${sopsSecretYaml("b", [REPLICA])}`;
    expect(parseSopsFile("two.yml", text)).toEqual({ kmsArns: [PRIMARY, REPLICA], ageRecipients: [] });
  });

  it.each([
    ["a plain manifest", "kustomization.yaml", "apiVersion: v1\nkind: ConfigMap\n"],
    ["a .sops.yaml configuration", ".sops.yaml", `creation_rules:\n  - kms: ${PRIMARY}\n`],
    ["invalid YAML", "broken.yaml", "sops: [unclosed\n"],
    ["invalid JSON", "broken.json", '{"sops": '],
    ["another extension", "secret.env", `sops_kms__list_0__map_arn=${PRIMARY}\n`],
    ["an empty file", "empty.yaml", ""],
  ])("is not a SOPS file: %s", (_case, name, text) => {
    expect(parseSopsFile(name, text)).toBeUndefined();
  });
});

describe("findSopsFiles", () => {
  it("finds every SOPS file under the checkout, sorted, with paths relative to it, skipping .git and node_modules", () => {
    const root = writeTree(tempDir("sops-files-"), {
      ".sops.yaml": `creation_rules:\n  - kms: ${PRIMARY}\n`,
      "clusters/us-east-2/apps/db.sops.yaml": sopsSecretYaml("db", [PRIMARY]),
      "clusters/us-east-1/apps/db.sops.yaml": sopsSecretYaml("db", [PRIMARY, REPLICA], [AGE_KEYS[0]]),
      "clusters/us-east-1/apps/kustomization.yaml": "resources: [db.sops.yaml]\n",
      "tools/registry.json": sopsJson([REPLICA, PRIMARY]),
      ".git/objects/old.sops.yaml": sopsSecretYaml("old", [PRIMARY]),
      "node_modules/pkg/fixture.json": sopsJson([PRIMARY]),
    });
    expect(findSopsFiles(root)).toEqual([
      { file: "clusters/us-east-1/apps/db.sops.yaml", kmsArns: [PRIMARY, REPLICA], ageRecipients: [AGE_KEYS[0]] },
      { file: "clusters/us-east-2/apps/db.sops.yaml", kmsArns: [PRIMARY], ageRecipients: [] },
      { file: "tools/registry.json", kmsArns: [REPLICA, PRIMARY], ageRecipients: [] },
    ]);
  });

  it("does not follow a symbolic link to a folder (a loop would never end)", () => {
    const root = writeTree(tempDir("sops-files-"), { "clusters/db.sops.yaml": sopsSecretYaml("db", [PRIMARY]) });
    fs.symlinkSync(root, path.join(root, "clusters", "loop"));
    expect(findSopsFiles(root).map((f) => f.file)).toEqual(["clusters/db.sops.yaml"]);
  });
});
