import * as fs from "fs";
import * as path from "path";
import { BACKUP_SCRIPTS_DIR, scriptFiles } from "../../lib/backup/job-parts";
import { synthShipped } from "../support/shipped";
import { tempDir } from "../support/temp";

const SOURCED = /^\s*\. "\$here\/([A-Za-z0-9._-]+)"\s*$/gm;
const sourcedBy = (text: string) => [...text.matchAll(SOURCED)].map((m) => m[1]);
const read = (name: string) => fs.readFileSync(path.join(BACKUP_SCRIPTS_DIR, name), "utf8");

describe("the job scripts' files", () => {
  it("carries what a script sources after it, once, and the files named as they are", () => {
    expect(Object.keys(scriptFiles("archive-database.sh", "table-checksums.sql"))).toEqual(["archive-database.sh", "script-common.sh", "table-checksums.sql"]);
    const files = scriptFiles("restore-test.sh", "verify-archive.sh", "table-checksums.sql");
    expect(Object.keys(files)).toEqual(["restore-test.sh", "script-common.sh", "verify-archive.sh", "table-checksums.sql"]);
    for (const [name, text] of Object.entries(files)) expect(text).toBe(read(name));
    expect(Object.keys(scriptFiles("broker-definitions.sh"))).toEqual(["broker-definitions.sh"]);
  });

  it("the archive scripts share script-common.sh: each sets its name and sources it, and its messages carry that name", () => {
    for (const [file, name] of [
      ["archive-database.sh", "archive-database"],
      ["verify-archive.sh", "verify-archive"],
      ["restore-test.sh", "restore-test"],
    ]) {
      expect(sourcedBy(read(file))).toEqual(["script-common.sh"]);
      expect(read(file)).toContain(`\nSCRIPT=${name}\n`);
      expect(read(file)).not.toMatch(/^(fail|require)\(\) \{/m);
    }
  });

  it("every ConfigMap of the shipped stacks that carries a script carries each file it sources", () => {
    const outdir = tempDir("job-parts-");
    synthShipped(outdir);
    const missing: string[] = [];
    let scripts = 0;
    for (const stack of fs.readdirSync(path.join(outdir, "stacks"))) {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
      for (const [id, map] of Object.entries((json.resource?.kubernetes_config_map_v1 ?? {}) as Record<string, { data?: Record<string, string> }>)) {
        for (const [file, text] of Object.entries(map.data ?? {})) {
          if (!file.endsWith(".sh")) continue;
          scripts += 1;
          for (const needed of sourcedBy(text)) if (!(needed in map.data!)) missing.push(`${stack} ${id}: ${file} sources ${needed}`);
        }
      }
    }
    expect(scripts).toBeGreaterThan(3);
    expect(missing).toEqual([]);
  });
});
