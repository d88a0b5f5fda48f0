import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { resolvePairs, type Environment } from "../../lib/environment";
import { fromVaultPlan } from "../../lib/operations/from-vault";
import { refuseTooLarge, SINGLE_PUT_LIMIT_BYTES } from "../../lib/operations/from-vault-archive";
import { copyGitCredentialsFromVault, copyStateFromVault } from "../../lib/operations/from-vault-copies";
import { environment, primaryInput, recoveryInput } from "../support/environments";

/** The shipped pair as the on-call edits it for a new account: accountId, bucketSuffix, state.bucket. */
const NEW = "345678901234";
const vault = { accountId: "210987654321", region: "us-west-2" };
const rebuilt = (overrides: Record<string, unknown> = {}) =>
  environment(primaryInput({ accountId: NEW, bucketSuffix: NEW, state: { bucket: `acme-terraform-state-${NEW}`, region: "us-west-2" }, vault, ...overrides }));
const recovery = environment(recoveryInput({ accountId: NEW, bucketSuffix: NEW, state: { bucket: `acme-terraform-state-${NEW}`, region: "us-west-2" } }));

function plan(environments: Environment[], region: string, copy: string, key?: string) {
  return fromVaultPlan(
    resolvePairs(environments).find((s) => s.environment.region === region)!,
    environments,
    copy,
    key,
  );
}

describe("fromVaultPlan", () => {
  it("reads the vault's copies by the vault's names and writes the new account's, from the edited file", () => {
    const p = plan([rebuilt(), recovery], "us-east-1", "state");
    expect(p.vaultRoleArn).toBe("arn:aws:iam::210987654321:role/dr-platform-vault");
    expect(p.state).toEqual({
      key: "vault-us-east-1.tfstate",
      sources: ["acme-vault-state-us-east-1-210987654321"],
      target: { bucket: `acme-terraform-state-${NEW}`, region: "us-west-2" },
    });
    expect(p.archive).toEqual({
      source: "acme-vault-archives-us-east-1-210987654321",
      target: { bucket: `acme-hosting-services-us-east-1-${NEW}`, region: "us-east-2" },
    });
    expect(p.secret).toEqual({ name: "acme/flux/git", region: "us-east-1" });
    expect(p.assets).toEqual({
      source: "acme-vault-assets-us-east-1-210987654321",
      target: { bucket: `acme-assets-us-east-1-${NEW}`, region: "us-east-1" },
    });
    expect(p.images).toEqual({
      source: { registryId: "210987654321", region: "us-west-2" },
      prefixes: ["acme"],
      target: { registryId: NEW, region: "us-east-1" },
    });
    const prefixed = plan([rebuilt({ registry: { replicatedPrefixes: ["acme/web", "shared"] } })], "us-east-1", "images");
    expect(prefixed.images.prefixes).toEqual(["acme/web", "shared"]);
  });

  it("assumes the file's vault.roleName", () => {
    expect(plan([rebuilt({ vault: { ...vault, roleName: "vault-reader" } })], "us-east-1", "git-credentials").vaultRoleArn).toBe(
      "arn:aws:iam::210987654321:role/vault-reader",
    );
  });

  it("also looks in the vault of the primary that copies a shared state bucket", () => {
    const other = rebuilt({ region: "ca-central-1", drRegion: "us-west-1", network: { cidr: "10.30.0.0/16", azCount: 3, natGateways: "single" } });
    // Two primaries keep their state in one bucket: the first by region copies it into its vault.
    const p = plan([rebuilt(), other], "us-east-1", "state");
    expect(p.state.sources).toEqual(["acme-vault-state-us-east-1-210987654321", "acme-vault-state-ca-central-1-210987654321"]);
  });

  it("takes --key as the archive's dump, manifest or folder", () => {
    for (const key of ["postgres/app/20261120T030000Z/archive.dump", "postgres/app/20261120T030000Z/manifest.json", "postgres/app/20261120T030000Z"])
      expect(plan([rebuilt()], "us-east-1", "archive", key).archive.folder).toBe("postgres/app/20261120T030000Z/");
  });

  it("refuses an unknown copy, listing the five", () => {
    expect(() => plan([rebuilt()], "us-east-1", "logs")).toThrow('unknown copy "logs": one of state, archive, git-credentials, assets, images, check');
  });

  it("refuses --key with anything but archive", () => {
    for (const copy of ["state", "git-credentials"])
      expect(() => plan([rebuilt()], "us-east-1", copy, "postgres/app/20261120T030000Z/archive.dump")).toThrow(
        `--key names an archive: it goes with archive only (got ${copy})`,
      );
  });

  it("refuses a --key that names no archive", () => {
    expect(() => plan([rebuilt()], "us-east-1", "archive", "rabbitmq/20261120T030000Z/definitions.json")).toThrow(
      "--key must name an archive: postgres/<database>/<stamp>/archive.dump, its manifest.json or its folder (got rabbitmq/20261120T030000Z/definitions.json)",
    );
  });

  it("refuses a recovery's file, naming its primary", () => {
    expect(() => plan([rebuilt(), recovery], "us-east-2", "state")).toThrow(
      "us-east-2 is a recovery of us-east-1: the vault keeps the primary's copies; run from-vault us-east-1 state (environments/us-east-1.ts, edited for the new account)",
    );
  });

  it("refuses a primary without a vault, saying what to add", () => {
    expect(() => plan([rebuilt({ vault: undefined })], "us-east-1", "archive")).toThrow(
      "environments/us-east-1.ts has no vault section: from-vault reads the vault account's copies; add vault: { accountId, region } of the vault as it was before the account was lost (docs/vault.md)",
    );
  });
});

