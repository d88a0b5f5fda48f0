import { ProviderTags } from "../../../../lib/policy/rules/tags/provider-tags";
import { describeRuleBasics, judge, resource } from "../../../support/policy";

const rule = ProviderTags;
const TAGS = { CostCenter: "platform", Project: "acme", Environment: "us-east-1", Role: "primary", ManagedBy: "dr-platform" };
const REQUIRED = ["Project", "Environment", "Role", "ManagedBy"];

/** A provider as the policy aspect hands it to rules: type `provider.<name>`, id its alias or `default`. */
function awsProvider(config: Record<string, unknown>, alias?: string) {
  return resource("provider.aws", alias ?? "default", { allowed_account_ids: ["123456789012"], region: "us-east-1", ...(alias ? { alias } : {}), ...config });
}

describe("DR-TAG-1 provider tags", () => {
  describeRuleBasics(rule, "DR-TAG-1");

  describe("compliant", () => {
    it("default_tags with the four tags (what awsProvider() sets)", () => {
      expect(judge(rule, awsProvider({ default_tags: [{ tags: TAGS }] }))).toBe("compliant");
    });

    it("an aliased provider, default_tags as one object", () => {
      expect(judge(rule, awsProvider({ region: "us-east-2", default_tags: { tags: TAGS } }, "dr"))).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("no default_tags", () => {
      expect(judge(rule, awsProvider({}))).toBe("non-compliant");
    });

    it("default_tags without tags", () => {
      expect(judge(rule, awsProvider({ default_tags: [{}] }))).toBe("non-compliant");
    });

    it.each(REQUIRED)("%s missing", (tag) => {
      const { [tag as keyof typeof TAGS]: _missing, ...tags } = TAGS;
      expect(judge(rule, awsProvider({ default_tags: [{ tags }] }))).toBe("non-compliant");
    });

    it.each(REQUIRED)("%s empty", (tag) => {
      expect(judge(rule, awsProvider({ default_tags: [{ tags: { ...TAGS, [tag]: "" } }] }))).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it("other providers", () => {
      expect(judge(rule, resource("provider.helm", "default", { kubernetes: [{}] }))).toBe("not-applicable");
      expect(judge(rule, resource("provider.kubernetes", "default", {}))).toBe("not-applicable");
    });

    it("resources with their own tags (default_tags reach them)", () => {
      expect(judge(rule, resource("aws_s3_bucket", "b", { bucket: "x", tags: {} }))).toBe("not-applicable");
    });
  });
});
