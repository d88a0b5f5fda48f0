import { BackupClient, ListCopyJobsCommand } from "@aws-sdk/client-backup";
import { mockClient } from "aws-sdk-client-mock";
import { probeCopyJobs } from "../../../lib/operations/probes/copy-jobs";

const VAULT = "arn:aws:backup:us-west-2:210987654321:backup-vault:acme-vault-us-east-1";
const SINCE = new Date("2026-11-19T12:00:00Z");
const credentials = { accessKeyId: "test", secretAccessKey: "test" };

describe("probeCopyJobs", () => {
  it("lists every page of the copy jobs into the vault created since the given time", async () => {
    const backup = new BackupClient({ region: "us-east-1", credentials });
    const mock = mockClient(backup);
    mock.on(ListCopyJobsCommand, { ByDestinationVaultArn: VAULT, ByCreatedAfter: SINCE, NextToken: undefined }).resolves({
      CopyJobs: [
        {
          CopyJobId: "c-1",
          State: "COMPLETED",
          CreationDate: new Date("2026-11-21T03:00:00Z"),
          CompletionDate: new Date("2026-11-21T03:10:00Z"),
          ResourceArn: "arn:aws:rds:us-east-1:123456789012:db:acme-us-east-1",
        },
      ],
      NextToken: "page-2",
    });
    mock.on(ListCopyJobsCommand, { ByDestinationVaultArn: VAULT, ByCreatedAfter: SINCE, NextToken: "page-2" }).resolves({
      CopyJobs: [{ CopyJobId: "f-1", State: "FAILED", CreationDate: new Date("2026-11-20T03:00:00Z"), StatusMessage: "Access denied" }],
    });
    expect(await probeCopyJobs(backup, VAULT, SINCE, "us-east-1")).toEqual({
      ok: true,
      value: [
        {
          id: "c-1",
          state: "COMPLETED",
          createdAt: new Date("2026-11-21T03:00:00Z"),
          completedAt: new Date("2026-11-21T03:10:00Z"),
          statusMessage: undefined,
          resourceArn: "arn:aws:rds:us-east-1:123456789012:db:acme-us-east-1",
        },
        {
          id: "f-1",
          state: "FAILED",
          createdAt: new Date("2026-11-20T03:00:00Z"),
          completedAt: undefined,
          statusMessage: "Access denied",
          resourceArn: undefined,
        },
      ],
    });
    expect(mock.commandCalls(ListCopyJobsCommand)).toHaveLength(2);
  });

  it("keeps a failed listing as the reading's failure", async () => {
    const backup = new BackupClient({ region: "us-east-1", credentials });
    mockClient(backup)
      .on(ListCopyJobsCommand)
      .rejects(Object.assign(new Error("connect ETIMEDOUT"), { name: "TimeoutError" }));
    expect(await probeCopyJobs(backup, VAULT, SINCE, "us-east-1")).toEqual({
      ok: false,
      failure: {
        kind: "unreachable",
        name: "TimeoutError",
        description: "TimeoutError: connect ETIMEDOUT",
        call: `AWS Backup ListCopyJobs into ${VAULT}`,
        region: "us-east-1",
      },
    });
  });
});
