import { DescribeRepositoriesCommand, type ECRClient } from "@aws-sdk/client-ecr";
import { reading, type Reading } from "../aws/errors";
import { paginate } from "../aws/paginate";

/** The names of every ECR repository of the registry in `region` (DescribeRepositories, every page). */
export function probeRepositories(ecr: ECRClient, region: string): Promise<Reading<string[]>> {
  return reading("ECR DescribeRepositories", region, async () =>
    (
      await paginate(
        (token) => ecr.send(new DescribeRepositoriesCommand({ nextToken: token })),
        (page) => page.repositories,
        (page) => page.nextToken,
      )
    ).map((r) => r.repositoryName ?? ""),
  );
}
