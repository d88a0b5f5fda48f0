import type { IConstruct } from "constructs";
import { AwsAccountTarget } from "./aws-account-target";
import { targetOf as lookup, type DeploymentTarget } from "./deployment-target";

export { AwsAccountTarget } from "./aws-account-target";
export { useTarget } from "./deployment-target";
export type { DeploymentTarget, StateLocation, TargetGap } from "./deployment-target";
// The emulator target is the tooling's and the app's to choose; constructs, policy and stacks never
// name it (ESLint refuses these names there).
export * from "./emulator-target";

const AWS_ACCOUNT = new AwsAccountTarget();

/** The deployment target of a construct's app; a real AWS account unless the app chose another. */
export function targetOf(scope: IConstruct): DeploymentTarget {
  return lookup(scope, () => AWS_ACCOUNT);
}
