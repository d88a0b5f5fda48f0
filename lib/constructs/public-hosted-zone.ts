import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { ZoneDnssec, ZoneDnssecProps } from "./zone-dnssec";
import { ZoneQueryLogging, ZoneQueryLoggingProps } from "./zone-query-logging";

export interface PublicHostedZoneProps {
  /** Domain the zone serves, e.g. `example.com`. */
  readonly domain: string;
  /**
   * Reusable delegation set. With it, a zone created again after a loss gets the same four name
   * servers, so the registrar needs no update during a recovery.
   * @default - Route53 picks new name servers; they must be set at the registrar after creation
   */
  readonly delegationSetId?: string;
  /**
   * A CNAME for the site: `name` (in this zone) pointing at `target` (a load balancer's host name).
   * @default - no record
   */
  readonly siteRecord?: { readonly name: string; readonly target: string };
  /**
   * DNSSEC signing (ZoneDnssec), with its key in us-east-1.
   * @default - the zone is not signed (DR-R53-1 refuses it)
   */
  readonly dnssec?: Omit<ZoneDnssecProps, "zoneId" | "domain">;
  /**
   * DNS query logging (ZoneQueryLogging) into a log group in us-east-1.
   * @default - queries are not logged (DR-R53-2 refuses it)
   */
  readonly queryLogging?: Omit<ZoneQueryLoggingProps, "zoneId" | "domain">;
}

/** A public Route53 zone, protected from destroy (its records and name servers are hard to rebuild). */
export class PublicHostedZone extends Construct {
  public readonly resource: Route53Zone;
  public readonly zoneId: string;
  public readonly nameServers: string[];
  public readonly siteRecord?: Route53Record;
  public readonly dnssec?: ZoneDnssec;
  public readonly queryLogging?: ZoneQueryLogging;

  constructor(scope: Construct, id: string, props: PublicHostedZoneProps) {
    super(scope, id);
    const site = props.siteRecord;
    if (site && site.name !== props.domain && !site.name.endsWith(`.${props.domain}`)) {
      throw new Error(`PublicHostedZone: siteRecord.name must be in ${props.domain} (got ${site.name})`);
    }
    this.resource = new Route53Zone(this, "resource", {
      name: props.domain,
      comment: `Public zone for ${props.domain}, managed by dr-platform`,
      delegationSetId: props.delegationSetId,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    this.zoneId = this.resource.zoneId;
    this.nameServers = this.resource.nameServers;
    if (props.dnssec) this.dnssec = new ZoneDnssec(this, "dnssec", { ...props.dnssec, zoneId: this.zoneId, domain: props.domain });
    if (props.queryLogging)
      this.queryLogging = new ZoneQueryLogging(this, "query-logging", { ...props.queryLogging, zoneId: this.zoneId, domain: props.domain });
    if (site) {
      this.siteRecord = new Route53Record(this, "site", { zoneId: this.zoneId, name: site.name, type: "CNAME", ttl: 300, records: [site.target] });
    }
  }
}
