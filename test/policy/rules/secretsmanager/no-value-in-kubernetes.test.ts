import { NoSecretValueInKubernetes } from "../../../../lib/policy/rules/secretsmanager/no-value-in-kubernetes";
import { describeRuleBasics, judge, resource } from "../../../support/policy";

const rule = NoSecretValueInKubernetes;
const metadata = { name: "credentials", namespace: "dr-backups" };

describe("DR-SM-2 no Secrets Manager value in a Kubernetes object", () => {
  describeRuleBasics(rule, "DR-SM-2");

  it("compliant: a secret of literals or other references, a job that names its secrets and reads them when it runs", () => {
    expect(judge(rule, resource("kubernetes_secret_v1", "s", { metadata, data: { USER: "orders", HOST: "${aws_db_instance.db.address}" } }))).toBe("compliant");
    const job = {
      metadata,
      spec: { template: { spec: { container: [{ name: "c", env: [{ name: "ADMIN_SECRET", value: "acme/us-east-1/rabbitmq/admin" }] }] } } },
    };
    expect(judge(rule, resource("kubernetes_job_v1", "j", job))).toBe("compliant");
  });

  it("non-compliant: a secret's value, a decoded secret, an environment variable or a ConfigMap from the data source", () => {
    const value = "${data.aws_secretsmanager_secret_version.admin_1A2B.secret_string}";
    expect(judge(rule, resource("kubernetes_secret_v1", "s", { metadata, data: { password: value } }))).toBe("non-compliant");
    expect(
      judge(
        rule,
        resource("kubernetes_secret", "s", { metadata: [metadata], data: "${jsondecode(data.aws_secretsmanager_secret_version.git.secret_string)}" }),
      ),
    ).toBe("non-compliant");
    const job = { metadata, spec: { template: { spec: { container: [{ name: "c", env: [{ name: "PASSWORD", value }] }] } } } };
    expect(judge(rule, resource("kubernetes_job_v1", "j", job))).toBe("non-compliant");
    expect(judge(rule, resource("kubernetes_config_map_v1", "m", { metadata, data: { "config.json": `{"password":"${value}"}` } }))).toBe("non-compliant");
  });

  it("not applicable: AWS resources (the broker takes its administrator's password as an argument)", () => {
    const broker = { user: [{ username: "admin", password: "${aws_secretsmanager_secret_version.admin.secret_string}" }] };
    expect(judge(rule, resource("aws_mq_broker", "b", broker))).toBe("not-applicable");
    expect(judge(rule, resource("aws_secretsmanager_secret", "s", { name: "x" }))).toBe("not-applicable");
  });
});
