import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { Route53DelegationSet } from "@cdktf/provider-aws/lib/route53-delegation-set";
import { awsProvider } from "../lib";
import { FailoverSwitch, PublicHostedZone, SiteCertificate } from "../lib/constructs";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../lib/environment";
import { DNS_OUTPUTS, DNSSEC_DS_RECORD_OUTPUT, failoverSwitchNames, siteHost } from "../lib/naming";
import { EnvironmentStack } from "./environment-stack";
import { DNSSEC_DS_RECORD_STEP, zoneHardening } from "./hardening";

export interface DnsStackProps {
  readonly primary: PrimaryEnvironment;
  /** The primary's recoveries: each gets a certificate in its region. */
  readonly recoveries: readonly RecoveryEnvironment[];
}

/**
 * `dns-<primary region>`: what a primary and its recoveries share, made in peacetime and never
 * rebuilt by either: the public zone of `dns.domain` with a reusable delegation set (its name
 * servers never change), and the site's DNS-validated certificate in every region of the pair. The
 * networking stacks read the zone and their region's certificate from its state; nothing a
 * recovery deploys on the day writes here. In each recovery's region, the failover switch
 * (`FailoverSwitch`): the primary's failover record requires it, so the operator, `fence` and
 * `failback` decide where the site is with a CloudWatch write in a surviving region.
 */
export class DnsStack extends EnvironmentStack<PrimaryEnvironment> {
  public readonly zone: PublicHostedZone;
  public readonly zoneId: string;
  /** The site host of the pair (the primary's `dns`): the failover records' name. */
  public readonly siteHost: string;
  /** Issued certificate ARN of each region of the pair. */
  public readonly certificateArns: ReadonlyMap<string, string>;
  /** The failover switch of each recovery, in its region. */
  public readonly failoverSwitches: readonly FailoverSwitch[];

  constructor(scope: Construct, props: DnsStackProps) {
    const { primary, recoveries } = props;
    super(scope, "dns", primary);
    for (const recovery of recoveries) {
      if (recovery.recoveryOf !== primary.region) throw new Error(`DnsStack: ${recovery.region} recovers ${recovery.recoveryOf}, not ${primary.region}`);
    }
    const delegationSetId =
      primary.dns.delegationSetId ??
      new Route53DelegationSet(this, "delegation-set", { referenceName: `${primary.project}-${primary.dns.domain}`, lifecycle: { preventDestroy: true } }).id;
    this.zone = new PublicHostedZone(this, "zone", { domain: primary.dns.domain, delegationSetId, ...zoneHardening(this, primary) });
    this.zoneId = this.zone.zoneId;

    const host = siteHost(primary.dns);
    this.siteHost = host;
    const certificateArns = new Map<string, string>();
    certificateArns.set(primary.region, new SiteCertificate(this, "certificate", { domainName: host, zoneId: this.zoneId }).certificateArn);
    const switches: FailoverSwitch[] = [];
    for (const recovery of recoveries) {
      const provider = awsProvider(this, primary, recovery.region, recovery.region);
      certificateArns.set(
        recovery.region,
        new SiteCertificate(this, `certificate-${recovery.region}`, { domainName: host, zoneId: this.zoneId, provider }).certificateArn,
      );
      const names = failoverSwitchNames(primary.project, recovery.region, host);
      switches.push(new FailoverSwitch(this, `failover-switch-${recovery.region}`, { names, region: recovery.region, alarmProvider: provider }));
    }
    this.certificateArns = certificateArns;
    this.failoverSwitches = switches;

    new TerraformOutput(this, DNS_OUTPUTS.zoneId, { value: this.zoneId });
    new TerraformOutput(this, DNS_OUTPUTS.nameServers, {
      value: this.zone.nameServers,
      description: primary.dns.delegationSetId
        ? "Name servers of the reusable delegation set: already known to the registrar"
        : "Set these once as the domain's name servers at the registrar; they never change afterwards (reusable delegation set)",
    });
    new TerraformOutput(this, DNS_OUTPUTS.delegationSetId, { value: delegationSetId, description: "Reusable delegation set of the zone" });
    if (this.zone.dnssec) new TerraformOutput(this, DNSSEC_DS_RECORD_OUTPUT, { value: this.zone.dnssec.dsRecord, description: DNSSEC_DS_RECORD_STEP });
    for (const [region, arn] of certificateArns)
      new TerraformOutput(this, DNS_OUTPUTS.certificateArn(region), { value: arn, description: `Site certificate in ${region}` });
    for (const [i, recovery] of recoveries.entries())
      new TerraformOutput(this, DNS_OUTPUTS.switchHealthCheckId(recovery.region), {
        value: switches[i].healthCheckId,
        description: `Failover switch in ${recovery.region}`,
      });
  }

  /** The certificate of a region of the pair. */
  public certificateArnOf(region: string): string {
    const arn = this.certificateArns.get(region);
    if (arn === undefined) throw new Error(`DnsStack: no certificate for ${region}; it is not ${this.environment.region} or one of its recoveries`);
    return arn;
  }
}
