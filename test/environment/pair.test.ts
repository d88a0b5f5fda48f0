import { archivesOf, fromPrimary, resolvePairs, type Environment, type PrimaryEnvironment } from "../../lib/environment";
import { environment, primaryInput, recoveryInput } from "../support/environments";

function asPrimary(env: Environment): PrimaryEnvironment {
  if (env.role !== "primary") throw new Error(`test setup: ${env.region} is not a primary`);
  return env;
}

const PRIMARY = asPrimary(environment(primaryInput()));
const RECOVERY = environment(recoveryInput());

describe("resolvePairs", () => {
  it("puts primaries first, each with its recoveries, and each recovery with its primary and what it takes from it", () => {
    const resolved = resolvePairs([RECOVERY, PRIMARY]);
    expect(resolved.map((r) => [r.role, r.environment.region])).toEqual([
      ["primary", "us-east-1"],
      ["recovery", "us-east-2"],
    ]);
    expect(resolved[0]).toEqual({ role: "primary", environment: PRIMARY, recoveries: [RECOVERY] });
    expect(resolved[1]).toEqual({ role: "recovery", environment: RECOVERY, primary: PRIMARY, fromPrimary: fromPrimary(PRIMARY) });
  });

  it("gives a primary without recoveries an empty list", () => {
    expect(resolvePairs([PRIMARY])).toEqual([{ role: "primary", environment: PRIMARY, recoveries: [] }]);
  });

  it("refuses a recovery whose primary is not among the environments, naming both", () => {
    expect(() => resolvePairs([RECOVERY])).toThrow("resolvePairs: the recovery us-east-2 needs its primary us-east-1 among the environments");
  });
});

describe("fromPrimary", () => {
  it("names the primary's state, outputs and in-region copies, from the primary's own settings", () => {
    const primary = asPrimary(
      environment(primaryInput({ database: { engineVersion: "16", instanceClass: "db.t4g.medium", databaseName: "shop", username: "owner" } })),
    );
    expect(fromPrimary(primary)).toEqual({
      region: "us-east-1",
      applicationState: {
        stackId: "application-us-east-1",
        state: { bucket: "acme-terraform-state", region: "us-west-2" },
        sopsKeyOutput: "sops_key_arn",
        replicatedBackupsOutput: "database_replicated_backups_arn",
      },
      assetsBucketName: "acme-dr-assets-us-east-1",
      archiveBucketName: "acme-hosting-services-us-east-1",
      archiveKeyAlias: "alias/acme-archives-us-east-1",
      // The source of a warm standby's read replica: the primary's serving instance (generation 1 here).
      database: { databaseName: "shop", username: "owner", instanceArn: "arn:aws:rds:us-east-1:123456789012:db:acme-us-east-1" },
    });
  });
});

describe("a primary with a bucket suffix", () => {
  it("its recovery reads the primary's buckets by the primary's suffixed names, and a primary its own", () => {
    const primary = asPrimary(environment(primaryInput({ bucketSuffix: "210987654321" })));
    expect(fromPrimary(primary)).toMatchObject({
      assetsBucketName: "acme-dr-assets-us-east-1-210987654321",
      archiveBucketName: "acme-hosting-services-us-east-1-210987654321",
    });
    const [primarySide, recoverySide] = resolvePairs([primary, RECOVERY]);
    expect(archivesOf(recoverySide)).toEqual({ bucket: "acme-hosting-services-us-east-1-210987654321", region: "us-east-2" });
    expect(archivesOf(primarySide)).toEqual({ bucket: "acme-hosting-services-us-east-1-210987654321", region: "us-east-2" });
  });
});

describe("archivesOf", () => {
  it("a recovery's archives are its primary's bucket, read in the recovery's region (never the primary's)", () => {
    const [, recoverySide] = resolvePairs([PRIMARY, RECOVERY]);
    expect(archivesOf(recoverySide)).toEqual({ bucket: "acme-hosting-services-us-east-1", region: "us-east-2" });
  });

  it("a primary's archives are its own bucket, in its drRegion", () => {
    const [primarySide] = resolvePairs([asPrimary(environment(primaryInput({ drRegion: "us-west-2" })))]);
    expect(archivesOf(primarySide)).toEqual({ bucket: "acme-hosting-services-us-east-1", region: "us-west-2" });
  });
});
