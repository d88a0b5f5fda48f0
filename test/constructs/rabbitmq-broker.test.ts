import { TerraformOutput } from "cdktf";
import { RabbitMqBroker, RabbitMqBrokerProps } from "../../lib/constructs/rabbitmq-broker";
import { onlyResource, ref, resourceAt, resources, StackJson, synthJson, testStack } from "../support/synth";

const PROPS: RabbitMqBrokerProps = {
  brokerName: "acme-us-east-1",
  vpcId: "vpc-0123",
  clientCidr: "10.10.0.0/16",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c", "subnet-d"],
  engineVersion: "3.13",
  instanceType: "mq.m5.large",
  deploymentMode: "CLUSTER_MULTI_AZ",
  adminUsername: "admin",
  users: ["orders", "billing"],
  userSecretName: (username: string) => `acme/us-east-1/rabbitmq/${username}`,
};

function build(props: Partial<RabbitMqBrokerProps> = {}) {
  const stack = testStack();
  const construct = new RabbitMqBroker(stack, "broker", { ...PROPS, ...props });
  return { stack, construct };
}

function synth(props: Partial<RabbitMqBrokerProps> = {}): StackJson {
  return synthJson(build(props).stack);
}

const broker = (json: StackJson) => onlyResource(json, "aws_mq_broker").config;
const secretOf = (json: StackJson, user: string) => resourceAt(json, "aws_secretsmanager_secret", `broker/user-${user}/secret`);
const versionOf = (json: StackJson, user: string) => resourceAt(json, "aws_secretsmanager_secret_version", `broker/user-${user}/value`);
const passwordOf = (json: StackJson, user: string) => {
  const entries = Object.entries(json.data?.aws_secretsmanager_random_password ?? {}).filter(([id]) => id.startsWith(`broker_user-${user}_password_`));
  if (entries.length !== 1) throw new Error(`expected one random password for ${user}, found ${entries.length}`);
  return { id: entries[0][0], config: entries[0][1] as any };
};

