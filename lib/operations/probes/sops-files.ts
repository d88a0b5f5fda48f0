import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";

/** A SOPS-encrypted file of a repository checkout and the KMS key ARNs its data key is encrypted for. */
export interface SopsFile {
  /** Path relative to the checkout, with `/` separators. */
  readonly file: string;
  /** `sops.kms[].arn`, in file order, of every document of the file. */
  readonly kmsArns: readonly string[];
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

/**
 * The KMS ARNs of one file's text, or undefined when it is not a SOPS file encrypted with KMS (or
 * not valid YAML or JSON). A YAML file may hold several documents (`---`); the ARNs of each
 * encrypted one are collected.
 */
export function parseSopsFile(name: string, text: string): string[] | undefined {
  if (JSON_FILE.test(name)) {
    try {
      return sopsKmsArns(JSON.parse(text));
    } catch {
      return undefined;
    }
  }
  if (!YAML_FILE.test(name)) return undefined;
  let found: string[] | undefined;
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) return undefined;
    const arns = sopsKmsArns(document.toJS());
    if (arns) found = [...(found ?? []), ...arns];
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
      const kmsArns = parseSopsFile(entry.name, fs.readFileSync(full, "utf8"));
      if (kmsArns) found.push({ file: path.relative(root, full).split(path.sep).join("/"), kmsArns });
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
