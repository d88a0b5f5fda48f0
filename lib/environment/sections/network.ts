import { z } from "zod";
import { onlyWhen, privateCidr, strictObject, wholeNumber } from "../fields";
import { movedRetentionField } from "./log-retention";

/** The VPC. Its zone layout is checked against the region in ../rules.ts. */
export const network = strictObject({
  /** VPC range; public and private subnets per zone are computed from it. */
  cidr: privateCidr,
  /** Number of zones to spread over (the first N zones of the region). Give this or `availabilityZones`. */
  azCount: wholeNumber(2, 6).optional(),
  /** Explicit zone names, e.g. for accounts that do not see every zone. Give this or `azCount`. */
  availabilityZones: z.array(z.string()).min(2, { error: "must list 2 to 6 zones" }).max(6, { error: "must list 2 to 6 zones" }).optional(),
  /** `single`: one NAT gateway (cheaper, one zone's outage cuts egress); `per-az`: one per zone. */
  natGateways: z.enum(["single", "per-az"]),
  /** Moved to `logRetention.vpcFlowLogsDays`: refused with that name. */
  flowLogRetentionDays: onlyWhen(movedRetentionField("network.flowLogRetentionDays")),
});
