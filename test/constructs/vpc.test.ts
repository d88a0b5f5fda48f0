import { Vpc, VpcProps } from "../../lib/constructs/vpc";
import { onlyResource, ref, resourceAt, resources, synthJson, testStack } from "../support/synth";

const PROPS: VpcProps = {
  name: "acme-us-east-1",
  cidr: "10.10.0.0/16",
  availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
  natGateways: "per-az",
  flowLogs: { retentionDays: 90, role: { roleName: "acme-flow-logs-us-east-1", accountId: "123456789012" } },
};

function synth(props: Partial<VpcProps> = {}) {
  const stack = testStack();
  new Vpc(stack, "vpc", { ...PROPS, ...props });
  return synthJson(stack);
}

describe("Vpc", () => {
  it("creates the VPC with DNS support", () => {
    expect(onlyResource(synth(), "aws_vpc").config).toMatchObject({
      cidr_block: "10.10.0.0/16",
      enable_dns_hostnames: true,
      enable_dns_support: true,
      tags: { Name: "acme-us-east-1" },
    });
  });

  it("puts a public and a private subnet in every zone with the planned ranges and EKS tags", () => {
    const json = synth();
    const vpc = ref("aws_vpc", onlyResource(json, "aws_vpc").id, "id");
    const expected = [
      ["us-east-1a", "10.10.0.0/18", "10.10.192.0/20"],
      ["us-east-1b", "10.10.64.0/18", "10.10.208.0/20"],
      ["us-east-1c", "10.10.128.0/18", "10.10.224.0/20"],
    ];
    expect(Object.keys(resources(json, "aws_subnet"))).toHaveLength(6);
    for (const [zone, privateCidr, publicCidr] of expected) {
      expect(resourceAt(json, "aws_subnet", `vpc/private-${zone}`).config).toEqual(
        expect.objectContaining({
          vpc_id: vpc,
          availability_zone: zone,
          cidr_block: privateCidr,
          tags: expect.objectContaining({ Tier: "private", "kubernetes.io/role/internal-elb": "1" }),
        }),
      );
      const pub = resourceAt(json, "aws_subnet", `vpc/public-${zone}`).config;
      expect(pub).toEqual(expect.objectContaining({ availability_zone: zone, cidr_block: publicCidr, map_public_ip_on_launch: false }));
      expect(pub.tags).toMatchObject({ Tier: "public", "kubernetes.io/role/elb": "1" });
    }
  });

  it("routes public subnets to the internet gateway", () => {
    const json = synth();
    const igw = onlyResource(json, "aws_internet_gateway").id;
    const table = resourceAt(json, "aws_route_table", "vpc/public-routes");
    expect(table.config.route).toEqual([expect.objectContaining({ cidr_block: "0.0.0.0/0", gateway_id: ref("aws_internet_gateway", igw, "id") })]);
    for (const zone of PROPS.availabilityZones) {
      const association = resourceAt(json, "aws_route_table_association", `vpc/public-routes-${zone}`).config;
      expect(association.route_table_id).toBe(ref("aws_route_table", table.id, "id"));
      expect(association.subnet_id).toBe(ref("aws_subnet", resourceAt(json, "aws_subnet", `vpc/public-${zone}`).id, "id"));
    }
  });

  it("per-az: one NAT gateway per zone, each private subnet routed through its own zone's", () => {
    const json = synth();
    expect(Object.keys(resources(json, "aws_nat_gateway"))).toHaveLength(3);
    expect(Object.keys(resources(json, "aws_eip"))).toHaveLength(3);
    for (const zone of PROPS.availabilityZones) {
      const nat = resourceAt(json, "aws_nat_gateway", `vpc/nat-${zone}`);
      expect(nat.config.subnet_id).toBe(ref("aws_subnet", resourceAt(json, "aws_subnet", `vpc/public-${zone}`).id, "id"));
      expect(nat.config.allocation_id).toBe(ref("aws_eip", resourceAt(json, "aws_eip", `vpc/nat-address-${zone}`).id, "id"));
      const routes = resourceAt(json, "aws_route_table", `vpc/private-routes-${zone}`);
      expect(routes.config.route).toEqual([expect.objectContaining({ cidr_block: "0.0.0.0/0", nat_gateway_id: ref("aws_nat_gateway", nat.id, "id") })]);
      const association = resourceAt(json, "aws_route_table_association", `vpc/private-routes-association-${zone}`).config;
      expect(association.route_table_id).toBe(ref("aws_route_table", routes.id, "id"));
    }
  });

  it("single: one NAT gateway in the first zone serves every private subnet", () => {
    const json = synth({ natGateways: "single" });
    const nat = onlyResource(json, "aws_nat_gateway");
    expect(nat.config.subnet_id).toBe(ref("aws_subnet", resourceAt(json, "aws_subnet", "vpc/public-us-east-1a").id, "id"));
    for (const zone of PROPS.availabilityZones) {
      const routes = resourceAt(json, "aws_route_table", `vpc/private-routes-${zone}`).config;
      expect(routes.route[0].nat_gateway_id).toBe(ref("aws_nat_gateway", nat.id, "id"));
    }
  });

  it("strips every rule from the default security group", () => {
    const { config } = onlyResource(synth(), "aws_default_security_group");
    expect(config.ingress).toBeUndefined();
    expect(config.egress).toBeUndefined();
  });

  it("records flow logs of all traffic into a log group with retention", () => {
    const json = synth({ flowLogs: { ...PROPS.flowLogs, retentionDays: 30 } });
    const group = onlyResource(json, "aws_cloudwatch_log_group");
    expect(group.config).toMatchObject({ name: "/aws/vpc/acme-us-east-1/flow-logs", retention_in_days: 30 });
    const role = onlyResource(json, "aws_iam_role");
    expect(onlyResource(json, "aws_flow_log").config).toMatchObject({
      vpc_id: ref("aws_vpc", onlyResource(json, "aws_vpc").id, "id"),
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      log_destination: ref("aws_cloudwatch_log_group", group.id, "arn"),
      iam_role_arn: ref("aws_iam_role", role.id, "arn"),
    });
  });

  it("lets the flow-log role write only to its log group, and only the service of this account assume it", () => {
    const json = synth();
    const role = onlyResource(json, "aws_iam_role");
    const groupArn = ref("aws_cloudwatch_log_group", onlyResource(json, "aws_cloudwatch_log_group").id, "arn");
    expect(role.config.name).toBe("acme-flow-logs-us-east-1");
    expect(JSON.parse(role.config.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
    const policy = onlyResource(json, "aws_iam_role_policy").config;
    expect(policy.role).toBe(ref("aws_iam_role", role.id, "id"));
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WriteFlowLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
          Resource: [groupArn, `${groupArn}:*`],
        },
      ],
    });
  });

  it("rejects fewer than two distinct zones and a bad retention", () => {
    expect(() => synth({ availabilityZones: ["us-east-1a", "us-east-1a"] })).toThrow(
      'Vpc: availabilityZones must list at least two distinct zones (got ["us-east-1a","us-east-1a"])',
    );
    expect(() => synth({ flowLogs: { ...PROPS.flowLogs, retentionDays: 0 } })).toThrow("VpcFlowLogs: retentionDays must be a whole number >= 1 (got 0)");
  });

  it("encrypts the flow-log group with flowLogs.kmsKeyArn", () => {
    const KEY = "arn:aws:kms:us-east-1:123456789012:key/logs";
    expect(onlyResource(synth({ flowLogs: { ...PROPS.flowLogs, kmsKeyArn: KEY } }), "aws_cloudwatch_log_group").config.kms_key_id).toBe(KEY);
    expect(onlyResource(synth(), "aws_cloudwatch_log_group").config.kms_key_id).toBeUndefined();
  });
});
