import { sopsFilesCheck } from "../../../../lib/operations/checks/preflight/sops-files";
import { failed, primary, read, recovery } from "../../../support/facts";

const REPLICA = "arn:aws:kms:us-east-2:123456789012:key/mrk-1";
const PRIMARY = "arn:aws:kms:us-east-1:123456789012:key/mrk-1";
const TITLE = "SOPS files in /repo list the replica key";
const key = read({ alias: "alias/acme-sops-us-east-1", region: "us-east-2", key: { arn: REPLICA, state: "Enabled", multiRegionType: "REPLICA" } });

describe("sopsFilesCheck", () => {
  it("passes when every file lists the replica", () => {
    expect(
      sopsFilesCheck(recovery, primary, "/repo", key, { folder: true, files: [{ file: "a.sops.yaml", kmsArns: [PRIMARY, REPLICA], ageRecipients: [] }] }),
    ).toEqual({
      id: "sops-files",
      title: TITLE,
      status: "pass",
      detail: `all 1 SOPS files list ${REPLICA}`,
      fix: "",
    });
  });

  it("fails the files without the replica, with sops-config and updatekeys for each", () => {
    const files = [
      { file: "clusters/a.sops.yaml", kmsArns: [PRIMARY, REPLICA], ageRecipients: [] },
      { file: "clusters/b.sops.yaml", kmsArns: [PRIMARY], ageRecipients: [] },
    ];
    expect(sopsFilesCheck(recovery, primary, "/repo", key, { folder: true, files })).toEqual({
      id: "sops-files",
      title: TITLE,
      status: "fail",
      detail: `1 of 2 SOPS files do not list ${REPLICA}:\n  clusters/b.sops.yaml`,
      fix: [
        "npx dr-platform sops-config us-east-2 > /repo/.sops.yaml",
        "# then, in /repo, while us-east-1 is up (sops decrypts each data key with the us-east-1 key):",
        "sops updatekeys -y clusters/b.sops.yaml",
      ].join("\n"),
    });
  });

  it("fails a path that is not a folder, or a folder without SOPS files", () => {
    expect(sopsFilesCheck(recovery, primary, "/repo", key, { folder: false })).toMatchObject({
      status: "fail",
      detail: "/repo is not a folder",
      fix: "pass --platform-repo <path to a checkout of the platform-k8s repository>",
    });
    expect(sopsFilesCheck(recovery, primary, "/repo", key, { folder: true, files: [] })).toMatchObject({
      status: "fail",
      detail: "no SOPS-encrypted YAML or JSON file (a top-level sops map with a kms list) under /repo",
    });
  });

  it("uses the ARN the alias names even when that key fails sops-key", () => {
    const single = read({ alias: "alias/acme-sops-us-east-1", region: "us-east-2", key: { arn: REPLICA, state: "Disabled" } });
    expect(
      sopsFilesCheck(recovery, primary, "/repo", single, { folder: true, files: [{ file: "a.yaml", kmsArns: [REPLICA], ageRecipients: [] }] }).status,
    ).toBe("pass");
  });

  it("cannot check without the replica's ARN: unreachable when KMS did not answer, failed otherwise", () => {
    expect(sopsFilesCheck(recovery, primary, "/repo", failed("unreachable", "KMS DescribeKey of a", "us-east-2"), { folder: false })).toEqual({
      id: "sops-files",
      title: TITLE,
      status: "unreachable",
      detail: "needs the replica key's ARN, which KMS in us-east-2 did not give (see sops-key)",
      fix: "fix sops-key's reachability and run again",
    });
    const missing = read({ alias: "alias/acme-sops-us-east-1", region: "us-east-2" });
    expect(sopsFilesCheck(recovery, primary, "/repo", missing, { folder: false })).toMatchObject({ status: "fail", fix: "fix sops-key first, then run again" });
    expect(sopsFilesCheck(recovery, primary, "/repo", failed("refused", "KMS DescribeKey of a", "us-east-2"), { folder: false }).status).toBe("fail");
  });
});
