import { GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { probeStackOutputs, probeStateObject } from "../../../lib/operations/probes/state-objects";

const client = () => new S3Client({ region: "us-west-2", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
const notFound = (name: string) => Object.assign(new Error("UnknownError"), { name, $metadata: { httpStatusCode: 404 } });

describe("probeStateObject", () => {
  it("reads whether a stack's state exists and when it was last written", async () => {
    const s3 = client();
    mockClient(s3)
      .on(HeadObjectCommand, { Bucket: "state", Key: "standby-us-east-2.tfstate" })
      .resolvesOnce({ LastModified: new Date("2026-11-20T08:00:00Z") })
      .rejectsOnce(notFound("NotFound"));
    expect(await probeStateObject(s3, "state", "standby-us-east-2", "us-west-2")).toEqual({
      ok: true,
      value: { exists: true, lastModified: new Date("2026-11-20T08:00:00Z") },
    });
    expect(await probeStateObject(s3, "state", "standby-us-east-2", "us-west-2")).toEqual({ ok: true, value: { exists: false } });
  });
});

describe("probeStackOutputs", () => {
  it("reads a state's outputs only, and no state object as never applied", async () => {
    const s3 = client();
    const text = JSON.stringify({ version: 4, outputs: { site_health_check_id: { value: "hc-1" } }, resources: [{ secret: "not read" }] });
    mockClient(s3)
      .on(GetObjectCommand, { Bucket: "state", Key: "networking-us-east-1.tfstate" })
      .resolvesOnce({ Body: { transformToString: async () => text } as any })
      .rejectsOnce(notFound("NoSuchKey"));
    expect(await probeStackOutputs(s3, "state", "networking-us-east-1", "us-west-2")).toEqual({
      ok: true,
      value: { applied: true, outputs: { site_health_check_id: { value: "hc-1" } } },
    });
    expect(await probeStackOutputs(s3, "state", "networking-us-east-1", "us-west-2")).toEqual({ ok: true, value: { applied: false } });
  });
});
