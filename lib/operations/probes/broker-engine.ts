import { DescribeBrokerEngineTypesCommand, DescribeBrokerInstanceOptionsCommand, type MqClient } from "@aws-sdk/client-mq";
import { reading, type Reading } from "../aws/errors";
import { paginate } from "../aws/paginate";

/** What Amazon MQ in a region offers a new RabbitMQ broker of one instance type. */
export interface BrokerEngineOffer {
  readonly instanceType: string;
  /** RabbitMQ engine versions the region creates brokers with. */
  readonly engineVersions: readonly string[];
  /** Versions the instance type supports there, and its deployment modes; empty when the type is not offered. */
  readonly instanceVersions: readonly string[];
  readonly deploymentModes: readonly string[];
}

/** Amazon MQ DescribeBrokerEngineTypes (RABBITMQ) and DescribeBrokerInstanceOptions of the type, in `region` (every page). */
export function probeBrokerEngine(mq: MqClient, instanceType: string, region: string): Promise<Reading<BrokerEngineOffer>> {
  return reading(`Amazon MQ DescribeBrokerEngineTypes and DescribeBrokerInstanceOptions of RabbitMQ ${instanceType}`, region, async () => {
    const types = await paginate(
      (token) => mq.send(new DescribeBrokerEngineTypesCommand({ EngineType: "RABBITMQ", NextToken: token })),
      (page) => page.BrokerEngineTypes,
      (page) => page.NextToken,
    );
    const options = await paginate(
      (token) => mq.send(new DescribeBrokerInstanceOptionsCommand({ EngineType: "RABBITMQ", HostInstanceType: instanceType, NextToken: token })),
      (page) => page.BrokerInstanceOptions,
      (page) => page.NextToken,
    );
    const ofType = options.filter((o) => o.HostInstanceType === instanceType);
    return {
      instanceType,
      engineVersions: types
        .flatMap((t) => t.EngineVersions ?? [])
        .map((v) => v.Name ?? "")
        .filter((v) => v !== ""),
      instanceVersions: [...new Set(ofType.flatMap((o) => o.SupportedEngineVersions ?? []))],
      deploymentModes: [...new Set(ofType.flatMap((o) => o.SupportedDeploymentModes ?? []))],
    };
  });
}
