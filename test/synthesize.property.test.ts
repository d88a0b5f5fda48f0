import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { ConfigurationError } from "../lib/environment";
import { KNOWN_REGIONS } from "../lib/environment/regions";
import { synthesize } from "../app/synthesize";
import { primaryInput, recoveryInput } from "./support/environments";
import { tempDir } from "./support/temp";

/**
 * Hostile environment files: random mutations of valid environments (wrong types, missing and
 * unknown fields, bad CIDRs, zones of other regions, duplicate regions, drRegion == region,
 * recoveryOf pointing nowhere, names too long for S3 or IAM). Every run must end in a complete
 * synth or in the schema's error list, never in another exception or a half-written output.
 */
jest.setTimeout(300_000);

const anyValue = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);
const regionLike = fc.oneof(fc.constantFrom(...KNOWN_REGIONS), fc.constantFrom("us-east-7", "US-EAST-1", "", "eu-west-1a"));
const cidrLike = fc.oneof(
  fc.constantFrom("10.0.0.0/16", "10.0.0.0/26", "10.0.1.0/16", "8.8.0.0/16", "10.0.0.0/33", "300.1.1.1/16", "10.0.0.0"),
  fc.tuple(fc.nat(300), fc.nat(300), fc.nat(32)).map(([a, b, p]) => `${a}.${b}.0.0/${p}`),
);

type Mutation = (env: Record<string, any>) => void;
const paths = [
  ["project"],
  ["region"],
  ["drRegion"],
  ["role"],
  ["recoveryOf"],
  ["accountId"],
  ["state"],
  ["state", "bucket"],
  ["state", "region"],
  ["network"],
  ["network", "cidr"],
  ["network", "azCount"],
  ["network", "availabilityZones"],
  ["network", "natGateways"],
  ["database"],
  ["database", "engineVersion"],
  ["database", "backupRetentionDays"],
  ["database", "restore"],
  ["broker"],
  ["broker", "users"],
  ["kubernetes"],
  ["kubernetes", "nodeGroups"],
  ["kubernetes", "publicAccessCidrs"],
  ["kubernetes", "adminRoleArns"],
  ["flux"],
  ["flux", "path"],
  ["dns"],
  ["dns", "domain"],
  ["dns", "delegationSetId"],
  ["tags"],
];

function setAt(env: Record<string, any>, keys: string[], value: unknown) {
  let target = env;
  for (const key of keys.slice(0, -1)) {
    if (typeof target[key] !== "object" || target[key] === null) return;
    target = target[key];
  }
  if (value === undefined) delete target[keys[keys.length - 1]];
  else target[keys[keys.length - 1]] = value;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.constantFrom(...paths), anyValue).map(
    ([keys, value]) =>
      (env: Record<string, any>) =>
        setAt(env, keys, value),
  ),
  fc.constantFrom(...paths).map((keys) => (env: Record<string, any>) => setAt(env, keys, undefined)),
  fc.tuple(fc.constantFrom([], ["network"], ["state"], ["dns"]), fc.string({ minLength: 1, maxLength: 12 })).map(
    ([keys, name]) =>
      (env: Record<string, any>) =>
        setAt(env, [...keys, `x_${name}`], true),
  ),
  regionLike.map((r) => (env: Record<string, any>) => setAt(env, ["drRegion"], r)),
  regionLike.map((r) => (env: Record<string, any>) => setAt(env, ["recoveryOf"], r)),
  cidrLike.map((c) => (env: Record<string, any>) => setAt(env, ["network", "cidr"], c)),
  fc
    .array(
      regionLike.map((r) => `${r}a`),
      { maxLength: 4 },
    )
    .map((zones) => (env: Record<string, any>) => {
      delete env.network?.azCount;
      setAt(env, ["network", "availabilityZones"], zones);
    }),
  fc.nat(80).map((n) => (env: Record<string, any>) => setAt(env, ["project"], `p${"a".repeat(n)}`)),
);

/** One to three environment files, each a valid environment under 0-3 mutations. */
const randomFolder = fc.array(
  fc.record({
    base: fc.constantFrom("primary", "recovery"),
    fileRegion: fc.option(regionLike, { nil: undefined }),
    mutations: fc.array(mutation, { maxLength: 3 }),
  }),
  { minLength: 1, maxLength: 3 },
);
/** The shipped pair (a primary and its recovery), each under at most one mutation: often valid. */
const pairFolder = fc.tuple(fc.array(mutation, { maxLength: 1 }), fc.array(mutation, { maxLength: 1 })).map(([primary, recovery]) => [
  { base: "primary", fileRegion: undefined, mutations: primary },
  { base: "recovery", fileRegion: undefined, mutations: recovery },
]);
const folder = fc.oneof(randomFolder, pairFolder);

it("every hostile environment folder ends in a complete synth or in the list of problems", () => {
  let synthesized = 0;
  let rejected = 0;
  fc.assert(
    fc.property(folder, (files) => {
      const dir = tempDir("hostile-");
      const envDir = path.join(dir, "environments");
      fs.mkdirSync(envDir);
      for (const file of files) {
        const env: Record<string, any> = structuredClone(file.base === "primary" ? primaryInput() : recoveryInput());
        for (const mutate of file.mutations) mutate(env);
        const name = `${file.fileRegion ?? env.region ?? "unnamed"}.ts`;
        fs.writeFileSync(path.join(envDir, name || "empty.ts"), `export default ${JSON.stringify(env) ?? "undefined"};\n`);
      }
      const outdir = path.join(dir, "cdktf.out");
      try {
        const result = synthesize({ environmentsDir: envDir, outdir });
        synthesized++;
        expect(fs.existsSync(path.join(outdir, "manifest.json"))).toBe(true);
        expect(result.stacks.length).toBeGreaterThan(0);
      } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error;
        rejected++;
        expect(error.problems.length).toBeGreaterThan(0);
        for (const line of error.problems) expect(line).toMatch(/^(environments\/[^:]*: |policy: )/);
        expect(fs.existsSync(outdir)).toBe(false);
      }
      expect(fs.readdirSync(dir).sort()).toEqual(fs.existsSync(outdir) ? ["cdktf.out", "environments"] : ["environments"]);
    }),
    { numRuns: 300, seed: 20261121 },
  );
  // Both outcomes were exercised, so the property checked something on each side.
  expect(synthesized).toBeGreaterThan(10);
  expect(rejected).toBeGreaterThan(100);
});
