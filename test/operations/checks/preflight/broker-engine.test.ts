import { brokerEngineCheck } from "../../../../lib/operations/checks/preflight/broker-engine";
import { failed, read, recovery } from "../../../support/facts";

const TITLE = "RabbitMQ 3.13 on mq.m5.large creatable by Amazon MQ in us-east-2";
const offer = (overrides: object = {}) => ({
  instanceType: "mq.m5.large",
  engineVersions: ["3.13", "4.2"],
  instanceVersions: ["3.13", "4.2"],
  deploymentModes: ["SINGLE_INSTANCE", "CLUSTER_MULTI_AZ"],
  ...overrides,
});
const LIST = "aws mq describe-broker-instance-options --region us-east-2 --engine-type RABBITMQ";

describe("brokerEngineCheck", () => {
  it("passes the version, type and deployment mode the region creates", () => {
    expect(brokerEngineCheck(recovery, read(offer()))).toEqual({
      id: "broker-engine",
      title: TITLE,
      status: "pass",
      detail: "RabbitMQ 3.13, mq.m5.large, CLUSTER_MULTI_AZ",
      fix: "",
    });
  });

  it.each([
    [
      "a version the region no longer creates",
      offer({ engineVersions: ["4.2"] }),
      "Amazon MQ in us-east-2 offers RabbitMQ 4.2, not 3.13",
      "in environments/us-east-2.ts and environments/us-east-1.ts set broker.engineVersion to one of them (aws mq describe-broker-engine-types --region us-east-2 --engine-type RABBITMQ)",
    ],
    [
      "no version at all",
      offer({ engineVersions: [] }),
      "Amazon MQ in us-east-2 offers RabbitMQ no version, not 3.13",
      "in environments/us-east-2.ts and environments/us-east-1.ts set broker.engineVersion to one of them (aws mq describe-broker-engine-types --region us-east-2 --engine-type RABBITMQ)",
    ],
    [
      "a type not offered",
      offer({ instanceVersions: [], deploymentModes: [] }),
      "mq.m5.large is not offered for RabbitMQ in us-east-2",
      `in environments/us-east-2.ts set broker.instanceType to a type ${LIST} lists`,
    ],
    [
      "a type without the version",
      offer({ instanceVersions: ["4.2"] }),
      "mq.m5.large supports RabbitMQ 4.2 in us-east-2, not 3.13",
      `in environments/us-east-2.ts set broker.instanceType to a type that supports 3.13 (${LIST})`,
    ],
    [
      "a type without the deployment mode",
      offer({ deploymentModes: ["SINGLE_INSTANCE"] }),
      "mq.m5.large supports SINGLE_INSTANCE in us-east-2, not CLUSTER_MULTI_AZ",
      `in environments/us-east-2.ts set broker.instanceType or broker.deploymentMode to a pair ${LIST} lists`,
    ],
    [
      "a type without any deployment mode",
      offer({ deploymentModes: [] }),
      "mq.m5.large supports no deployment mode in us-east-2, not CLUSTER_MULTI_AZ",
      `in environments/us-east-2.ts set broker.instanceType or broker.deploymentMode to a pair ${LIST} lists`,
    ],
  ])("fails %s", (_case, answer, detail, fix) => {
    expect(brokerEngineCheck(recovery, read(answer))).toEqual({ id: "broker-engine", title: TITLE, status: "fail", detail, fix });
  });

  it("reports a failed read as such", () => {
    expect(brokerEngineCheck(recovery, failed("unreachable", "Amazon MQ DescribeBrokerEngineTypes", "us-east-2", "TimeoutError: x")).status).toBe(
      "unreachable",
    );
  });
});
