import { asList, companions, policyStatements, PolicyRule } from "../../rule";

export const BucketTlsOnly: PolicyRule = {
  id: "DR-S3-4",
  description: "Every bucket policy denies requests that do not use TLS.",
  fix: "Add a bucket policy statement denying s3:* when aws:SecureTransport is false (SecureBucket does).",
  counterparts: { cdkNag: "AwsSolutions-S10", checkov: "- (CKV_AWS_379 does not judge bucket policies)" },
  evaluate(resource, stack) {
    if (resource.type !== "aws_s3_bucket") return "not-applicable";
    const policies = companions(stack, "aws_s3_bucket_policy", resource);
    const denies = policies
      .flatMap((p) => policyStatements(p.config.policy) ?? [])
      .some(
        (s) =>
          s.Effect === "Deny" &&
          (s.Principal === "*" || asList(s.Principal?.AWS).includes("*")) &&
          asList(s.Action).some((a: string) => a === "s3:*" || a === "*") &&
          String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false",
      );
    return denies ? "compliant" : "non-compliant";
  },
};
