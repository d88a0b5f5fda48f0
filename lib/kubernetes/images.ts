/**
 * Container images the library runs, each pinned by tag and digest, with the numeric user and
 * group its image runs as. How to update a pin: docs/images.md.
 */

export interface ContainerImage {
  /** `<repository>:<tag>@sha256:<digest>`: the tag says what it is, the digest makes it immutable. */
  readonly reference: string;
  /**
   * The image's USER as a number. The kubelet cannot check `runAsNonRoot` against a user name
   * (it refuses to start the container), so pods set `runAsUser` to this.
   */
  readonly userId: number;
  /** The image's primary group as a number (`runAsGroup`). */
  readonly groupId: number;
}

/**
 * curl and a POSIX shell. Digest: the multi-architecture index of `curlimages/curl:8.11.1`.
 * User: the image's `curl_user`/`curl_group`, created by Alpine's `adduser -S`/`addgroup -S`
 * in curl/curl-container (create_base_image.sh), which gives uid 100 and gid 101.
 */
export const CURL_IMAGE: ContainerImage = {
  reference: "curlimages/curl:8.11.1@sha256:c1fe1679c34d9784c1b0d1e5f62ac0a79fca01fb6377cdd33e90473c6f9f9a69",
  userId: 100,
  groupId: 101,
};

/**
 * The user and group of every Flux image the pinned `flux2` chart runs (controllers and flux
 * CLI): each Dockerfile at the chart's tags ends with `USER 65534:65534`.
 */
export const FLUX_IMAGE_USER = { userId: 65534, groupId: 65534 } as const;

const PINNED = /^[a-z0-9]+(?:[._/-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*:[\w][\w.-]{0,127}@sha256:[0-9a-f]{64}$/;

/** What is wrong with an image pin, one line per problem; empty when it is fine. */
export function imageProblems(image: ContainerImage): string[] {
  const problems: string[] = [];
  if (!PINNED.test(image.reference)) problems.push(`reference must be <repository>:<tag>@sha256:<64 hex digits> (got ${image.reference})`);
  for (const field of ["userId", "groupId"] as const) {
    if (!Number.isInteger(image[field]) || image[field] <= 0) problems.push(`${field} must be a non-zero integer (got ${image[field]})`);
  }
  return problems;
}
