import { DescribeRepositoriesCommand, ListImagesCommand, type ECRClient, type Repository } from "@aws-sdk/client-ecr";
import { reading, type Reading } from "../aws/errors";
import { paginate } from "../aws/paginate";

/** The names of every ECR repository of the registry in `region` (DescribeRepositories, every page). */
export async function probeRepositories(ecr: ECRClient, region: string): Promise<Reading<string[]>> {
  const found = await probeRepositoryDetails(ecr, region);
  return found.ok ? { ok: true, value: found.value.map((r) => r.repositoryName ?? "") } : found;
}

/** Every repository of a registry (the caller's account's, or `registryId`'s) in `region`, with its settings. */
export function probeRepositoryDetails(ecr: ECRClient, region: string, registryId?: string): Promise<Reading<Repository[]>> {
  return reading(`ECR DescribeRepositories${registryId ? ` of registry ${registryId}` : ""}`, region, () =>
    paginate(
      (token) => ecr.send(new DescribeRepositoriesCommand({ ...(registryId ? { registryId } : {}), nextToken: token })),
      (page) => page.repositories,
      (page) => page.nextToken,
    ),
  );
}

/** The tagged images of one repository: each tag with its digest (ListImages, every page). */
export function probeTaggedImages(
  ecr: ECRClient,
  region: string,
  registryId: string,
  repositoryName: string,
): Promise<Reading<{ readonly tag: string; readonly digest: string }[]>> {
  return reading(`ECR ListImages of ${repositoryName} in registry ${registryId}`, region, async () =>
    (
      await paginate(
        (token) => ecr.send(new ListImagesCommand({ registryId, repositoryName, filter: { tagStatus: "TAGGED" }, nextToken: token })),
        (page) => page.imageIds,
        (page) => page.nextToken,
      )
    ).flatMap((id) => (id.imageTag && id.imageDigest ? [{ tag: id.imageTag, digest: id.imageDigest }] : [])),
  );
}