describe("RabbitMqBroker", () => {
  it("creates a private RabbitMQ broker of the given version and size, protected from destroy", () => {
    expect(broker(synth())).toMatchObject({
      broker_name: "acme-us-east-1",
      engine_type: "RabbitMQ",
      engine_version: "3.13",
      host_instance_type: "mq.m5.large",
      deployment_mode: "CLUSTER_MULTI_AZ",
      publicly_accessible: false,
      auto_minor_version_upgrade: true,
      encryption_options: { use_aws_owned_key: true },
      logs: { general: true },
      lifecycle: { prevent_destroy: true },
    });
  });

  it("waits 60 minutes for the broker to be created, or what it is given", () => {
    expect(broker(synth()).timeouts).toEqual({ create: "60m" });
    expect(broker(synth({ timeouts: { createMinutes: 90 } })).timeouts).toEqual({ create: "90m" });
    expect(() => synth({ timeouts: { createMinutes: 9 } })).toThrow("RabbitMqBroker: timeouts.createMinutes must be a whole number of minutes >= 10 (got 9)");
  });

  it("a cluster uses the first three subnets", () => {
    expect(broker(synth()).subnet_ids).toEqual(["subnet-a", "subnet-b", "subnet-c"]);
  });

  it("a single instance uses the first subnet", () => {
    const config = broker(synth({ deploymentMode: "SINGLE_INSTANCE" }));
    expect(config.deployment_mode).toBe("SINGLE_INSTANCE");
    expect(config.subnet_ids).toEqual(["subnet-a"]);
  });

  it("admits only AMQPS (5671) and management (443) from the client range", () => {
    const json = synth();
    const group = onlyResource(json, "aws_security_group");
    const groupId = ref("aws_security_group", group.id, "id");
    expect(group.config.vpc_id).toBe("vpc-0123");
    expect(group.config.ingress).toBeUndefined();
    expect(broker(json).security_groups).toEqual([groupId]);
    const rules = Object.values(resources(json, "aws_vpc_security_group_ingress_rule"));
    expect(rules).toHaveLength(2);
    expect(rules).toEqual(
      expect.arrayContaining([
        {
          security_group_id: groupId,
          description: "RabbitMQ amqps from inside the VPC",
          ip_protocol: "tcp",
          from_port: 5671,
          to_port: 5671,
          cidr_ipv4: "10.10.0.0/16",
        },
        {
          security_group_id: groupId,
          description: "RabbitMQ management from inside the VPC",
          ip_protocol: "tcp",
          from_port: 443,
          to_port: 443,
          cidr_ipv4: "10.10.0.0/16",
        },
      ]),
    );
    expect(Object.keys(resources(json, "aws_security_group_rule"))).toEqual([]);
  });

  it("keeps one secret per user, the administrator included, named <prefix>/<user>", () => {
    const json = synth();
    expect(
      Object.values(resources(json, "aws_secretsmanager_secret"))
        .map((s: any) => s.name)
        .sort(),
    ).toEqual(["acme/us-east-1/rabbitmq/admin", "acme/us-east-1/rabbitmq/billing", "acme/us-east-1/rabbitmq/orders"]);
    expect(secretOf(json, "orders").config).toEqual({
      name: "acme/us-east-1/rabbitmq/orders",
      description: "RabbitMQ user orders of acme-us-east-1: password",
      recovery_window_in_days: 30,
    });
  });

  it("fills each secret once from a password AWS generates: 32 letters and digits", () => {
    const json = synth();
    expect(Object.keys(json.data!.aws_secretsmanager_random_password)).toHaveLength(3);
    for (const user of ["admin", "orders", "billing"]) {
      const password = passwordOf(json, user);
      expect(password.config).toEqual({ password_length: 32, exclude_punctuation: true, include_space: false, require_each_included_type: true });
      expect(versionOf(json, user).config).toEqual({
        secret_id: ref("aws_secretsmanager_secret", secretOf(json, user).id, "id"),
        secret_string: `\${data.aws_secretsmanager_random_password.${password.id}.random_password}`,
        lifecycle: { ignore_changes: ["secret_string"] },
      });
    }
  });

  it("creates the administrator with the password from its secret, and no other user", () => {
    const json = synth();
    expect(broker(json).user).toEqual([
      { username: "admin", password: ref("aws_secretsmanager_secret_version", versionOf(json, "admin").id, "secret_string"), console_access: true },
    ]);
  });

  it("follows adminUsername", () => {
    const json = synth({ adminUsername: "ops" });
    expect(broker(json).user).toEqual([
      { username: "ops", password: ref("aws_secretsmanager_secret_version", versionOf(json, "ops").id, "secret_string"), console_access: true },
    ]);
    expect(secretOf(json, "ops").config.name).toBe("acme/us-east-1/rabbitmq/ops");
  });

  it("exposes the secret ARN of every user, the administrator first, and the AMQPS endpoints", () => {
    const { stack, construct } = build();
    expect(Object.keys(construct.userSecretArns)).toEqual(["admin", "orders", "billing"]);
    new TerraformOutput(stack, "secrets", { value: construct.userSecretArns });
    new TerraformOutput(stack, "endpoints", { value: construct.amqpEndpoints });
    const json = synthJson(stack);
    expect(json.output!.secrets.value).toEqual({
      admin: ref("aws_secretsmanager_secret", secretOf(json, "admin").id, "arn"),
      orders: ref("aws_secretsmanager_secret", secretOf(json, "orders").id, "arn"),
      billing: ref("aws_secretsmanager_secret", secretOf(json, "billing").id, "arn"),
    });
    expect(json.output!.endpoints.value).toBe(`\${aws_mq_broker.${onlyResource(json, "aws_mq_broker").id}.instances[0].endpoints}`);
  });

  describe("validation", () => {
    it("rejects a user listed twice", () => {
      expect(() => build({ users: ["orders", "billing", "orders"] })).toThrow('RabbitMqBroker: usernames must be unique (got ["orders"] twice)');
    });
    it("rejects a user named like the administrator", () => {
      expect(() => build({ users: ["admin"] })).toThrow('RabbitMqBroker: usernames must be unique (got ["admin"] twice)');
    });
    it("a single instance needs a subnet", () => {
      expect(() => build({ deploymentMode: "SINGLE_INSTANCE", subnetIds: [] })).toThrow(
        "RabbitMqBroker: a SINGLE_INSTANCE broker needs at least 1 subnets (got 0)",
      );
    });
    it("a cluster needs at least two subnets", () => {
      expect(() => build({ subnetIds: ["subnet-a"] })).toThrow("RabbitMqBroker: a CLUSTER_MULTI_AZ broker needs at least 2 subnets (got 1)");
      expect(broker(synth({ subnetIds: ["subnet-a", "subnet-b"] })).subnet_ids).toEqual(["subnet-a", "subnet-b"]);
    });
  });

  it("encrypts every user's secret with secretsKmsKeyArn, and leaves it to aws/secretsmanager without", () => {
    const KEY = "arn:aws:kms:us-east-1:123456789012:key/data";
    const json = synth({ secretsKmsKeyArn: KEY });
    for (const user of ["admin", "orders"]) expect(secretOf(json, user).config.kms_key_id).toBe(KEY);
    expect(secretOf(synth(), "orders").config.kms_key_id).toBeUndefined();
  });
});
