import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
} from "@aws-sdk/client-s3";
import { awsClients, outcome } from "../support/aws";
import { archiveObjectLock, startArchiveBucket, type ArchiveBucket } from "../support/archive-bucket";
import { REPO } from "../support/run";
import { tempDir } from "../support/temp";

/**
 * The archive bucket as HostingServicesBucket makes it (Object Lock, governance mode for the
 * archives' retention) in the emulator with IAM enforced: the archive job's upload still works and
 * leaves every archive version locked; an administrator (s3:* on every bucket) cannot delete a
 * locked version.
 */
jest.setTimeout(120_000);

const SCRIPT = path.join(REPO, "backup/archive-database.sh");
const KEY_PREFIX = "postgres/shop/20261121T030000Z/";
let s3: ArchiveBucket;

beforeAll(async () => {
  s3 = await startArchiveBucket(5600);
});

afterAll(() => s3?.stop());

/** Uploads a finished dump (as the dump step leaves it) with archive-database.sh's upload step, as the backup user. */
function uploadArchive(): void {
  const dir = tempDir("object-lock-");
  fs.writeFileSync(path.join(dir, "archive.dump"), "PGDMP fake custom-format archive");
  fs.writeFileSync(path.join(dir, "manifest.json"), '{"format":"dr-platform/database-archive/1"}\n');
  fs.writeFileSync(path.join(dir, "key-prefix"), KEY_PREFIX);
  const result = spawnSync("sh", [SCRIPT, "upload"], {
    env: { PATH: process.env.PATH, ...s3.cliEnv(s3.uploader), ARCHIVE_DIR: dir, ARCHIVE_BUCKET: s3.bucket },
    encoding: "utf8",
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
}

async function versionOf(key: string): Promise<string> {
  const admin = awsClients(s3.emulator, s3.region, s3.admin).s3;
  // No "/" in the prefix: moto 5.2.1 with IAM enforced rejects the signature of such a listing.
  const { Versions } = await admin.send(new ListObjectVersionsCommand({ Bucket: s3.bucket, Prefix: key.split("/")[0] }));
  const versions = (Versions ?? []).filter((v) => v.Key === key);
  expect(versions).toHaveLength(1);
  return versions[0]!.VersionId!;
}

it("the archive job's upload (PutObject only) works and every archive version is locked for the archives' retention", async () => {
  uploadArchive();
  const { mode, days } = archiveObjectLock(s3.bucket);
  expect({ mode, days }).toEqual({ mode: "GOVERNANCE", days: 90 });
  const admin = awsClients(s3.emulator, s3.region, s3.admin).s3;
  for (const file of ["archive.dump", "manifest.json"]) {
    const key = `${KEY_PREFIX}${file}`;
    // HeadObject, not GetObjectRetention: moto 5.2.1 answers the latter with XML the SDK cannot parse.
    const head = await admin.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key, VersionId: await versionOf(key) }));
    expect(head.ObjectLockMode).toBe("GOVERNANCE");
    const lockedDays = (head.ObjectLockRetainUntilDate!.getTime() - Date.now()) / 86_400_000;
    expect(lockedDays).toBeGreaterThan(days - 1);
    expect(lockedDays).toBeLessThanOrEqual(days);
  }
});

it("refuses an administrator who deletes a locked archive version without the governance bypass", async () => {
  const key = `${KEY_PREFIX}archive.dump`;
  const admin = awsClients(s3.emulator, s3.region, s3.admin).s3;
  const versionId = await versionOf(key);
  expect(await outcome(() => admin.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key, VersionId: versionId })))).toBe("AccessDenied");
  // A plain delete only adds a delete marker: the locked version stays readable by its id.
  await admin.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key }));
  const kept = await admin.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key, VersionId: versionId }));
  expect(await kept.Body!.transformToString()).toBe("PGDMP fake custom-format archive");
});

it("refuses the deletion even with the bypass header when the environment chooses compliance mode", async () => {
  const admin = awsClients(s3.emulator, s3.region, s3.admin).s3;
  const bucket = "acme-hosting-services-compliance";
  await admin.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
  await admin.send(
    new PutObjectLockConfigurationCommand({
      Bucket: bucket,
      ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "COMPLIANCE", Days: 1 } } },
    }),
  );
  const { VersionId } = await admin.send(new PutObjectCommand({ Bucket: bucket, Key: "archive.dump", Body: "x" }));
  const erase = (bypass: boolean) => () =>
    admin.send(new DeleteObjectCommand({ Bucket: bucket, Key: "archive.dump", VersionId, BypassGovernanceRetention: bypass }));
  expect(await outcome(erase(false))).toBe("AccessDenied");
  expect(await outcome(erase(true))).toBe("AccessDenied");
});

it("the aws CLI sends an integrity checksum with every upload request, which S3 demands on a bucket with a default retention", () => {
  // S3 refuses a PutObject (and an UploadPart) into a bucket with Object Lock default retention
  // unless it carries Content-MD5 or an x-amz-checksum-* header; moto does not check, so the
  // requests the CLI sends are checked here, for a single PUT and for a multipart upload.
  const dir = tempDir("object-lock-cli-");
  const small = path.join(dir, "manifest.json");
  const large = path.join(dir, "archive.dump");
  fs.writeFileSync(small, "{}\n");
  fs.writeFileSync(large, Buffer.alloc(9 * 1024 * 1024, 1));
  for (const [file, operation] of [
    [small, "PutObject"],
    [large, "UploadPart"],
  ] as const) {
    const result = spawnSync("aws", ["--debug", "s3", "cp", file, `s3://${s3.bucket}/checksum/${path.basename(file)}`], {
      env: { PATH: process.env.PATH, ...s3.cliEnv(s3.uploader) },
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    const puts = result.stderr.split("\n").filter((line) => line.includes(`Making request for OperationModel(name=${operation})`));
    expect(puts.length).toBe(operation === "PutObject" ? 1 : 2);
    // A checksum in a trailer (aws-chunked, x-amz-sdk-checksum-algorithm) satisfies S3 as a header does.
    for (const line of puts) expect(line).toMatch(/'(x-amz-checksum-[a-z0-9]+|Content-MD5)': |'X-Amz-Trailer': 'x-amz-checksum-[a-z0-9]+'/i);
  }
});
