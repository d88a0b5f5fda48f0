import { sopsOrderCheck } from "../../../../lib/operations/checks/preflight/sops-order";
import type { SopsCheckout } from "../../../../lib/operations/probes/sops-files";
import type { SopsKey } from "../../../../lib/operations/probes/sops-key";
import { failed, primary, read, recovery } from "../../../support/facts";

const PRIMARY = "arn:aws:kms:us-east-1:123456789012:key/mrk-1";
const REPLICA = "arn:aws:kms:us-east-2:123456789012:key/mrk-1";
const KEY = read<SopsKey>({
  alias: "alias/acme-sops-us-east-1",
  region: "us-east-2",
  key: { arn: REPLICA, multiRegionType: "REPLICA", primaryKeyArn: PRIMARY, primaryKeyRegion: "us-east-1", state: "Enabled" },
});
const TITLE = "SOPS files decrypted in us-east-2 list its key first";
const checkout = (files: [string, string[]][]): SopsCheckout => ({
  folder: true,
  files: files.map(([file, kmsArns]) => ({ file, kmsArns, ageRecipients: [] })),
});

describe("sopsOrderCheck", () => {
  it("passes when every file decrypted in the recovery region lists the replica first; the primary's folder keeps its key first", () => {
    const files = checkout([
      ["clusters/us-east-1/apps/db.sops.yaml", [PRIMARY, REPLICA]],
      ["clusters/us-east-2/apps/db.sops.yaml", [REPLICA, PRIMARY]],
      ["clusters/shared/tls.sops.yaml", [REPLICA, PRIMARY]],
      // Without the replica: sops-files' row, not this one.
      ["clusters/us-east-2/old.sops.yaml", [PRIMARY]],
    ]);
    expect(sopsOrderCheck(recovery, primary, "/repo", KEY, files)).toEqual({
      id: "sops-order",
      title: TITLE,
      status: "pass",
      detail: `2 SOPS files decrypted in us-east-2 list ${REPLICA} first`,
      fix: "",
    });
  });

  it("fails each file decrypted in the recovery region that lists the primary's key first, with the re-encryption that reorders it", () => {
    const files = checkout([
      ["clusters/us-east-1/apps/db.sops.yaml", [PRIMARY, REPLICA]],
      ["clusters/us-east-2/apps/db.sops.yaml", [PRIMARY, REPLICA]],
      ["clusters/us-east-10/x.sops.yaml", [PRIMARY, REPLICA]],
    ]);
    expect(sopsOrderCheck(recovery, primary, "/repo", KEY, files)).toEqual({
      id: "sops-order",
      title: TITLE,
      status: "fail",
      detail: `2 of 2 SOPS files decrypted in us-east-2 list ${REPLICA} after the us-east-1 key:\n  clusters/us-east-2/apps/db.sops.yaml\n  clusters/us-east-10/x.sops.yaml`,
      fix: [
        "npx dr-platform sops-config us-east-2 > /repo/.sops.yaml",
        "# then, in /repo, while us-east-1 is up: re-encrypt each file, which writes its keys in the order of its creation rule",
        "# (updatekeys keeps an unchanged set of keys in its old order); the plaintext is on disk between the two commands: a trusted machine",
        "sops --decrypt --in-place clusters/us-east-2/apps/db.sops.yaml && sops --encrypt --in-place clusters/us-east-2/apps/db.sops.yaml",
        "sops --decrypt --in-place clusters/us-east-10/x.sops.yaml && sops --encrypt --in-place clusters/us-east-10/x.sops.yaml",
      ].join("\n"),
    });
  });

  it("needs the replica's ARN: a failed or empty sops-key read, said as sops-files says it", () => {
    const files = checkout([]);
    expect(sopsOrderCheck(recovery, primary, "/repo", read<SopsKey>({ alias: "alias/acme-sops-us-east-1", region: "us-east-2" }), files)).toMatchObject({
      status: "fail",
      detail: "needs the replica key's ARN, which KMS in us-east-2 did not give (see sops-key)",
      fix: "fix sops-key first, then run again",
    });
    expect(sopsOrderCheck(recovery, primary, "/repo", failed("unreachable", "KMS DescribeKey", "us-east-2", "TimeoutError: x"), files)).toMatchObject({
      status: "unreachable",
      fix: "fix sops-key's reachability and run again",
    });
  });

  it("fails a path that is not a folder", () => {
    expect(sopsOrderCheck(recovery, primary, "/nowhere", KEY, { folder: false })).toEqual({
      id: "sops-order",
      title: TITLE,
      status: "fail",
      detail: "/nowhere is not a folder",
      fix: "pass --platform-repo <path to a checkout of the platform-k8s repository>",
    });
  });
});