describe("the copies' refusals", () => {
  const notFound = (name: string) =>
    Object.assign(new Error("not found"), { name, $metadata: { httpStatusCode: name === "ResourceNotFoundException" ? 400 : 404 } });
  const p = () => plan([rebuilt()], "us-east-1", "git-credentials");

  it("git-credentials: a vault secret without a value names docs/vault.md step 4 and puts nothing", async () => {
    const vaultSecrets = new SecretsManagerClient({ region: "us-west-2" });
    const target = new SecretsManagerClient({ region: "us-east-1" });
    mockClient(vaultSecrets).on(DescribeSecretCommand).resolves({}).on(GetSecretValueCommand).rejects(notFound("ResourceNotFoundException"));
    const targetMock = mockClient(target);
    expect(await copyGitCredentialsFromVault(p(), { vault: vaultSecrets, target })).toEqual({
      exitCode: 1,
      lines: [
        `acme/flux/git in the vault (account 210987654321, us-west-2) has no value: docs/vault.md step 4 ("Put the Git credentials into the vault's secret") was not done`,
        "nothing was written",
      ],
    });
    expect(targetMock.commandCalls(PutSecretValueCommand)).toEqual([]);
  });

  it("state: no state in the vault names the bucket and key looked for, and writes nothing", async () => {
    const vaultS3 = new S3Client({ region: "us-west-2" });
    const target = new S3Client({ region: "us-west-2" });
    mockClient(vaultS3).on(GetObjectCommand).rejects(notFound("NoSuchKey"));
    const targetMock = mockClient(target).on(HeadObjectCommand).rejects(notFound("NotFound"));
    const result = await copyStateFromVault(p(), { vault: vaultS3, target });
    expect(result.exitCode).toBe(1);
    expect(result.lines[0]).toBe(
      "no vault-us-east-1.tfstate in the vault's state copy (account 210987654321, us-west-2): looked in s3://acme-vault-state-us-east-1-210987654321/vault-us-east-1.tfstate (no such key)",
    );
    expect(result.lines[result.lines.length - 1]).toBe("nothing was written");
    expect(targetMock.commandCalls(PutObjectCommand)).toEqual([]);
  });

  it("archive and assets: an object over one PutObject's 5 GiB is refused with the two aws s3 cp that copy it, nothing copied", () => {
    const source = { bucket: "acme-vault-assets-us-east-1-210987654321", region: "us-west-2" };
    const target = { bucket: "acme-assets-us-east-1", region: "us-east-1" };
    expect(refuseTooLarge([{ key: "fits", bytes: SINGLE_PUT_LIMIT_BYTES }], source, target)).toBeUndefined();
    expect(
      refuseTooLarge(
        [
          { key: "fits", bytes: 1 },
          { key: "huge", bytes: SINGLE_PUT_LIMIT_BYTES + 1 },
        ],
        source,
        target,
      ),
    ).toEqual([
      `s3://acme-vault-assets-us-east-1-210987654321/huge (${SINGLE_PUT_LIMIT_BYTES + 1} bytes): larger than one PutObject takes (5 GiB)`,
      "  fix: copy it through a machine with the vault role's credentials (aws s3 cp s3://acme-vault-assets-us-east-1-210987654321/<key> ./ --region us-west-2), then with the new account's (aws s3 cp ./<file> s3://acme-assets-us-east-1/<key> --region us-east-1)",
      "nothing was copied",
    ]);
  });
});
