import type { Construct } from "constructs";
import type { RecoverySide } from "../../lib/environment";
import { PeacetimeIdentity } from "./peacetime-identity";
import { RecoveryRole } from "./recovery";
import type { DatabasePlan, EnvironmentRole } from "./role";

/**
 * A recovery's rehearsal generation (`dr rehearse <region>`, `rehearsalSide`): the recovery's path
 * (the primary's replicated backups restored, its assets replica served, its SOPS replica key, its
 * newest broker definitions imported) into stacks of their own, with three differences:
 * - its identity is made in place, like a primary's (its keys and roles are named after the
 *   rehearsal and removed by its teardown), except the registry's pull through cache rules, which
 *   are one per region and the recovery's standby layer's (the rehearsal's nodes use them);
 * - no failover record: traffic never moves to a rehearsal;
 * - no backup replication: a rehearsal's database is deleted by its teardown.
 */
export class RehearsalRole extends RecoveryRole {
  public override readonly identity: PeacetimeIdentity;
  public override readonly failover: EnvironmentRole["failover"] = undefined;

  constructor(side: RecoverySide) {
    if (!side.environment.rehearsing) throw new Error(`RehearsalRole: ${side.environment.region} is not a rehearsal generation (rehearsalSide makes one)`);
    super(side);
    this.identity = new PeacetimeIdentity(side.environment, { registryCache: false });
  }

  public override database(scope: Construct): DatabasePlan {
    return { source: super.database(scope).source, replicateBackups: false };
  }
}
