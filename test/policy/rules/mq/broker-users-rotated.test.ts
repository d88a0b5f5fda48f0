import { BrokerUsersRotated } from "../../../../lib/policy/rules/mq/broker-users-rotated";
import { describeRuleBasics, judge, resource } from "../../../support/policy";

const rule = BrokerUsersRotated;
const ORDERS = "acme/us-east-1/rabbitmq/orders";
const BILLING = "acme/us-east-1/rabbitmq/billing";

const clusterVars = (data: Record<string, string>) => resource("kubernetes_config_map_v1", "flux_cluster-vars_1", { metadata: { name: "cluster-vars" }, data });
/** A CronJob as BrokerPasswordRotation synthesizes it, with the parts the rule reads. */
const rotationJob = (users: string, spec: Record<string, unknown> = {}, command = ["/bin/sh", "/scripts/rotate-broker-passwords.sh"]) =>
  resource("kubernetes_cron_job_v1", "rotation", {
    spec: {
      schedule: "0 3 1 * *",
      job_template: {
        spec: {
          template: {
            spec: {
              container: [
                {
                  name: "rotate",
                  command,
                  env: [
                    { name: "AWS_REGION", value: "us-east-1" },
                    { name: "USERS", value: users },
                  ],
                },
              ],
            },
          },
        },
      },
      ...spec,
    },
  });
const VARS = clusterVars({ AWS_REGION: "us-east-1", BROKER_SECRET_ORDERS: ORDERS, BROKER_SECRET_BILLING: BILLING });

describe("DR-MQ-3 broker users rotated", () => {
  describeRuleBasics(rule, "DR-MQ-3");

  it("compliant: every BROKER_SECRET_* of cluster-vars is in the rotation job's USERS", () => {
    expect(judge(rule, VARS, [rotationJob(`orders=${ORDERS} billing=${BILLING}`)])).toBe("compliant");
  });

  it("non-compliant: one user's secret is not rotated", () => {
    expect(judge(rule, VARS, [rotationJob(`orders=${ORDERS}`)])).toBe("non-compliant");
  });

  it("non-compliant: no rotation job in the stack (broker.passwordRotationSchedule false)", () => {
    expect(judge(rule, VARS)).toBe("non-compliant");
  });

  it("non-compliant: the rotation job is suspended", () => {
    expect(judge(rule, VARS, [rotationJob(`orders=${ORDERS} billing=${BILLING}`, { suspend: true })])).toBe("non-compliant");
  });

  it("non-compliant: a CronJob listing the secrets that does not run the rotation script", () => {
    expect(judge(rule, VARS, [rotationJob(`orders=${ORDERS} billing=${BILLING}`, {}, ["/bin/sh", "/scripts/something-else.sh"])])).toBe("non-compliant");
  });

  it("not applicable: a ConfigMap naming no broker secret, and other resources", () => {
    expect(judge(rule, clusterVars({ AWS_REGION: "us-east-1" }))).toBe("not-applicable");
    expect(judge(rule, rotationJob(`orders=${ORDERS}`))).toBe("not-applicable");
  });
});
