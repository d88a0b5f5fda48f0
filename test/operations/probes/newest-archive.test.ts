import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { archiveFolderOf, parseManifest, probeNewestArchive, readArchive } from "../../../lib/operations/probes/newest-archive";

const BUCKET = "acme-hosting-services-us-east-1";
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const body = (text: string) => ({ transformToString: async () => text }) as any;
const manifest = (keyPrefix: string, database = "app") =>
  JSON.stringify({
    format: "dr-platform/database-archive/1",
    keyPrefix,
    database,
    serverVersion: "16.4",
    startedAt: "2026-11-21T11:30:00Z",
    snapshotAt: "2026-11-21T11:30:00.123Z",
    finishedAt: "2026-11-21T11:31:00Z",
    archive: { file: "archive.dump", format: "custom", bytes: 4096, sha256: "ab".repeat(32) },
    tables: [],
  });

/** A bucket whose listing holds `keys` in this order, each with the LastModified of its position (the last is the newest object). */
function bucket(keys: string[]): S3Client {
  const s3 = new S3Client({ region: "us-east-2", credentials });
  const mock = mockClient(s3);
  mock.on(ListObjectsV2Command, { Bucket: BUCKET, Prefix: "postgres" }).resolves({
    Contents: keys.map((Key, i) => ({ Key, LastModified: new Date(Date.UTC(2026, 10, 21, 12, i)) })),
  });
  for (const key of keys.filter((k) => k.endsWith("/manifest.json"))) {
    mock.on(GetObjectCommand, { Bucket: BUCKET, Key: key }).resolves({ Body: body(manifest(key.replace("manifest.json", ""), key.split("/")[1])) });
  }
  return s3;
}

