import { PreventDestroy } from "../../../../lib/policy/rules/stateful/prevent-destroy";
import { describeRuleBasics, judge, resource } from "../../../support/policy";

const rule = PreventDestroy;
/** Written out here (not imported) so that dropping a type from the rule fails this test. */
const STATEFUL = ["aws_s3_bucket", "aws_db_instance", "aws_mq_broker", "aws_kms_key", "aws_kms_replica_key", "aws_route53_zone"];
/** The stateful types whose provider resource has force_destroy. */
const FORCE_DESTROYABLE = ["aws_s3_bucket", "aws_route53_zone"];

describe("DR-STATE-1 prevent destroy", () => {
  describeRuleBasics(rule, "DR-STATE-1");

  describe("compliant", () => {
    it.each(STATEFUL)("%s with prevent_destroy", (type) => {
      expect(judge(rule, resource(type, "r", { lifecycle: { prevent_destroy: true } }))).toBe("compliant");
    });

    it.each(FORCE_DESTROYABLE)("%s with prevent_destroy and force_destroy false", (type) => {
      expect(judge(rule, resource(type, "r", { force_destroy: false, lifecycle: { prevent_destroy: true, ignore_changes: ["tags"] } }))).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it.each(STATEFUL)("%s without lifecycle", (type) => {
      expect(judge(rule, resource(type, "r", {}))).toBe("non-compliant");
    });

    it.each(STATEFUL)("%s with a lifecycle but no prevent_destroy", (type) => {
      expect(judge(rule, resource(type, "r", { lifecycle: { create_before_destroy: true } }))).toBe("non-compliant");
    });

    it.each(STATEFUL)("%s with prevent_destroy false", (type) => {
      expect(judge(rule, resource(type, "r", { lifecycle: { prevent_destroy: false } }))).toBe("non-compliant");
    });

    it.each(FORCE_DESTROYABLE)("%s with force_destroy true despite prevent_destroy", (type) => {
      expect(judge(rule, resource(type, "r", { force_destroy: true, lifecycle: { prevent_destroy: true } }))).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it.each(["aws_s3_bucket_versioning", "aws_iam_user", "aws_db_parameter_group", "aws_kms_alias", "aws_route53_record"])("%s", (type) => {
      expect(judge(rule, resource(type, "r", { force_destroy: true }))).toBe("not-applicable");
    });
  });
});
