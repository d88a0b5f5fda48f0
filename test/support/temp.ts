import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const created: string[] = [];

/** A fresh folder under the system temp folder, removed after the test file. */
export function tempDir(prefix = "dr-platform-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Writes `files` (name -> content) into `<parent>/environments` and returns that folder. */
export function environmentsFolder(files: Record<string, string>, parent = tempDir()): string {
  const dir = path.join(parent, "environments");
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

/** An environment file exporting `value` as a plain object. */
export function environmentFile(value: unknown): string {
  return `export default ${JSON.stringify(value, null, 2)};\n`;
}

afterAll(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
