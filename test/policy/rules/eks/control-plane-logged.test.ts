import { ControlPlaneLogged } from "../../../../lib/policy/rules/eks/control-plane-logged";
import { describeRuleBasics, eksCluster, judge, resource } from "../../../support/policy";

const rule = ControlPlaneLogged;
const REQUIRED = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

describe("DR-EKS-2 control plane logged", () => {
  describeRuleBasics(rule, "DR-EKS-2");

  it("compliant: all five (what EksCluster sets by default)", () => {
    expect(judge(rule, eksCluster())).toBe("compliant");
  });

  it("compliant: all five in another order", () => {
    expect(judge(rule, eksCluster({ enabled_cluster_log_types: ["scheduler", "authenticator", "controllerManager", "audit", "api"] }))).toBe("compliant");
  });

  it.each(REQUIRED)("non-compliant: %s missing", (missing) => {
    expect(judge(rule, eksCluster({ enabled_cluster_log_types: REQUIRED.filter((t) => t !== missing) }))).toBe("non-compliant");
  });

  it("non-compliant: the three the rule used to demand, without controllerManager and scheduler (CKV_AWS_37 wants all five)", () => {
    expect(judge(rule, eksCluster({ enabled_cluster_log_types: ["api", "audit", "authenticator"] }))).toBe("non-compliant");
  });

  it("non-compliant: no log types (unset or empty)", () => {
    expect(judge(rule, eksCluster({ enabled_cluster_log_types: undefined }))).toBe("non-compliant");
    expect(judge(rule, eksCluster({ enabled_cluster_log_types: [] }))).toBe("non-compliant");
  });

  it("not applicable: the control plane's log group", () => {
    expect(judge(rule, resource("aws_cloudwatch_log_group", "control-plane-logs", { name: "/aws/eks/acme-us-east-1/cluster" }))).toBe("not-applicable");
  });
});
