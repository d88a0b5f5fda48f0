import { resourceAddress, VAULT_PROVIDER_ADDRESS, vaultResourcesOnly } from "../../lib/operations/from-vault-state";

const DEFAULT = 'provider["registry.terraform.io/hashicorp/aws"]';
const STATE = 'provider["registry.terraform.io/hashicorp/aws"].state';

const resource = (mode: "managed" | "data", type: string, name: string, provider: string) => ({
  mode,
  type,
  name,
  provider,
  instances: [{ schema_version: 0, attributes: { id: `${type}-${name}` } }],
});

/** A vault stack's state as Terraform 1.11 writes it: the vault's resources and the workload account's. */
const vaultStackState = {
  version: 4,
  terraform_version: "1.11.4",
  serial: 17,
  lineage: "5f0c1e2a-7d3b-4c1e-9a57-0b8e2f6d4c11",
  outputs: { vault_key_arn: { value: "arn:aws:kms:us-west-2:210987654321:key/abc", type: "string" } },
  resources: [
    resource("managed", "aws_s3_bucket", "archives_resource_1A2B", VAULT_PROVIDER_ADDRESS),
    resource("data", "aws_kms_alias", "state-key", STATE),
    resource("managed", "aws_kms_key", "key_resource_3C4D", VAULT_PROVIDER_ADDRESS),
    resource("managed", "aws_backup_plan", "database-copies_plan_5E6F", DEFAULT),
    resource("data", "aws_iam_policy_document", "key_policy_7A8B", VAULT_PROVIDER_ADDRESS),
    resource("managed", "aws_s3_bucket_replication_configuration", "state-replication_rule_9C0D", STATE),
  ],
  check_results: null,
};

describe("vaultResourcesOnly", () => {
  it("keeps the vault provider's managed and data resources, in order, and nothing else", () => {
    const { state, kept, dropped } = vaultResourcesOnly(JSON.stringify(vaultStackState), "s3://vault/vault-us-east-1.tfstate");
    expect(state.resources).toEqual([vaultStackState.resources[0], vaultStackState.resources[2], vaultStackState.resources[4]]);
    expect(kept).toEqual(["aws_s3_bucket.archives_resource_1A2B", "aws_kms_key.key_resource_3C4D", "data.aws_iam_policy_document.key_policy_7A8B"]);
    expect(dropped).toEqual([
      "data.aws_kms_alias.state-key",
      "aws_backup_plan.database-copies_plan_5E6F",
      "aws_s3_bucket_replication_configuration.state-replication_rule_9C0D",
    ]);
  });

  it("bumps serial by one, keeps lineage and every other field as it is", () => {
    const { state } = vaultResourcesOnly(JSON.stringify(vaultStackState), "x");
    const { resources: _r, serial: _s, ...rest } = state;
    const { resources: _r0, serial: _s0, ...before } = vaultStackState;
    expect(state.serial).toBe(18);
    expect(state.lineage).toBe(vaultStackState.lineage);
    expect(rest).toEqual(before);
  });

  it("names a module's resources as Terraform does", () => {
    expect(resourceAddress({ module: "module.a", mode: "data", type: "aws_region", name: "here" })).toBe("module.a.data.aws_region.here");
  });

  it("refuses text that is not JSON, naming where it was read", () => {
    expect(() => vaultResourcesOnly("<Error>", "s3://vault/vault-us-east-1.tfstate")).toThrow(/^s3:\/\/vault\/vault-us-east-1\.tfstate is not JSON: /);
  });

  it("refuses a document that is not a version 4 state, naming every problem", () => {
    expect(() => vaultResourcesOnly(JSON.stringify({ version: 3, serial: "1", resources: {} }), "s3://b/k")).toThrow(
      [
        "s3://b/k is not a Terraform state:",
        "  version must be 4 (got 3)",
        '  serial must be a whole number (got "1")',
        "  lineage must be a string (got undefined)",
        "  resources must be a list (got {})",
      ].join("\n"),
    );
  });

  it("refuses a state without a vault resource: writing it would make the deploy create the vault anew", () => {
    const other = { ...vaultStackState, resources: vaultStackState.resources.filter((r) => r.provider !== VAULT_PROVIDER_ADDRESS) };
    expect(() => vaultResourcesOnly(JSON.stringify(other), "s3://b/k")).toThrow(
      `s3://b/k holds no resource of ${VAULT_PROVIDER_ADDRESS} (3 of other providers): it is not a vault stack's state`,
    );
  });
});
