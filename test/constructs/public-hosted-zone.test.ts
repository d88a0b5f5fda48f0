import { PublicHostedZone } from "../../lib/constructs/public-hosted-zone";
import { onlyResource, synthJson, testStack } from "../support/synth";

describe("PublicHostedZone", () => {
  it("creates a protected public zone without a delegation set by default", () => {
    const stack = testStack();
    new PublicHostedZone(stack, "zone", { domain: "example.com" });
    const { config } = onlyResource(synthJson(stack), "aws_route53_zone");
    expect(config.name).toBe("example.com");
    expect(config.delegation_set_id).toBeUndefined();
    expect(config.force_destroy).toBe(false);
    expect(config.lifecycle).toEqual({ prevent_destroy: true });
  });

  it("reuses a delegation set so a rebuilt zone keeps its name servers", () => {
    const stack = testStack();
    new PublicHostedZone(stack, "zone", { domain: "example.com", delegationSetId: "N1PA6795SAMPLE" });
    expect(onlyResource(synthJson(stack), "aws_route53_zone").config.delegation_set_id).toBe("N1PA6795SAMPLE");
  });
});
