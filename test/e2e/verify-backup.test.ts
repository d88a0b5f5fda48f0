import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { findLatestBackups } from "../../lib/operations/verify-backup";
import { awsClients } from "../support/aws";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { useEmulator } from "../support/emulator";

/** verify-backup's discovery against the emulator's S3 and RDS APIs. */
jest.setTimeout(120_000);

const emulator = useEmulator({ firstPort: 5400 });

it("finds the newest archive in the primary's hosting-services bucket and reports missing replicated backups", async () => {
  const aws = awsClients(emulator.current(), "us-east-2");
  const bucket = "acme-hosting-services-us-east-1";
  await aws.s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: "us-east-2" } }));
  for (const day of ["2026-11-18", "2026-11-19", "2026-11-20"]) {
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `postgres/${day}.dump`, Body: `archive ${day}` }));
    await new Promise((r) => setTimeout(r, 1100)); // LastModified has one-second resolution
  }
  const latest = await findLatestBackups(environment(recoveryInput()), environment(primaryInput()), aws);
  expect(latest.archiveBucket).toBe(bucket);
  expect(latest.archive).toMatchObject({ key: "postgres/2026-11-20.dump", size: "archive 2026-11-20".length });
  // The emulator cannot replicate backups (see SANDBOX_GAPS), so there are none to find.
  expect(latest.replicatedBackup).toBeUndefined();
  expect(latest.replicatedBackupProblem).toBe("no automated backups of acme-us-east-1 in us-east-2");
});
