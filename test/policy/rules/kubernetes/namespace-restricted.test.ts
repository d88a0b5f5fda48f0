import { NamespaceRestricted } from "../../../../lib/policy/rules/kubernetes/namespace-restricted";
import { describeRuleBasics, judge, resource } from "../../../support/policy";

const rule = NamespaceRestricted;
const LABELS = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/audit": "restricted",
  "pod-security.kubernetes.io/warn": "restricted",
};
const namespace = (labels?: Record<string, string>, type = "kubernetes_namespace_v1") =>
  resource(type, "flux_namespace_1A2B3C4D", { metadata: { name: "flux-system", ...(labels && { labels }) } });

describe("DR-K8S-2 namespace restricted", () => {
  describeRuleBasics(rule, "DR-K8S-2");

  it("compliant: enforce, audit and warn on restricted (also on the unversioned resource, metadata as a list)", () => {
    expect(judge(rule, namespace(LABELS))).toBe("compliant");
    expect(judge(rule, resource("kubernetes_namespace", "ns", { metadata: [{ name: "apps", labels: { ...LABELS, team: "platform" } }] }))).toBe("compliant");
  });

  it("non-compliant: no labels, one missing, or a weaker level", () => {
    expect(judge(rule, namespace())).toBe("non-compliant");
    const { "pod-security.kubernetes.io/warn": _warn, ...withoutWarn } = LABELS;
    expect(judge(rule, namespace(withoutWarn))).toBe("non-compliant");
    expect(judge(rule, namespace({ ...LABELS, "pod-security.kubernetes.io/enforce": "baseline" }))).toBe("non-compliant");
  });

  it("not applicable: other Kubernetes objects", () => {
    expect(judge(rule, resource("kubernetes_secret_v1", "s", { metadata: { name: "s" }, data: {} }))).toBe("not-applicable");
  });
});