describe("probeNewestArchive", () => {
  it("takes the greatest stamp among folders with a manifest, never the newest object (the manifest uploaded last)", async () => {
    const s3 = bucket([
      "postgres/app/20261121T103000Z/archive.dump",
      "postgres/app/20261121T103000Z/manifest.json",
      // An upload in progress: the dump is there, the manifest is not yet.
      "postgres/app/20261121T120000Z/archive.dump",
      "postgres/app/20261121T113000Z/archive.dump",
      "postgres/app/20261121T113000Z/manifest.json",
    ]);
    const found = await probeNewestArchive(s3, BUCKET, "us-east-2", { database: "app" });
    expect(found).toEqual({
      ok: true,
      value: {
        found: "archive",
        archive: {
          bucket: BUCKET,
          folder: "postgres/app/20261121T113000Z/",
          manifestKey: "postgres/app/20261121T113000Z/manifest.json",
          archiveKey: "postgres/app/20261121T113000Z/archive.dump",
          manifest: JSON.parse(manifest("postgres/app/20261121T113000Z/")),
        },
      },
    });
  });

  it("considers only the given database's archives, or every database's", async () => {
    const s3 = bucket(["postgres/app/20261121T103000Z/manifest.json", "postgres/other/20261121T115900Z/manifest.json"]);
    const of = async (database?: string) => {
      const found = await probeNewestArchive(s3, BUCKET, "us-east-2", { database });
      return found.ok && found.value.found === "archive" ? found.value.archive.folder : found;
    };
    expect(await of("app")).toBe("postgres/app/20261121T103000Z/");
    expect(await of()).toBe("postgres/other/20261121T115900Z/");
    expect(await probeNewestArchive(s3, BUCKET, "us-east-2", { database: "billing" })).toEqual({
      ok: true,
      value: { found: "none", prefix: "postgres/billing/" },
    });
  });

  it("ignores keys outside the layout (an old flat dump, a folder without a stamp)", async () => {
    expect(await probeNewestArchive(bucket(["postgres/2026-11-20.dump", "postgres/app/latest/manifest.json"]), BUCKET, "us-east-2")).toEqual({
      ok: true,
      value: { found: "none", prefix: "postgres/" },
    });
  });

  it("reports a missing bucket as a fact, any other failed listing as a failure", async () => {
    const s3 = new S3Client({ region: "us-east-2", credentials });
    mockClient(s3)
      .on(ListObjectsV2Command)
      .rejectsOnce(Object.assign(new Error("gone"), { name: "NoSuchBucket", $metadata: { httpStatusCode: 404 } }))
      .rejectsOnce(Object.assign(new Error("denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
    expect(await probeNewestArchive(s3, BUCKET, "us-east-2")).toEqual({ ok: true, value: { found: "no-bucket" } });
    expect(await probeNewestArchive(s3, BUCKET, "us-east-2")).toEqual({
      ok: false,
      failure: {
        kind: "refused",
        name: "AccessDenied",
        description: "AccessDenied (HTTP 403): denied",
        call: `S3 ListObjectsV2 of ${BUCKET}`,
        region: "us-east-2",
      },
    });
  });
});

describe("readArchive", () => {
  it("reads the archive a folder, dump or manifest key names", async () => {
    const s3 = bucket(["postgres/app/20261121T103000Z/manifest.json"]);
    for (const key of ["postgres/app/20261121T103000Z", "postgres/app/20261121T103000Z/", "postgres/app/20261121T103000Z/archive.dump"]) {
      const found = await readArchive(s3, BUCKET, "us-east-2", key);
      expect(found.found === "archive" && found.archive.archiveKey).toBe("postgres/app/20261121T103000Z/archive.dump");
    }
  });

  it("says why a manifest cannot be used: unreadable, or not an archive manifest", async () => {
    const s3 = new S3Client({ region: "us-east-2", credentials });
    mockClient(s3)
      .on(GetObjectCommand)
      .rejectsOnce(Object.assign(new Error("The specified key does not exist."), { name: "NoSuchKey", $metadata: { httpStatusCode: 404 } }))
      .resolvesOnce({ Body: body("{") });
    expect(await readArchive(s3, BUCKET, "us-east-2", "postgres/app/x/")).toEqual({
      found: "unreadable",
      manifestKey: "postgres/app/x/manifest.json",
      cause: "read",
      problem: "NoSuchKey (HTTP 404): The specified key does not exist.",
    });
    expect(await readArchive(s3, BUCKET, "us-east-2", "postgres/app/x/")).toMatchObject({ found: "unreadable", cause: "invalid" });
  });
});

describe("archiveFolderOf", () => {
  it("is the folder of a dump, a manifest or the folder itself", () => {
    expect(["p/a/s/archive.dump", "p/a/s/manifest.json", "p/a/s", "p/a/s/"].map(archiveFolderOf)).toEqual(["p/a/s/", "p/a/s/", "p/a/s/", "p/a/s/"]);
  });
});

describe("parseManifest", () => {
  const valid = {
    format: "dr-platform/database-archive/1",
    snapshotAt: "2026-11-20T03:00:00.000Z",
    archive: { file: "archive.dump", format: "custom", bytes: 3, sha256: "a".repeat(64) },
    tables: [],
  };

  it("accepts what the archive script writes", () => {
    expect(parseManifest(JSON.stringify(valid), "k")).toEqual(valid);
  });

  it("refuses text that is not JSON", () => {
    expect(() => parseManifest("{", "postgres/x/manifest.json")).toThrow(/^verify-backup: s3 object postgres\/x\/manifest.json is not JSON: /);
  });

  it("names every problem at once", () => {
    const broken = { format: "other", snapshotAt: "yesterday", archive: { file: "../x", sha256: "abc" }, tables: {} };
    expect(() => parseManifest(JSON.stringify(broken), "k")).toThrow(
      [
        "verify-backup: manifest k is not an archive manifest:",
        '  format must be "dr-platform/database-archive/1" (got "other")',
        '  archive.sha256 must be 64 hex digits (got "abc")',
        '  archive.file must be a file name (got "../x")',
        '  snapshotAt must be an ISO 8601 time (got "yesterday")',
        "  tables must be a list (got {})",
      ].join("\n"),
    );
  });
});
