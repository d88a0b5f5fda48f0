import type { KMSClient } from "@aws-sdk/client-kms";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../environment";
import { AGE_RECIPIENT } from "../environment/sections/flux";
import { drCommand, regionalNames } from "../naming";
import { sopsReplicaFix } from "./checks/preflight/sops-key";
import { probeSopsKey } from "./probes/sops-key";

/**
 * The `.sops.yaml` of the platform-k8s repository for a recovery region. SOPS encrypts a file's
 * data key once for every KMS ARN of the matching creation rule and, to decrypt, calls KMS in the
 * region written in the ARN it tries (sops `kms/keysource.go`); it never swaps a region for another.
 * A multi-Region replica shares its primary's key material, but a file that lists only the
 * primary's ARN still sends every decryption to the primary's region, which is dark during the
 * outage the recovery is for. So every rule lists both ARNs, and in the order the files are
 * decrypted in: SOPS tries a file's keys in the order it lists them (the order of its creation
 * rule), so a file the recovery region decrypts lists the replica first, or every decryption there
 * first waits for the dark region's KMS to time out. Only the primary's cluster folder keeps the
 * primary's key first.
 */

/** The two ARNs of the SOPS key: the primary's multi-Region key and its replica in the recovery region. */
export interface SopsKeyArns {
  /** The multi-Region primary key, in the primary environment's region. */
  readonly primaryArn: string;
  /** Its replica, in the recovery environment's region. */
  readonly replicaArn: string;
}

/** Where the keys are expected; the header of the printed file names them. */
export interface SopsConfigContext {
  readonly primaryRegion: string;
  readonly recoveryRegion: string;
  /** KMS alias of the key in both regions, e.g. `alias/acme-sops-us-east-1`. */
  readonly alias: string;
  /** The primary's cluster folder in the repository (its `flux.path`): only it keeps the primary's key first. */
  readonly primaryPath: string;
  /**
   * age public keys every file is also encrypted for (the primary's `flux.breakGlassAgeRecipients`):
   * their offline private keys decrypt the files when the account and its KMS keys are gone.
   * @default [] (none)
   */
  readonly ageRecipients?: readonly string[];
}

/** Files the rules encrypt, matched by sops against the path relative to the `.sops.yaml`. */
export const SOPS_PATH_REGEX = String.raw`(^|/)clusters/.+\.sops\.yaml$`;

/** The files of one folder of the repository (a cluster's `flux.path`), as a creation rule matches them. */
export function sopsFolderRegex(folder: string): string {
  const clean = folder.replace(/^\.?\/+/, "").replace(/\/+$/, "");
  return `(^|/)${clean.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/.+\\.sops\\.yaml$`;
}
/** Only the values of Kubernetes Secrets are encrypted; names and labels stay readable in reviews. */
export const SOPS_ENCRYPTED_REGEX = "^(data|stringData)$";

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/(mrk-[0-9a-f-]+)$/;

/** Why the ARNs cannot be the primary and replica of one multi-Region key; empty when they can. */
export function sopsKeyArnProblems(keys: SopsKeyArns, context: SopsConfigContext): string[] {
  const problems: string[] = [];
  const parts = (name: "primaryArn" | "replicaArn", region: string) => {
    const match = KMS_KEY_ARN.exec(keys[name]);
    if (!match) {
      problems.push(
        `${name} must be the ARN of a multi-Region KMS key like arn:aws:kms:${region}:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab (got ${JSON.stringify(keys[name])})`,
      );
      return undefined;
    }
    if (match[1] !== region) problems.push(`${name} must be in ${region} (got ${JSON.stringify(keys[name])})`);
    return { account: match[2], keyId: match[3] };
  };
  const primary = parts("primaryArn", context.primaryRegion);
  const replica = parts("replicaArn", context.recoveryRegion);
  if (primary && replica && (primary.account !== replica.account || primary.keyId !== replica.keyId)) {
    problems.push(
      `replicaArn must have the account and key id of primaryArn, as a replica does (got ${JSON.stringify(keys.replicaArn)} for ${JSON.stringify(keys.primaryArn)})`,
    );
  }
  return problems;
}

