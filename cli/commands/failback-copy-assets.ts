import { S3Client } from "@aws-sdk/client-s3";
import { awsClient, copyAssetsBack, formatAssetCopy } from "../../lib/operations";
import { clientSettings } from "../aws";
import { UsageError, type CliContext } from "../command";
import { failbackPair } from "../environments";

/** `failback-copy-assets <from> <to>`: the recovery's assets copied back, with the completion check. */
export async function failbackCopyAssets(
  args: { from: string; to: string },
  options: { apply: boolean; since: string | undefined },
  context: CliContext,
): Promise<number> {
  const { primary } = failbackPair(context, args.from, args.to);
  const since = options.since === undefined ? undefined : new Date(options.since);
  if (since && Number.isNaN(since.getTime()))
    throw new UsageError(`--since must be an ISO 8601 time like 2026-11-21T03:00:00Z (got ${JSON.stringify(options.since)})`);
  const settings = clientSettings(context);
  const result = await copyAssetsBack(
    primary,
    { source: awsClient(S3Client, args.from, settings), target: awsClient(S3Client, args.to, settings) },
    { apply: options.apply, since },
  );
  process.stdout.write(formatAssetCopy(result));
  return result.complete ? 0 : 1;
}
