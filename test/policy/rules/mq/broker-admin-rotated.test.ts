import { BrokerAdminRotated } from "../../../../lib/policy/rules/mq/broker-admin-rotated";
import { describeRuleBasics, judge, resource, tfRef } from "../../../support/policy";

const rule = BrokerAdminRotated;
const NAMESPACE = tfRef("kubernetes_namespace_v1", "backups-namespace_5A1B2C3D", "metadata[0].name");
const SECRET = "acme/us-east-1/rabbitmq/admin";

/** A CronJob as BrokerDefinitionsJob synthesizes it: its init container reads the administrator's secret when it runs. */
function definitionsJob(adminSecret = SECRET) {
  return resource("kubernetes_cron_job_v1", "definitions", {
    metadata: { name: "broker-definitions", namespace: NAMESPACE },
    spec: {
      schedule: "0 * * * *",
      job_template: {
        spec: {
          template: {
            spec: {
              init_container: [
                {
                  name: "admin-password",
                  command: ["/bin/sh", "/scripts/broker-definitions.sh", "admin-password"],
                  env: [{ name: "ADMIN_SECRET", value: adminSecret }],
                },
                {
                  name: "export",
                  command: ["node", "/scripts/broker-definitions.js", "export"],
                  env: [{ name: "ADMIN_PASSWORD_FILE", value: "/run/broker-admin/password" }],
                },
              ],
              container: [{ name: "upload", command: ["/bin/sh", "/scripts/broker-definitions.sh", "upload"] }],
            },
          },
        },
      },
    },
  });
}
const READS = definitionsJob();

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
const ROTATES = { USERS: "", ADMIN_SECRET: SECRET, ROTATE_ADMIN: "true" };

describe("DR-MQ-4 broker administrator rotated", () => {
  describeRuleBasics(rule, "DR-MQ-4");

  describe("compliant", () => {
    it("a scheduled rotation job of the stack rotates the secret the pods read (from any namespace: they read Secrets Manager)", () => {
      expect(judge(rule, READS, [rotationJob(ROTATES)])).toBe("compliant");
      expect(judge(rule, READS, [rotationJob(ROTATES, {}, { namespace: "flux-system" })])).toBe("compliant");
    });

    it("the rotation job itself, which reads the secret it rotates (ROTATE_ADMIN unset means rotated)", () => {
      const { ROTATE_ADMIN: _flag, ...byDefault } = ROTATES;
      expect(judge(rule, rotationJob(ROTATES), [rotationJob(ROTATES)])).toBe("compliant");
      expect(judge(rule, READS, [rotationJob(byDefault)])).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it("no rotation job (broker.passwordRotationSchedule false)", () => {
      expect(judge(rule, READS)).toBe("non-compliant");
    });

    it("a rotation job of the users only (ROTATE_ADMIN false), or of another administrator's secret", () => {
      expect(judge(rule, READS, [rotationJob({ ...ROTATES, ROTATE_ADMIN: "false" })])).toBe("non-compliant");
      expect(judge(rule, rotationJob({ ...ROTATES, ROTATE_ADMIN: "false" }), [rotationJob({ ...ROTATES, ROTATE_ADMIN: "false" })])).toBe("non-compliant");
      expect(judge(rule, READS, [rotationJob({ ...ROTATES, ADMIN_SECRET: "acme/us-east-2/rabbitmq/admin" })])).toBe("non-compliant");
    });

    it("a suspended or unscheduled job, or one that does not run the rotation script", () => {
      expect(judge(rule, READS, [rotationJob(ROTATES, { suspend: true })])).toBe("non-compliant");
      expect(judge(rule, READS, [rotationJob(ROTATES, { schedule: " " })])).toBe("non-compliant");
      expect(judge(rule, READS, [rotationJob(ROTATES, {}, { command: ["/bin/sh", "/scripts/broker-definitions.sh"] })])).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it("pods that read no administrator's secret, and other resources", () => {
      const { ADMIN_SECRET: _admin, ...usersOnly } = ROTATES;
      expect(judge(rule, rotationJob(usersOnly))).toBe("not-applicable");
      expect(judge(rule, resource("kubernetes_secret_v1", "s", { metadata: { name: "s" }, data: {} }))).toBe("not-applicable");
      expect(judge(rule, resource("aws_mq_broker", "b", { user: [{ username: "admin" }] }))).toBe("not-applicable");
    });
  });
});
