import { DescribeImagesCommand, type ECRClient } from "@aws-sdk/client-ecr";
import { reading, type Reading } from "../aws/errors";
import { paginate } from "../aws/paginate";

/** One image the platform references, as the registry of a region holds it. */
export interface ImagePresence {
  readonly repository: string;
  /** The pinned digest, or the tag of an image whose digest is pending. */
  readonly digest?: string;
  readonly tag: string;
  /** `present`; `no-repository` (never pulled through the cache there); `no-image` (the repository lacks this digest). */
  readonly state: "present" | "no-repository" | "no-image";
}

/** ECR DescribeImages in `region`, one call per image, by digest (by tag while the digest is pending). */
export function probeImageDigests(
  ecr: ECRClient,
  images: readonly { readonly repository: string; readonly tag: string; readonly digest?: string }[],
  region: string,
): Promise<Reading<readonly ImagePresence[]>> {
  return reading(`ECR DescribeImages of ${images.length} images`, region, () =>
    Promise.all(
      images.map(async (image): Promise<ImagePresence> => {
        const imageId = image.digest ? { imageDigest: image.digest } : { imageTag: image.tag };
        try {
          const answer = await ecr.send(new DescribeImagesCommand({ repositoryName: image.repository, imageIds: [imageId] }));
          return { ...image, state: (answer.imageDetails ?? []).length > 0 ? "present" : "no-image" };
        } catch (error) {
          const name = (error as Error)?.name;
          if (name === "RepositoryNotFoundException") return { ...image, state: "no-repository" };
          if (name === "ImageNotFoundException") return { ...image, state: "no-image" };
          throw error;
        }
      }),
    ),
  );
}

/** The digest under each `<repository>:<tag>` of a registry's repositories (DescribeImages, every page); a missing repository holds none. */
export function probeTagDigests(ecr: ECRClient, region: string, registryId: string, repositories: readonly string[]): Promise<Reading<Map<string, string>>> {
  return reading(`ECR DescribeImages of registry ${registryId}`, region, async () => {
    const digests = new Map<string, string>();
    for (const repositoryName of repositories) {
      try {
        const details = await paginate(
          (token) => ecr.send(new DescribeImagesCommand({ registryId, repositoryName, nextToken: token })),
          (page) => page.imageDetails,
          (page) => page.nextToken,
        );
        for (const d of details) for (const tag of d.imageTags ?? []) digests.set(`${repositoryName}:${tag}`, d.imageDigest!);
      } catch (error) {
        if ((error as Error).name !== "RepositoryNotFoundException") throw error;
      }
    }
    return digests;
  });
}
