import { KNOWN_REGIONS } from "../../lib/environment/regions";
import { ELB_LOG_DELIVERY_ACCOUNTS, elbLogDeliveryPrincipal } from "../../lib/network/elb-log-delivery";

describe("elbLogDeliveryPrincipal", () => {
  it("names the regional ELB account in a region available before August 2022 (the User Guide's table)", () => {
    expect(elbLogDeliveryPrincipal("us-east-1")).toEqual({ AWS: "arn:aws:iam::127311923021:root" });
    expect(elbLogDeliveryPrincipal("us-east-2")).toEqual({ AWS: "arn:aws:iam::033677994240:root" });
    expect(elbLogDeliveryPrincipal("us-west-2")).toEqual({ AWS: "arn:aws:iam::797873946194:root" });
    expect(elbLogDeliveryPrincipal("eu-west-1")).toEqual({ AWS: "arn:aws:iam::156460612806:root" });
  });

  it("names the log delivery service in a region opened since", () => {
    for (const region of ["ca-west-1", "eu-central-2", "eu-south-2", "ap-south-2", "ap-southeast-4", "me-central-1", "il-central-1"]) {
      expect([region, elbLogDeliveryPrincipal(region)]).toEqual([region, { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }]);
    }
  });

  it("has an answer for every region the library knows, and lists only known regions", () => {
    const accountRegions = Object.keys(ELB_LOG_DELIVERY_ACCOUNTS);
    expect(accountRegions.filter((region) => !KNOWN_REGIONS.includes(region))).toEqual([]);
    expect(accountRegions).toHaveLength(22);
    for (const account of Object.values(ELB_LOG_DELIVERY_ACCOUNTS)) expect(account).toMatch(/^\d{12}$/);
    expect(new Set(Object.values(ELB_LOG_DELIVERY_ACCOUNTS)).size).toBe(accountRegions.length);
  });
});
