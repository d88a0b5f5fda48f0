import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { FailoverRecord, SiteLoadBalancer, SiteLogsBucket, SiteWebAcl, Vpc } from "../lib/constructs";
import { environmentNames, regionalNames, siteNames, SITE_OUTPUTS } from "../lib/naming";
import type { DnsStack } from "./dns-stack";
import { EnvironmentStack } from "./environment-stack";
import type { EnvironmentRole } from "./roles/role";

export interface NetworkingStackProps {
  readonly role: EnvironmentRole;
  /** The pair's `dns-<primary region>` stack: the zone and this region's certificate. */
  readonly dns: DnsStack;
}

/**
 * `networking-<region>`: the VPC, the site's load balancer and this region's failover record. A
 * primary's record is PRIMARY with a health check. A recovery's is SECONDARY: in pilot-light mode
 * (the default) the whole stack is deployed in peacetime, with a health check, so traffic moves by
 * itself; in backup-and-restore mode it is deployed on the day and its one Route 53 write is the
 * record. The primary's record also requires the failover switches (dns stack). The zone and the
 * certificates are the `dns` stack's; the flow-log role of a recovery is its standby stack's. The
 * load balancer writes access logs into this stack's site logs bucket and sits behind a web ACL
 * (AWS WAF), both in place wherever the load balancer is.
 */
export class NetworkingStack extends EnvironmentStack {
  public readonly vpc: Vpc;
  /** Key of the environment's log groups (flow logs, EKS): a primary's own, a recovery's from its standby stack. */
  public readonly logsKeyArn: string;
  public readonly site: SiteLoadBalancer;
  public readonly siteLogs: SiteLogsBucket;
  public readonly webAcl: SiteWebAcl;
  /** Undefined in a rehearsal generation: traffic never moves to it. */
  public readonly failoverRecord: FailoverRecord | undefined;

  constructor(scope: Construct, props: NetworkingStackProps) {
    const { role, dns: dnsStack } = props;
    const environment = role.environment;
    super(scope, "networking", environment);
    this.addDependency(dnsStack);
    const { network, dns } = environment;
    const regional = regionalNames(environment.project, environment.region);
    // A recovery's key and role were made in peacetime (standby stack): a regional KMS read, an ARN.
    const identity = role.identity.network(this);
    this.logsKeyArn = identity.logsKeyArn;
    const names = siteNames(environment.project, environment.region);
    const retention = environment.logRetention;

    this.vpc = new Vpc(this, "vpc", {
      name: regional.vpc,
      cidr: network.cidr,
      availabilityZones: network.availabilityZones,
      natGateways: network.natGateways,
      flowLogs: {
        retentionDays: retention.vpcFlowLogsDays,
        kmsKeyArn: this.logsKeyArn,
        role: identity.flowLogsRole,
      },
    });
    this.siteLogs = new SiteLogsBucket(this, "site-logs", {
      bucketName: environmentNames(environment).siteLogsBucket,
      accountId: environment.accountId,
      region: environment.region,
      prefix: names.accessLogsPrefix,
      retentionDays: retention.siteAccessLogsDays,
    });
    this.site = new SiteLoadBalancer(this, "site", {
      names,
      vpcId: this.vpc.vpcId,
      vpcCidr: this.vpc.cidrBlock,
      publicSubnetIds: this.vpc.publicSubnets.map((s) => s.id),
      certificateArn: dnsStack.certificateArnOf(environment.region),
      targetPort: dns.siteService.targetPort,
      healthCheckPath: dns.healthCheckPath,
      accessLogs: this.siteLogs.target,
    });
    this.webAcl = new SiteWebAcl(this, "web-acl", {
      name: names.webAcl,
      loadBalancerArn: this.site.resource.arn,
      rateLimitPerFiveMinutes: environment.waf.rateLimitPerFiveMinutes,
      countRules: environment.waf.countRules,
      logging: {
        logGroupName: regional.wafLogGroup,
        retentionDays: retention.wafDays,
        kmsKeyArn: this.logsKeyArn,
        resourcePolicyName: regional.wafLogsResourcePolicy,
        accountId: environment.accountId,
        region: environment.region,
        loggedRequests: environment.waf.loggedRequests,
      },
    });
    const failover = role.failover;
    this.failoverRecord =
      failover &&
      new FailoverRecord(this, "failover-record", {
        zoneId: dnsStack.zoneId,
        // The pair's host, from the stack that owns the zone: a recovery cannot name another.
        name: dnsStack.siteHost,
        failover: failover.kind,
        setIdentifier: names.setIdentifier,
        target: { dnsName: this.site.dnsName, zoneId: this.site.canonicalZoneId },
        healthCheck: failover.healthCheck ? { path: dns.healthCheckPath, name: names.healthCheck } : undefined,
        // The primary answers only while the operator's switch leaves the site with it.
        alsoRequires: failover.kind === "PRIMARY" ? dnsStack.failoverSwitches.map((s) => s.healthCheckId) : undefined,
      });

    new TerraformOutput(this, "vpc_id", { value: this.vpc.vpcId });
    new TerraformOutput(this, "public_subnet_ids", { value: this.vpc.publicSubnets.map((s) => s.id) });
    new TerraformOutput(this, "private_subnet_ids", { value: this.vpc.privateSubnets.map((s) => s.id) });
    new TerraformOutput(this, SITE_OUTPUTS.targetGroupArn, {
      value: this.site.targetGroupArn,
      description: "Target group the site's TargetGroupBinding fills",
    });
    new TerraformOutput(this, SITE_OUTPUTS.loadBalancerDnsName, { value: this.site.dnsName });
    if (this.failoverRecord?.healthCheck) new TerraformOutput(this, SITE_OUTPUTS.healthCheckId, { value: this.failoverRecord.healthCheck.id });
  }
}
