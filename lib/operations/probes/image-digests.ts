import { DescribeImagesCommand, type ECRClient } from "@aws-sdk/client-ecr";
import { reading, type Reading } from "../aws/errors";

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
