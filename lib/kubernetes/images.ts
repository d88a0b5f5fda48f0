/**
 * Container images the library runs. Each is pinned by tag and digest upstream, and pulled from
 * the account's own ECR registry in the cluster's region through a pull through cache rule of that
 * region (RegistryPullThroughCache: a primary's in its kubernetes stack, a recovery's in its
 * standby layer, both made in peacetime): a recovery pulls nothing from another region or from a
 * rate-limited public registry, and what it pulls is exactly what was tested. How to update a
 * pin, and where each digest was read: docs/images.md.
 */

/** A pulled image as a pod runs it. */
export interface ContainerImage {
  /** `<registry>/<repository>:<tag>@sha256:<digest>`: the tag says what it is, the digest makes it immutable. */
  readonly reference: string;
  /**
   * The image's USER as a number. The kubelet cannot check `runAsNonRoot` against a user name
   * (it refuses to start the container), so pods set `runAsUser` to this.
   */
  readonly userId: number;
  /** The image's primary group as a number (`runAsGroup`). */
  readonly groupId: number;
}

/** The upstream registries the library's images come from, each cached by one pull through cache rule. */
export const UPSTREAM_REGISTRIES = {
  /** Amazon ECR Public: the Docker official images' mirror, the aws CLI, the load balancer controller. No credentials. */
  "ecr-public": { host: "public.ecr.aws", cachePrefix: "ecr-public", credentials: false },
  /** Quay: curl's own images. No credentials. */
  quay: { host: "quay.io", cachePrefix: "quay", credentials: false },
  /**
   * GitHub Container Registry: the Flux controllers. ECR's pull through cache needs credentials for
   * it even for public images: a Secrets Manager secret `ecr-pullthroughcache/...` with a GitHub
   * user and a token that may read packages, filled by the operator (docs/images.md).
   */
  github: { host: "ghcr.io", cachePrefix: "github", credentials: true },
} as const;

export type Upstream = keyof typeof UPSTREAM_REGISTRIES;

/** An image pinned upstream: where it comes from, what it is, who it runs as. */
export interface PinnedImage {
  /** Catalogue key, e.g. `postgres` (docs/images.md lists images by it). */
  readonly name: string;
  readonly upstream: Upstream;
  /** Repository path in the upstream registry, e.g. `docker/library/postgres`. */
  readonly repository: string;
  readonly tag: string;
  /**
   * `sha256:<64 hex>` of the multi-architecture index (one pin for amd64 and arm64 nodes).
   * @default - not pinned yet: `pendingDigest` says why (the policy rule DR-K8S-3 is then suppressed with it)
   */
  readonly digest?: string;
  /** Where the digest was read (a reviewer re-reads it there or with `crane digest`). */
  readonly digestSource: string;
  /** The image's USER and group as numbers, and where they come from. */
  readonly userId: number;
  readonly groupId: number;
}

/** An account's registry in one region: where a cluster pulls from. */
export interface ImageRegistry {
  readonly accountId: string;
  readonly region: string;
}

/** Host of the account's registry in a region (as lib/naming's registryHost). */
export function registryHostOf(registry: ImageRegistry): string {
  return `${registry.accountId}.dkr.ecr.${registry.region}.amazonaws.com`;
}

/** The image's repository in the account's registry: `<cache prefix>/<upstream repository>`. */
export function cachedRepository(image: PinnedImage): string {
  return `${UPSTREAM_REGISTRIES[image.upstream].cachePrefix}/${image.repository}`;
}

/** `<registry host>/<cache prefix>/<repository>` (no tag): what a chart's `image`/`repository` value takes. */
export function regionalRepository(image: PinnedImage, registry: ImageRegistry): string {
  return `${registryHostOf(registry)}/${cachedRepository(image)}`;
}

/** The reference a pod in `registry`'s region pulls: `<host>/<prefix>/<repository>:<tag>@<digest>` (tag only while the digest is pending). */
export function regionalReference(image: PinnedImage, registry: ImageRegistry): string {
  return `${regionalRepository(image, registry)}:${image.tag}${image.digest ? `@${image.digest}` : ""}`;
}

/** The image as a pod in `registry`'s region runs it. */
export function regionalImage(image: PinnedImage, registry: ImageRegistry): ContainerImage {
  return { reference: regionalReference(image, registry), userId: image.userId, groupId: image.groupId };
}

