import * as fs from "fs";
import * as path from "path";
import { REPO } from "./run";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const LongestFirst = require("./sequencer") as { new (): { sort(tests: FakeTest[]): Promise<FakeTest[]> }; LONGEST: string[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const JestSequencer = require("@jest/test-sequencer").default as { new (): { sort(tests: FakeTest[]): FakeTest[] } };

interface FakeTest {
  readonly path: string;
  readonly context: { readonly config: { readonly cache: boolean; readonly rootDir: string }; readonly hasteFS: { getSize(p: string): number } };
  duration?: number;
}

/** Every test file of the repository as a runner without Jest's timing cache sees it (the sizes are the files' own). */
function freshRunnerTests(): FakeTest[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".test.ts")) files.push(full);
    }
  };
  walk(path.join(REPO, "test"));
  const context = { config: { cache: false, rootDir: REPO }, hasteFS: { getSize: (p: string) => fs.statSync(p).size } };
  return files.map((p) => ({ path: p, context }));
}

const position = (tests: FakeTest[], relative: string) => tests.findIndex((t) => t.path === path.join(REPO, relative));

describe("test order on a runner without Jest's timing cache", () => {
  it("names suites that exist", () => {
    for (const suite of LongestFirst.LONGEST) expect(fs.existsSync(path.join(REPO, suite))).toBe(true);
  });

  it("Jest's own order (by file size) would start the drill in the second half of the queue", () => {
    const tests = freshRunnerTests();
    expect(position(new JestSequencer().sort(tests), "test/e2e/dr-drill.test.ts")).toBeGreaterThan(tests.length / 2);
  });

  it("starts the DR drill first, the warm standby's drill second, and keeps Jest's order for every other suite", async () => {
    const tests = freshRunnerTests();
    const longest = ["test/e2e/dr-drill.test.ts", "test/e2e/warm-standby-drill.test.ts"].map((suite) => path.join(REPO, suite));
    const jest = new JestSequencer().sort([...tests]).filter((t) => !longest.includes(t.path));
    const ours = await new LongestFirst().sort([...tests]);
    expect(ours.slice(0, 2).map((t) => t.path)).toEqual(longest);
    expect(ours.slice(2).map((t) => t.path)).toEqual(jest.map((t) => t.path));
  });
});
