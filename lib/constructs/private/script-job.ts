import type { Construct } from "constructs";
import type { IResolvable, ITerraformDependable } from "cdktf";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import type { CronJobV1Config } from "@cdktf/provider-kubernetes/lib/cron-job-v1";
import { scriptFiles } from "../../backup/job-parts";
import { terraformLiteral } from "./backup-pod";
import { CronJob } from "./kubernetes-workload";

/** The pod of a CronJob, in the kubernetes provider's configuration shape. */
export type CronJobPod = NonNullable<CronJobV1Config["spec"]["jobTemplate"]["spec"]["template"]["spec"]>;

/**
 * The ConfigMap (`<scope>/scripts`) a script job mounts at /scripts: the files of backup/ named,
 * with what they source (scriptFiles), each escaped so that Terraform keeps it verbatim.
 */
export function scriptsConfigMap(scope: Construct, metadata: { readonly name: string; readonly namespace: string }, ...files: string[]): ConfigMapV1 {
  return new ConfigMapV1(scope, "scripts", {
    metadata: { ...metadata },
    data: Object.fromEntries(Object.entries(scriptFiles(...files)).map(([file, text]) => [file, terraformLiteral(text)])),
  });
}

export interface ScriptCronJobOptions {
  readonly name: string;
  readonly namespace: string;
  readonly schedule: string;
  /** Retries of a failed pod before the job fails (0: a failure is a finding, not a flake). */
  readonly backoffLimit: number;
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Whether no run is scheduled: a boolean, or a Terraform expression decided at apply time.
   * @default - not suspended (the field is left out)
   */
  readonly suspend?: boolean | IResolvable;
  /** The pod: its service account, security context, containers and volumes. */
  readonly pod: CronJobPod;
}

/**
 * The library's scheduled jobs (`<scope>/resource`): one run at a time (a second would only
 * repeat the first's work or fight it over the same secret or archive), three finished jobs of
 * each outcome kept for `kubectl logs`, the pod labelled with the job's name.
 */
export function scriptCronJob(scope: Construct, options: ScriptCronJobOptions): CronJob {
  return new CronJob(scope, "resource", {
    dependsOn: options.dependsOn,
    metadata: { name: options.name, namespace: options.namespace },
    spec: {
      schedule: options.schedule,
      suspend: options.suspend,
      concurrencyPolicy: "Forbid",
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: {},
        spec: {
          backoffLimit: options.backoffLimit,
          template: {
            metadata: { labels: { "app.kubernetes.io/name": options.name } },
            spec: options.pod,
          },
        },
      },
    },
  });
}
