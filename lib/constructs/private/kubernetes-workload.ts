import type { Construct } from "constructs";
import { TerraformResource, Tokenization } from "cdktf";
import type { CronJobV1Config } from "@cdktf/provider-kubernetes/lib/cron-job-v1";
import type { JobV1Config } from "@cdktf/provider-kubernetes/lib/job-v1";

/**
 * `kubernetes_cron_job_v1` and `kubernetes_job_v1` without their generated bindings. The bindings'
 * struct classes are 9.5 MB of JavaScript (two 2.4 MB files per resource): loading them cost every
 * synth about 110 ms and 37 MB for the six jobs the library makes. These take the bindings'
 * configuration types (imported as types only) and write what the bindings write: the keys in
 * snake_case, with the keys of string maps (labels, annotations, resource quantities) as given.
 * Only JSON synthesis is supported (`cdktf synth --hcl` is refused with a message).
 */
abstract class KubernetesWorkload extends TerraformResource {
  private readonly attributes: Record<string, unknown>;

  protected constructor(scope: Construct, id: string, type: string, config: CronJobV1Config | JobV1Config) {
    const { provider, dependsOn, count, lifecycle, provisioners, connection, forEach, ...attributes } = config;
    super(scope, id, {
      terraformResourceType: type,
      // What the binding declares; cdktf checks that a kubernetes provider is in the stack.
      terraformGeneratorMetadata: { providerName: "kubernetes", providerVersion: "2.38.0", providerVersionConstraint: "~> 2.0" },
      provider,
      dependsOn,
      count,
      lifecycle,
      provisioners,
      connection,
      forEach,
    });
    this.attributes = attributes;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return toTerraform(this.attributes) as Record<string, unknown>;
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    throw new Error(`${this.node.path}: ${this.terraformResourceType} is synthesized as JSON only (dr-platform writes it without the provider binding)`);
  }
}

/** `kubernetes_cron_job_v1`, configured as `CronJobV1` is. */
export class CronJob extends KubernetesWorkload {
  constructor(scope: Construct, id: string, config: CronJobV1Config) {
    super(scope, id, "kubernetes_cron_job_v1", config);
  }
}

/** `kubernetes_job_v1`, configured as `JobV1` is. */
export class Job extends KubernetesWorkload {
  constructor(scope: Construct, id: string, config: JobV1Config) {
    super(scope, id, "kubernetes_job_v1", config);
  }
}

/** Attributes of type map(string) in the two resources' schemas: their keys are data, not names. */
const STRING_MAPS = new Set(["annotations", "labels", "limits", "requests", "nodeSelector", "matchLabels", "volumeAttributes", "overhead"]);

/** cdktf's own conversion of a configuration name (`successfulJobsHistoryLimit` -> `successful_jobs_history_limit`). */
function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, (_m, a: string, b: string) => `${a}_${b.toLowerCase()}`);
}

function toTerraform(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Tokenization.isResolvable(value)) return value;
  if (Array.isArray(value)) return value.map(toTerraform);
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, v]) => [snakeCase(key), STRING_MAPS.has(key) ? v : toTerraform(v)]));
}
