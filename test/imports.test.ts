import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO } from "./support/run";

/**
 * Whole-package imports of the provider bindings load every resource class (~2.8 s and ~535 MB
 * for @cdktf/provider-aws, measured); deep imports load one (~0.3 s, ~74 MB). This check keeps it
 * that way in every TypeScript file of the repository.
 */
const WHOLE_PACKAGE = /(?:from\s+|require\(\s*|import\(\s*)["']@cdktf\/provider-[a-z0-9-]+["']/;

function sourceFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts"], { cwd: REPO, encoding: "utf8" });
  return listed.split("\n").filter((f) => f && fs.existsSync(path.join(REPO, f)));
}

describe("provider imports", () => {
  it("finds the sources it checks", () => {
    const files = sourceFiles();
    expect(files).toEqual(expect.arrayContaining(["main.ts", "lib/constructs/vpc.ts", "stacks/gitops-stack.ts"]));
  });

  it("recognizes a whole-package import", () => {
    // Built from parts so that this file does not itself contain the import it forbids.
    const aws = ["@cdktf", "provider-aws"].join("/");
    const helm = ["@cdktf", "provider-helm"].join("/");
    expect(WHOLE_PACKAGE.test(`import { S3Bucket } from "${aws}";`)).toBe(true);
    expect(WHOLE_PACKAGE.test(`const aws = require('${helm}');`)).toBe(true);
    expect(WHOLE_PACKAGE.test('import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";')).toBe(false);
  });

  it("uses deep imports only", () => {
    const offenders = sourceFiles().flatMap((file) =>
      fs
        .readFileSync(path.join(REPO, file), "utf8")
        .split("\n")
        .map((line, i) => [file, i + 1, line] as const)
        .filter(([, , line]) => WHOLE_PACKAGE.test(line) && !line.includes("WHOLE_PACKAGE.test"))
        .map(([f, n, line]) => `${f}:${n}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });
});
