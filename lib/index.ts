/**
 * dr-platform's main entry point: the constructs, the environment schema and loader, the policy
 * pack, the deployment targets, the naming module and the Kubernetes helpers, plus the AWS
 * provider of an environment. Each layer has its own entry point as well (`dr-platform/constructs`,
 * `dr-platform/environment`, ...). Two have only their own: `dr-platform/stacks` (the stacks and
 * the app assembly) and `dr-platform/operations` (what the CLI runs against AWS, with the AWS SDK).
 */
export * from "./constructs";
export * from "./environment";
export * from "./kubernetes";
export * from "./naming";
export * from "./policy";
export * from "./targets";
export { awsProvider, vaultProvider, VAULT_SESSION_NAME } from "./aws-provider";
export { MANAGED_BY, standardTags } from "./tags";
