import { formatPlanGate, planGateExitCode } from "../../../../lib/operations/plan-gate";
import { planGateVerdict } from "../../../../lib/operations/checks/plan/stateful-replacement";
import type { PlannedChange } from "../../../../lib/operations/probes/planned-changes";

const change = (address: string, actions: string[], replacedBecause: string[] = []): PlannedChange => ({
  address,
  type: address.split(".")[0],
  actions,
  replacedBecause,
});
const gate = (...changes: PlannedChange[]) => planGateVerdict("application-us-east-1", { ok: true, changes });

describe("the plan gate (stateful resources kept)", () => {
  it("passes a plan that changes nothing", () => {
    const verdict = gate(change("aws_db_instance.resource", ["no-op"]), change("aws_s3_bucket.assets", ["no-op"]));
    expect(verdict).toEqual({ status: "pass", refused: [], changes: [], detail: "application-us-east-1's plan changes nothing" });
    expect(planGateExitCode(verdict)).toBe(0);
  });

  it("passes changes in place of stateful resources and replacements of the rest, listing each", () => {
    const verdict = gate(
      change("aws_db_instance.resource", ["update"]),
      change("aws_db_instance_automated_backups_replication.replication", ["delete", "create"], ["source_db_instance_arn"]),
      change("aws_cloudwatch_log_group.postgresql", ["create"]),
      change("aws_security_group_rule.old", ["delete"]),
    );
    expect(verdict).toEqual({
      status: "pass",
      refused: [],
      changes: [
        "~ aws_db_instance.resource (update)",
        "-/+ aws_db_instance_automated_backups_replication.replication (replace: source_db_instance_arn forces it)",
        "+ aws_cloudwatch_log_group.postgresql (create)",
        "- aws_security_group_rule.old (delete)",
      ],
      detail: "application-us-east-1's plan keeps every stateful resource (4 changes)",
    });
  });

  it("refuses a replaced database, naming what forces it; and a deleted bucket, a key replaced before destroy", () => {
    const verdict = gate(
      change("aws_db_instance.resource", ["delete", "create"], ["kms_key_id"]),
      change("aws_s3_bucket.archives", ["delete"]),
      change("aws_kms_key.data", ["create", "delete"], ["multi_region"]),
      change("aws_mq_broker.broker", ["update"]),
    );
    expect(verdict.status).toBe("refused");
    expect(verdict.refused).toEqual([
      "-/+ aws_db_instance.resource (replace: kms_key_id forces it)",
      "- aws_s3_bucket.archives (delete)",
      "-/+ aws_kms_key.data (replace: multi_region forces it)",
    ]);
    expect(verdict.detail).toBe("application-us-east-1's plan deletes or replaces 3 stateful resources: stop here; nothing was applied");
    expect(planGateExitCode(verdict)).toBe(1);
    expect(formatPlanGate(verdict).split("\n")).toEqual([
      "Plan gate: REFUSED: application-us-east-1's plan deletes or replaces 3 stateful resources: stop here; nothing was applied",
      "Refused (stateful):",
      "  -/+ aws_db_instance.resource (replace: kms_key_id forces it)",
      "  - aws_s3_bucket.archives (delete)",
      "  -/+ aws_kms_key.data (replace: multi_region forces it)",
      "Changes:",
      "  -/+ aws_db_instance.resource (replace: kms_key_id forces it)",
      "  - aws_s3_bucket.archives (delete)",
      "  -/+ aws_kms_key.data (replace: multi_region forces it)",
      "  ~ aws_mq_broker.broker (update)",
      "fix: make the adopted resource match the stack (the key, the username, the engine), or the stack match it; never lift prevent_destroy to get past this",
      "",
    ]);
  });

  it("says one stateful resource in the singular", () => {
    expect(gate(change("aws_route53_zone.zone", ["delete"])).detail).toBe(
      "application-us-east-1's plan deletes or replaces 1 stateful resource: stop here; nothing was applied",
    );
  });

  it("is unknown, and fails, when no plan could be made", () => {
    const verdict = planGateVerdict("application-us-east-1", { ok: false, detail: "terraform init exited 1:\nError: Failed to get existing workspaces" });
    expect(verdict).toEqual({
      status: "unknown",
      refused: [],
      changes: [],
      detail: "could not plan application-us-east-1: terraform init exited 1:\nError: Failed to get existing workspaces",
    });
    expect(planGateExitCode(verdict)).toBe(1);
  });
});
