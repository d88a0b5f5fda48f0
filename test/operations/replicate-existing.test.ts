import { CreateJobCommand, S3ControlClient } from "@aws-sdk/client-s3-control";
import { mockClient } from "aws-sdk-client-mock";
import { startReplicateExisting } from "../../lib/operations/actions/batch-replication";
import {
  replicateExistingJobs,
  replicateExistingNotes,
  replicateExistingRequest,
  startReplicateExistingJobs,
  type ReplicationJob,
} from "../../lib/operations/replicate-existing";
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

const VAULT = { accountId: "210987654321", region: "us-west-1" };
/** Tokens in order, so each job's is known. */
const tokens = () => {
  let n = 0;
  return () => `token-${++n}`;
};
/** A second primary keeping its state in the same bucket, with the same vault: first by region, it copies the state. */
const europe = environment(
  primaryInput({
    region: "eu-west-1",
    drRegion: "eu-west-2",
    network: { cidr: "10.30.0.0/16", azCount: 3, natGateways: "single" },
    dns: { domain: "example.eu" },
    vault: VAULT,
  }),
);

/** The request of a vault job as the S3 User Guide's Batch Replication with a generated manifest wants it. */
function vaultRequest(bucket: string, role: string, token: string) {
  return {
    AccountId: "123456789012",
    ClientRequestToken: token,
    ConfirmationRequired: false,
    Description: `DR: replicate objects of ${bucket} that predate the vault rule`,
    Priority: 10,
    RoleArn: `arn:aws:iam::123456789012:role/${role}`,
    Operation: { S3ReplicateObject: {} },
    ManifestGenerator: {
      S3JobManifestGenerator: {
        ExpectedBucketOwner: "123456789012",
        SourceBucket: `arn:aws:s3:::${bucket}`,
        EnableManifestOutput: false,
        Filter: { EligibleForReplication: true, ObjectReplicationStatuses: ["NONE", "FAILED"] },
      },
    },
    Report: { Enabled: true, Bucket: `arn:aws:s3:::${bucket}`, Prefix: "replication-reports", Format: "Report_CSV_20180820", ReportScope: "AllTasks" },
  };
}

describe("replicateExistingJobs", () => {
  it("of a primary without a vault: the assets job alone, its request unchanged", () => {
    const primary = environment(primaryInput());
    const jobs = replicateExistingJobs(primary, [primary], tokens());
    expect(jobs.map((j) => [j.copy, j.bucketName, j.region])).toEqual([["assets", "acme-assets-us-east-1", "us-east-1"]]);
    expect(jobs[0].request).toEqual(replicateExistingRequest(primary, "token-1"));
    expect(replicateExistingNotes(primary, [primary])).toEqual([]);
  });

  it("of a primary whose vault stack copies the state: the assets, archives (in drRegion) and state (in its region) jobs, each with its own token", () => {
    const primary = environment(primaryInput({ vault: VAULT }));
    const recovery = environment(recoveryInput());
    const jobs = replicateExistingJobs(primary, [primary, recovery], tokens());
    expect(jobs.map((j) => [j.copy, j.bucketName, j.region, j.request.ClientRequestToken])).toEqual([
      ["assets", "acme-assets-us-east-1", "us-east-1", "token-1"],
      ["archives", "acme-hosting-services-us-east-1", "us-east-2", "token-2"],
      ["state", "acme-terraform-state", "us-west-2", "token-3"],
    ]);
    expect(jobs[0].request.Report!.Bucket).toBe("arn:aws:s3:::acme-dr-assets-us-east-1");
    expect(jobs[1].request).toEqual(vaultRequest("acme-hosting-services-us-east-1", "acme-vault-archives-us-east-1", "token-2"));
    expect(jobs[2].request).toEqual(vaultRequest("acme-terraform-state", "acme-vault-state-us-east-1", "token-3"));
    expect(replicateExistingNotes(primary, [primary, recovery])).toEqual([]);
  });

  it("never reports into a vault bucket (its policy refuses the workload account's writes)", () => {
    const primary = environment(primaryInput({ vault: VAULT }));
    const reports = replicateExistingJobs(primary, [primary]).map((j) => j.request.Report!.Bucket);
    expect(reports).toEqual(["arn:aws:s3:::acme-dr-assets-us-east-1", "arn:aws:s3:::acme-hosting-services-us-east-1", "arn:aws:s3:::acme-terraform-state"]);
  });

  it("of a primary whose state another primary's vault stack copies: no state job, and a note naming the command that starts it", () => {
    const primary = environment(primaryInput({ vault: VAULT }));
    const jobs = replicateExistingJobs(primary, [primary, europe], tokens());
    expect(jobs.map((j) => [j.copy, j.bucketName, j.region])).toEqual([
      ["assets", "acme-assets-us-east-1", "us-east-1"],
      ["archives", "acme-hosting-services-us-east-1", "us-east-2"],
    ]);
    expect(jobs[1].request).toEqual(vaultRequest("acme-hosting-services-us-east-1", "acme-vault-archives-us-east-1", "token-2"));
    expect(replicateExistingNotes(primary, [primary, europe])).toEqual([
      "the state bucket acme-terraform-state replicates into the vault from eu-west-1's vault stack: npx dr-platform replicate-existing eu-west-1 starts its job",
    ]);
    // The copier itself starts the state's job, with its own role.
    const copier = replicateExistingJobs(europe, [primary, europe], tokens());
    expect(copier.map((j) => [j.copy, j.bucketName, j.region])).toEqual([
      ["assets", "acme-assets-eu-west-1", "eu-west-1"],
      ["archives", "acme-hosting-services-eu-west-1", "eu-west-2"],
      ["state", "acme-terraform-state", "us-west-2"],
    ]);
    expect(copier[2].request.RoleArn).toBe("arn:aws:iam::123456789012:role/acme-vault-state-eu-west-1");
    expect(replicateExistingNotes(europe, [primary, europe])).toEqual([]);
  });

  it("is only for primaries", () => {
    const recovery = environment(recoveryInput());
    expect(() => replicateExistingJobs(recovery, [environment(primaryInput({ vault: VAULT })), recovery])).toThrow(
      "replicate-existing applies to primary environments (they own the assets bucket); us-east-2 is a recovery environment",
    );
    expect(replicateExistingNotes(recovery, [recovery])).toEqual([]);
  });
});

