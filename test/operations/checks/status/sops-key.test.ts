import { REAL_ACCOUNT } from "../../../../lib/operations/checks/status/row";
import { sopsKeyRow } from "../../../../lib/operations/checks/status/sops-key";
import type { SopsKeyMetadata } from "../../../../lib/operations/probes/sops-key";
import { EMULATED, failed, primary, read, recovery } from "../../../support/facts";

const REPLICA = "arn:aws:kms:us-east-2:123456789012:key/mrk-1";
const PRIMARY = "arn:aws:kms:us-east-1:123456789012:key/mrk-1";
const ROW = { id: "sops-key", store: "SOPS replica key", target: "enabled replica" };
const key = (metadata?: Partial<SopsKeyMetadata>) =>
  read({
    alias: "alias/acme-sops-us-east-1",
    region: "us-east-2",
    key: metadata && { arn: REPLICA, state: "Enabled", multiRegionType: "REPLICA", primaryKeyArn: PRIMARY, primaryKeyRegion: "us-east-1", ...metadata },
  });

describe("sopsKeyRow", () => {
  it("meets the target with an enabled replica", () => {
    expect(sopsKeyRow(recovery, primary, key({}), REAL_ACCOUNT)).toEqual({
      ...ROW,
      state: "enabled",
      verdict: "met",
      detail: `${REPLICA} (replica of ${PRIMARY})`,
      fix: "",
    });
  });

  it("misses a missing replica, or explains it by the target's gap", () => {
    expect(sopsKeyRow(recovery, primary, key(), REAL_ACCOUNT)).toEqual({
      ...ROW,
      state: "missing",
      verdict: "missed",
      detail: "no KMS key with alias alias/acme-sops-us-east-1 in us-east-2",
      fix: "npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # in peacetime: creates the replica of the SOPS key and its alias in us-east-2",
    });
    expect(sopsKeyRow(recovery, primary, key(), EMULATED)).toMatchObject({ verdict: "unknown", gap: "kms-replica-key" });
  });

  it("misses a key in a bad state with its fix", () => {
    expect(sopsKeyRow(recovery, primary, key({ state: "Disabled" }), REAL_ACCOUNT)).toEqual({
      ...ROW,
      state: "not usable",
      verdict: "missed",
      detail: `${REPLICA} is disabled`,
      fix: `aws kms enable-key --region us-east-2 --key-id ${REPLICA}`,
    });
  });

  it("is unknown when KMS did not answer or refused", () => {
    const call = "KMS DescribeKey of alias/acme-sops-us-east-1";
    expect(sopsKeyRow(recovery, primary, failed("unreachable", call, "us-east-2"), REAL_ACCOUNT)).toMatchObject({
      state: "unknown (us-east-2 did not answer)",
      verdict: "unknown",
    });
    expect(sopsKeyRow(recovery, primary, failed("refused", call, "us-east-2"), REAL_ACCOUNT)).toMatchObject({ state: "unknown (refused)", verdict: "unknown" });
  });
});
