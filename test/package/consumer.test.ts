import * as fs from "fs";
import * as path from "path";
import { copyRepository } from "../support/repo-copy";
import { REPO, run, type RunResult } from "../support/run";
import { tempDir } from "../support/temp";

/**
 * The package as another team gets it: built from a copy of the sources (the repository's own
 * dist/, which other tests run, is left alone), packed with `npm pack`, installed from the tarball
 * into a project in the system temp folder (no node_modules or sources of this repository above
 * it), its peers from the npm cache first. The project's app is the README's example; it is
 * type-checked with the project's own tsc and synthesized.
 */
jest.setTimeout(600_000);

const PEERS = ["cdktf@0.21.0", "constructs@10.4.5", "@cdktf/provider-aws@20.1.0", "@cdktf/provider-kubernetes@12.1.1", "@cdktf/provider-helm@12.1.2"];
const TOOLS = ["typescript@5.9.3", "@types/node@20.19.43"];
const EXAMPLE_MARKER = "<!-- example: another team's main.ts";

const timings: string[] = [];
function timed(step: string, work: () => RunResult): RunResult {
  const start = Date.now();
  const result = work();
  timings.push(`${step} ${((Date.now() - start) / 1000).toFixed(1)} s`);
  if (result.status !== 0) throw new Error(`${step} failed (${result.status}):\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
  return result;
}

/** The first ```ts block after the README's example marker. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
  const start = readme.indexOf(EXAMPLE_MARKER);
  expect(start).toBeGreaterThan(0);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(start));
  if (!block) throw new Error("README: no ts block after the example marker");
  return block[1];
}

let consumer: string;
let packed: { files: { path: string }[] };
let tarball: string;

beforeAll(() => {
  const copy = copyRepository();
  timed("build (npm run build in a copy)", () => run("node", ["scripts/build.mjs"], { cwd: copy, timeoutMs: 300_000 }));
  // --ignore-scripts: `prepare` would build again and reinstall tools/helm, which other tests use.
  const packDir = tempDir("dr-platform-pack-");
  const pack = timed("npm pack", () => run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", packDir], { cwd: copy }));
  packed = JSON.parse(pack.stdout)[0];
  tarball = path.join(packDir, (packed as unknown as { filename: string }).filename);

  consumer = tempDir("dr-platform-consumer-");
  expect(path.relative(REPO, consumer).startsWith("..")).toBe(true);
  fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "reports-dr", version: "1.0.0", private: true }, null, 2));
  timed("npm install (tarball, peers, typescript; npm cache first)", () =>
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball, ...PEERS, ...TOOLS], {
      cwd: consumer,
      timeoutMs: 400_000,
    }),
  );
  fs.writeFileSync(path.join(consumer, "main.ts"), readmeExample());
  // The team's environment files: this repository's, importing the package's entry point.
  fs.mkdirSync(path.join(consumer, "environments"));
  for (const name of ["us-east-1.ts", "us-east-2.ts"]) {
    const shipped = fs.readFileSync(path.join(REPO, "environments", name), "utf8");
    fs.writeFileSync(path.join(consumer, "environments", name), shipped.replace('from "../lib/environment"', 'from "dr-platform/environment"'));
  }
  fs.writeFileSync(
    path.join(consumer, "tsconfig.json"),
    JSON.stringify({
      // cdktf's TypeScript template (CommonJS, ES2018, TypeScript's `node` resolution: the package's
      // typesVersions), but with skipLibCheck off so that the package's declarations are checked
      // too (zod's then need esModuleInterop).
      compilerOptions: {
        alwaysStrict: true,
        declaration: true,
        lib: ["es2018"],
        module: "CommonJS",
        noEmitOnError: true,
        noImplicitAny: true,
        noImplicitReturns: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        strict: true,
        target: "ES2018",
        skipLibCheck: false,
        esModuleInterop: true,
        outDir: "dist",
        rootDir: ".",
        types: ["node"],
      },
      include: ["main.ts", "environments/*.ts"],
    }),
  );
});

afterAll(() => {
  console.log(`package test: ${timings.join("; ")}`);
});

describe("the packed package", () => {
  const files = () => packed.files.map((f) => f.path);

  it("holds the compiled library, stacks, app, declarations and job scripts", () => {
    expect(files()).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "dist/lib/index.js",
        "dist/lib/index.d.ts",
        "dist/lib/constructs/index.js",
        "dist/lib/constructs/index.d.ts",
        "dist/lib/environment/index.d.ts",
        "dist/lib/operations/index.js",
        "dist/app/index.js",
        "dist/stacks/workloads-stack.js",
        "dist/backup/archive-database.sh",
        "dist/backup/script-common.sh",
        "dist/backup/table-checksums.sql",
        "dist/backup/verify-archive.sh",
      ]),
    );
  });

  it("leaves out the repository's own app, environments, build record, sources, scripts and tests", () => {
    const outside = files().filter(
      (f) =>
        !f.startsWith("dist/") ||
        f === "dist/main.js" ||
        f.startsWith("dist/environments/") ||
        f === "dist/build-info.json" ||
        (f.endsWith(".ts") && !f.endsWith(".d.ts")),
    );
    expect(outside.sort()).toEqual(["README.md", "package.json"]);
  });
});

