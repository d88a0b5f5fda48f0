import { DescribeRegistryCommand, type ECRClient, type ReplicationRule } from "@aws-sdk/client-ecr";
import { reading, type Reading } from "../aws/errors";

/** The replication rules of the registry in `region` (ECR DescribeRegistry): the primary's, in peacetime. */
export function probeRegistryReplication(ecr: ECRClient, region: string): Promise<Reading<readonly ReplicationRule[]>> {
  return reading("ECR DescribeRegistry", region, async () => (await ecr.send(new DescribeRegistryCommand({}))).replicationConfiguration?.rules ?? []);
}
