import { failedRead } from "../../../../lib/operations/checks/preflight/check";
import { failed } from "../../../support/facts";

describe("failedRead", () => {
  it("unreachable: no answer proves nothing; the fix is the network path", () => {
    expect(failedRead("sops-key", "T", failed("unreachable", "KMS DescribeKey of a", "us-east-2", "TimeoutError: late").failure)).toEqual({
      id: "sops-key",
      title: "T",
      status: "unreachable",
      detail: "KMS DescribeKey of a in us-east-2 got no answer: TimeoutError: late",
      fix: "check the network path and AWS's health for us-east-2, then run the preflight again; a region that cannot be reached cannot be recovered into",
    });
  });

  it("no credentials: a failure with the variables to set", () => {
    expect(failedRead("sops-key", "T", failed("no-credentials", "KMS DescribeKey of a", "us-east-2").failure)).toEqual({
      id: "sops-key",
      title: "T",
      status: "fail",
      detail: "KMS DescribeKey of a: no AWS credentials",
      fix: "set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) for the environment's account and run again",
    });
  });

  it.each(["refused", "not-found", "other"] as const)("%s: a failure naming the call to allow", (kind) => {
    expect(failedRead("sops-key", "T", failed(kind, "KMS DescribeKey of a", "us-east-2").failure)).toEqual({
      id: "sops-key",
      title: "T",
      status: "fail",
      detail: "KMS DescribeKey of a in us-east-2 failed: AccessDenied (HTTP 403): not authorized",
      fix: "allow the caller KMS DescribeKey of a in us-east-2 (the error above names what was refused) and run again",
    });
  });
});
