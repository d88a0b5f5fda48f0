import { S3Client } from "@aws-sdk/client-s3";
import { verifyArchive } from "../../lib/operations/verify-backup";

describe("verifyArchive's target", () => {
  // Checked before any S3 call: this client has no endpoint it could reach.
  const s3 = new S3Client({ region: "us-east-1", endpoint: "https://127.0.0.1:1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  const verify = (targetUrl: string) => verifyArchive({ bucket: "b", targetUrl }, { s3 });

  it("must be a URL", async () => {
    await expect(verify("host=db dbname=app")).rejects.toThrow("verify-backup: the target must be a postgresql:// URL (got something that is not a URL)");
  });

  it("must be a postgresql URL", async () => {
    await expect(verify("mysql://db/app")).rejects.toThrow("verify-backup: the target must be a postgresql:// URL (got mysql://...)");
  });

  it("must name a database", async () => {
    await expect(verify("postgresql://user:secret@db:5432")).rejects.toThrow(
      "verify-backup: the target URL must name a database (postgresql://host/<database>)",
    );
  });
});
