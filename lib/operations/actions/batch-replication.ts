import type { CreateJobCommand, CreateJobCommandInput } from "@aws-sdk/client-s3-control";

/** Starts the S3 Batch Replication job (S3 Control CreateJob); returns its id. Needs credentials of the environment's account. */
export async function startReplicateExisting(
  client: { send(command: CreateJobCommand): Promise<{ JobId?: string }> },
  request: CreateJobCommandInput,
): Promise<string> {
  // Loaded here only: no other operation needs S3 Control.
  const { CreateJobCommand } = await import("@aws-sdk/client-s3-control");
  const response = await client.send(new CreateJobCommand(request));
  if (!response.JobId) throw new Error("S3 Control CreateJob answered without a JobId");
  return response.JobId;
}
