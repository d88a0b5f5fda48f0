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
  type BrokerAdminSecret,
  cronProblem,
  nameProblem,
  providerPodSecurityContext,
  providerResources,
  volumes,
  WORK_PATH,
  type EnvVar,
  scriptStep,
} from "./private/backup-pod";
import { Job } from "./private/kubernetes-workload";
import { scriptCronJob, scriptsConfigMap } from "./private/script-job";

export interface BrokerDefinitionsImportProps {
  readonly namespace: string;
  /**
   * Name of the Job and its ConfigMap.
   * @default "broker-definitions-import"
   */
  readonly name?: string;
  /** Service account whose pod identity role may list the exports' bucket and read `rabbitmq/*` in it. */
  readonly serviceAccountName: string;
  /** Bucket holding the exports (a recovery: its primary's hosting-services bucket, in this region). */
  readonly bucketName: string;
  readonly bucketRegion: string;
  /** The new broker's management URL (`https://b-....mq.<region>.amazonaws.com`). */
  readonly managementUrl: string;
  readonly adminUsername: string;
  /**
   * The administrator's Secrets Manager secret: an init container reads its AWSCURRENT when the
   * pod runs (the service account's pod identity role may `secretsmanager:GetSecretValue` it).
   */
  readonly adminSecret: BrokerAdminSecret;
  /**
   * A standing broker (a warm standby's): the newest export is imported again on this cron
   * schedule by a CronJob `<name>-scheduled`, topology only (vhosts, exchanges, queues, bindings,
   * policies: TOPOLOGY_ONLY=true), so the users keep the passwords set since. Messages are never
   * copied: those in the primary's queues at the outage are lost.
   * @default - imported once, by the Job
   */
  readonly schedule?: string;
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
 * A Job that restores the broker's topology in a recovery: an init container (aws CLI) fetches
 * the newest export (`rabbitmq/<stamp>/definitions.json`, backup/broker-definitions.sh fetch), the
 * container (node) POSTs it to `/api/definitions` (backup/broker-definitions.js import). Terraform
 * waits for it to complete, so what depends on it (the users' passwords, the workloads' sync)
 * never sees a broker without its queues. Exported users carry no password hashes: the
 * RabbitMqUsers job sets the new passwords after this one.
 */
export class BrokerDefinitionsImport extends Construct {
  public readonly resource: TerraformResource;
  public readonly configMap: ConfigMapV1;
  public readonly jobName: string;
  /** The scheduled import (`<name>-scheduled`), when `schedule` is given. */
  public readonly scheduled?: TerraformResource;

  constructor(scope: Construct, id: string, props: BrokerDefinitionsImportProps) {
    super(scope, id);
    this.jobName = props.name ?? "broker-definitions-import";
    const problems = [
      nameProblem("BrokerDefinitionsImport", this.jobName),
      props.schedule === undefined ? undefined : cronProblem("BrokerDefinitionsImport", props.schedule),
      Token.isUnresolved(props.managementUrl) || /^https:\/\/[^/\s]+\/?$/.test(props.managementUrl)
        ? undefined
        : `BrokerDefinitionsImport: managementUrl must be https://<host> (got ${JSON.stringify(props.managementUrl)})`,
    ].filter((problem): problem is string => problem !== undefined);
    if (problems.length > 0) throw new Error(problems.join("\n"));

    this.configMap = scriptsConfigMap(this, { name: this.jobName, namespace: props.namespace }, "broker-definitions.js", "broker-definitions.sh");

    const resources = providerResources(props.resources ?? DEFAULT_RESOURCES);
    const common: EnvVar[] = [
      { name: "DEFINITIONS_DIR", value: WORK_PATH },
      { name: "HOME", value: "/tmp" },
    ];
    const awsCli = props.awsCliImage ?? jobImages(props.registry).awsCli;
    // The pod of both the Job and (topology only) the scheduled import.
    const pod = (topologyOnly: boolean) => ({
      serviceAccountName: props.serviceAccountName,
      restartPolicy: "Never",
      securityContext: providerPodSecurityContext(),
      initContainer: [
        brokerAdminPasswordStep(awsCli, resources, props.adminSecret),
        scriptStep({
          name: "fetch",
          image: awsCli,
          script: "broker-definitions.sh",
          args: ["fetch"],
          env: [...common, { name: "ARCHIVE_BUCKET", value: props.bucketName }, { name: "AWS_REGION", value: props.bucketRegion }],
          resources,
        }),
      ],
      container: [
        scriptStep({
          name: "import",
          image: props.nodeImage ?? jobImages(props.registry).node,
          interpreter: "node",
          script: "broker-definitions.js",
          args: ["import", `${WORK_PATH}/definitions.json`],
          env: [
            ...common,
            { name: "MANAGEMENT_URL", value: props.managementUrl },
            { name: "ADMIN_USERNAME", value: props.adminUsername },
            { name: "ADMIN_PASSWORD_FILE", value: BROKER_ADMIN_PASSWORD_FILE },
            ...(topologyOnly ? [{ name: "TOPOLOGY_ONLY", value: "true" }] : []),
          ],
          mounts: [BROKER_ADMIN_MOUNT],
          resources,
        }),
      ],
      volume: [...volumes(this.configMap.metadata.name, "1Gi"), BROKER_ADMIN_VOLUME],
    });
    this.resource = new Job(this, "resource", {
      metadata: { name: this.jobName, namespace: props.namespace },
      waitForCompletion: true,
      timeouts: { create: "10m", update: "10m" },
      spec: {
        backoffLimit: 2,
        template: { metadata: { labels: { "app.kubernetes.io/name": this.jobName } }, spec: pod(false) },
      },
    });
    if (props.schedule !== undefined) {
      this.scheduled = scriptCronJob(new Construct(this, "scheduled"), {
        name: `${this.jobName}-scheduled`,
        namespace: props.namespace,
        schedule: props.schedule,
        backoffLimit: 2,
        dependsOn: [this.resource],
        pod: pod(true),
      });
    }
  }
}
