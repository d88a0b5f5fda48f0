import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { parse } from "yaml";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../../lib/environment";
import { describeSopsKeys, formatSopsConfig, sopsConfigFor, sopsFolderRegex, sopsKeyArnProblems } from "../../lib/operations/sops-config";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { AGE_KEYS } from "../support/sops-fixtures";

const PRIMARY = "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab";
const REPLICA = "arn:aws:kms:us-east-2:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab";
const CONTEXT = { primaryRegion: "us-east-1", recoveryRegion: "us-east-2", alias: "alias/acme-sops-us-east-1", primaryPath: "clusters/us-east-1" };

const primary = environment(primaryInput()) as PrimaryEnvironment;
const recovery = environment(recoveryInput()) as RecoveryEnvironment;

describe("formatSopsConfig", () => {
  it("prints the header and a creation rule per path, the key of the region that decrypts the files first, exactly", () => {
    expect(formatSopsConfig({ primaryArn: PRIMARY, replicaArn: REPLICA }, CONTEXT)).toBe(
      [
        "# .sops.yaml of the platform-k8s repository, printed by: npx dr-platform sops-config us-east-2",
        "#",
        "# The rules list two KMS keys: the SOPS key of us-east-1 and its multi-Region replica in us-east-2",
        "# (alias/acme-sops-us-east-1 in both regions). SOPS encrypts each file's data key for every ARN listed",
        "# and decrypts with whichever it can reach, calling KMS in the region written in the ARN; it",
        "# never falls back to another region on its own. A file that lists only the us-east-1 key cannot",
        "# be decrypted while us-east-1 is down, although the replica holds the same key material. With",
        "# both ARNs, Flux in us-east-2 decrypts with the replica.",
        "#",
        "# SOPS tries the keys in the order listed: the files Flux decrypts in us-east-2 (everything but",
        "# clusters/us-east-1) list the us-east-2 replica first, so a decryption there never waits for",
        "# us-east-1's KMS to time out; clusters/us-east-1 keeps the us-east-1 key first. The first matching",
        "# rule wins.",
        "#",
        "# After changing this file, run `sops updatekeys -y <file>` on every encrypted file while",
        "# us-east-1 is up (it decrypts each data key with the us-east-1 key to add the replica's); to change",
        "# only the order of a file's keys, decrypt and encrypt it again (preflight --platform-repo says which).",
        "creation_rules:",
        String.raw`  - path_regex: '(^|/)clusters/us-east-1/.+\.sops\.yaml$'`,
        "    encrypted_regex: '^(data|stringData)$'",
        `    kms: '${PRIMARY},${REPLICA}'`,
        String.raw`  - path_regex: '(^|/)clusters/.+\.sops\.yaml$'`,
        "    encrypted_regex: '^(data|stringData)$'",
        `    kms: '${REPLICA},${PRIMARY}'`,
        "",
      ].join("\n"),
    );
  });

  it("with break-glass age keys: says why in the header and lists them in every rule, after the KMS keys", () => {
    const text = formatSopsConfig({ primaryArn: PRIMARY, replicaArn: REPLICA }, { ...CONTEXT, ageRecipients: [...AGE_KEYS] });
    const lines = text.split("\n");
    const rules = lines.indexOf("creation_rules:");
    expect(lines.slice(rules - 5, rules)).toEqual([
      "# only the order of a file's keys, decrypt and encrypt it again (preflight --platform-repo says which).",
      "#",
      "# Break glass: every rule also lists the age keys of flux.breakGlassAgeRecipients (us-east-1's file).",
      "# Their private keys are kept offline, outside AWS: with SOPS_AGE_KEY_FILE they decrypt every",
      "# file when the account and both KMS keys are gone (docs/gitops.md, Break-glass decryption).",
    ]);
    expect(parse(text).creation_rules).toEqual([
      { path_regex: sopsFolderRegex("clusters/us-east-1"), encrypted_regex: "^(data|stringData)$", kms: `${PRIMARY},${REPLICA}`, age: AGE_KEYS.join(",") },
      { path_regex: String.raw`(^|/)clusters/.+\.sops\.yaml$`, encrypted_regex: "^(data|stringData)$", kms: `${REPLICA},${PRIMARY}`, age: AGE_KEYS.join(",") },
    ]);
    // One key: the header says "key".
    expect(formatSopsConfig({ primaryArn: PRIMARY, replicaArn: REPLICA }, { ...CONTEXT, ageRecipients: [AGE_KEYS[0]] })).toContain(
      "# Break glass: every rule also lists the age key of flux.breakGlassAgeRecipients (us-east-1's file).",
    );
    expect(() => formatSopsConfig({ primaryArn: PRIMARY, replicaArn: REPLICA }, { ...CONTEXT, ageRecipients: ["age1nope"] })).toThrow(
      'formatSopsConfig: ageRecipients must be age public keys like age1 and 58 bech32 characters (got "age1nope")',
    );
  });

  it("is YAML whose first matching rule puts the primary's key first in its cluster folder only, the replica's first everywhere else under clusters/", () => {
    const config = parse(formatSopsConfig({ primaryArn: PRIMARY, replicaArn: REPLICA }, CONTEXT));
    expect(config).toEqual({
      creation_rules: [
        { path_regex: sopsFolderRegex("clusters/us-east-1"), encrypted_regex: "^(data|stringData)$", kms: `${PRIMARY},${REPLICA}` },
        { path_regex: String.raw`(^|/)clusters/.+\.sops\.yaml$`, encrypted_regex: "^(data|stringData)$", kms: `${REPLICA},${PRIMARY}` },
      ],
    });
    // sops takes the first rule whose Go regexp matches the path (relative to the .sops.yaml, or as given); these are also valid JS.
    const keysOf = (file: string) => config.creation_rules.find((r: any) => new RegExp(r.path_regex).test(file))?.kms;
    expect(
      [
        "clusters/us-east-1/apps/db.sops.yaml",
        "/home/me/platform-k8s/clusters/us-east-1/db.sops.yaml",
        "clusters/us-east-2/apps/db.sops.yaml",
        "clusters/shared/db.sops.yaml",
        "clusters/us-east-10/db.sops.yaml",
      ].map(keysOf),
    ).toEqual([`${PRIMARY},${REPLICA}`, `${PRIMARY},${REPLICA}`, `${REPLICA},${PRIMARY}`, `${REPLICA},${PRIMARY}`, `${REPLICA},${PRIMARY}`]);
    expect(["clusters/us-east-2/apps/db.yaml", "apps/db.sops.yaml", "myclusters/db.sops.yaml", "clusters/db.sops.yaml.bak"].map(keysOf)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("escapes a cluster folder's regexp characters and ignores ./ and trailing slashes", () => {
    expect(sopsFolderRegex("./clusters/us-east-1/")).toBe(String.raw`(^|/)clusters/us-east-1/.+\.sops\.yaml$`);
    expect(sopsFolderRegex("clusters/a.b+c")).toBe(String.raw`(^|/)clusters/a\.b\+c/.+\.sops\.yaml$`);
  });

  it.each([
    [
      "a primary ARN that is not a multi-Region key",
      { primaryArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", replicaArn: REPLICA },
      [
        'primaryArn must be the ARN of a multi-Region KMS key like arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab (got "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")',
      ],
    ],
    [
      "an alias instead of a replica ARN",
      { primaryArn: PRIMARY, replicaArn: "alias/acme-sops-us-east-1" },
      [
        'replicaArn must be the ARN of a multi-Region KMS key like arn:aws:kms:us-east-2:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab (got "alias/acme-sops-us-east-1")',
      ],
    ],
    ["both ARNs in the primary's region", { primaryArn: PRIMARY, replicaArn: PRIMARY }, [`replicaArn must be in us-east-2 (got "${PRIMARY}")`]],
    [
      "the ARNs swapped",
      { primaryArn: REPLICA, replicaArn: PRIMARY },
      [`primaryArn must be in us-east-1 (got "${REPLICA}")`, `replicaArn must be in us-east-2 (got "${PRIMARY}")`],
    ],
    [
      "a replica of another key",
      { primaryArn: PRIMARY, replicaArn: REPLICA.replace("mrk-1234", "mrk-9999") },
      [`replicaArn must have the account and key id of primaryArn, as a replica does (got "${REPLICA.replace("mrk-1234", "mrk-9999")}" for "${PRIMARY}")`],
    ],
    [
      "a replica in another account",
      { primaryArn: PRIMARY, replicaArn: REPLICA.replace("123456789012", "210987654321") },
      [
        `replicaArn must have the account and key id of primaryArn, as a replica does (got "${REPLICA.replace("123456789012", "210987654321")}" for "${PRIMARY}")`,
      ],
    ],
  ])("refuses %s, naming the field and value", (_case, keys, problems) => {
    expect(sopsKeyArnProblems(keys, CONTEXT)).toEqual(problems);
    expect(() => formatSopsConfig(keys, CONTEXT)).toThrow(`formatSopsConfig: ${problems.join("; ")}`);
  });

  it("accepts the emulator's key ids (a UUID after mrk-)", () => {
    const id = "mrk-43c0bb5e-bcf2-405d-901d-ecf5f77e624e";
    expect(
      sopsKeyArnProblems({ primaryArn: `arn:aws:kms:us-east-1:000000000042:key/${id}`, replicaArn: `arn:aws:kms:us-east-2:000000000042:key/${id}` }, CONTEXT),
    ).toEqual([]);
  });
});

describe("describeSopsKeys", () => {
  const kms = () => new KMSClient({ region: "us-east-2", credentials: { accessKeyId: "test", secretAccessKey: "test" } });

  it("reads the replica and its primary from one DescribeKey on the alias", async () => {
    const client = kms();
    const mock = mockClient(client);
    mock.on(DescribeKeyCommand, { KeyId: "alias/acme-sops-us-east-1" }).resolves({
      KeyMetadata: {
        KeyId: "mrk-1",
        Arn: REPLICA,
        MultiRegionConfiguration: { MultiRegionKeyType: "REPLICA", PrimaryKey: { Arn: PRIMARY, Region: "us-east-1" } },
      },
    });
    expect(await describeSopsKeys(recovery, primary, client)).toEqual({ primaryArn: PRIMARY, replicaArn: REPLICA });
    expect(mock.calls()).toHaveLength(1);
    expect(await sopsConfigFor(recovery, primary, client)).toContain(`    kms: '${PRIMARY},${REPLICA}'\n`);
    expect(await sopsConfigFor(recovery, primary, client)).not.toContain("age:");
    // The primary's break-glass keys (its file's flux.breakGlassAgeRecipients) go into every rule.
    const breakGlass = environment(primaryInput({ flux: { ...primaryInput().flux, breakGlassAgeRecipients: [AGE_KEYS[1]] } as any })) as PrimaryEnvironment;
    expect((await sopsConfigFor(recovery, breakGlass, client)).match(/^ {4}age: .*$/gm)).toEqual([`    age: '${AGE_KEYS[1]}'`, `    age: '${AGE_KEYS[1]}'`]);
  });

  it("refuses an alias that names the primary or a single-Region key", async () => {
    const client = kms();
    mockClient(client)
      .on(DescribeKeyCommand)
      .resolvesOnce({
        KeyMetadata: { KeyId: "mrk-1", Arn: PRIMARY, MultiRegionConfiguration: { MultiRegionKeyType: "PRIMARY", PrimaryKey: { Arn: PRIMARY } } },
      })
      .resolvesOnce({ KeyMetadata: { KeyId: "k", Arn: "arn:aws:kms:us-east-2:123456789012:key/k" } });
    await expect(describeSopsKeys(recovery, primary, client)).rejects.toThrow(
      `alias/acme-sops-us-east-1 in us-east-2 names ${PRIMARY}, which is not a multi-Region replica (MultiRegionKeyType PRIMARY); it must name the replica of the SOPS key of us-east-1`,
    );
    await expect(describeSopsKeys(recovery, primary, client)).rejects.toThrow(
      "alias/acme-sops-us-east-1 in us-east-2 names arn:aws:kms:us-east-2:123456789012:key/k, which is not a multi-Region replica (MultiRegionKeyType none); it must name the replica of the SOPS key of us-east-1",
    );
  });

  it("passes on errors other than a missing alias unchanged", async () => {
    const client = kms();
    mockClient(client)
      .on(DescribeKeyCommand)
      .rejects(Object.assign(new Error("not allowed"), { name: "AccessDeniedException" }));
    await expect(describeSopsKeys(recovery, primary, client)).rejects.toThrow("not allowed");
  });
});
