import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECRClient } from "@aws-sdk/client-ecr";
import { EKSClient } from "@aws-sdk/client-eks";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { MqClient } from "@aws-sdk/client-mq";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import * as fs from "fs";
import * as https from "https";

/** Dummy credentials the emulator accepts (it does not check them unless IAM enforcement is on). */
export const EMULATOR_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

/** AWS SDK v3 clients for one region of the emulator (over TLS, trusting its certificate); S3 path-style. */
export function awsClients(emulator: { endpoint: string; caFile: string }, region: string, credentials = EMULATOR_CREDENTIALS) {
  const requestHandler = new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: fs.readFileSync(emulator.caFile) }) });
  const config = { endpoint: emulator.endpoint, region, credentials, maxAttempts: 2, requestHandler };
  return {
    s3: new S3Client({ ...config, forcePathStyle: true }),
    cloudwatch: new CloudWatchClient(config),
    ec2: new EC2Client(config),
    ecr: new ECRClient(config),
    eks: new EKSClient(config),
    iam: new IAMClient(config),
    kms: new KMSClient(config),
    mq: new MqClient(config),
    rds: new RDSClient(config),
    route53: new Route53Client(config),
    secrets: new SecretsManagerClient(config),
  };
}

export type AwsClients = ReturnType<typeof awsClients>;

/** The error name an SDK call fails with, or "ok". */
export async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "ok";
  } catch (error) {
    return (error as Error).name;
  }
}