describe("startReplicateExistingJobs", () => {
  const primary = environment(primaryInput({ vault: VAULT }));

  /** One fake S3 Control client per region, answering with `answer(region)`; the requests each received. */
  function clients(answer: (region: string) => Promise<{ JobId?: string }>) {
    const sent: [string, unknown][] = [];
    const clientFor = (region: string) => ({
      send: (command: { input: unknown }) => {
        sent.push([region, command.input]);
        return answer(region);
      },
    });
    return { sent, clientFor };
  }

  it("sends each request through the client of its bucket's region, in order, and returns the job ids", async () => {
    const jobs = replicateExistingJobs(primary, [primary], tokens());
    const { sent, clientFor } = clients(async (region) => ({ JobId: `job-${region}` }));
    const started = await startReplicateExistingJobs(jobs, clientFor as never);
    expect(started.map((s) => [s.job.copy, s.jobId])).toEqual([
      ["assets", "job-us-east-1"],
      ["archives", "job-us-east-2"],
      ["state", "job-us-west-2"],
    ]);
    expect(sent.map(([region, input]) => [region, (input as { ClientRequestToken: string }).ClientRequestToken])).toEqual([
      ["us-east-1", "token-1"],
      ["us-east-2", "token-2"],
      ["us-west-2", "token-3"],
    ]);
    expect(sent[1][1]).toEqual(vaultRequest("acme-hosting-services-us-east-1", "acme-vault-archives-us-east-1", "token-2"));
  });

  it("stops at the first refusal, naming the job, its bucket, region and account, the jobs started with their ids and those not sent", async () => {
    const jobs = replicateExistingJobs(primary, [primary], tokens());
    const denied = Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
    const { sent, clientFor } = clients(async (region) => {
      if (region === "us-east-2") throw denied;
      return { JobId: "job-1" };
    });
    await expect(startReplicateExistingJobs(jobs, clientFor as never)).rejects.toThrow(
      new Error(
        [
          "the archives job (S3 Batch Replication of acme-hosting-services-us-east-1, CreateJob in us-east-2, account 123456789012) was not started: AccessDenied (HTTP 403): Access Denied",
          "already started: assets job job-1 (acme-assets-us-east-1, us-east-1)",
          "not sent: state job (acme-terraform-state, us-west-2)",
        ].join("\n"),
      ),
    );
    expect(sent.map(([region]) => region)).toEqual(["us-east-1", "us-east-2"]);
  });

  it("says when there are no credentials and that no job was started", async () => {
    const jobs: ReplicationJob[] = replicateExistingJobs(primary, [primary], tokens()).slice(0, 1);
    const { clientFor } = clients(async () => {
      throw Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    });
    await expect(startReplicateExistingJobs(jobs, clientFor as never)).rejects.toThrow(
      new Error(
        [
          "the assets job (S3 Batch Replication of acme-assets-us-east-1, CreateJob in us-east-1, account 123456789012) was not started: no AWS credentials for account 123456789012: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or use --dry-run)",
          "no job was started",
        ].join("\n"),
      ),
    );
  });

  it("treats an answer without a job id as a failure of that job", async () => {
    const jobs = replicateExistingJobs(primary, [primary], tokens()).slice(2);
    const { clientFor } = clients(async () => ({}));
    await expect(startReplicateExistingJobs(jobs, clientFor as never)).rejects.toThrow(
      new Error(
        [
          "the state job (S3 Batch Replication of acme-terraform-state, CreateJob in us-west-2, account 123456789012) was not started: Error: S3 Control CreateJob answered without a JobId",
          "no job was started",
        ].join("\n"),
      ),
    );
  });
});
