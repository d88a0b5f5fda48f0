import { resolvePairs, type Environment } from "../../lib/environment";
import { fromVaultPlan } from "../../lib/operations/from-vault";
import { vaultReadiness, type VaultReadinessFacts } from "../../lib/operations/from-vault-check";
import { environment, primaryInput } from "../support/environments";

const NEW = "345678901234";
const primary = environment(
  primaryInput({
    accountId: NEW,
    bucketSuffix: NEW,
    state: { bucket: `acme-terraform-state-${NEW}`, region: "us-west-2" },
    vault: { accountId: "210987654321", region: "us-west-2" },
  }),
);
const plan = fromVaultPlan(resolvePairs([primary as Environment])[0], [primary], "check");
const NOW = new Date("2026-11-21T06:00:01Z");
const manifest = { snapshotAt: "2026-11-21T03:00:01.000Z" };
const ALL_THERE: VaultReadinessFacts = {
  state: { ok: true, value: { found: "state", bucket: "acme-vault-state-us-east-1-210987654321", kept: 5, dropped: 5 } },
  archive: {
    ok: true,
    value: {
      found: "archive",
      archive: {
        bucket: "acme-vault-archives-us-east-1-210987654321",
        folder: "postgres/app/20261121T030000Z/",
        manifestKey: "postgres/app/20261121T030000Z/manifest.json",
        archiveKey: "postgres/app/20261121T030000Z/archive.dump",
        manifest: manifest as never,
      },
    },
  },
  secret: { ok: true, value: { name: "acme/flux/git", region: "us-west-2", exists: true, shape: { kind: "https" } } },
  assets: { ok: true, value: 3 },
  images: { ok: true, value: { repositories: 1, images: 2 } },
};
const failure = (call: string) => ({
  ok: false as const,
  failure: { kind: "refused" as const, name: "AccessDenied", description: "Access Denied", call, region: "us-west-2" },
});

describe("vaultReadiness (from-vault <region> check)", () => {
  it("says what a rebuild would find, one line per copy, and exits 0 when everything is there", () => {
    expect(vaultReadiness(plan, ALL_THERE, NOW)).toEqual({
      exitCode: 0,
      lines: [
        "ok      state: s3://acme-vault-state-us-east-1-210987654321/vault-us-east-1.tfstate: 5 resources of the vault account to adopt, 5 of the workload account to make again",
        "ok      archive: postgres/app/20261121T030000Z/archive.dump, snapshot 2026-11-21T03:00:01.000Z (3.0 h old): the rebuild's recovery point",
        "ok      git-credentials: acme/flux/git in us-west-2 holds credentials Flux can use (not printed)",
        "ok      assets: 3 objects in s3://acme-vault-assets-us-east-1-210987654321",
        "ok      images: 2 tagged images in 1 repositories under acme",
        "the vault (account 210987654321, us-west-2) holds what a rebuild of us-east-1 takes; nothing was written",
      ],
    });
  });

  it("names every copy a rebuild would miss, and exits 1", () => {
    const result = vaultReadiness(
      plan,
      {
        state: { ok: true, value: { found: "none", looked: ["s3://acme-vault-state-us-east-1-210987654321/vault-us-east-1.tfstate"] } },
        archive: { ok: true, value: { found: "none", prefix: "postgres/" } },
        secret: { ok: true, value: { name: "acme/flux/git", region: "us-west-2", exists: true } },
        assets: failure("S3 ListObjectsV2 of acme-vault-assets-us-east-1-210987654321"),
        images: failure("ECR DescribeRepositories of registry 210987654321"),
      },
      NOW,
    );
    expect(result).toEqual({
      exitCode: 1,
      lines: [
        "MISSING state: no vault-us-east-1.tfstate in s3://acme-vault-state-us-east-1-210987654321/vault-us-east-1.tfstate (the state bucket's replication into the vault: status's vault-replication row)",
        "MISSING archive: no usable archive in s3://acme-vault-archives-us-east-1-210987654321 (none)",
        "MISSING git-credentials: acme/flux/git in us-west-2 has no value: docs/vault.md step 4",
        "MISSING assets: S3 ListObjectsV2 of acme-vault-assets-us-east-1-210987654321 in us-west-2: Access Denied",
        "MISSING images: ECR DescribeRepositories of registry 210987654321 in us-west-2: Access Denied",
        "5 of 5 copies a rebuild takes are missing or unreadable; nothing was written",
      ],
    });
  });

  it("judges a state copy that is not a state, a secret that does not exist and one Flux cannot use", () => {
    const lines = (facts: Partial<VaultReadinessFacts>) => vaultReadiness(plan, { ...ALL_THERE, ...facts }, NOW).lines;
    expect(lines({ state: { ok: true, value: { found: "invalid", problem: "not a Terraform state" } } })[0]).toBe("MISSING state: not a Terraform state");
    expect(lines({ secret: { ok: true, value: { name: "acme/flux/git", region: "us-west-2", exists: false } } })[2]).toBe(
      "MISSING git-credentials: no secret acme/flux/git in us-west-2: the vault stack makes it",
    );
    expect(lines({ secret: { ok: true, value: { name: "acme/flux/git", region: "us-west-2", exists: true, shape: { kind: "not-json" } } } })[2]).toMatch(
      /^MISSING git-credentials: acme\/flux\/git in us-west-2: .+/,
    );
  });
});
