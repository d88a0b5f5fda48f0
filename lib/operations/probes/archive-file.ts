import * as crypto from "crypto";
import * as fs from "fs";
import { pipeline } from "stream/promises";
import type { S3Client } from "@aws-sdk/client-s3";
import { reading, type Reading } from "../aws/errors";
import { getObjectStream } from "../aws/s3-objects";

/** What was downloaded: the bytes' sha256 and count, to compare with the archive's manifest. */
export interface DownloadedFile {
  readonly sha256: string;
  readonly bytes: number;
}

/** Downloads `key` into `file`, hashing it on the way (an archive may be larger than memory). */
export function downloadObject(s3: S3Client, bucket: string, key: string, region: string, file: string): Promise<Reading<DownloadedFile>> {
  return reading(`S3 GetObject of s3://${bucket}/${key}`, region, async () => {
    const body = await getObjectStream(s3, bucket, key);
    const hash = crypto.createHash("sha256");
    let bytes = 0;
    body.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    await pipeline(body, fs.createWriteStream(file));
    return { sha256: hash.digest("hex"), bytes };
  });
}
