import * as fs from "fs";
import * as path from "path";
import { REPO } from "../support/run";

/**
 * Each AWS fact is read in exactly one place (docs: STYLE.md, "Operations"): every SDK command
 * class is constructed in one file of lib/ and cli/, every client comes from the one factory,
 * and the newest archive is found by one probe that every command needing it calls.
 */

/** Every .ts file under the given folders of the repository, relative, with `/`. */
function sources(...folders: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts")) found.push(path.relative(REPO, full).split(path.sep).join("/"));
    }
  };
  folders.forEach((folder) => walk(path.join(REPO, folder)));
  return found.sort();
}

const read = (file: string) => fs.readFileSync(path.join(REPO, file), "utf8");

/** For each match of `pattern` (its first group), the files it occurs in. */
function filesBy(pattern: RegExp, files: readonly string[]): Record<string, string[]> {
  const byName: Record<string, string[]> = {};
  for (const file of files) {
    for (const match of read(file).matchAll(pattern)) {
      const names = (byName[match[1]] ??= []);
      if (!names.includes(file)) names.push(file);
    }
  }
  return byName;
}

const LIBRARY = sources("lib", "cli");

it("constructs each AWS SDK command class in exactly one file", () => {
  const byCommand = filesBy(/new ([A-Z][A-Za-z0-9]*Command)\(/g, LIBRARY);
  expect(Object.keys(byCommand)).toEqual(expect.arrayContaining(["DescribeDBInstanceAutomatedBackupsCommand", "ListObjectsV2Command", "GetObjectCommand"]));
  const shared = Object.entries(byCommand).filter(([, files]) => files.length > 1);
  expect(shared).toEqual([]);
});

it("reads the replicated automated backups in one probe", () => {
  expect(filesBy(/new (DescribeDBInstanceAutomatedBackupsCommand)\(/g, LIBRARY)).toEqual({
    DescribeDBInstanceAutomatedBackupsCommand: ["lib/operations/probes/replicated-backups.ts"],
  });
});

it("makes every AWS client in the one factory (short timeouts, outage retries)", () => {
  expect(filesBy(/new ([A-Z][A-Za-z0-9]*Client)\(/g, LIBRARY)).toEqual({});
  expect(filesBy(/(requestTimeout|connectionTimeout):/g, LIBRARY)).toEqual({
    connectionTimeout: ["lib/operations/aws/clients.ts"],
    requestTimeout: ["lib/operations/aws/clients.ts"],
  });
});

it("finds the newest archive in one probe, by its manifest, and every command that needs it calls that probe", () => {
  // The archive layout (prefix, manifest file, key parser) is named in lib/naming.ts and read by one probe.
  const layout = filesBy(/\b(ARCHIVE_PREFIX|ARCHIVE_MANIFEST_FILE|parseArchiveKey)\b/g, LIBRARY);
  const readers = [...new Set(Object.values(layout).flat())].filter((file) => file !== "lib/naming.ts").sort();
  // The schema checks the shape of an archive key the operator names (database.restoredFrom.archiveKey); it finds no archive.
  expect(readers).toEqual(["lib/environment/sections/database.ts", "lib/operations/probes/newest-archive.ts"]);
  expect(layout.parseArchiveKey).toContain("lib/environment/sections/database.ts");
  // No other file parses the layout's stamped keys (<prefix>/.../<YYYYMMDDTHHMMSSZ>/...) by itself.
  expect(LIBRARY.filter((file) => file !== "lib/naming.ts" && /d\{8\}T\\+d\{6\}Z/.test(read(file)))).toEqual([]);
  expect(filesBy(/\b(probeNewestArchive)\(/g, LIBRARY).probeNewestArchive.sort()).toEqual([
    "lib/operations/from-vault-archive.ts",
    "lib/operations/from-vault-check.ts",
    "lib/operations/probes/newest-archive.ts",
    "lib/operations/status.ts",
    "lib/operations/verify-backup-steps.ts",
    "lib/operations/verify-backup.ts",
  ]);
});

it("makes an environment's names in one place, with its bucket suffix: globalNames is called by environmentNames only", () => {
  // A call with a project and a region would name the buckets without the environment's bucketSuffix.
  const everywhere = sources("lib", "stacks", "app", "cli", "scripts");
  expect(everywhere.filter((file) => /\bglobalNames\(/.test(read(file)))).toEqual(["lib/naming.ts"]);
  expect(read("lib/naming.ts").match(/\bglobalNames\(/g)).toHaveLength(2);
});
