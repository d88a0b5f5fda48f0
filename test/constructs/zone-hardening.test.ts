import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { PublicHostedZone } from "../../lib/constructs/public-hosted-zone";
import { onlyResource, ref, resources, synthJson, testStack } from "../support/synth";

/** A zone with DNSSEC and query logging, their resources in us-east-1 through provider `aws.route53`. */
function synth(options: { dnssec?: boolean; queryLogging?: boolean } = { dnssec: true, queryLogging: true }) {
  const stack = testStack();
  const usEast1Provider = new AwsProvider(stack, "aws-route53", { region: "us-east-1", alias: "route53" });
  new PublicHostedZone(stack, "zone", {
    domain: "example.com",
    dnssec: options.dnssec ? { accountId: "123456789012", keyAliasName: "alias/acme-dnssec-us-east-1", usEast1Provider } : undefined,
    queryLogging: options.queryLogging
      ? { accountId: "123456789012", keyAliasName: "alias/acme-dns-query-logs-us-east-1", resourcePolicyName: "acme-dns-query-logs-us-east-1", usEast1Provider }
      : undefined,
  });
  return synthJson(stack);
}

const keyOf = (json: ReturnType<typeof synth>, usage: string) =>
  Object.entries(resources(json, "aws_kms_key")).find(([, k]: [string, any]) => (k.key_usage ?? "ENCRYPT_DECRYPT") === usage)!;

describe("PublicHostedZone with ZoneDnssec", () => {
  it("signs the zone with a KSK backed by an ECC_NIST_P256 SIGN_VERIFY key in us-east-1, protected from destroy", () => {
    const json = synth({ dnssec: true });
    const zone = onlyResource(json, "aws_route53_zone").id;
    const [keyId, key] = keyOf(json, "SIGN_VERIFY") as [string, any];
    expect(key).toMatchObject({
      provider: "aws.route53",
      customer_master_key_spec: "ECC_NIST_P256",
      key_usage: "SIGN_VERIFY",
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(json, "aws_route53_key_signing_key").config).toEqual({
      hosted_zone_id: ref("aws_route53_zone", zone, "zone_id"),
      key_management_service_arn: ref("aws_kms_key", keyId, "arn"),
      name: "ksk1",
      status: "ACTIVE",
    });
    const dnssec = onlyResource(json, "aws_route53_hosted_zone_dnssec").config;
    expect(dnssec).toMatchObject({ hosted_zone_id: ref("aws_route53_zone", zone, "zone_id"), signing_status: "SIGNING" });
    expect(dnssec.depends_on).toEqual([`aws_route53_key_signing_key.${onlyResource(json, "aws_route53_key_signing_key").id}`]);
    expect(onlyResource(json, "aws_kms_alias").config).toEqual({
      provider: "aws.route53",
      name: "alias/acme-dnssec-us-east-1",
      target_key_id: ref("aws_kms_key", keyId, "key_id"),
    });
  });

  it("gives the signing key the policy AWS documents for Route 53 DNSSEC, narrowed to this account and zone", () => {
    const json = synth({ dnssec: true });
    const zone = onlyResource(json, "aws_route53_zone").id;
    const [, key] = keyOf(json, "SIGN_VERIFY") as [string, any];
    expect(JSON.parse(key.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" },
        {
          Sid: "Route53DnssecSigns",
          Effect: "Allow",
          Principal: { Service: "dnssec-route53.amazonaws.com" },
          Action: ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"],
          Resource: "*",
          Condition: {
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": `arn:aws:route53:::hostedzone/${ref("aws_route53_zone", zone, "zone_id")}` },
          },
        },
        {
          Sid: "Route53DnssecCreatesGrant",
          Effect: "Allow",
          Principal: { Service: "dnssec-route53.amazonaws.com" },
          Action: "kms:CreateGrant",
          Resource: "*",
          Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
        },
      ],
    });
  });

  it("signs nothing and logs nothing without the props", () => {
    const json = synth({});
    for (const type of ["aws_kms_key", "aws_route53_key_signing_key", "aws_route53_hosted_zone_dnssec", "aws_route53_query_log", "aws_cloudwatch_log_group"]) {
      expect({ type, ids: Object.keys(resources(json, type)) }).toEqual({ type, ids: [] });
    }
  });
});

describe("PublicHostedZone with ZoneQueryLogging", () => {
  it("logs queries into /aws/route53/<domain> in us-east-1, encrypted with its own key, kept a year by default", () => {
    const json = synth({ queryLogging: true });
    const [keyId] = keyOf(json, "ENCRYPT_DECRYPT") as [string, any];
    const group = onlyResource(json, "aws_cloudwatch_log_group");
    expect(group.config).toEqual({
      provider: "aws.route53",
      name: "/aws/route53/example.com",
      retention_in_days: 365,
      kms_key_id: ref("aws_kms_key", keyId, "arn"),
    });
    const log = onlyResource(json, "aws_route53_query_log").config;
    expect(log).toMatchObject({
      zone_id: ref("aws_route53_zone", onlyResource(json, "aws_route53_zone").id, "zone_id"),
      cloudwatch_log_group_arn: ref("aws_cloudwatch_log_group", group.id, "arn"),
    });
    expect(log.depends_on).toEqual([`aws_cloudwatch_log_resource_policy.${onlyResource(json, "aws_cloudwatch_log_resource_policy").id}`]);
  });

  it("lets Route 53 write there for this zone and account only, and CloudWatch Logs of us-east-1 use the key for this group only", () => {
    const json = synth({ queryLogging: true });
    const zone = onlyResource(json, "aws_route53_zone").id;
    const policy = onlyResource(json, "aws_cloudwatch_log_resource_policy").config;
    expect(policy.provider).toBe("aws.route53");
    expect(policy.policy_name).toBe("acme-dns-query-logs-us-east-1");
    expect(JSON.parse(policy.policy_document)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Route53WritesQueryLogs",
          Effect: "Allow",
          Principal: { Service: "route53.amazonaws.com" },
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/example.com:*",
          Condition: {
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": `arn:aws:route53:::hostedzone/${ref("aws_route53_zone", zone, "zone_id")}` },
          },
        },
      ],
    });
    const [, key] = keyOf(json, "ENCRYPT_DECRYPT") as [string, any];
    const statement = JSON.parse(key.policy).Statement[1];
    expect(statement.Principal).toEqual({ Service: "logs.us-east-1.amazonaws.com" });
    expect(statement.Condition).toEqual({
      ArnEquals: { "kms:EncryptionContext:aws:logs:arn": ["arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/example.com"] },
    });
  });
});
