import { BrokerAdminRotated } from "../../../../lib/policy/rules/mq/broker-admin-rotated";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = BrokerAdminRotated;
const NAMESPACE = tfRef("kubernetes_namespace_v1", "backups-namespace_5A1B2C3D", "metadata[0].name");
const secret = (name = "broker-admin", namespace: unknown = NAMESPACE) =>
  resource("kubernetes_secret_v1", "broker-admin", {
    metadata: { name, namespace },
    data: { password: "${data.aws_secretsmanager_secret_version.broker-admin-secret.secret_string}" },
  });
const ADMIN = secret();

/** A CronJob as BrokerPasswordRotation synthesizes it with rotateAdmin, with the parts the rule reads. */
function rotationJob(env: Record<string, string>, spec: Record<string, unknown> = {}, options: { namespace?: unknown; command?: string[] } = {}) {
  return resource("kubernetes_cron_job_v1", "rotation", {
    metadata: { name: "broker-password-rotation", namespace: options.namespace ?? NAMESPACE },
    spec: {
      schedule: "0 3 1 * *",
      job_template: {
        spec: {
          template: {
            spec: {
              container: [
                {
                  name: "rotate",
                  command: options.command ?? ["/bin/sh", "/scripts/rotate-broker-passwords.sh"],
                  env: Object.entries(env).map(([name, value]) => ({ name, value })),
                },
              ],
            },
          },
        },
      },
      ...spec,
    },
  });
}
const ROTATES = {
  USERS: "",
  ADMIN_SECRET: "acme/us-east-1/rabbitmq/admin",
  ADMIN_KUBERNETES_SECRET: tfRef("kubernetes_secret_v1", "broker-admin", "metadata[0].name"),
};

describe("DR-MQ-4 broker administrator rotated", () => {
  describeRuleBasics(rule, "DR-MQ-4");

  describe("compliant", () => {
    it("a rotation job of the secret's namespace rotates the administrator and refreshes this secret, by reference", () => {
      expect(judge(rule, ADMIN, [rotationJob(ROTATES)])).toBe("compliant");
    });

    it("the secret named literally, in a literal namespace", () => {
      expect(
        judge(rule, secret("broker-admin", "dr-backups"), [
          rotationJob({ ...ROTATES, ADMIN_KUBERNETES_SECRET: "broker-admin" }, {}, { namespace: "dr-backups" }),
        ]),
      ).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("no rotation job (broker.passwordRotationSchedule false)", () => {
      expect(judge(rule, ADMIN)).toBe("non-compliant");
    });

    it("a rotation job of the users only (no ADMIN_SECRET, or an empty one)", () => {
      const { ADMIN_SECRET: _admin, ...usersOnly } = ROTATES;
      expect(judge(rule, ADMIN, [rotationJob(usersOnly)])).toBe("non-compliant");
      expect(judge(rule, ADMIN, [rotationJob({ ...ROTATES, ADMIN_SECRET: "" })])).toBe("non-compliant");
    });

    it("a rotation that does not refresh this secret (none, or another one)", () => {
      const { ADMIN_KUBERNETES_SECRET: _k8s, ...noRefresh } = ROTATES;
      expect(judge(rule, ADMIN, [rotationJob(noRefresh)])).toBe("non-compliant");
      expect(judge(rule, ADMIN, [rotationJob({ ...ROTATES, ADMIN_KUBERNETES_SECRET: "other-secret" })])).toBe("non-compliant");
    });

    it("a rotation job of another namespace", () => {
      expect(judge(rule, ADMIN, [rotationJob(ROTATES, {}, { namespace: "flux-system" })])).toBe("non-compliant");
    });

    it("a suspended or unscheduled job, or one that does not run the rotation script", () => {
      expect(judge(rule, ADMIN, [rotationJob(ROTATES, { suspend: true })])).toBe("non-compliant");
      expect(judge(rule, ADMIN, [rotationJob(ROTATES, { schedule: " " })])).toBe("non-compliant");
      expect(judge(rule, ADMIN, [rotationJob(ROTATES, {}, { command: ["/bin/sh", "/scripts/broker-definitions.sh"] })])).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it("other Kubernetes secrets, and other resources", () => {
      expect(judge(rule, secret("database-credentials"))).toBe("not-applicable");
      expect(judge(rule, rotationJob(ROTATES))).toBe("not-applicable");
    });
  });
});
