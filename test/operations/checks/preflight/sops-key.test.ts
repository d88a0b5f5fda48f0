import { sopsKeyCheck, sopsReplicaFix } from "../../../../lib/operations/checks/preflight/sops-key";
import type { SopsKeyMetadata } from "../../../../lib/operations/probes/sops-key";
import { failed, primary, read, recovery } from "../../../support/facts";

const PRIMARY_KEY = "arn:aws:kms:us-east-1:123456789012:key/mrk-1";
const REPLICA_KEY = "arn:aws:kms:us-east-2:123456789012:key/mrk-1";
const TITLE = "SOPS replica key alias/acme-sops-us-east-1 enabled in us-east-2";
const DEPLOY =
  "npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # in peacetime: creates the replica of the SOPS key and its alias in us-east-2";
const replica = (fields: Partial<SopsKeyMetadata> = {}): SopsKeyMetadata => ({
  arn: REPLICA_KEY,
  state: "Enabled",
  multiRegionType: "REPLICA",
  primaryKeyArn: PRIMARY_KEY,
  primaryKeyRegion: "us-east-1",
  ...fields,
});
const check = (key?: SopsKeyMetadata) => sopsKeyCheck(recovery, primary, read({ alias: "alias/acme-sops-us-east-1", region: "us-east-2", key }));

describe("sopsKeyCheck", () => {
  it("passes an enabled replica of the primary's key", () => {
    expect(check(replica())).toEqual({ id: "sops-key", title: TITLE, status: "pass", detail: `${REPLICA_KEY} (replica of ${PRIMARY_KEY})`, fix: "" });
  });

  it("fails without a key, with the deploy that makes the replica", () => {
    expect(check()).toEqual({
      id: "sops-key",
      title: TITLE,
      status: "fail",
      detail: "no KMS key with alias alias/acme-sops-us-east-1 in us-east-2",
      fix: DEPLOY,
    });
    expect(sopsReplicaFix(primary, recovery)).toBe(DEPLOY);
  });

  it("fails an alias naming a single-Region key or the multi-Region primary", () => {
    expect(check(replica({ multiRegionType: undefined }))).toMatchObject({
      status: "fail",
      detail: `alias/acme-sops-us-east-1 in us-east-2 names ${REPLICA_KEY}, a single-Region key, not the replica of the SOPS key of us-east-1`,
      fix: `aws kms update-alias --region us-east-2 --alias-name alias/acme-sops-us-east-1 --target-key-id <the replica's key id: the mrk-... id of the us-east-1 key>   # or, if there is no replica: ${DEPLOY}`,
    });
    expect(check(replica({ multiRegionType: "PRIMARY" })).detail).toBe(
      `alias/acme-sops-us-east-1 in us-east-2 names ${REPLICA_KEY}, a multi-Region primary key, not the replica of the SOPS key of us-east-1`,
    );
  });

  it("fails a replica of a key in another region", () => {
    expect(check(replica({ primaryKeyRegion: "eu-west-1", primaryKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/mrk-1" }))).toMatchObject({
      status: "fail",
      detail: `${REPLICA_KEY} is a replica of arn:aws:kms:eu-west-1:123456789012:key/mrk-1, not of the SOPS key of us-east-1`,
      fix: "aws kms update-alias --region us-east-2 --alias-name alias/acme-sops-us-east-1 --target-key-id <the mrk-... id of the us-east-1 SOPS key>",
    });
  });

  it.each([
    ["Disabled", `${REPLICA_KEY} is disabled`, `aws kms enable-key --region us-east-2 --key-id ${REPLICA_KEY}`],
    [
      "PendingDeletion",
      `${REPLICA_KEY} is scheduled for deletion (PendingDeletion)`,
      `aws kms cancel-key-deletion --region us-east-2 --key-id ${REPLICA_KEY} && aws kms enable-key --region us-east-2 --key-id ${REPLICA_KEY}`,
    ],
    [
      "PendingReplicaDeletion",
      `${REPLICA_KEY} is scheduled for deletion (PendingReplicaDeletion)`,
      `aws kms cancel-key-deletion --region us-east-2 --key-id ${REPLICA_KEY} && aws kms enable-key --region us-east-2 --key-id ${REPLICA_KEY}`,
    ],
    ["Creating", `${REPLICA_KEY} is still being replicated (Creating)`, "wait a few minutes and run the preflight again"],
    ["Updating", `${REPLICA_KEY} is still being replicated (Updating)`, "wait a few minutes and run the preflight again"],
    ["Unavailable", `${REPLICA_KEY} cannot be used (KeyState Unavailable)`, DEPLOY],
  ])("fails a replica in state %s", (state, detail, fix) => {
    expect(check(replica({ state }))).toEqual({ id: "sops-key", title: TITLE, status: "fail", detail, fix });
  });

  it("reports a failed read with the same title", () => {
    expect(sopsKeyCheck(recovery, primary, failed("unreachable", "KMS DescribeKey of alias/acme-sops-us-east-1", "us-east-2"))).toMatchObject({
      title: TITLE,
      status: "unreachable",
    });
  });
});
