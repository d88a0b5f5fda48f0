import { App } from "cdktf";
import { addEnvironments } from "../../app/assemble";
import type { EnvironmentInput } from "../../lib/environment";
import { manifestOf, synthApp } from "../support/app-synth";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { onlyResource, ref, resourceAt, resources } from "../support/synth";
import { tempDir } from "../support/temp";

function build(primary: EnvironmentInput = primaryInput(), recovery: EnvironmentInput | null = recoveryInput()) {
  const app = new App({ outdir: tempDir("dr-platform-dns-") });
  addEnvironments(app, [
    { file: "environments/us-east-1.ts", environment: environment(primary) },
    ...(recovery ? [{ file: "environments/us-east-2.ts", environment: environment(recovery) }] : []),
  ]);
  return { read: synthApp(app), app };
}

function config(value: { config: any }): any {
  const { ["//"]: _, ...rest } = value.config;
  return rest;
}

const { read, app } = build();
const DNS = read("dns-us-east-1");

describe("DnsStack (dns-<primary region>)", () => {
  it("makes one zone for the pair on a reusable delegation set, both protected from destroy", () => {
    expect(resources(DNS, "aws_route53_delegation_set")).toEqual({
      "delegation-set": { reference_name: "acme-example.com", lifecycle: { prevent_destroy: true } },
    });
    expect(config(resourceAt(DNS, "aws_route53_zone", "zone/resource"))).toEqual({
      name: "example.com",
      comment: "Public zone for example.com, managed by dr-platform",
      delegation_set_id: "${aws_route53_delegation_set.delegation-set.id}",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    // No other stack of the pair makes a zone.
    for (const id of Object.keys(manifestOf(app).stacks).filter((id) => id !== "dns-us-east-1" && !id.startsWith("state-"))) {
      expect({ id, zones: resources(read(id), "aws_route53_zone") }).toEqual({ id, zones: {} });
    }
  });

  it("reuses dns.delegationSetId when the primary gives one", () => {
    const { read: r } = build(primaryInput({ dns: { domain: "example.com", delegationSetId: "N1PA6795SAMPLE" } }));
    const dns = r("dns-us-east-1");
    expect(resources(dns, "aws_route53_delegation_set")).toEqual({});
    expect(resourceAt(dns, "aws_route53_zone", "zone/resource").config.delegation_set_id).toBe("N1PA6795SAMPLE");
    expect(dns.output!.delegation_set_id.value).toBe("N1PA6795SAMPLE");
  });

  it.each([
    ["certificate", undefined],
    ["certificate-us-east-2", "aws.us-east-2"],
  ])("%s: a DNS-validated certificate for the site host, its validation record in the zone and the wait for issuance", (id, provider) => {
    const cert = resourceAt(DNS, "aws_acm_certificate", `${id}/resource`);
    const record = resourceAt(DNS, "aws_route53_record", `${id}/validation`);
    const validation = resourceAt(DNS, "aws_acm_certificate_validation", `${id}/validated`);
    const zone = resourceAt(DNS, "aws_route53_zone", "zone/resource").id;
    const option = (field: string) => `\${tolist(aws_acm_certificate.${cert.id}.domain_validation_options).0.${field}}`;
    expect(config(cert)).toEqual({
      domain_name: "example.com",
      validation_method: "DNS",
      key_algorithm: "RSA_2048",
      lifecycle: { create_before_destroy: true },
      ...(provider ? { provider } : {}),
    });
    expect(config(record)).toEqual({
      zone_id: `\${aws_route53_zone.${zone}.zone_id}`,
      name: option("resource_record_name"),
      type: option("resource_record_type"),
      records: [option("resource_record_value")],
      ttl: 300,
      allow_overwrite: true,
    });
    expect(config(validation)).toEqual({
      certificate_arn: `\${aws_acm_certificate.${cert.id}.arn}`,
      validation_record_fqdns: [`\${aws_route53_record.${record.id}.fqdn}`],
      ...(provider ? { provider } : {}),
    });
  });

  it("signs the zone and logs its queries with resources in us-east-1", () => {
    const json = DNS;
    const zone = ref("aws_route53_zone", onlyResource(json, "aws_route53_zone").id, "zone_id");
    expect(onlyResource(json, "aws_route53_hosted_zone_dnssec").config.hosted_zone_id).toBe(zone);
    expect(onlyResource(json, "aws_route53_query_log").config.zone_id).toBe(zone);
    expect(resourceAt(json, "aws_cloudwatch_log_group", "zone/query-logging/log-group").config).toMatchObject({
      provider: "aws.route53",
      name: "/aws/route53/example.com",
    });
    expect(resourceAt(json, "aws_kms_key", "zone/dnssec/key").config).toMatchObject({ provider: "aws.route53", customer_master_key_spec: "ECC_NIST_P256" });
  });

  it("binds the recovery region's provider and Route 53's us-east-1 provider (DNSSEC key, query logs) to the account", () => {
    expect(DNS.provider!.aws.map((p: any) => [p.alias, p.region, p.allowed_account_ids])).toEqual([
      [undefined, "us-east-1", ["123456789012"]],
      ["route53", "us-east-1", ["123456789012"]],
      ["us-east-2", "us-east-2", ["123456789012"]],
    ]);
  });

  it("a primary without a recovery gets its zone and one certificate", () => {
    const { read: r } = build(primaryInput(), null);
    expect(Object.keys(resources(r("dns-us-east-1"), "aws_acm_certificate"))).toHaveLength(1);
    // Its own region's provider and Route 53's in us-east-1 (DNSSEC key, query logs).
    expect(r("dns-us-east-1").provider!.aws.map((p: any) => p.alias)).toEqual([undefined, "route53"]);
  });

  it("holds the failover switch of the recovery: an alarm in us-east-2 (its provider) that a health check follows, so flipping it is a CloudWatch write there, not a Route 53 one", () => {
    const alarm = resourceAt(DNS, "aws_cloudwatch_metric_alarm", "failover-switch-us-east-2/alarm");
    const provider = DNS.provider!.aws.find((p: any) => p.alias === alarm.config.provider.replace(/^aws\./, ""));
    expect([alarm.config.alarm_name, alarm.config.dimensions, provider.region]).toEqual([
      "acme-us-east-2-failover-switch",
      { Site: "example.com" },
      "us-east-2",
    ]);
    const check = resourceAt(DNS, "aws_route53_health_check", "failover-switch-us-east-2/health-check").config;
    expect([check.type, check.cloudwatch_alarm_region, check.cloudwatch_alarm_name]).toEqual([
      "CLOUDWATCH_METRIC",
      "us-east-2",
      ref("aws_cloudwatch_metric_alarm", alarm.id, "alarm_name"),
    ]);
  });

  it("outputs the zone, name servers, delegation set, the DNSSEC DS record and each region's certificate", () => {
    const named = Object.keys(DNS.output!)
      .filter((k) => !k.startsWith("cross-stack-output-"))
      .sort();
    expect(named).toEqual([
      "certificate_arn_us_east_1",
      "certificate_arn_us_east_2",
      "delegation_set_id",
      "dnssec_ds_record",
      "failover_switch_health_check_id_us_east_2",
      "name_servers",
      "zone_id",
    ]);
    expect(DNS.output!.dnssec_ds_record.value).toBe(ref("aws_route53_key_signing_key", onlyResource(DNS, "aws_route53_key_signing_key").id, "ds_record"));
  });

  it("comes before both networking stacks; nothing the recovery deploys on the day depends on it but networking", () => {
    const manifest = manifestOf(app);
    expect(manifest.stacks["dns-us-east-1"].dependencies).toEqual([]);
    expect(manifest.stacks["networking-us-east-1"].dependencies).toEqual(["dns-us-east-1"]);
    expect(manifest.stacks["networking-us-east-2"].dependencies).toEqual(["dns-us-east-1", "standby-us-east-2"]);
    for (const id of ["application-us-east-2", "kubernetes-us-east-2", "gitops-us-east-2"]) {
      expect({ id, dns: manifest.stacks[id].dependencies.includes("dns-us-east-1") }).toEqual({ id, dns: false });
    }
  });
});
