import {
  environmentNames,
  globalNames,
  NAME_KINDS,
  drCommand,
  parseArchiveKey,
  parseDefinitionsKey,
  parseStackId,
  REHEARSAL_TAG,
  rehearsalProject,
  restoreTestNames,
  stackId,
  stampOf,
  stampTime,
} from "../lib/naming";

/** The layouts the backup jobs write (backup/archive-database.sh, broker-definitions.sh), read back in one place. */
describe("parseArchiveKey", () => {
  it("reads <prefix>/<database>/<stamp>/<file>", () => {
    expect(parseArchiveKey("postgres/shop/20261121T030000Z/manifest.json")).toEqual({
      database: "shop",
      stamp: "20261121T030000Z",
      folder: "postgres/shop/20261121T030000Z/",
      file: "manifest.json",
    });
  });

  it.each([
    "postgres/2026-11-20.dump",
    "postgres/shop/latest/manifest.json",
    "postgres/shop/20261121T030000Z/",
    "other/shop/20261121T030000Z/archive.dump",
    "postgres/a/20261121T030000Z/x/y",
  ])("is undefined for %s", (key) => {
    expect(parseArchiveKey(key)).toBeUndefined();
  });
});

describe("parseDefinitionsKey", () => {
  it("reads rabbitmq/<stamp>/definitions.json only", () => {
    expect(parseDefinitionsKey("rabbitmq/20261121T110000Z/definitions.json")).toEqual({ stamp: "20261121T110000Z" });
    expect(parseDefinitionsKey("rabbitmq/20261121T110000Z/definitionsXjson")).toBeUndefined();
    expect(parseDefinitionsKey("rabbitmq/20261121T110000Z/other.json")).toBeUndefined();
  });
});

describe("stampTime", () => {
  it("reads a stamp as UTC, and refuses anything else", () => {
    expect(stampTime("20261121T030405Z")).toEqual(new Date("2026-11-21T03:04:05Z"));
    expect(() => stampTime("2026-11-21")).toThrow('stampTime: not a stamp like 20261121T030000Z (got "2026-11-21")');
  });
});

describe("stampOf", () => {
  it("writes a time as a stamp, whole seconds, that stampTime reads back", () => {
    expect(stampOf(new Date("2026-12-02T03:04:05.678Z"))).toBe("20261202T030405Z");
    expect(stampTime(stampOf(new Date("2026-12-02T03:04:05Z")))).toEqual(new Date("2026-12-02T03:04:05Z"));
  });
});

describe("drCommand", () => {
  it("is the command line an operator runs: the package's bin through npx", () => {
    expect(drCommand("preflight", "us-east-2", "--peacetime")).toBe("npx dr-platform preflight us-east-2 --peacetime");
  });
});

describe("restoreTestNames", () => {
  it("gives each cluster generation its own alarms, and every generation the environment's metric dimension", () => {
    expect(restoreTestNames("acme", "us-east-1")).toEqual({
      cronJob: "restore-test",
      failedAlarm: "acme-us-east-1-restore-test-failed",
      overdueAlarm: "acme-us-east-1-restore-test-overdue",
      dimension: { Environment: "acme-us-east-1" },
    });
    expect(restoreTestNames("acme", "us-east-1", 2)).toEqual({
      cronJob: "restore-test",
      failedAlarm: "acme-us-east-1-restore-test-failed-g2",
      overdueAlarm: "acme-us-east-1-restore-test-overdue-g2",
      dimension: { Environment: "acme-us-east-1" },
    });
  });
});

describe("stackId and parseStackId of a rehearsal generation", () => {
  it("end the layers' ids in -rehearsal and read them back", () => {
    expect(stackId("application", "us-east-2", 1, true)).toBe("application-us-east-2-rehearsal");
    expect(parseStackId("application-us-east-2-rehearsal")).toEqual({ layer: "application", region: "us-east-2", generation: 1, rehearsal: true });
    expect(parseStackId("workloads-us-east-2-g2")).toEqual({ layer: "workloads", region: "us-east-2", generation: 2, rehearsal: false });
    expect(parseStackId("networking-us-east-2")).toEqual({ layer: "networking", region: "us-east-2", generation: 1, rehearsal: false });
  });

  it("refuse a rehearsal of a stack kind that is not a layer (standby, dns, replication)", () => {
    for (const kind of ["standby", "dns", "replication"] as const)
      expect(() => stackId(kind, "us-east-2", 1, true)).toThrow(
        `stackId: only networking, application, kubernetes, gitops, workloads have a rehearsal generation (got ${kind})`,
      );
    expect(parseStackId("standby-us-east-2-rehearsal")).toEqual({ layer: "standby", region: "us-east-2-rehearsal", generation: 1, rehearsal: false });
  });

  it("name the rehearsal's project and tag", () => {
    expect(rehearsalProject("acme")).toBe("acme-rehearsal");
    expect(REHEARSAL_TAG).toEqual({ key: "dr:rehearsal", value: "true" });
  });
});

describe("bucket suffix (bucketSuffix)", () => {
  it("ends every bucket name with the suffix and leaves the IAM names alone", () => {
    const plain = globalNames("acme", "us-east-1");
    const suffixed = environmentNames({ project: "acme", region: "us-east-1", bucketSuffix: "210987654321" });
    const buckets = (Object.keys(NAME_KINDS) as (keyof typeof NAME_KINDS)[]).filter((k) => NAME_KINDS[k] === "s3Bucket");
    expect(buckets.map((k) => suffixed[k])).toEqual([
      "acme-assets-us-east-1-210987654321",
      "acme-dr-assets-us-east-1-210987654321",
      "acme-hosting-services-us-east-1-210987654321",
      "acme-access-logs-us-east-1-210987654321",
      "acme-dr-access-logs-us-east-1-210987654321",
      "acme-site-logs-us-east-1-210987654321",
    ]);
    for (const key of Object.keys(NAME_KINDS) as (keyof typeof NAME_KINDS)[]) {
      if (NAME_KINDS[key] === "iam") expect([key, suffixed[key]]).toEqual([key, plain[key]]);
    }
  });

  it("without a suffix, the names deployments have always had", () => {
    expect(environmentNames({ project: "acme", region: "us-east-1" })).toEqual(globalNames("acme", "us-east-1"));
    expect(globalNames("acme", "us-east-1").hostingServicesBucket).toBe("acme-hosting-services-us-east-1");
  });
});
