import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";

/** A SOPS-encrypted file of a repository checkout and the KMS key ARNs its data key is encrypted for. */
export interface SopsFile {
  /** Path relative to the checkout, with `/` separators. */
  readonly file: string;
  /** `sops.kms[].arn`, in file order, of every document of the file. */
  readonly kmsArns: readonly string[];
  /** `sops.age[].recipient` of every document of the file (the break-glass keys it is encrypted for). */
  readonly ageRecipients: readonly string[];
}

/** Folders that never hold the repository's own manifests. */
const SKIPPED_FOLDERS = new Set([".git", "node_modules"]);
const YAML_FILE = /\.ya?ml$/;
const JSON_FILE = /\.json$/;

/**
 * The ARNs of a parsed document when it is SOPS-encrypted with KMS: a top-level `sops` map with a
 * non-empty `kms` list (sops writes one entry per key, each with its `arn`); undefined otherwise.
 * A `.sops.yaml` configuration has `creation_rules`, not `sops`, so it is not one.
 */
export function sopsKmsArns(document: unknown): string[] | undefined {
  if (!isMap(document) || !isMap(document.sops)) return undefined;
  const kms = document.sops.kms;
  if (!Array.isArray(kms) || kms.length === 0) return undefined;
  return kms.map((entry) => (isMap(entry) && typeof entry.arn === "string" ? entry.arn : "")).filter((arn) => arn !== "");
}

/** `sops.age[].recipient` of a parsed SOPS document (none when it has no age list). */
export function sopsAgeRecipients(document: unknown): string[] {
  if (!isMap(document) || !isMap(document.sops) || !Array.isArray(document.sops.age)) return [];
  return document.sops.age.map((entry) => (isMap(entry) && typeof entry.recipient === "string" ? entry.recipient : "")).filter((r) => r !== "");
}

/** The KMS ARNs and age recipients of one file's text. */
export interface SopsKeys {
  readonly kmsArns: string[];
  readonly ageRecipients: string[];
}

/**
 * The KMS ARNs (and age recipients) of one file's text, or undefined when it is not a SOPS file
 * encrypted with KMS (or not valid YAML or JSON). A YAML file may hold several documents (`---`);
 * the keys of each encrypted one are collected.
 */
export function parseSopsFile(name: string, text: string): SopsKeys | undefined {
  const keysOf = (document: unknown): SopsKeys | undefined => {
    const kmsArns = sopsKmsArns(document);
    return kmsArns && { kmsArns, ageRecipients: sopsAgeRecipients(document) };
  };
  if (JSON_FILE.test(name)) {
    try {
      return keysOf(JSON.parse(text));
    } catch {
      return undefined;
    }
  }
  if (!YAML_FILE.test(name)) return undefined;
  let found: SopsKeys | undefined;
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) return undefined;
    const keys = keysOf(document.toJS());
    if (keys) found = { kmsArns: [...(found?.kmsArns ?? []), ...keys.kmsArns], ageRecipients: [...(found?.ageRecipients ?? []), ...keys.ageRecipients] };
  }
  return found;
}

/** Every SOPS file encrypted with KMS under `root`, sorted by path. */
export function findSopsFiles(root: string): SopsFile[] {
  const found: SopsFile[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(full);
        continue;
      }
      if (!entry.isFile() || !(YAML_FILE.test(entry.name) || JSON_FILE.test(entry.name))) continue;
      const keys = parseSopsFile(entry.name, fs.readFileSync(full, "utf8"));
      if (keys) found.push({ file: path.relative(root, full).split(path.sep).join("/"), ...keys });
    }
  };
  walk(root);
  return found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The SOPS files of a checkout of the platform-k8s repository; `folder: false` when the path is not a folder. */
export type SopsCheckout = { readonly folder: false } | { readonly folder: true; readonly files: readonly SopsFile[] };

export function probeSopsFiles(checkout: string): SopsCheckout {
  if (!fs.existsSync(checkout) || !fs.statSync(checkout).isDirectory()) return { folder: false };
  return { folder: true, files: findSopsFiles(checkout) };
}
