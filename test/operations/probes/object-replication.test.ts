import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { probeObjectReplication, replicationState } from "../../../lib/operations/probes/object-replication";

const BUCKET = "acme-hosting-services-us-east-1";
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const WRITTEN = new Date("2026-11-21T11:31:00Z");

describe("probeObjectReplication", () => {
  it("reads each key's ReplicationStatus and LastModified with HeadObject, in order", async () => {
    const s3 = new S3Client({ region: "us-east-2", credentials });
    const mock = mockClient(s3);
    mock.on(HeadObjectCommand, { Bucket: BUCKET, Key: "a/archive.dump" }).resolves({ ReplicationStatus: "PENDING", LastModified: WRITTEN });
    mock.on(HeadObjectCommand, { Bucket: BUCKET, Key: "a/manifest.json" }).resolves({ LastModified: WRITTEN });
    expect(await probeObjectReplication(s3, BUCKET, ["a/archive.dump", "a/manifest.json"], "us-east-2")).toEqual({
      ok: true,
      value: [
        { key: "a/archive.dump", lastModified: WRITTEN, state: "PENDING", status: "PENDING" },
        { key: "a/manifest.json", lastModified: WRITTEN, state: "NONE", status: undefined },
      ],
    });
  });

  it("keeps a failed HeadObject as the reading's failure", async () => {
    const s3 = new S3Client({ region: "us-east-2", credentials });
    mockClient(s3)
      .on(HeadObjectCommand)
      .rejects(Object.assign(new Error("denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
    expect(await probeObjectReplication(s3, BUCKET, ["a/archive.dump"], "us-east-2")).toEqual({
      ok: false,
      failure: {
        kind: "refused",
        name: "AccessDenied",
        description: "AccessDenied (HTTP 403): denied",
        call: `S3 HeadObject in ${BUCKET}`,
        region: "us-east-2",
      },
    });
  });

  it("names S3's statuses as states", () => {
    expect(["COMPLETED", "COMPLETE", "PENDING", "FAILED", "REPLICA", undefined].map(replicationState)).toEqual([
      "COMPLETED",
      "COMPLETED",
      "PENDING",
      "FAILED",
      "OTHER",
      "NONE",
    ]);
  });
});
