import { App, Testing } from "cdktf";
import { addEnvironments } from "../../app/assemble";
import type { EnvironmentInput } from "../../lib/environment";
import { synthApp } from "../support/app-synth";
import { environment, networkingStack, primaryInput, recoveryInput } from "../support/environments";
import { onlyResource, ref, resourceAt, resources, synthJson } from "../support/synth";
import { tempDir } from "../support/temp";

function synth(overrides = {}) {
  const app = Testing.app();
  const stack = networkingStack(app, environment(primaryInput(overrides)));
  return { stack, json: synthJson(stack) };
}

/** Both environments' stacks as app/assemble.ts makes them, synthesized (cross-stack references resolved). */
function pair(recovery: EnvironmentInput = recoveryInput(), primary: EnvironmentInput = primaryInput()) {
  const app = new App({ outdir: tempDir("dr-platform-networking-") });
  addEnvironments(app, [
    { file: "environments/us-east-1.ts", environment: environment(primary) },
    { file: "environments/us-east-2.ts", environment: environment(recovery) },
  ]);
  return synthApp(app);
}

/** A config without cdktf's metadata block. */
function config(value: { config: any }): any {
  const { ["//"]: _, ...rest } = value.config;
  return rest;
}

const PAIR = pair();

describe("NetworkingStack", () => {
  it("is named networking-<region>", () => {
    expect(synth().stack.node.id).toBe("networking-us-east-1");
  });

  it("keeps its state in the state bucket, in the state region, under its own key, encrypted and locked", () => {
    expect(synth().json.terraform.backend).toEqual({
      s3: { bucket: "acme-terraform-state", key: "networking-us-east-1.tfstate", region: "us-west-2", encrypt: true, use_lockfile: true },
    });
  });

  it("pins the AWS provider version and binds it to the environment's account and region", () => {
    const { json } = synth({ tags: { CostCenter: "platform", Project: "spoofed" } });
    expect(json.terraform.required_providers.aws.version).toBe("5.100.0");
    expect(json.provider!.aws).toEqual([
      {
        region: "us-east-1",
        allowed_account_ids: ["123456789012"],
        default_tags: [{ tags: { CostCenter: "platform", Project: "acme", Environment: "us-east-1", Role: "primary", ManagedBy: "dr-platform" } }],
      },
    ]);
  });

  it("builds the VPC from the environment's network", () => {
    const { json } = synth({
      network: { cidr: "10.40.0.0/16", availabilityZones: ["us-east-1b", "us-east-1d"], natGateways: "single" },
      logRetention: { vpcFlowLogsDays: 731 },
    });
    expect(onlyResource(json, "aws_vpc").config.cidr_block).toBe("10.40.0.0/16");
    expect(
      Object.values(json.resource!.aws_subnet)
        .map((s: any) => s.availability_zone)
        .sort(),
    ).toEqual(["us-east-1b", "us-east-1b", "us-east-1d", "us-east-1d"]);
    expect(Object.keys(json.resource!.aws_nat_gateway)).toHaveLength(1);
    expect(resourceAt(json, "aws_cloudwatch_log_group", "vpc/flow-logs/log-group").config).toEqual({
      name: "/aws/vpc/acme-us-east-1/flow-logs",
      retention_in_days: 731,
      kms_key_id: ref("aws_kms_key", resourceAt(json, "aws_kms_key", "logs-key/resource").id, "arn"),
    });
    expect(onlyResource(json, "aws_iam_role").config.name).toBe("acme-flow-logs-us-east-1");
  });

  it("makes no zone: the pair's zone is the dns stack's", () => {
    expect(resources(synth().json, "aws_route53_zone")).toEqual({});
    expect(resources(synth().json, "aws_route53_delegation_set")).toEqual({});
  });

  it("outputs the VPC id, subnet ids, the site's target group, load balancer name and health check", () => {
    const json = PAIR("networking-us-east-1");
    expect(
      Object.keys(json.output!)
        .filter((k) => !k.startsWith("cross-stack-output-"))
        .sort(),
    ).toEqual(["private_subnet_ids", "public_subnet_ids", "site_health_check_id", "site_load_balancer_dns_name", "site_target_group_arn", "vpc_id"]);
    expect(json.output!.vpc_id.value).toBe(ref("aws_vpc", onlyResource(json, "aws_vpc").id, "id"));
    expect(json.output!.site_target_group_arn.value).toBe(ref("aws_lb_target_group", onlyResource(json, "aws_lb_target_group").id, "arn"));
    expect(json.output!.site_health_check_id.value).toBe(
      ref("aws_route53_health_check", resourceAt(json, "aws_route53_health_check", "failover-record/health-check").id, "id"),
    );
  });
});

