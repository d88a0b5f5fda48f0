import type { IAspect } from "cdktf";
import { Aspects, TerraformResource, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { suppressRule } from "./policy/suppress";

/**
 * What a rehearsal generation (`dr rehearse <region>`) changes in each resource so that its
 * teardown (`dr rehearse <region> --teardown`, a `cdktf destroy` of its stacks) removes all of it and
 * a later rehearsal can make the same names again. Stateful protection is lifted here, for the
 * stacks of that generation only; every other stack keeps it (the policy pack still refuses its
 * absence there).
 */
export const REHEARSAL_LIFTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  aws_s3_bucket: { "lifecycle.prevent_destroy": false, force_destroy: true },
  aws_db_instance: { "lifecycle.prevent_destroy": false, deletion_protection: false, skip_final_snapshot: true, final_snapshot_identifier: null },
  aws_mq_broker: { "lifecycle.prevent_destroy": false },
  aws_eks_cluster: { "lifecycle.prevent_destroy": false },
  // Seven days is the shortest wait KMS allows; the next rehearsal makes a new key under the same alias.
  aws_kms_key: { "lifecycle.prevent_destroy": false, deletion_window_in_days: 7 },
  // Deleted at once, so that the next rehearsal can create a secret of the same name.
  aws_secretsmanager_secret: { recovery_window_in_days: 0 },
  // A rehearsal's jobs would write archives under Object Lock into its own bucket, which its
  // teardown could then not delete: its CronJobs are made suspended (a rehearsal is not backed up).
  kubernetes_cron_job_v1: { "spec.suspend": true },
};

/** The policy rules a rehearsal generation breaks on purpose, and why. */
export const REHEARSAL_SUPPRESSIONS: Readonly<Record<string, string>> = {
  "DR-STATE-1": "a rehearsal generation is torn down by design (dr rehearse --teardown): its stateful resources carry no prevent_destroy",
  "DR-RDS-2": "a rehearsal generation's database is deleted by its teardown (dr rehearse --teardown), without a final snapshot",
  "DR-MQ-3": "a rehearsal generation's CronJobs are suspended (lib/rehearsal.ts) and its broker lives until its teardown: its users' passwords are not rotated",
  "DR-MQ-4":
    "a rehearsal generation's CronJobs are suspended (lib/rehearsal.ts) and its broker lives until its teardown: its administrator's password is not rotated",
  "DR-RDS-5": "a rehearsal generation's database is not a recovery point of anything: its backups are not replicated (RehearsalRole)",
};

/**
 * Marks a stack as part of a rehearsal generation: the lifts above, applied when the stack is
 * synthesized (before the policy pack judges it, so the pack sees them), and the pack's rules they
 * break suppressed on the stack with the reason.
 */
export function markRehearsalStack(stack: TerraformStack): void {
  Aspects.of(stack).add(new RehearsalGeneration());
  for (const [ruleId, reason] of Object.entries(REHEARSAL_SUPPRESSIONS)) suppressRule(stack, ruleId, reason);
}

/** The aspect of `markRehearsalStack`: it visits the stack once and changes each resource of a type in `REHEARSAL_LIFTS`. */
export class RehearsalGeneration implements IAspect {
  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    for (const construct of node.node.findAll()) {
      if (!(construct instanceof TerraformResource)) continue;
      const lifts = REHEARSAL_LIFTS[construct.terraformResourceType];
      if (lifts === undefined) continue;
      for (const [path, value] of Object.entries(lifts)) construct.addOverride(path, value);
    }
  }
}