/** The `.sops.yaml` text: a header saying why both ARNs are there, and the creation rule. */
export function formatSopsConfig(keys: SopsKeyArns, context: SopsConfigContext): string {
  const problems = [
    ...sopsKeyArnProblems(keys, context),
    ...(context.ageRecipients ?? [])
      .filter((recipient) => !AGE_RECIPIENT.test(recipient))
      .map((recipient) => `ageRecipients must be age public keys like age1 and 58 bech32 characters (got ${JSON.stringify(recipient)})`),
  ];
  if (problems.length > 0) throw new Error(`formatSopsConfig: ${problems.join("; ")}`);
  const { primaryRegion: p, recoveryRegion: r } = context;
  const age = context.ageRecipients ?? [];
  const ageLine = age.length === 0 ? [] : [`    age: '${age.join(",")}'`];
  return [
    `# .sops.yaml of the platform-k8s repository, printed by: ${drCommand("sops-config", r)}`,
    "#",
    `# The rules list two KMS keys: the SOPS key of ${p} and its multi-Region replica in ${r}`,
    `# (${context.alias} in both regions). SOPS encrypts each file's data key for every ARN listed`,
    "# and decrypts with whichever it can reach, calling KMS in the region written in the ARN; it",
    `# never falls back to another region on its own. A file that lists only the ${p} key cannot`,
    `# be decrypted while ${p} is down, although the replica holds the same key material. With`,
    `# both ARNs, Flux in ${r} decrypts with the replica.`,
    "#",
    `# SOPS tries the keys in the order listed: the files Flux decrypts in ${r} (everything but`,
    `# ${context.primaryPath}) list the ${r} replica first, so a decryption there never waits for`,
    `# ${p}'s KMS to time out; ${context.primaryPath} keeps the ${p} key first. The first matching`,
    "# rule wins.",
    "#",
    "# After changing this file, run `sops updatekeys -y <file>` on every encrypted file while",
    `# ${p} is up (it decrypts each data key with the ${p} key to add the replica's); to change`,
    "# only the order of a file's keys, decrypt and encrypt it again (preflight --platform-repo says which).",
    ...(age.length === 0
      ? []
      : [
          "#",
          `# Break glass: every rule also lists the age key${age.length > 1 ? "s" : ""} of flux.breakGlassAgeRecipients (${p}'s file).`,
          "# Their private keys are kept offline, outside AWS: with SOPS_AGE_KEY_FILE they decrypt every",
          "# file when the account and both KMS keys are gone (docs/gitops.md, Break-glass decryption).",
        ]),
    "creation_rules:",
    `  - path_regex: '${sopsFolderRegex(context.primaryPath)}'`,
    `    encrypted_regex: '${SOPS_ENCRYPTED_REGEX}'`,
    `    kms: '${keys.primaryArn},${keys.replicaArn}'`,
    ...ageLine,
    `  - path_regex: '${SOPS_PATH_REGEX}'`,
    `    encrypted_regex: '${SOPS_ENCRYPTED_REGEX}'`,
    `    kms: '${keys.replicaArn},${keys.primaryArn}'`,
    ...ageLine,
    "",
  ].join("\n");
}

/**
 * Reads both ARNs from one call in the recovery region (never the primary's, which may be dark):
 * KMS DescribeKey on the SOPS alias there returns the replica and names its primary.
 */
export async function describeSopsKeys(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, kms: KMSClient): Promise<SopsKeyArns> {
  const found = await probeSopsKey(kms, primary, recovery.region);
  if (!found.ok) throw new Error(`${found.failure.call} in ${found.failure.region} failed: ${found.failure.description}`);
  const { alias, key } = found.value;
  if (!key) {
    throw new Error(
      `no KMS key with alias ${alias} in ${recovery.region}: the replica of the SOPS key of ${primary.region} is missing. Fix: ${sopsReplicaFix(primary, recovery)}`,
    );
  }
  if (!key.arn || key.multiRegionType !== "REPLICA" || !key.primaryKeyArn) {
    throw new Error(
      `${alias} in ${recovery.region} names ${key.arn ?? "a key"}, which is not a multi-Region replica (MultiRegionKeyType ${key.multiRegionType ?? "none"}); it must name the replica of the SOPS key of ${primary.region}`,
    );
  }
  return { primaryArn: key.primaryKeyArn, replicaArn: key.arn };
}

/** `sops-config <region>`: the `.sops.yaml` for a recovery region, from KMS in that region. */
export async function sopsConfigFor(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, kms: KMSClient): Promise<string> {
  const keys = await describeSopsKeys(recovery, primary, kms);
  return formatSopsConfig(keys, {
    primaryRegion: primary.region,
    recoveryRegion: recovery.region,
    alias: regionalNames(primary.project, primary.region).sopsKeyAlias,
    primaryPath: primary.flux.path,
    ageRecipients: primary.flux.breakGlassAgeRecipients,
  });
}
