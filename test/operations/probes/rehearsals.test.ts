import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { probeRehearsals } from "../../../lib/operations/probes/rehearsals";

const BUCKET = "acme-hosting-services-us-east-1";
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const body = (text: string) => ({ transformToString: async () => text }) as any;
/** A report as the executor writes it (lib/recovery/report.ts), the fields the row reads. */
const report = (id: string, served: boolean, failed: string[] = [], scenario = "rehearsal") =>
  JSON.stringify({
    format: "dr-platform/recovery-report/1",
    region: "us-east-2",
    scenario,
    recoveryId: id,
    startedAt: "2026-11-10T10:00:00Z",
    ...(served ? { servedAt: "2026-11-10T11:05:00Z", measuredMinutes: 65 } : {}),
    objectiveMinutes: 120,
    failed,
  });

/** The archive bucket's listing under reports/us-east-2-rehearsal/ (key -> text, or undefined for an unreadable one). */
function bucket(reports: Record<string, string | undefined>): { s3: S3Client; prefixes: string[] } {
  const s3 = new S3Client({ region: "us-east-2", credentials });
  const mock = mockClient(s3);
  const prefixes: string[] = [];
  mock.on(ListObjectsV2Command).callsFake((input) => {
    prefixes.push(input.Prefix);
    return {
      Contents: Object.keys(reports)
        .filter((k) => k.startsWith(input.Prefix))
        .map((Key) => ({ Key })),
    };
  });
  for (const [Key, text] of Object.entries(reports)) mock.on(GetObjectCommand, { Bucket: BUCKET, Key }).resolves({ Body: body(text ?? "not json") });
  return { s3, prefixes };
}

const key = (id: string, file = "report.json") => `reports/us-east-2-rehearsal/${id}/${file}`;

describe("probeRehearsals", () => {
  it("lists the rehearsal's own prefix and finds the newest report and the newest that passed, by id", async () => {
    const { s3, prefixes } = bucket({
      [key("20261101T100000Z")]: report("20261101T100000Z", true),
      [key("20261101T100000Z", "report.md")]: "# markdown",
      [key("20261110T100000Z")]: report("20261110T100000Z", true),
      [key("20261120T100000Z")]: report("20261120T100000Z", false, ["deploy:application-us-east-2-rehearsal: exited 1"]),
      // A real recovery's report: another prefix, never read.
      "reports/us-east-2/20261125T100000Z/report.json": report("20261125T100000Z", true, [], "region"),
    });
    expect(await probeRehearsals(s3, BUCKET, "us-east-2")).toEqual({
      ok: true,
      value: {
        found: "reports",
        newest: expect.objectContaining({ recoveryId: "20261120T100000Z", servedAt: undefined, failed: ["deploy:application-us-east-2-rehearsal: exited 1"] }),
        lastPassed: {
          key: key("20261110T100000Z"),
          recoveryId: "20261110T100000Z",
          startedAt: new Date("2026-11-10T10:00:00Z"),
          servedAt: new Date("2026-11-10T11:05:00Z"),
          measuredMinutes: 65,
          objectiveMinutes: 120,
          failed: [],
        },
        unreadable: [],
      },
    });
    expect(prefixes).toEqual(["reports/us-east-2-rehearsal/"]);
  });

  it("passes over an unreadable report or another scenario's, and says none when nothing else is there", async () => {
    const { s3 } = bucket({ [key("20261101T100000Z")]: undefined, [key("20261102T100000Z")]: report("20261102T100000Z", true, [], "region") });
    expect(await probeRehearsals(s3, BUCKET, "us-east-2")).toEqual({ ok: true, value: { found: "none" } });
    expect(await probeRehearsals(bucket({}).s3, BUCKET, "us-east-2")).toEqual({ ok: true, value: { found: "none" } });
  });

  it("says no-bucket when the bucket is missing, and returns any other failure", async () => {
    const s3 = new S3Client({ region: "us-east-2", credentials });
    const mock = mockClient(s3);
    mock.on(ListObjectsV2Command).rejects(Object.assign(new Error("nope"), { name: "NoSuchBucket", $metadata: { httpStatusCode: 404 } }));
    expect(await probeRehearsals(s3, BUCKET, "us-east-2")).toEqual({ ok: true, value: { found: "no-bucket" } });
    mock.on(ListObjectsV2Command).rejects(Object.assign(new Error("denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
    expect(await probeRehearsals(s3, BUCKET, "us-east-2")).toMatchObject({ ok: false, failure: { kind: "refused" } });
  });
});