/** The upstream reference (what `docker pull` outside AWS would fetch). */
export function upstreamReference(image: PinnedImage): string {
  return `${UPSTREAM_REGISTRIES[image.upstream].host}/${image.repository}:${image.tag}${image.digest ? `@${image.digest}` : ""}`;
}

/** Why an image of the catalogue runs by tag: its digest could not be read when it was pinned. */
export function pendingDigestReason(image: PinnedImage): string | undefined {
  if (image.digest) return undefined;
  return `${upstreamReference(image)} runs by tag from the regional registry until its digest is pinned (${image.digestSource}): crane digest ${upstreamReference(image)}, then set it in lib/kubernetes/images.ts`;
}

/** The postgres image's own `postgres` user: the backup jobs run every image as it (no home, no passwd entry needed). */
export const JOB_USER_ID = 999;

/**
 * pg_dump, pg_restore and psql of the shipped environments' engine major (16): the Docker official
 * image, as ECR Public mirrors it. The client must be the server's major or newer.
 */
export const POSTGRES: PinnedImage = {
  name: "postgres",
  upstream: "ecr-public",
  repository: "docker/library/postgres",
  tag: "16.4",
  digest: "sha256:9a2f3b8137068178039fcf7769a760b700a4c09460c502bcd18cae8a7484af65",
  digestSource: "public.ecr.aws/docker/library/postgres:16.4 as pinned in a public NixOS container definition (not re-read from the registry)",
  userId: JOB_USER_ID,
  groupId: JOB_USER_ID,
};

/** The aws CLI v2 (uploads and downloads archives and definitions, reads the database secret). */
export const AWS_CLI: PinnedImage = {
  name: "aws-cli",
  upstream: "ecr-public",
  repository: "aws-cli/aws-cli",
  tag: "2.31.23",
  digest: "sha256:668ffb01408e03e1002b36886797c1a97b09f7d0f02fba3123f9fcd68a081dc5",
  digestSource: "public.ecr.aws/aws-cli/aws-cli:2.31.23 as asserted by a public repository's Dockerfile test (not re-read from the registry)",
  userId: JOB_USER_ID,
  groupId: JOB_USER_ID,
};

/** Node with built-ins only, for backup/broker-definitions.js: the Docker official image, as ECR Public mirrors it. */
export const NODE: PinnedImage = {
  name: "node",
  upstream: "ecr-public",
  repository: "docker/library/node",
  tag: "20.18.1-bookworm-slim",
  digest: "sha256:b2c8e0eb8a6aeeae33b2711f8f516003e27ee45804e270468d937b3214f2f0cc",
  digestSource:
    "node:20.18.1-bookworm-slim as five public Dockerfiles pin it; ECR Public's docker/library mirror serves the Docker official images' manifests (not re-read from the registry)",
  userId: JOB_USER_ID,
  groupId: JOB_USER_ID,
};

/**
 * curl and a POSIX shell (the broker users job and the password rotation), from curl's own
 * registry on Quay. User: the image's `curl_user`/`curl_group`, created by Alpine's `adduser -S`/
 * `addgroup -S` in curl/curl-container (create_base_image.sh): uid 100, gid 101.
 */
export const CURL: PinnedImage = {
  name: "curl",
  upstream: "quay",
  repository: "curl/curl",
  tag: "8.11.1",
  digest: "sha256:2db4e6a8fd6a0e4d0db5828b2722cf6db15c3005178a4c65588b903e4784ba11",
  digestSource: "quay.io/curl/curl:8.11.1 as a public end-to-end suite pins it (not re-read from the registry)",
  userId: 100,
  groupId: 101,
};

/** The AWS Load Balancer Controller the pinned eks-charts chart 1.13.3 runs. User: distroless `nonroot`, 65532. */
export const LB_CONTROLLER: PinnedImage = {
  name: "aws-load-balancer-controller",
  upstream: "ecr-public",
  repository: "eks/aws-load-balancer-controller",
  tag: "v2.13.3",
  digestSource: "no public source pins v2.13.3 by digest, and this build's machine reaches no registry",
  userId: 65532,
  groupId: 65532,
};

/**
 * The user and group of every Flux image the pinned `flux2` chart runs (controllers and flux
 * CLI): each Dockerfile at the chart's tags ends with `USER 65534:65534`.
 */
export const FLUX_IMAGE_USER = { userId: 65534, groupId: 65534 } as const;

