import type { PolicyRule, RuleOutcome, SynthesizedResource, SynthesizedStack } from "../../lib/policy/rule";

/** The shape every rule id has: `DR-<AREA>-<n>`. */
export const RULE_ID = /^DR-[A-Z0-9]+-\d+$/;

/** A resource as the synthesized JSON has it: Terraform type, logical id, snake_case config. */
export function resource(type: string, id: string, config: Record<string, any> = {}): SynthesizedResource {
  return { type, id, config };
}

/** `${type.id.attribute}`, written out by hand (not with the library's `reference()`). */
export function tfRef(type: string, id: string, attribute: string): string {
  return "${" + `${type}.${id}.${attribute}` + "}";
}

/** A stack holding the given resources (and providers, by provider type). */
export function stackOf(resources: readonly SynthesizedResource[], providers: SynthesizedStack["providers"] = {}): SynthesizedStack {
  return { resources, providers };
}

/** The rule's outcome for `subject` in a stack holding `subject` and `others`. */
export function judge(rule: PolicyRule, subject: SynthesizedResource, others: readonly SynthesizedResource[] = []): RuleOutcome {
  return rule.evaluate(subject, stackOf([subject, ...others]));
}

/** An IAM policy document as a literal JSON string, as the constructs synthesize it. */
export function policyDocument(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Resources no rule of the pack looks at. */
export const UNRELATED: readonly SynthesizedResource[] = [
  resource("aws_internet_gateway", "igw", { vpc_id: "${aws_vpc.vpc.id}" }),
  resource("aws_subnet", "private_a", { cidr_block: "10.10.0.0/18", vpc_id: "${aws_vpc.vpc.id}" }),
];

/** Checks shared by every rule: a well-formed, expected id and the texts the docs are made of. */
export function describeRuleBasics(rule: PolicyRule, expectedId: string): void {
  describe("identity", () => {
    it(`has the id ${expectedId}, shaped DR-<AREA>-<n>`, () => {
      expect(rule.id).toBe(expectedId);
      expect(rule.id).toMatch(RULE_ID);
    });

    it("says what it demands and how to fix a violation", () => {
      expect(rule.description.trim().length).toBeGreaterThan(10);
      expect(rule.fix.trim().length).toBeGreaterThan(10);
    });

    it("ignores resource types it does not govern", () => {
      for (const other of UNRELATED) expect(judge(rule, other)).toBe("not-applicable");
    });
  });
}

/** Builds a config from defaults and overrides; an override of `undefined` removes the field. */
function withOverrides(defaults: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = { ...defaults, ...overrides };
  for (const [key, value] of Object.entries(config)) if (value === undefined) delete config[key];
  return config;
}

/** An aws_db_instance as PostgresDatabase synthesizes it. */
export function dbInstance(overrides: Record<string, unknown> = {}, id = "database_resource_2718567D"): SynthesizedResource {
  return resource(
    "aws_db_instance",
    id,
    withOverrides(
      {
        allocated_storage: 100,
        backup_retention_period: 14,
        db_subnet_group_name: tfRef("aws_db_subnet_group", "database_subnet-group_706EB4D1", "name"),
        deletion_protection: true,
        engine: "postgres",
        engine_version: "16.4",
        final_snapshot_identifier: "acme-us-east-1-final",
        identifier: "acme-us-east-1",
        instance_class: "db.r6g.large",
        manage_master_user_password: true,
        multi_az: true,
        publicly_accessible: false,
        skip_final_snapshot: false,
        storage_encrypted: true,
        username: "dbadmin",
        lifecycle: { prevent_destroy: true },
      },
      overrides,
    ),
  );
}

/** An aws_mq_broker as RabbitMqBroker synthesizes it. */
export function mqBroker(overrides: Record<string, unknown> = {}): SynthesizedResource {
  return resource(
    "aws_mq_broker",
    "broker_resource_3B9F311B",
    withOverrides(
      {
        broker_name: "acme-us-east-1",
        deployment_mode: "CLUSTER_MULTI_AZ",
        engine_type: "RabbitMQ",
        engine_version: "3.13",
        host_instance_type: "mq.m5.large",
        publicly_accessible: false,
        security_groups: [tfRef("aws_security_group", "broker_security-group_2F43E76C", "id")],
        subnet_ids: [tfRef("aws_subnet", "a", "id"), tfRef("aws_subnet", "b", "id")],
        encryption_options: { use_aws_owned_key: true },
        lifecycle: { prevent_destroy: true },
      },
      overrides,
    ),
  );
}

/** An aws_eks_cluster as EksCluster synthesizes it (private endpoint). */
export function eksCluster(overrides: Record<string, unknown> = {}): SynthesizedResource {
  return resource(
    "aws_eks_cluster",
    "cluster_resource_9691C40B",
    withOverrides(
      {
        name: "acme-us-east-1",
        role_arn: tfRef("aws_iam_role", "cluster_cluster-role_BB943DD8", "arn"),
        version: "1.31",
        enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
        encryption_config: { resources: ["secrets"], provider: { key_arn: tfRef("aws_kms_key", "cluster_secrets-key_1ED7DE39", "arn") } },
        vpc_config: {
          endpoint_private_access: true,
          endpoint_public_access: false,
          subnet_ids: [tfRef("aws_subnet", "a", "id"), tfRef("aws_subnet", "b", "id")],
        },
      },
      overrides,
    ),
  );
}
