import { Construct } from "constructs";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";

export interface PublicHostedZoneProps {
  /** Domain the zone serves, e.g. `example.com`. */
  readonly domain: string;
  /**
   * Reusable delegation set. With it, a zone created again after a loss gets the same four name
   * servers, so the registrar needs no update during a recovery.
   * @default - Route53 picks new name servers; they must be set at the registrar after creation
   */
  readonly delegationSetId?: string;
}

/** A public Route53 zone, protected from destroy (its records and name servers are hard to rebuild). */
export class PublicHostedZone extends Construct {
  public readonly resource: Route53Zone;
  public readonly zoneId: string;
  public readonly nameServers: string[];

  constructor(scope: Construct, id: string, props: PublicHostedZoneProps) {
    super(scope, id);
    this.resource = new Route53Zone(this, "resource", {
      name: props.domain,
      comment: `Public zone for ${props.domain}, managed by dr-platform`,
      delegationSetId: props.delegationSetId,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    this.zoneId = this.resource.zoneId;
    this.nameServers = this.resource.nameServers;
  }
}
