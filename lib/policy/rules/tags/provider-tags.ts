import { firstBlock, PolicyRule } from "../../rule";

/** Tags every resource gets from the provider's default_tags. */
export const REQUIRED_TAGS = ["Project", "Environment", "Role", "ManagedBy"];

/** Checked on a stack's AWS providers: `default_tags` reach every taggable resource. */
export const ProviderTags: PolicyRule = {
  id: "DR-TAG-1",
  description: "Every AWS provider tags every resource with Project, Environment, Role and ManagedBy.",
  fix: "Create AWS providers with awsProvider() (lib/aws-provider.ts), which sets default_tags.",
  counterparts: { cdkNag: "-", checkov: "CKV_AWS_* tagging (custom policies)" },
  evaluate(resource) {
    if (resource.type !== "provider.aws") return "not-applicable";
    const tags = firstBlock(resource.config.default_tags)?.tags ?? {};
    return REQUIRED_TAGS.every((t) => typeof tags[t] === "string" && tags[t] !== "") ? "compliant" : "non-compliant";
  },
};
