import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand, type ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { reading, type Reading } from "../aws/errors";

/** A Service Quotas quota, as the code names it. */
export interface QuotaId {
  /** `ec2`, `eks`, `rds`. */
  readonly serviceCode: string;
  /** `L-1216C47A`. */
  readonly quotaCode: string;
}

/** A quota's value in a region: applied to the account, or AWS's default where none was applied. */
export interface QuotaValue extends QuotaId {
  readonly name?: string;
  readonly value?: number;
  /** `applied` (GetServiceQuota) or `default` (no applied value: GetAWSDefaultServiceQuota). */
  readonly source: "applied" | "default";
}

/**
 * Service Quotas in `region`: GetServiceQuota of each quota (the account's applied value); a quota
 * never applied answers NoSuchResourceException, and AWS's default (GetAWSDefaultServiceQuota) holds.
 */
export function probeServiceQuotas(quotas: ServiceQuotasClient, ids: readonly QuotaId[], region: string): Promise<Reading<readonly QuotaValue[]>> {
  return reading(`Service Quotas GetServiceQuota of ${ids.map((q) => `${q.serviceCode} ${q.quotaCode}`).join(", ")}`, region, () =>
    Promise.all(
      ids.map(async (id): Promise<QuotaValue> => {
        const input = { ServiceCode: id.serviceCode, QuotaCode: id.quotaCode };
        try {
          const { Quota } = await quotas.send(new GetServiceQuotaCommand(input));
          return { ...id, name: Quota?.QuotaName, value: Quota?.Value, source: "applied" };
        } catch (error) {
          if ((error as Error)?.name !== "NoSuchResourceException") throw error;
          const { Quota } = await quotas.send(new GetAWSDefaultServiceQuotaCommand(input));
          return { ...id, name: Quota?.QuotaName, value: Quota?.Value, source: "default" };
        }
      }),
    ),
  );
}
