import { CreateJobCommand, S3ControlClient } from "@aws-sdk/client-s3-control";
import { mockClient } from "aws-sdk-client-mock";
import { startReplicateExisting } from "../../lib/operations/actions/batch-replication";
import { replicateExistingRequest } from "../../lib/operations/replicate-existing";
import { environment, primaryInput, recoveryInput } from "../support/environments";

describe("replicateExistingRequest", () => {
  const request = replicateExistingRequest(environment(primaryInput()), "token-1");

  it("runs S3ReplicateObject in the primary's account with the batch replication role", () => {
    expect(request.AccountId).toBe("123456789012");
    expect(request.ClientRequestToken).toBe("token-1");
    expect(request.ConfirmationRequired).toBe(false);
    expect(request.Priority).toBe(10);
    expect(request.Operation).toEqual({ S3ReplicateObject: {} });
    expect(request.RoleArn).toBe("arn:aws:iam::123456789012:role/acme-dr-batch-us-east-1");
  });

  it("lets S3 generate the manifest from the source bucket: objects never replicated or failed", () => {
    expect(request.ManifestGenerator).toEqual({
      S3JobManifestGenerator: {
        ExpectedBucketOwner: "123456789012",
        SourceBucket: "arn:aws:s3:::acme-assets-us-east-1",
        EnableManifestOutput: false,
        Filter: { EligibleForReplication: true, ObjectReplicationStatuses: ["NONE", "FAILED"] },
      },
    });
    expect(request.Manifest).toBeUndefined();
  });

  it("writes the completion report to replication-reports/ in the replica", () => {
    expect(request.Report).toEqual({
      Enabled: true,
      Bucket: "arn:aws:s3:::acme-dr-assets-us-east-1",
      Prefix: "replication-reports",
      Format: "Report_CSV_20180820",
      ReportScope: "AllTasks",
    });
  });

  it("is only for primaries (a recovery does not own the assets bucket)", () => {
    expect(() => replicateExistingRequest(environment(recoveryInput()))).toThrow(
      "replicate-existing applies to primary environments (they own the assets bucket); us-east-2 is a recovery environment",
    );
  });
});

describe("startReplicateExisting", () => {
  it("sends exactly the request through S3 Control CreateJob and returns the job id", async () => {
    const s3control = mockClient(S3ControlClient);
    s3control.on(CreateJobCommand).resolves({ JobId: "job-42" });
    const request = replicateExistingRequest(environment(primaryInput()), "token-2");
    await expect(startReplicateExisting(new S3ControlClient({ region: "us-east-1" }), request)).resolves.toBe("job-42");
    const calls = s3control.commandCalls(CreateJobCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toEqual(request);
    s3control.restore();
  });

  it("fails clearly when CreateJob answers without a job id", async () => {
    const s3control = mockClient(S3ControlClient);
    s3control.on(CreateJobCommand).resolves({});
    await expect(startReplicateExisting(new S3ControlClient({ region: "us-east-1" }), replicateExistingRequest(environment(primaryInput())))).rejects.toThrow(
      "S3 Control CreateJob answered without a JobId",
    );
    s3control.restore();
  });
});
