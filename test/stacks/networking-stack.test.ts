import { Testing } from "cdktf";
import { NetworkingStack } from "../../stacks/networking-stack";
import { environment, primaryInput } from "../support/environments";
import { onlyResource, ref, resourceAt, synthJson } from "../support/synth";

function synth(overrides = {}) {
  const app = Testing.app();
  const stack = new NetworkingStack(app, environment(primaryInput(overrides)));
  return { stack, json: synthJson(stack) };
}

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
      {
        // Route 53's DNSSEC key and query log group live in us-east-1, whatever the environment's region.
        alias: "route53",
        region: "us-east-1",
        allowed_account_ids: ["123456789012"],
        default_tags: [{ tags: { CostCenter: "platform", Project: "acme", Environment: "us-east-1", Role: "primary", ManagedBy: "dr-platform" } }],
      },
    ]);
  });

  it("builds the VPC from the environment's network", () => {
    const { json } = synth({ network: { cidr: "10.40.0.0/16", availabilityZones: ["us-east-1b", "us-east-1d"], natGateways: "single", flowLogRetentionDays: 365 } });
    expect(onlyResource(json, "aws_vpc").config.cidr_block).toBe("10.40.0.0/16");
    expect(Object.values(json.resource!.aws_subnet).map((s: any) => s.availability_zone).sort()).toEqual(["us-east-1b", "us-east-1b", "us-east-1d", "us-east-1d"]);
    expect(Object.keys(json.resource!.aws_nat_gateway)).toHaveLength(1);
    expect(resourceAt(json, "aws_cloudwatch_log_group", "vpc/flow-logs/log-group").config).toEqual({
      name: "/aws/vpc/acme-us-east-1/flow-logs",
      retention_in_days: 365,
      kms_key_id: ref("aws_kms_key", resourceAt(json, "aws_kms_key", "logs-key/resource").id, "arn"),
    });
    expect(onlyResource(json, "aws_iam_role").config.name).toBe("acme-flow-logs-us-east-1");
  });

  it("creates the hosted zone, reusing the delegation set when given", () => {
    expect(onlyResource(synth().json, "aws_route53_zone").config.name).toBe("example.com");
    const { json } = synth({ dns: { domain: "example.org", delegationSetId: "N1PA6795SAMPLE" } });
    expect(onlyResource(json, "aws_route53_zone").config).toMatchObject({ name: "example.org", delegation_set_id: "N1PA6795SAMPLE" });
  });

  it("outputs the VPC id, subnet ids, zone id and name servers", () => {
    const { json } = synth();
    const zone = onlyResource(json, "aws_route53_zone").id;
    expect(Object.keys(json.output!).sort()).toEqual(["dnssec_ds_record", "name_servers", "private_subnet_ids", "public_subnet_ids", "vpc_id", "zone_id"]);
    expect(json.output!.dnssec_ds_record.value).toBe(ref("aws_route53_key_signing_key", onlyResource(json, "aws_route53_key_signing_key").id, "ds_record"));
    expect(json.output!.vpc_id.value).toBe(ref("aws_vpc", onlyResource(json, "aws_vpc").id, "id"));
    expect(json.output!.zone_id.value).toBe(ref("aws_route53_zone", zone, "zone_id"));
    expect(json.output!.name_servers.value).toBe(ref("aws_route53_zone", zone, "name_servers"));
    expect(json.output!.private_subnet_ids.value).toHaveLength(3);
    expect(json.output!.name_servers.description).toBe("Set these as the domain's name servers at the registrar");
  });

  it("makes the environment's logs key: CloudWatch Logs of us-east-1 may use it for the flow logs and EKS groups only", () => {
    const { json } = synth();
    const key = resourceAt(json, "aws_kms_key", "logs-key/resource");
    expect(key.config.provider).toBeUndefined();
    expect(JSON.parse(key.config.policy).Statement[1].Condition).toEqual({
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": [
          "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/acme-us-east-1/flow-logs",
          "arn:aws:logs:us-east-1:123456789012:log-group:/aws/eks/acme-us-east-1/cluster",
        ],
      },
    });
    expect(resourceAt(json, "aws_kms_alias", "logs-key/alias").config.name).toBe("alias/acme-logs-us-east-1");
  });

  it("signs the zone and logs its queries with resources in us-east-1", () => {
    const { json } = synth();
    const zone = ref("aws_route53_zone", onlyResource(json, "aws_route53_zone").id, "zone_id");
    expect(onlyResource(json, "aws_route53_hosted_zone_dnssec").config.hosted_zone_id).toBe(zone);
    expect(onlyResource(json, "aws_route53_query_log").config.zone_id).toBe(zone);
    expect(resourceAt(json, "aws_cloudwatch_log_group", "zone/query-logging/log-group").config).toMatchObject({ provider: "aws.route53", name: "/aws/route53/example.com" });
    expect(resourceAt(json, "aws_kms_key", "zone/dnssec/key").config).toMatchObject({ provider: "aws.route53", customer_master_key_spec: "ECC_NIST_P256" });
  });
});