describe("the site's load balancer", () => {
  const json = PAIR("networking-us-east-1");
  const lb = onlyResource(json, "aws_lb");
  const group = onlyResource(json, "aws_security_group");
  const tg = onlyResource(json, "aws_lb_target_group");

  it("is an internet-facing ALB in every public subnet, deletion-protected, dropping invalid headers", () => {
    const publicSubnets = Object.entries(resources(json, "aws_subnet"))
      .filter(([, s]: [string, any]) => s.tags.Tier === "public")
      .map(([id]) => ref("aws_subnet", id, "id"))
      .sort();
    expect(config(lb)).toEqual({
      name: "acme-us-east-1-site",
      load_balancer_type: "application",
      internal: false,
      ip_address_type: "ipv4",
      security_groups: [ref("aws_security_group", group.id, "id")],
      subnets: publicSubnets,
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      access_logs: { enabled: true, bucket: ref("aws_s3_bucket", onlyResource(json, "aws_s3_bucket").id, "bucket"), prefix: "site-load-balancer" },
      // ELB writes a test object when logging is turned on: the bucket policy that admits it comes first.
      depends_on: [`aws_s3_bucket_policy.${onlyResource(json, "aws_s3_bucket_policy").id}`],
    });
    expect(publicSubnets).toHaveLength(3);
  });

  it("admits 443 and 80 from anywhere (tagged for DR-EC2-1) and reaches only the pods' port in the VPC", () => {
    const sg = ref("aws_security_group", group.id, "id");
    const tags = { "dr-platform:internet-facing": "site-load-balancer" };
    expect(config(group)).toEqual({
      name: "acme-us-east-1-site-alb",
      description: "Site load balancer: HTTPS and HTTP from the internet, to the site's pods only",
      vpc_id: ref("aws_vpc", onlyResource(json, "aws_vpc").id, "id"),
      revoke_rules_on_delete: true,
      tags: { Name: "acme-us-east-1-site-alb" },
    });
    expect(config(resourceAt(json, "aws_vpc_security_group_ingress_rule", "site/ingress-443"))).toEqual({
      security_group_id: sg,
      description: "HTTPS from the internet",
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
      cidr_ipv4: "0.0.0.0/0",
      tags,
    });
    expect(config(resourceAt(json, "aws_vpc_security_group_ingress_rule", "site/ingress-80"))).toEqual({
      security_group_id: sg,
      description: "HTTP from the internet, redirected to HTTPS",
      ip_protocol: "tcp",
      from_port: 80,
      to_port: 80,
      cidr_ipv4: "0.0.0.0/0",
      tags,
    });
    expect(
      Object.values(resources(json, "aws_vpc_security_group_egress_rule")).map((r: any) => {
        const { ["//"]: _, ...rest } = r;
        return rest;
      }),
    ).toEqual([
      {
        security_group_id: sg,
        description: "To the site's pods (ip targets) in the VPC",
        ip_protocol: "tcp",
        from_port: 8080,
        to_port: 8080,
        cidr_ipv4: "10.10.0.0/16",
      },
    ]);
  });

  it("has an ip target group on the pods' port, health-checked on dns.healthCheckPath", () => {
    expect(config(tg)).toEqual({
      name: "acme-us-east-1-site",
      target_type: "ip",
      protocol: "HTTP",
      port: 8080,
      vpc_id: ref("aws_vpc", onlyResource(json, "aws_vpc").id, "id"),
      deregistration_delay: "30",
      health_check: {
        enabled: true,
        protocol: "HTTP",
        path: "/healthz",
        port: "traffic-port",
        matcher: "200-399",
        interval: 15,
        healthy_threshold: 2,
        unhealthy_threshold: 2,
      },
    });
  });

  it("serves HTTPS with the region's validated certificate from the dns stack, and redirects HTTP", () => {
    const https = config(resourceAt(json, "aws_lb_listener", "site/https"));
    expect(https).toEqual({
      load_balancer_arn: ref("aws_lb", lb.id, "arn"),
      port: 443,
      protocol: "HTTPS",
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificate_arn: expect.stringMatching(
        /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dns-us-east-1\.outputs\.cross-stack-output-aws_acm_certificate_validationcertificate_validated_[0-9A-F]{8}certificate_arn\}$/,
      ),
      default_action: [{ type: "forward", target_group_arn: ref("aws_lb_target_group", tg.id, "arn") }],
    });
    expect(config(resourceAt(json, "aws_lb_listener", "site/http"))).toEqual({
      load_balancer_arn: ref("aws_lb", lb.id, "arn"),
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
    });
    // The recovery's listener takes the us-east-2 certificate, not the primary's.
    const recovery = config(resourceAt(PAIR("networking-us-east-2"), "aws_lb_listener", "site/https"));
    expect(recovery.certificate_arn).toMatch(/cross-stack-output-aws_acm_certificate_validationcertificate-us-east-2_validated_[0-9A-F]{8}certificate_arn\}$/);
  });

  it("takes the pods' port and health path from dns", () => {
    const read = pair(
      recoveryInput({ dns: { domain: "example.com", healthCheckPath: "/ready", siteService: { targetPort: 3000 } } }),
      primaryInput({ dns: { domain: "example.com", healthCheckPath: "/ready", siteService: { targetPort: 3000 } } }),
    );
    const tg2 = onlyResource(read("networking-us-east-2"), "aws_lb_target_group").config;
    expect([tg2.port, tg2.health_check.path]).toEqual([3000, "/ready"]);
    expect(onlyResource(read("networking-us-east-2"), "aws_route53_health_check").config.resource_path).toBe("/ready");
  });
});

