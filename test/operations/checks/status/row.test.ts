import { failedRead, gapFor, jobFix, notServed } from "../../../../lib/operations/checks/status/row";
import { EMULATED, failed, primary } from "../../../support/facts";

const ROW = { id: "x", store: "x store", target: "5 min" };

describe("gapFor", () => {
  it("matches a gap by its resource type, with or without a remark, and nothing longer", () => {
    expect(gapFor(EMULATED, "aws_kms_replica_key")?.id).toBe("kms-replica-key");
    expect(gapFor(EMULATED, "aws_s3_bucket_replication_configuration")?.id).toBe("s3-object-replication");
    expect(gapFor(EMULATED, "aws_kms_replica")).toBeUndefined();
    expect(gapFor(EMULATED, "aws_kms_alias")?.id).toBe("kms-replica-key");
    expect(gapFor({ description: "AWS", gaps: [] }, "aws_kms_replica_key")).toBeUndefined();
  });
});

describe("notServed", () => {
  it("is unknown with the target's reason, and nothing to fix", () => {
    expect(notServed(ROW, EMULATED, EMULATED.gaps[0], "found nothing")).toEqual({
      ...ROW,
      state: "unknown (not served by the emulator)",
      verdict: "unknown",
      detail: "found nothing; no RDS backup replication",
      fix: "nothing to fix in the emulator; a real account serves it",
      gap: "rds-backup-replication",
    });
  });
});

describe("failedRead", () => {
  it.each([
    [
      "unreachable",
      "unknown (us-east-1 did not answer)",
      "S3 ListObjectsV2 of b in us-east-1 got no answer: AccessDenied (HTTP 403): not authorized",
      "check the network path and AWS's health for us-east-1, then run again",
    ],
    [
      "no-credentials",
      "unknown (no AWS credentials)",
      "S3 ListObjectsV2 of b: no AWS credentials",
      "set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) for the environment's account and run again",
    ],
    [
      "refused",
      "unknown (refused)",
      "S3 ListObjectsV2 of b in us-east-1 failed: AccessDenied (HTTP 403): not authorized",
      "allow the caller S3 ListObjectsV2 of b in us-east-1 (read-only) and run again",
    ],
    [
      "other",
      "unknown (refused)",
      "S3 ListObjectsV2 of b in us-east-1 failed: AccessDenied (HTTP 403): not authorized",
      "allow the caller S3 ListObjectsV2 of b in us-east-1 (read-only) and run again",
    ],
  ] as const)("%s: nothing is known", (kind, state, detail, fix) => {
    expect(failedRead(ROW, failed(kind, "S3 ListObjectsV2 of b", "us-east-1").failure)).toEqual({ ...ROW, state, verdict: "unknown", detail, fix });
  });
});

describe("jobFix", () => {
  it("logs in to the primary's cluster and names the backup jobs' namespace", () => {
    expect(jobFix(primary, "database archive")).toBe(
      "aws eks update-kubeconfig --region us-east-1 --name acme-us-east-1 && kubectl -n dr-backups get cronjobs,jobs   # is the database archive job scheduled and succeeding?\n" +
        "kubectl -n dr-backups logs job/<the newest failed job>   # then fix what it names and run the CronJob once: kubectl create job --from=cronjob/<name> <name>-manual",
    );
  });
});
