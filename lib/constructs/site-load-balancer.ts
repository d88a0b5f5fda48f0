import { Construct } from "constructs";
import { Token } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { ELB_NAME_LIMIT, INTERNET_FACING_TAG, type SiteNames } from "../naming";
import type { LoadBalancerLogTarget } from "./site-logs-bucket";

/** TLS policy of the HTTPS listener: TLS 1.2 and 1.3 only, forward secrecy. */
export const SITE_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface SiteLoadBalancerProps {
  /** Names of the load balancer and its parts (`siteNames()` in lib/naming.ts). */
  readonly names: SiteNames;
  readonly vpcId: string;
  /** The VPC's range: the only place the load balancer may send traffic to. */
  readonly vpcCidr: string;
  /** Public subnets, one per zone (at least two: an ALB needs two zones). */
  readonly publicSubnetIds: readonly string[];
  /** Issued ACM certificate of the site in this region. */
  readonly certificateArn: string;
  /** Port the site's pods listen on (the target group's port). */
  readonly targetPort: number;
  /** Path of the target group's health check (the pods' readiness as the load balancer sees it). */
  readonly healthCheckPath: string;
  /** Where the load balancer writes its access logs: a bucket of its region that admits ELB (`SiteLogsBucket.target`). */
  readonly accessLogs: LoadBalancerLogTarget;
}

/**
 * The site's internet-facing application load balancer in one region: HTTPS with the site's
 * certificate, HTTP redirected to HTTPS, and a target group of type ip that the AWS Load Balancer
 * Controller fills with the site's pods (TargetGroupBinding). It exists before the cluster, so the
 * failover record can point at it in peacetime. It writes access logs into a bucket of its region;
 * its web application firewall is a SiteWebAcl associated with it.
 */
export class SiteLoadBalancer extends Construct {
  public readonly resource: Lb;
  public readonly securityGroup: SecurityGroup;
  public readonly targetGroup: LbTargetGroup;
  public readonly httpsListener: LbListener;
  public readonly dnsName: string;
  /** Route 53 zone of the load balancer's name (the alias target's zone). */
  public readonly canonicalZoneId: string;
  public readonly targetGroupArn: string;

  constructor(scope: Construct, id: string, props: SiteLoadBalancerProps) {
    super(scope, id);
    const problems: string[] = [];
    for (const [field, name] of [
      ["names.loadBalancer", props.names.loadBalancer],
      ["names.targetGroup", props.names.targetGroup],
    ] as const) {
      if (name.length > ELB_NAME_LIMIT)
        problems.push(`${field} must be at most ${ELB_NAME_LIMIT} characters (got ${name}, ${name.length}); shorten the project slug`);
    }
    if (!Token.isUnresolved(props.publicSubnetIds) && props.publicSubnetIds.length < 2) {
      problems.push(`publicSubnetIds must list at least two subnets in different zones (got ${props.publicSubnetIds.length})`);
    }
    if (!Number.isInteger(props.targetPort) || props.targetPort < 1 || props.targetPort > 65535)
      problems.push(`targetPort must be a port number (got ${props.targetPort})`);
    if (problems.length > 0) throw new Error(`SiteLoadBalancer: ${problems.join("; ")}`);

    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: props.names.loadBalancerSecurityGroup,
      description: "Site load balancer: HTTPS and HTTP from the internet, to the site's pods only",
      vpcId: props.vpcId,
      tags: { Name: props.names.loadBalancerSecurityGroup },
      // Rules are separate resources; no inline rule may come back on a later apply.
      revokeRulesOnDelete: true,
    });
    for (const port of [443, 80]) {
      new VpcSecurityGroupIngressRule(this, `ingress-${port}`, {
        securityGroupId: this.securityGroup.id,
        description: port === 443 ? "HTTPS from the internet" : "HTTP from the internet, redirected to HTTPS",
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: "0.0.0.0/0",
        tags: { [INTERNET_FACING_TAG.key]: INTERNET_FACING_TAG.value },
      });
    }
    new VpcSecurityGroupEgressRule(this, "egress-targets", {
      securityGroupId: this.securityGroup.id,
      description: "To the site's pods (ip targets) in the VPC",
      ipProtocol: "tcp",
      fromPort: props.targetPort,
      toPort: props.targetPort,
      cidrIpv4: props.vpcCidr,
    });

    this.resource = new Lb(this, "resource", {
      name: props.names.loadBalancer,
      loadBalancerType: "application",
      internal: false,
      securityGroups: [this.securityGroup.id],
      subnets: [...props.publicSubnetIds],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: true,
      ipAddressType: "ipv4",
      // Every request, one object per node every 5 minutes; the web ACL's own log keeps what it blocked.
      accessLogs: { enabled: true, bucket: props.accessLogs.bucketName, prefix: props.accessLogs.prefix },
      // ELB writes a test object when access logging is turned on: the bucket policy must admit it first.
      dependsOn: [...props.accessLogs.dependsOn],
    });
    this.targetGroup = new LbTargetGroup(this, "target-group", {
      name: props.names.targetGroup,
      targetType: "ip",
      protocol: "HTTP",
      port: props.targetPort,
      vpcId: props.vpcId,
      deregistrationDelay: "30",
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        path: props.healthCheckPath,
        port: "traffic-port",
        matcher: "200-399",
        interval: 15,
        healthyThreshold: 2,
        unhealthyThreshold: 2,
      },
    });
    this.httpsListener = new LbListener(this, "https", {
      loadBalancerArn: this.resource.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: SITE_TLS_POLICY,
      certificateArn: props.certificateArn,
      defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
    });
    new LbListener(this, "http", {
      loadBalancerArn: this.resource.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    });
    this.dnsName = this.resource.dnsName;
    this.canonicalZoneId = this.resource.zoneId;
    this.targetGroupArn = this.targetGroup.arn;
  }
}
