import type { RecoveryEnvironment } from "../../../environment";
import type { Reading } from "../../aws/errors";
import type { BrokerEngineOffer } from "../../probes/broker-engine";
import { failedRead, type PreflightCheck } from "./check";

/** Amazon MQ in the recovery region creates RabbitMQ of the pinned version on the pinned instance type and deployment mode. */
export function brokerEngineCheck(recovery: RecoveryEnvironment, found: Reading<BrokerEngineOffer>): PreflightCheck {
  const { engineVersion, instanceType, deploymentMode } = recovery.broker;
  const id = "broker-engine";
  const title = `RabbitMQ ${engineVersion} on ${instanceType} creatable by Amazon MQ in ${recovery.region}`;
  if (!found.ok) return failedRead(id, title, found.failure);
  const offer = found.value;
  const file = `environments/${recovery.region}.ts`;
  const fail = (detail: string, fix: string): PreflightCheck => ({ id, title, status: "fail", detail, fix });
  if (!offer.engineVersions.includes(engineVersion)) {
    return fail(
      `Amazon MQ in ${recovery.region} offers RabbitMQ ${offer.engineVersions.join(", ") || "no version"}, not ${engineVersion}`,
      `in ${file} and environments/${recovery.recoveryOf}.ts set broker.engineVersion to one of them (aws mq describe-broker-engine-types --region ${recovery.region} --engine-type RABBITMQ)`,
    );
  }
  const listTypes = `aws mq describe-broker-instance-options --region ${recovery.region} --engine-type RABBITMQ`;
  if (offer.instanceVersions.length === 0)
    return fail(`${instanceType} is not offered for RabbitMQ in ${recovery.region}`, `in ${file} set broker.instanceType to a type ${listTypes} lists`);
  if (!offer.instanceVersions.includes(engineVersion)) {
    return fail(
      `${instanceType} supports RabbitMQ ${offer.instanceVersions.join(", ")} in ${recovery.region}, not ${engineVersion}`,
      `in ${file} set broker.instanceType to a type that supports ${engineVersion} (${listTypes})`,
    );
  }
  if (!offer.deploymentModes.includes(deploymentMode)) {
    return fail(
      `${instanceType} supports ${offer.deploymentModes.join(", ") || "no deployment mode"} in ${recovery.region}, not ${deploymentMode}`,
      `in ${file} set broker.instanceType or broker.deploymentMode to a pair ${listTypes} lists`,
    );
  }
  return { id, title, status: "pass", detail: `RabbitMQ ${engineVersion}, ${instanceType}, ${deploymentMode}`, fix: "" };
}
