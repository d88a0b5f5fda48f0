import * as fs from "fs";
import * as path from "path";
import { synthShipped } from "./support/shipped";
import { tempDir } from "./support/temp";

/** Every file below `dir`, relative path -> content. */
function tree(dir: string, prefix = ""): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) for (const [f, c] of tree(dir, relative)) files.set(f, c);
    else files.set(relative, fs.readFileSync(path.join(dir, relative), "utf8"));
  }
  return files;
}

it("two synths of the same environments are byte-identical", () => {
  const first = tempDir("determinism-a-");
  const second = tempDir("determinism-b-");
  synthShipped(first);
  synthShipped(second);
  const a = tree(first);
  const b = tree(second);
  // The state bootstrap, the pair's dns stack, the primary's vault stack, the recovery's standby and replication stacks, five layers per region.
  expect([...a.keys()].filter((f) => f.endsWith("cdk.tf.json"))).toHaveLength(15);
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  for (const [file, content] of a) expect({ file, same: b.get(file) === content }).toEqual({ file, same: true });
});
