import { z } from "zod";
import { domainName, strictObject } from "../fields";

/** The public hosted zone. */
export const dns = strictObject({
  /** Public hosted zone to create. */
  domain: domainName,
  /** Cluster load balancer hostname: creates the CNAME `dr.<domain>` to it. @default - no record */
  loadBalancerHostname: domainName.optional(),
  /** Reusable delegation set: a rebuilt zone keeps the same name servers. */
  delegationSetId: z
    .string()
    .regex(/^N[A-Z0-9]{1,31}$/, { error: "must be a Route53 delegation set id like N1PA6795SAMPLE" })
    .optional(),
});
