import { Construct } from "constructs";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

export interface FailoverRecordProps {
  /** Zone of the record. */
  readonly zoneId: string;
  /** Record name: the site host. */
  readonly name: string;
  /** PRIMARY answers while healthy; SECONDARY answers when PRIMARY is not. */
  readonly failover: "PRIMARY" | "SECONDARY";
  /** Unique per name and type within the zone (the region). */
  readonly setIdentifier: string;
  /** The load balancer the alias points at. */
  readonly target: { readonly dnsName: string; readonly zoneId: string };
  /**
   * A Route 53 health check of the load balancer itself (HTTPS on 443): the record answers only
   * while it passes.
   * @default - no health check: only the alias target's own health decides (evaluate_target_health)
   */
  readonly healthCheck?: {
    /** Path requested; 2xx and 3xx pass. */
    readonly path: string;
    /** Name tag of the health check. */
    readonly name: string;
  };
  /**
   * Health checks that must pass too (a failover switch's, `FailoverSwitch`): with any, the record
   * answers only while its load balancer's check and all of these pass (a calculated health check).
   * @default - the load balancer's health check alone decides
   */
  readonly alsoRequires?: readonly string[];
}

/**
 * One failover alias record of the site, and the health check that moves traffic off it. Both are
 * evaluated on Route 53's data plane: once made in peacetime, failover needs no write at all.
 */
export class FailoverRecord extends Construct {
  public readonly resource: Route53Record;
  public readonly healthCheck?: Route53HealthCheck;
  /** The health check the record answers to: the load balancer's, or with `alsoRequires` one that requires them all. */
  public readonly recordHealthCheck?: Route53HealthCheck;

  constructor(scope: Construct, id: string, props: FailoverRecordProps) {
    super(scope, id);
    if (props.healthCheck && !props.healthCheck.path.startsWith("/")) {
      throw new Error(`FailoverRecord: healthCheck.path must start with / (got ${props.healthCheck.path})`);
    }
    const alsoRequires = props.alsoRequires ?? [];
    if (alsoRequires.length > 0 && !props.healthCheck) {
      throw new Error("FailoverRecord: alsoRequires needs healthCheck (the load balancer's check is one the record requires)");
    }
    if (props.healthCheck) {
      // The health check asks the load balancer by its own name, not the site host: through the site
      // host it would follow the failover record and test whichever region answers. Route 53 does
      // not validate the certificate of an HTTPS health check, so the name mismatch does not matter.
      this.healthCheck = new Route53HealthCheck(this, "health-check", {
        type: "HTTPS",
        fqdn: props.target.dnsName,
        port: 443,
        resourcePath: props.healthCheck.path,
        enableSni: true,
        requestInterval: 30,
        failureThreshold: 3,
        measureLatency: false,
        tags: { Name: props.healthCheck.name },
      });
    }
    this.recordHealthCheck = this.healthCheck;
    if (props.healthCheck && this.healthCheck && alsoRequires.length > 0) {
      const children = [this.healthCheck.id, ...alsoRequires];
      this.recordHealthCheck = new Route53HealthCheck(this, "required", {
        type: "CALCULATED",
        childHealthchecks: children,
        childHealthThreshold: children.length,
        tags: { Name: `${props.healthCheck.name}-required` },
      });
    }
    this.resource = new Route53Record(this, "resource", {
      zoneId: props.zoneId,
      name: props.name,
      type: "A",
      setIdentifier: props.setIdentifier,
      failoverRoutingPolicy: { type: props.failover },
      healthCheckId: this.recordHealthCheck?.id,
      alias: { name: props.target.dnsName, zoneId: props.target.zoneId, evaluateTargetHealth: true },
    });
  }
}
