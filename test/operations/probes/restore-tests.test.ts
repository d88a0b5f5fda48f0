import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { probeRestoreTests } from "../../../lib/operations/probes/restore-tests";

const BUCKET = "acme-hosting-services-us-east-1";
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const body = (text: string) => ({ transformToString: async () => text }) as any;
const report = (testedAt: string, passed: boolean) =>
  JSON.stringify({
    format: "dr-platform/restore-test/1",
    archiveKey: "postgres/app/20261101T000000Z/archive.dump",
    testedAt,
    passed,
    restoreSeconds: 9.5,
    failure: passed ? null : "tables differ from the manifest: public.orders",
  });

/** A bucket whose listing holds `reports` (key -> text, or undefined for an unreadable one) and an archive. */
function bucket(reports: Record<string, string | undefined>): S3Client {
  const s3 = new S3Client({ region: "us-east-2", credentials });
  const mock = mockClient(s3);
  mock.on(ListObjectsV2Command, { Bucket: BUCKET, Prefix: "postgres" }).resolves({
    Contents: ["postgres/app/20261101T000000Z/manifest.json", ...Object.keys(reports)].map((Key) => ({ Key })),
  });
  for (const [Key, text] of Object.entries(reports)) mock.on(GetObjectCommand, { Bucket: BUCKET, Key }).resolves({ Body: body(text ?? "not json") });
  return s3;
}

describe("probeRestoreTests", () => {
  it("finds the newest report and the newest that passed, by the stamp in the file name", async () => {
    const s3 = bucket({
      "postgres/app/20261101T000000Z/restore-test-20261108T033000Z.json": report("2026-11-08T03:30:00Z", true),
      "postgres/app/20261110T000000Z/restore-test-20261115T033000Z.json": report("2026-11-15T03:30:00Z", true),
      "postgres/app/20261101T000000Z/restore-test-20261122T033000Z.json": report("2026-11-22T03:30:00Z", false),
    });
    const found = await probeRestoreTests(s3, BUCKET, "us-east-2");
    expect(found).toEqual({
      ok: true,
      value: {
        found: "reports",
        newest: expect.objectContaining({
          key: "postgres/app/20261101T000000Z/restore-test-20261122T033000Z.json",
          passed: false,
          failure: "tables differ from the manifest: public.orders",
        }),
        lastPassed: expect.objectContaining({
          key: "postgres/app/20261110T000000Z/restore-test-20261115T033000Z.json",
          testedAt: new Date("2026-11-15T03:30:00Z"),
          restoreSeconds: 9.5,
        }),
        unreadable: [],
      },
    });
  });

  it("says none when the only report is unreadable (not a report that passed) or when there is none", async () => {
    const found = await probeRestoreTests(bucket({ "postgres/app/20261101T000000Z/restore-test-20261108T033000Z.json": undefined }), BUCKET, "us-east-2");
    expect(found).toEqual({ ok: true, value: { found: "none" } });
    expect(await probeRestoreTests(bucket({}), BUCKET, "us-east-2")).toEqual({ ok: true, value: { found: "none" } });
  });
});

describe("probeRestoreTests of the point-in-time restore tests", () => {
  const pitr = (testedAt: string, outcome: "pass" | "fail") =>
    JSON.stringify({
      format: "dr-platform/pitr-restore-test/1",
      source: "acme-us-east-1",
      instance: "acme-us-east-1-pitr-202611010500",
      restoreTime: "2026-11-01T00:00:01.234Z",
      archiveFolder: "postgres/app/20261101T000000Z/",
      testedAt,
      outcome,
      failure: outcome === "pass" ? null : "restore slower than target",
      restoreSeconds: 2400,
    });

  it("reads pitr-test-<stamp>.json reports only, and the archive test's reports not at all", async () => {
    const s3 = bucket({
      "postgres/app/20261101T000000Z/restore-test-20261208T033000Z.json": report("2026-12-08T03:30:00Z", true),
      "postgres/app/20261101T000000Z/pitr-test-20261101T053000Z.json": pitr("2026-11-01T05:30:00Z", "pass"),
      "postgres/app/20261101T000000Z/pitr-test-20261201T053000Z.json": pitr("2026-12-01T05:30:00Z", "fail"),
    });
    expect(await probeRestoreTests(s3, BUCKET, "us-east-2", "point-in-time")).toEqual({
      ok: true,
      value: {
        found: "reports",
        newest: {
          key: "postgres/app/20261101T000000Z/pitr-test-20261201T053000Z.json",
          restored: "acme-us-east-1 to 2026-11-01T00:00:01.234Z",
          testedAt: new Date("2026-12-01T05:30:00Z"),
          passed: false,
          restoreSeconds: 2400,
          failure: "restore slower than target",
        },
        lastPassed: expect.objectContaining({ key: "postgres/app/20261101T000000Z/pitr-test-20261101T053000Z.json", passed: true }),
        unreadable: [],
      },
    });
    // The archives' kind sees only its own report.
    expect(await probeRestoreTests(s3, BUCKET, "us-east-2")).toMatchObject({
      value: { newest: { key: "postgres/app/20261101T000000Z/restore-test-20261208T033000Z.json", restored: "postgres/app/20261101T000000Z/archive.dump" } },
    });
  });

  it("takes a report of the other format or outcome as unreadable", async () => {
    const s3 = bucket({
      "postgres/app/20261101T000000Z/pitr-test-20261101T053000Z.json": report("2026-11-01T05:30:00Z", true),
      "postgres/app/20261101T000000Z/pitr-test-20261102T053000Z.json": pitr("2026-11-02T05:30:00Z", "pass").replace('"pass"', '"passed"'),
    });
    expect(await probeRestoreTests(s3, BUCKET, "us-east-2", "point-in-time")).toEqual({ ok: true, value: { found: "none" } });
  });
});
