import type { IConstruct } from "constructs";

const METADATA_TYPE = "dr-policy-suppression";

export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * Accepts a violation of one rule on a construct and everything under it. A reason is mandatory
 * and shows in the synth output (an info annotation, printed by `npm run synth`).
 */
export function suppressRule(scope: IConstruct, ruleId: string, reason: string): void {
  if (!/^DR-[A-Z0-9]+-\d+$/.test(ruleId)) throw new Error(`suppressRule: ruleId must be a rule id like DR-S3-1 (got ${JSON.stringify(ruleId)})`);
  if (reason.trim().length < 10) throw new Error(`suppressRule: reason must explain the exception in a sentence (got ${JSON.stringify(reason)})`);
  scope.node.addMetadata(METADATA_TYPE, { ruleId, reason } satisfies Suppression);
}

/** The suppression of a rule on a construct or one of its ancestors. */
export function findSuppression(construct: IConstruct, ruleId: string): Suppression | undefined {
  for (const scope of [construct, ...construct.node.scopes.slice().reverse()]) {
    const hit = scope.node.metadata.find((m) => m.type === METADATA_TYPE && (m.data as Suppression).ruleId === ruleId);
    if (hit) return hit.data as Suppression;
  }
  return undefined;
}