describe("the failover records", () => {
  function recordAndCheck(stack: string, read = PAIR) {
    const json = read(stack);
    return { json, record: onlyResource(json, "aws_route53_record"), lb: onlyResource(json, "aws_lb"), checks: resources(json, "aws_route53_health_check") };
  }
  const zoneRef =
    /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dns-us-east-1\.outputs\.cross-stack-output-aws_route53_zonezone_resource_[0-9A-F]{8}zone_id\}$/;

  it.each([
    ["networking-us-east-1", "PRIMARY", "us-east-1"],
    ["networking-us-east-2", "SECONDARY", "us-east-2"],
  ])(
    "%s: a %s alias of the site host to its load balancer, evaluating target health, with an HTTPS health check of the load balancer",
    (stack, failover, region) => {
      const { record, lb, checks, json } = recordAndCheck(stack);
      const checkId = resourceAt(json, "aws_route53_health_check", "failover-record/health-check").id;
      // The primary's record answers to the check that also requires the failover switch (next test).
      const answersTo = failover === "PRIMARY" ? resourceAt(json, "aws_route53_health_check", "failover-record/required").id : checkId;
      expect(config(record)).toEqual({
        zone_id: expect.stringMatching(zoneRef),
        name: "example.com",
        type: "A",
        set_identifier: region,
        failover_routing_policy: { type: failover },
        health_check_id: ref("aws_route53_health_check", answersTo, "id"),
        alias: { name: ref("aws_lb", lb.id, "dns_name"), zone_id: ref("aws_lb", lb.id, "zone_id"), evaluate_target_health: true },
      });
      const { ["//"]: _, ...check } = checks[checkId];
      expect(check).toEqual({
        type: "HTTPS",
        fqdn: ref("aws_lb", lb.id, "dns_name"),
        port: 443,
        resource_path: "/healthz",
        enable_sni: true,
        request_interval: 30,
        failure_threshold: 3,
        measure_latency: false,
        tags: { Name: `acme-${region}-site` },
      });
    },
  );

  it("networking-us-east-1: the PRIMARY answers only while its load balancer's check and the failover switch in us-east-2 (dns-us-east-1) both pass", () => {
    const { json } = recordAndCheck("networking-us-east-1");
    const https = resourceAt(json, "aws_route53_health_check", "failover-record/health-check").id;
    const { ["//"]: _, ...required } = resourceAt(json, "aws_route53_health_check", "failover-record/required").config;
    expect(required).toEqual({
      type: "CALCULATED",
      child_healthchecks: [
        ref("aws_route53_health_check", https, "id"),
        expect.stringMatching(
          /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dns-us-east-1\.outputs\.cross-stack-output-aws_route53_health_checkfailover-switch-us-east-2_health-check_[0-9A-F]{8}id\}$/,
        ),
      ],
      child_health_threshold: 2,
      tags: { Name: "acme-us-east-1-site-required" },
    });
    // The recovery's record follows no switch: it answers whenever the primary does not.
    expect(Object.keys(resources(PAIR("networking-us-east-2"), "aws_route53_health_check"))).toHaveLength(1);
  });

  it("names the site host when dns.siteHost is set", () => {
    const dns = { domain: "example.com", siteHost: "www.example.com" };
    const read = pair(recoveryInput({ dns }), primaryInput({ dns }));
    expect(onlyResource(read("networking-us-east-1"), "aws_route53_record").config.name).toBe("www.example.com");
    expect(onlyResource(read("networking-us-east-2"), "aws_route53_record").config.name).toBe("www.example.com");
  });

  it("backup-and-restore: the SECONDARY record has no health check (the day's one Route 53 write)", () => {
    const read = pair(recoveryInput({ tier: "backup-and-restore" }));
    const { record, checks, json } = recordAndCheck("networking-us-east-2", read);
    expect(checks).toEqual({});
    expect(record.config.health_check_id).toBeUndefined();
    expect(record.config.failover_routing_policy).toEqual({ type: "SECONDARY" });
    expect(json.output!.site_health_check_id).toBeUndefined();
  });

  it("makes the environment's logs key: CloudWatch Logs of us-east-1 may use it for the flow logs, EKS, WAF and database groups only", () => {
    const { json } = synth();
    const key = resourceAt(json, "aws_kms_key", "logs-key/resource");
    expect(key.config.provider).toBeUndefined();
    expect(JSON.parse(key.config.policy).Statement[1].Condition).toEqual({
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": [
          "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/acme-us-east-1/flow-logs",
          "arn:aws:logs:us-east-1:123456789012:log-group:/aws/eks/acme-us-east-1/cluster",
          // The next cluster generation's too: a rebuild changes no key policy.
          "arn:aws:logs:us-east-1:123456789012:log-group:/aws/eks/acme-us-east-1-g2/cluster",
          "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-acme-us-east-1",
          "arn:aws:logs:us-east-1:123456789012:log-group:/aws/rds/instance/acme-us-east-1/postgresql",
          "arn:aws:logs:us-east-1:123456789012:log-group:/aws/rds/instance/acme-us-east-1/upgrade",
          // The next database generation's too: restore-database changes no key policy.
          "arn:aws:logs:us-east-1:123456789012:log-group:/aws/rds/instance/acme-us-east-1-g2/postgresql",
          "arn:aws:logs:us-east-1:123456789012:log-group:/aws/rds/instance/acme-us-east-1-g2/upgrade",
        ],
      },
    });
    expect(resourceAt(json, "aws_kms_alias", "logs-key/alias").config.name).toBe("alias/acme-logs-us-east-1");
  });
});

