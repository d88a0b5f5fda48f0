import { registryRuleCheck } from "../../../../lib/operations/checks/preflight/registry-rule";
import { failed, primary, read, recovery } from "../../../support/facts";

const TITLE = "ECR replication rule in us-east-1 into us-east-2 (peacetime)";
const INTO_RECOVERY = [{ region: "us-east-2", registryId: "123456789012" }];

describe("registryRuleCheck", () => {
  it("passes a rule into the recovery without filters (every repository)", () => {
    expect(registryRuleCheck(recovery, primary, read([{ destinations: INTO_RECOVERY }]))).toEqual({
      id: "registry-rule",
      title: TITLE,
      status: "pass",
      detail: "replicates acme* into 123456789012 us-east-2",
      fix: "",
    });
  });

  it("counts a prefix filter shorter than the prefix, not a longer one", () => {
    expect(
      registryRuleCheck(recovery, primary, read([{ destinations: INTO_RECOVERY, repositoryFilters: [{ filter: "ac", filterType: "PREFIX_MATCH" }] }])).status,
    ).toBe("pass");
    expect(
      registryRuleCheck(recovery, primary, read([{ destinations: INTO_RECOVERY, repositoryFilters: [{ filter: "acme/web", filterType: "PREFIX_MATCH" }] }]))
        .status,
    ).toBe("fail");
  });

  it("does not count a rule into another account or region", () => {
    const rules = [
      { destinations: [{ region: "us-east-2", registryId: "999999999999" }] },
      { destinations: [{ region: "us-west-2", registryId: "123456789012" }] },
    ];
    expect(registryRuleCheck(recovery, primary, read(rules))).toEqual({
      id: "registry-rule",
      title: TITLE,
      status: "fail",
      detail: "no rule of the us-east-1 registry replicates acme* into 123456789012 us-east-2 (2 rules in all)",
      fix: "npx cdktf deploy standby-us-east-2 --ignore-missing-stack-dependencies   # its ECR replication configuration in us-east-1",
    });
    expect(registryRuleCheck(recovery, primary, read([])).detail).toBe(
      "no rule of the us-east-1 registry replicates acme* into 123456789012 us-east-2 (0 rules in all)",
    );
  });

  it("is unreachable when the primary's region is dark", () => {
    expect(registryRuleCheck(recovery, primary, failed("unreachable", "ECR DescribeRegistry", "us-east-1")).detail).toBe(
      "ECR DescribeRegistry in us-east-1 got no answer: AccessDenied (HTTP 403): not authorized",
    );
  });
});
