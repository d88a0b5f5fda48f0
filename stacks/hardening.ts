import type { Construct } from "constructs";
import { awsProvider } from "../lib";
import type { Environment } from "../lib/environment";
import { eksLogGroup, flowLogsLogGroup, regionalNames, ROUTE53_CONTROL_REGION } from "../lib/naming";

/*
 * Issue 18's keys and zone hardening, shared by the stack that makes them for a primary and the
 * standby stack that makes them for a recovery in peacetime, so both get the same ones.
 */
/** The manual step that completes DNSSEC, printed with the DS record. */
export const DNSSEC_DS_RECORD_STEP =
  "Once, after the first apply: add this DS record at the parent zone or registrar of the domain (until then resolvers do not validate the signatures)";

/** The environment's logs key: its region's CloudWatch Logs may use it for the flow logs and EKS groups. */
export function environmentLogsKeyProps(environment: Environment) {
  const regional = regionalNames(environment.project, environment.region);
  return {
    aliasName: regional.logsKeyAlias,
    accountId: environment.accountId,
    region: environment.region,
    logGroupNames: [flowLogsLogGroup(regional.vpc), eksLogGroup(regional.cluster)],
    description: `CloudWatch Logs of ${environment.region}: VPC flow logs and EKS control-plane logs`,
  };
}

/** DNSSEC signing and query logging of the environment's public zone, with their us-east-1 provider. */
export function zoneHardening(scope: Construct, environment: Environment) {
  const usEast1Provider = awsProvider(scope, environment, ROUTE53_CONTROL_REGION, "route53");
  const regional = regionalNames(environment.project, environment.region);
  return {
    dnssec: { accountId: environment.accountId, keyAliasName: regional.dnssecKeyAlias, usEast1Provider },
    queryLogging: {
      accountId: environment.accountId,
      keyAliasName: regional.queryLogsKeyAlias,
      resourcePolicyName: regional.queryLogsResourcePolicy,
      usEast1Provider,
    },
  };
}