describe("another team's project", () => {
  const node = (script: string) => run("node", ["-e", script], { cwd: consumer });

  it("installs one cdktf, its own, with the package's dependencies", () => {
    expect(fs.existsSync(path.join(consumer, "node_modules/dr-platform/node_modules/cdktf"))).toBe(false);
    const resolved = node('console.log(require.resolve("dr-platform/constructs"), require.resolve("cdktf"))').stdout.trim().split(" ");
    expect(resolved).toEqual([
      path.join(consumer, "node_modules/dr-platform/dist/lib/constructs/index.js"),
      path.join(consumer, "node_modules/cdktf/lib/index.js"),
    ]);
  });

  it("loads the constructs without the AWS SDK, which only operations load", () => {
    const sdk = (entry: string) =>
      JSON.parse(
        node(`require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(require.cache).filter((m) => m.includes("/@aws-sdk/"))))`).stdout,
      );
    expect(sdk("dr-platform/constructs")).toEqual([]);
    expect(sdk("dr-platform")).toEqual([]);
    expect(sdk("dr-platform/stacks")).toEqual([]);
    expect(sdk("dr-platform/operations").length).toBeGreaterThan(0);
  });

  it("installs the command when the package has one", () => {
    expect(fs.existsSync(path.join(consumer, "node_modules/.bin/dr-platform"))).toBe(fs.existsSync(path.join(REPO, "cli/main.ts")));
  });

  it("type-checks and compiles the README's app with its own tsc", () => {
    timed("tsc (the consumer's)", () => run("node", [path.join(consumer, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: consumer }));
    expect(fs.existsSync(path.join(consumer, "dist/main.js"))).toBe(true);
  });

  describe("synthesized", () => {
    let read: (stack: string) => any;

    beforeAll(() => {
      if (!fs.existsSync(path.join(consumer, "dist/main.js"))) throw new Error("the consumer did not compile");
      const out = path.join(consumer, "cdktf.out");
      timed("synth (node dist/main.js)", () => run("node", ["dist/main.js"], { cwd: consumer, env: { CDKTF_OUTDIR: out } }));
      read = (stack) => JSON.parse(fs.readFileSync(path.join(out, "stacks", stack, "cdk.tf.json"), "utf8"));
    });

    it("makes the platform's stacks for the team's environment files and the team's own stack", () => {
      const manifest = JSON.parse(fs.readFileSync(path.join(consumer, "cdktf.out/manifest.json"), "utf8"));
      expect(Object.keys(manifest.stacks)).toEqual(expect.arrayContaining(["networking-us-east-1", "workloads-us-east-2", "reports-us-east-1"]));
    });

    it("builds the team's stack from DrAssetsBucket, HostingServicesBucket, BackupUser and FluxBootstrap", () => {
      const json = read("reports-us-east-1");
      const byPath = (type: string, suffix: string) => {
        const found = Object.values(json.resource[type] ?? {}).filter((r: any) => r["//"].metadata.path.endsWith(suffix));
        expect({ type, suffix, count: found.length }).toEqual({ type, suffix, count: 1 });
        return found[0] as any;
      };
      const replication = byPath("aws_s3_bucket_replication_configuration", "/dr-assets/resource");
      expect(replication.rule[0].id).toBe("DR Replication");
      expect(byPath("aws_s3_bucket", "/dr-assets/replica/resource").bucket).toBe("reports-dr-assets-us-east-1");
      expect(byPath("aws_s3_bucket", "/archives/bucket/resource").bucket).toBe("reports-archives-us-east-1");
      expect(byPath("aws_s3_bucket_object_lock_configuration", "/archives/object-lock").rule.default_retention).toEqual({ days: 90, mode: "GOVERNANCE" });
      expect(byPath("aws_iam_user", "/backup-user/resource").name).toBe("reports-backups-us-east-1");
      const userPolicy = JSON.parse(byPath("aws_iam_user_policy", "/backup-user/policy").policy);
      expect(userPolicy.Statement.map((s: any) => s.Action)).toEqual([["s3:ListBucket"], "s3:PutObject", ["kms:GenerateDataKey", "kms:Decrypt"]]);
      const key = byPath("aws_kms_key", "/archive-key/resource");
      expect(
        byPath("aws_s3_bucket_server_side_encryption_configuration", "/archives/bucket/encryption").rule[0].apply_server_side_encryption_by_default,
      ).toEqual({
        sse_algorithm: "aws:kms",
        kms_master_key_id: `\${aws_kms_key.${key["//"].metadata.uniqueId}.arn}`,
      });
      expect(byPath("helm_release", "/flux/flux2").chart).toBe("flux2");
    });

    it("finds the job scripts in the installed package (the archive CronJob carries archive-database.sh)", () => {
      const script = fs.readFileSync(path.join(REPO, "backup/archive-database.sh"), "utf8");
      const configMaps = Object.values(read("workloads-us-east-1").resource.kubernetes_config_map_v1) as any[];
      const archive = configMaps.find((c) => c.metadata.name === "database-archive");
      expect(archive.data["archive-database.sh"]).toBe(script.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{"));
    });

    it("runs the policy pack on the team's stack: a violation stops the synth with the rule and the fix", () => {
      fs.writeFileSync(
        path.join(consumer, "violation.js"),
        [
          'const { App, TerraformStack } = require("cdktf");',
          'const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");',
          'const { S3Bucket } = require("@cdktf/provider-aws/lib/s3-bucket");',
          'const { applyPolicy } = require("dr-platform/policy");',
          'const app = new App({ outdir: "violation.out" });',
          'const stack = new TerraformStack(app, "violation");',
          'new AwsProvider(stack, "aws", { region: "us-east-1" });',
          'new S3Bucket(stack, "bare", { bucket: "reports-bare" });',
          "applyPolicy(stack);",
          "app.synth();",
        ].join("\n"),
      );
      const result = run("node", ["violation.js"], { cwd: consumer });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/\[violation\/bare\] \[DR-S3-\d+\] .* Fix: /);
    });
  });
});
