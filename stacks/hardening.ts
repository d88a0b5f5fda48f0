import type { Construct } from "constructs";
import { awsProvider } from "../lib";
import type { Environment } from "../lib/environment";
import { regionalNames, ROUTE53_CONTROL_REGION } from "../lib/naming";

/* The public zone's hardening (DNSSEC signing and query logging), made by the pair's dns stack. */
/** The manual step that completes DNSSEC, printed with the DS record. */
export const DNSSEC_DS_RECORD_STEP =
  "Once, after the first apply: add this DS record at the parent zone or registrar of the domain (until then resolvers do not validate the signatures)";

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
      retentionDays: environment.logRetention.dnsQueryLogsDays,
      usEast1Provider,
    },
  };
}
