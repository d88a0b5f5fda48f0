import { switchDecision, switchOutcome } from "../../../../lib/operations/checks/fence/switch";

const TITLE = "Set the failover switch in us-east-2 to the recovery: the site stays there when this region answers again";

describe("the fence's switch decision", () => {
  it("is already done while the switch's alarm is in ALARM", () => {
    expect(switchDecision({ read: true, state: "ALARM" }, "us-east-2", true)).toEqual({
      action: { id: "switch", title: TITLE, status: "already done", detail: "the switch's alarm is in ALARM" },
    });
  });

  it("publishes otherwise (OK, or a state CloudWatch has not reached yet), only when the fence applies", () => {
    expect(switchDecision({ read: true, state: "OK" }, "us-east-2", true)).toEqual({ act: "withdraw" });
    expect(switchDecision({ read: true, state: "INSUFFICIENT_DATA" }, "us-east-2", false)).toEqual({
      action: { id: "switch", title: TITLE, status: "would do", detail: "publish 1 (the alarm is INSUFFICIENT_DATA)" },
    });
    expect(switchDecision({ read: true, state: "" }, "us-east-2", false)).toMatchObject({ action: { detail: "publish 1 (the alarm is unknown)" } });
  });

  it("is not reachable when CloudWatch did not answer", () => {
    expect(switchDecision({ read: false, problem: "Connect timeout" }, "us-east-2", true)).toEqual({
      action: { id: "switch", title: TITLE, status: "not reachable", detail: "Connect timeout" },
    });
  });

  it("reports the publish done, failed, or not reachable (no exit status: the AWS CLI did not run to its end)", () => {
    expect(switchOutcome({ status: 0, stdout: "", stderr: "" }, "us-east-2")).toEqual({
      id: "switch",
      title: TITLE,
      status: "done",
      detail: "published 1: Route 53 withdraws the primary within a minute or two",
    });
    expect(switchOutcome({ status: 255, stdout: "", stderr: "x\nAccessDenied\n" }, "us-east-2")).toMatchObject({ status: "failed", detail: "AccessDenied" });
    expect(switchOutcome({ status: null, stdout: "", stderr: "killed by SIGTERM after 20000 ms" }, "us-east-2")).toMatchObject({ status: "not reachable" });
  });
});
