import type { S3Client } from "@aws-sdk/client-s3";
import type { Environment } from "../../environment";
import { fenceRecordKey } from "../../naming";
import { reading, type Reading } from "../aws/errors";
import { putObject } from "../aws/s3-objects";
import type { FenceRecord } from "../probes/fence-record";

/** Writes the region's fence record into the state bucket. */
export function writeFenceRecord(stateS3: S3Client, environment: Environment, record: FenceRecord): Promise<Reading<void>> {
  const key = fenceRecordKey(environment.region);
  return reading(`S3 PutObject of s3://${environment.state.bucket}/${key}`, environment.state.region, () =>
    putObject(stateS3, { Bucket: environment.state.bucket, Key: key, Body: JSON.stringify(record, null, 2), ContentType: "application/json" }),
  );
}
