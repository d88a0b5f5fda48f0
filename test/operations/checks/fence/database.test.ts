import { databaseDecision, databaseOutcome } from "../../../../lib/operations/checks/fence/database";
import { failed, primary, read } from "../../../support/facts";

const TITLE = "Stop the database acme-us-east-1 (RDS starts it again after 7 days: fence again if failback takes longer)";
const action = (status: string, detail: string) => ({ action: { id: "database", title: TITLE, status, detail } });

describe("the fence's database decision", () => {
  it("is already done without an instance, or with one stopped or stopping", () => {
    expect(databaseDecision(primary, read({ exists: false as const }), true)).toEqual(action("already done", "no instance acme-us-east-1 in us-east-1"));
    expect(databaseDecision(primary, read({ exists: true as const, status: "stopping" }), true)).toEqual(action("already done", "status stopping"));
    expect(databaseDecision(primary, read({ exists: true as const, status: "stopped" }), true)).toEqual(action("already done", "status stopped"));
  });

  it("fails an instance RDS cannot stop now, saying when to run again", () => {
    expect(databaseDecision(primary, read({ exists: true as const, status: "backing-up" }), true)).toEqual(
      action("failed", "status backing-up: RDS stops only an available instance; run the fence again when it is available"),
    );
  });

  it("would stop an available instance in a dry run, and acts with --apply", () => {
    expect(databaseDecision(primary, read({ exists: true as const, status: "available" }), false)).toEqual(
      action("would do", "RDS StopDBInstance acme-us-east-1 (status available)"),
    );
    expect(databaseDecision(primary, read({ exists: true as const, status: "available" }), true)).toEqual({ act: "acme-us-east-1" });
    expect(databaseOutcome(primary, read(undefined))).toEqual(action("done", "status available -> stopping").action);
    expect(databaseOutcome(primary, failed("unreachable", "RDS StopDBInstance of acme-us-east-1", "us-east-1", "TimeoutError: late"))).toEqual(
      action("not reachable", "TimeoutError: late").action,
    );
  });
});