const flux = (name: string, tag: string, digest: string | undefined, digestSource: string): PinnedImage => ({
  name,
  upstream: "github",
  repository: `fluxcd/${name}`,
  tag,
  ...(digest ? { digest } : {}),
  digestSource,
  ...FLUX_IMAGE_USER,
});
const REVIEWED_FLUX = "as a public provisioner pins Flux 2.4's reviewed controller digests (not re-read from the registry)";
const NO_FLUX_SOURCE = "no public source pins this tag by digest, and this build's machine reaches no registry";

/** The Flux images of the pinned `flux2` chart 2.14.1 (Flux 2.4.0), by the chart's value key. */
export const FLUX_IMAGES = {
  sourceController: flux("source-controller", "v1.4.1", "sha256:3c5f0f022f990ffc0daf00e5b199548fc0fa6e7119e972318f0267081a332963", REVIEWED_FLUX),
  kustomizeController: flux("kustomize-controller", "v1.4.0", "sha256:e3b0cf847e9cdf47b19af0fbcfe22786b80b598e0caeea8b6d2a5f9c26a48a24", REVIEWED_FLUX),
  helmController: flux("helm-controller", "v1.1.0", "sha256:4c75ca6c24ceb1f1bd7e935d9287a93e4f925c512f206763ec5a47de3ef3ff48", REVIEWED_FLUX),
  notificationController: flux("notification-controller", "v1.4.0", "sha256:425309a159b15e07f7d97622effc79bc432a37ed55289dd465d37fa217a92a7d", REVIEWED_FLUX),
  imageReflectionController: flux("image-reflector-controller", "v0.33.0", undefined, NO_FLUX_SOURCE),
  imageAutomationController: flux("image-automation-controller", "v0.39.0", undefined, NO_FLUX_SOURCE),
  /** The chart's pre-install `flux check` job. */
  cli: flux("flux-cli", "v2.4.0", undefined, NO_FLUX_SOURCE),
} as const satisfies Record<string, PinnedImage>;

/** Every image the library runs, by catalogue name: docs/images.md lists exactly these. */
export const IMAGE_CATALOGUE: readonly PinnedImage[] = [POSTGRES, AWS_CLI, NODE, CURL, LB_CONTROLLER, ...Object.values(FLUX_IMAGES)];

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const PINNED = /^[a-z0-9]+(?:[._/-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*:[\w][\w.-]{0,127}@sha256:[0-9a-f]{64}$/;

/** What is wrong with a pulled image, one line per problem; empty when it is fine. */
export function imageProblems(image: ContainerImage): string[] {
  const problems: string[] = [];
  if (!PINNED.test(image.reference)) problems.push(`reference must be <repository>:<tag>@sha256:<64 hex digits> (got ${image.reference})`);
  for (const field of ["userId", "groupId"] as const) {
    if (!Number.isInteger(image[field]) || image[field] <= 0) problems.push(`${field} must be a non-zero integer (got ${image[field]})`);
  }
  return problems;
}

/** What is wrong with a catalogue entry (a malformed digest, a user that is not a positive number). */
export function pinnedImageProblems(image: PinnedImage): string[] {
  const problems: string[] = [];
  if (image.digest !== undefined && !DIGEST.test(image.digest)) problems.push(`${image.name}: digest must be sha256:<64 hex digits> (got ${image.digest})`);
  if (!/^[\w][\w.-]{0,127}$/.test(image.tag)) problems.push(`${image.name}: tag must be a Docker tag (got ${image.tag})`);
  for (const field of ["userId", "groupId"] as const) {
    if (!Number.isInteger(image[field]) || image[field] <= 0) problems.push(`${image.name}: ${field} must be a non-zero integer (got ${image[field]})`);
  }
  return problems;
}

/** `<12 digits>.dkr.ecr.<region>.amazonaws.com/<repository>`, then `:<tag>`, then `@sha256:<digest>`. */
const REGIONAL = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([a-z0-9][a-z0-9._/-]*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$/;

/** The parts of an image reference in an account's private registry; undefined for any other reference. */
export function parseRegionalReference(
  reference: string,
): { readonly accountId: string; readonly region: string; readonly repository: string; readonly tag?: string; readonly digest?: string } | undefined {
  const match = REGIONAL.exec(reference);
  if (!match) return undefined;
  return { accountId: match[1], region: match[2], repository: match[3], tag: match[4], digest: match[5] };
}
