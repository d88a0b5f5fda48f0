import { Construct } from "constructs";
import { Token, type TerraformResource } from "cdktf";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { DEFAULT_RESOURCES, jobImages, type ContainerResources } from "../backup/job-parts";
import type { ImageRegistry } from "../kubernetes/images";
import {
  BROKER_ADMIN_MOUNT,
  BROKER_ADMIN_PASSWORD_FILE,
  BROKER_ADMIN_VOLUME,
  brokerAdminPasswordStep,
  cronProblem,
  type BrokerAdminSecret,
  nameProblem,
  providerPodSecurityContext,
  providerResources,
  volumes,
  WORK_PATH,
  type EnvVar,
  scriptStep,
} from "./private/backup-pod";
import type { IBucket } from "./bucket";
import { scriptCronJob, scriptsConfigMap } from "./private/script-job";

export type { BrokerAdminSecret } from "./private/backup-pod";

export interface BrokerDefinitionsJobProps {
  readonly namespace: string;
  /**
   * Name of the CronJob and its ConfigMap.
   * @default "broker-definitions"
   */
  readonly name?: string;
  /**
   * When to export (cron, in the cluster's time zone: UTC on EKS).
   * @default "0 * * * *" (hourly)
   */
  readonly schedule?: string;
  /** Service account whose pod identity role may list the bucket and put objects into it, nothing else. */
  readonly serviceAccountName: string;
  /** Where the exports go: the HostingServicesBucket. */
  readonly bucket: IBucket;
  /** Region of the bucket. */
  readonly bucketRegion: string;
  /** The broker's management URL (`https://b-....mq.<region>.amazonaws.com`). */
  readonly managementUrl: string;
  /** The broker's administrator (left out of the export: Amazon MQ manages it). */
  readonly adminUsername: string;
  /**
   * The administrator's Secrets Manager secret: an init container reads its AWSCURRENT when the
   * pod runs (the service account's pod identity role may `secretsmanager:GetSecretValue` it).
   */
  readonly adminSecret: BrokerAdminSecret;
  /** @default DEFAULT_RESOURCES */
  readonly resources?: ContainerResources;
  /** @default - node from `registry` */
  /**
   * The account's registry in the cluster's region: the images are pulled from it (through its
   * pull through cache rules), by digest (lib/kubernetes/images.ts).
   */
  readonly registry: ImageRegistry;
  readonly nodeImage?: string;
  /** @default - aws-cli from `registry` */
  readonly awsCliImage?: string;
}

/**
 * A CronJob that exports the broker's definitions (backup/broker-definitions.js: vhosts,
 * exchanges, queues, bindings, policies, users without password hashes, permissions) and uploads
 * them under `rabbitmq/<stamp>/definitions.json` (backup/broker-definitions.sh). Amazon MQ for
 * RabbitMQ has no cross-region replication: this is what rebuilds the topology in a recovery.
 */
export class BrokerDefinitionsJob extends Construct {
  public readonly resource: TerraformResource;
  public readonly configMap: ConfigMapV1;
  public readonly cronJobName: string;
  public readonly schedule: string;

  constructor(scope: Construct, id: string, props: BrokerDefinitionsJobProps) {
    super(scope, id);
    this.cronJobName = props.name ?? "broker-definitions";
    this.schedule = props.schedule ?? "0 * * * *";
    const problems = [
      nameProblem("BrokerDefinitionsJob", this.cronJobName),
      cronProblem("BrokerDefinitionsJob", this.schedule),
      Token.isUnresolved(props.managementUrl) || /^https:\/\/[^/\s]+\/?$/.test(props.managementUrl)
        ? undefined
        : `BrokerDefinitionsJob: managementUrl must be https://<host> (got ${JSON.stringify(props.managementUrl)})`,
    ].filter((problem): problem is string => problem !== undefined);
    if (problems.length > 0) throw new Error(problems.join("\n"));

    this.configMap = scriptsConfigMap(this, { name: this.cronJobName, namespace: props.namespace }, "broker-definitions.js", "broker-definitions.sh");

    const resources = providerResources(props.resources ?? DEFAULT_RESOURCES);
    const common: EnvVar[] = [
      { name: "DEFINITIONS_DIR", value: WORK_PATH },
      { name: "HOME", value: "/tmp" },
    ];
    this.resource = scriptCronJob(this, {
      name: this.cronJobName,
      namespace: props.namespace,
      schedule: this.schedule,
      backoffLimit: 2,
      pod: {
        serviceAccountName: props.serviceAccountName,
        restartPolicy: "Never",
        securityContext: providerPodSecurityContext(),
        initContainer: [
          brokerAdminPasswordStep(props.awsCliImage ?? jobImages(props.registry).awsCli, resources, props.adminSecret),
          scriptStep({
            name: "export",
            image: props.nodeImage ?? jobImages(props.registry).node,
            interpreter: "node",
            script: "broker-definitions.js",
            args: ["export", WORK_PATH],
            env: [
              ...common,
              { name: "MANAGEMENT_URL", value: props.managementUrl },
              { name: "ADMIN_USERNAME", value: props.adminUsername },
              { name: "ADMIN_PASSWORD_FILE", value: BROKER_ADMIN_PASSWORD_FILE },
            ],
            mounts: [BROKER_ADMIN_MOUNT],
            resources,
          }),
        ],
        container: [
          scriptStep({
            name: "upload",
            image: props.awsCliImage ?? jobImages(props.registry).awsCli,
            script: "broker-definitions.sh",
            args: ["upload"],
            env: [...common, { name: "ARCHIVE_BUCKET", value: props.bucket.bucketName }, { name: "AWS_REGION", value: props.bucketRegion }],
            resources,
          }),
        ],
        volume: [...volumes(this.configMap.metadata.name, "1Gi"), BROKER_ADMIN_VOLUME],
      },
    });
  }
}
