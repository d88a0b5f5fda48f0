import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { reading, type Reading } from "../aws/errors";

/** Who is calling: the ARN of the caller's identity (a report names who ran a recovery). */
export async function probeCallerIdentity(sts: STSClient, region: string): Promise<Reading<string>> {
  // The SDK calls STS's regional endpoint of the client's region: the global one is served from us-east-1.
  return reading(`STS GetCallerIdentity`, region, async () => (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? "(no ARN)");
}