describe("the site's access logs and web application firewall, in both regions (a recovery's in peacetime: pilot light)", () => {
  const REGIONS = [
    ["us-east-1", "127311923021"],
    ["us-east-2", "033677994240"],
  ] as const;

  it.each(REGIONS)(
    "%s: the load balancer logs into the region's site logs bucket, which admits the region's ELB account (%s) under its prefix only",
    (region, elbAccount) => {
      const json = PAIR(`networking-${region}`);
      const bucket = onlyResource(json, "aws_s3_bucket");
      expect(bucket.config.bucket).toBe(`acme-site-logs-${region}`);
      expect(onlyResource(json, "aws_lb").config.access_logs).toEqual({
        enabled: true,
        bucket: ref("aws_s3_bucket", bucket.id, "bucket"),
        prefix: "site-load-balancer",
      });
      expect(JSON.parse(onlyResource(json, "aws_s3_bucket_policy").config.policy).Statement[1]).toEqual({
        Sid: "LoadBalancerAccessLogsDelivery",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${elbAccount}:root` },
        Action: "s3:PutObject",
        Resource: `${ref("aws_s3_bucket", bucket.id, "arn")}/site-load-balancer/AWSLogs/123456789012/*`,
      });
      expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").config.rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
      ]);
      expect(onlyResource(json, "aws_s3_bucket_lifecycle_configuration").config.rule[0].expiration).toEqual([{ days: 365 }]);
    },
  );

  it.each(REGIONS)("%s: the load balancer is associated with the site web ACL, which logs into its WAF log group with the logs key", (region) => {
    const json = PAIR(`networking-${region}`);
    const acl = onlyResource(json, "aws_wafv2_web_acl");
    expect(acl.config).toMatchObject({ name: `acme-${region}-site`, scope: "REGIONAL", default_action: { allow: {} } });
    expect(acl.config.rule.map((r: any) => r.name)).toEqual(["ip-reputation", "rate-limit", "known-bad-inputs", "common-rule-set"]);
    expect(onlyResource(json, "aws_wafv2_web_acl_association").config).toEqual({
      resource_arn: ref("aws_lb", onlyResource(json, "aws_lb").id, "arn"),
      web_acl_arn: ref("aws_wafv2_web_acl", acl.id, "arn"),
    });
    const group = resourceAt(json, "aws_cloudwatch_log_group", "web-acl/log-group");
    // A primary's own logs key; a recovery's made in peacetime by its standby stack, found by alias.
    const key =
      region === "us-east-1"
        ? ref("aws_kms_key", resourceAt(json, "aws_kms_key", "logs-key/resource").id, "arn")
        : "${data.aws_kms_alias.logs-key.target_key_arn}";
    expect(group.config).toEqual({ name: `aws-waf-logs-acme-${region}`, retention_in_days: 365, kms_key_id: key });
    expect(onlyResource(json, "aws_wafv2_web_acl_logging_configuration").config.log_destination_configs).toEqual([
      ref("aws_cloudwatch_log_group", group.id, "arn"),
    ]);
    expect(onlyResource(json, "aws_cloudwatch_log_resource_policy").config.policy_name).toBe(`acme-waf-logs-${region}`);
  });

  it("takes the web ACL's rate limit, counted rules and logged requests, and the retentions, from the environment", () => {
    const { json } = synth({
      waf: { rateLimitPerFiveMinutes: 600, countRules: { knownBadInputs: ["Host_localhost_HEADER"] }, loggedRequests: "all" },
      logRetention: { wafDays: 731, siteAccessLogsDays: 400 },
    });
    const rules = onlyResource(json, "aws_wafv2_web_acl").config.rule;
    expect(rules[1].statement.rate_based_statement.limit).toBe(600);
    expect(rules[2].statement.managed_rule_group_statement.rule_action_override).toEqual([{ name: "Host_localhost_HEADER", action_to_use: { count: {} } }]);
    expect(onlyResource(json, "aws_wafv2_web_acl_logging_configuration").config.logging_filter).toBeUndefined();
    expect(resourceAt(json, "aws_cloudwatch_log_group", "web-acl/log-group").config.retention_in_days).toBe(731);
    expect(onlyResource(json, "aws_s3_bucket_lifecycle_configuration").config.rule[0].expiration).toEqual([{ days: 400 }]);
  });

  it("a retention under a year fails DR-LOGS-2 at synth (a suppression with its reason is the way to choose one)", () => {
    const app = Testing.app();
    networkingStack(app, environment(primaryInput({ logRetention: { wafDays: 90 } })));
    expect(() => app.synth()).toThrow(/\[DR-LOGS-2\]/);
  });
});
