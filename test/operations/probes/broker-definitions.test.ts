import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { probeNewestDefinitions } from "../../../lib/operations/probes/broker-definitions";

const BUCKET = "acme-hosting-services-us-east-1";
const client = () => new S3Client({ region: "us-east-2", credentials: { accessKeyId: "test", secretAccessKey: "test" } });

describe("probeNewestDefinitions", () => {
  it("takes the greatest stamp of the layout broker-definitions.sh writes, across pages", async () => {
    const s3 = client();
    mockClient(s3)
      .on(ListObjectsV2Command, { Bucket: BUCKET, Prefix: "rabbitmq", ContinuationToken: undefined })
      .resolves({
        Contents: [
          { Key: "rabbitmq/20261121T110000Z/definitions.json", Size: 2048 },
          { Key: "rabbitmq/20261121T120000Z/other.json", Size: 1 },
        ],
        IsTruncated: true,
        NextContinuationToken: "t",
      })
      .on(ListObjectsV2Command, { ContinuationToken: "t" })
      .resolves({ Contents: [{ Key: "rabbitmq/20261120T110000Z/definitions.json", Size: 10 }] });
    expect(await probeNewestDefinitions(s3, BUCKET, "us-east-2")).toEqual({
      ok: true,
      value: { found: "export", key: "rabbitmq/20261121T110000Z/definitions.json", exportedAt: new Date("2026-11-21T11:00:00Z"), bytes: 2048 },
    });
  });

  it("finds none in an empty prefix, and no bucket when S3 says so", async () => {
    const s3 = client();
    mockClient(s3)
      .on(ListObjectsV2Command)
      .resolvesOnce({})
      .rejectsOnce(Object.assign(new Error("gone"), { name: "NoSuchBucket", $metadata: { httpStatusCode: 404 } }));
    expect(await probeNewestDefinitions(s3, BUCKET, "us-east-2")).toEqual({ ok: true, value: { found: "none", prefix: "rabbitmq/" } });
    expect(await probeNewestDefinitions(s3, BUCKET, "us-east-2")).toEqual({ ok: true, value: { found: "no-bucket" } });
  });
});
