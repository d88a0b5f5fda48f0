import { standbyStackCheck } from "../../../../lib/operations/checks/preflight/standby-stack";
import { failed, read, recovery } from "../../../support/facts";

const TITLE = "Standby stack standby-us-east-2 applied";

describe("standbyStackCheck", () => {
  it("passes with the state object's last write", () => {
    expect(standbyStackCheck(recovery, read({ exists: true, lastModified: new Date("2026-11-20T08:00:00Z") }))).toEqual({
      id: "standby-stack",
      title: TITLE,
      status: "pass",
      detail: "s3://acme-terraform-state/standby-us-east-2.tfstate (us-west-2), last written 2026-11-20T08:00:00.000Z",
      fix: "",
    });
    expect(standbyStackCheck(recovery, read({ exists: true })).detail).toBe(
      "s3://acme-terraform-state/standby-us-east-2.tfstate (us-west-2), last written at an unknown time",
    );
  });

  it("fails without a state object, with the peacetime deploy", () => {
    expect(standbyStackCheck(recovery, read({ exists: false }))).toEqual({
      id: "standby-stack",
      title: TITLE,
      status: "fail",
      detail:
        "no state object s3://acme-terraform-state/standby-us-east-2.tfstate in us-west-2: standby-us-east-2 was never applied (or the state bucket does not exist)",
      fix: "npx cdktf deploy standby-us-east-2 --ignore-missing-stack-dependencies   # in peacetime: it creates the IAM roles, hosted zone and registry replication the recovery needs",
    });
  });

  it("is unreachable when the state bucket's region does not answer", () => {
    expect(standbyStackCheck(recovery, failed("unreachable", "S3 HeadObject of s3://acme-terraform-state/standby-us-east-2.tfstate", "us-west-2")).status).toBe(
      "unreachable",
    );
  });
});
