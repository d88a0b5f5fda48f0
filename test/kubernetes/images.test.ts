import {
  cachedRepository,
  CURL,
  FLUX_IMAGE_USER,
  FLUX_IMAGES,
  IMAGE_CATALOGUE,
  imageProblems,
  LB_CONTROLLER,
  parseRegionalReference,
  pendingDigestReason,
  pinnedImageProblems,
  POSTGRES,
  regionalImage,
  regionalReference,
  regionalRepository,
  UPSTREAM_REGISTRIES,
  upstreamReference,
} from "../../lib/kubernetes/images";

const DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
const REGISTRY = { accountId: "123456789012", region: "us-east-2" };

describe("the image catalogue", () => {
  it("lists every image the library runs once, each from an upstream a pull through cache rule serves", () => {
    expect(IMAGE_CATALOGUE.map((i) => `${i.name} ${upstreamReference(i)}`)).toEqual([
      "postgres public.ecr.aws/docker/library/postgres:16.4@sha256:9a2f3b8137068178039fcf7769a760b700a4c09460c502bcd18cae8a7484af65",
      "aws-cli public.ecr.aws/aws-cli/aws-cli:2.31.23@sha256:668ffb01408e03e1002b36886797c1a97b09f7d0f02fba3123f9fcd68a081dc5",
      "node public.ecr.aws/docker/library/node:20.18.1-bookworm-slim@sha256:b2c8e0eb8a6aeeae33b2711f8f516003e27ee45804e270468d937b3214f2f0cc",
      "curl quay.io/curl/curl:8.11.1@sha256:2db4e6a8fd6a0e4d0db5828b2722cf6db15c3005178a4c65588b903e4784ba11",
      "aws-load-balancer-controller public.ecr.aws/eks/aws-load-balancer-controller:v2.13.3",
      "source-controller ghcr.io/fluxcd/source-controller:v1.4.1@sha256:3c5f0f022f990ffc0daf00e5b199548fc0fa6e7119e972318f0267081a332963",
      "kustomize-controller ghcr.io/fluxcd/kustomize-controller:v1.4.0@sha256:e3b0cf847e9cdf47b19af0fbcfe22786b80b598e0caeea8b6d2a5f9c26a48a24",
      "helm-controller ghcr.io/fluxcd/helm-controller:v1.1.0@sha256:4c75ca6c24ceb1f1bd7e935d9287a93e4f925c512f206763ec5a47de3ef3ff48",
      "notification-controller ghcr.io/fluxcd/notification-controller:v1.4.0@sha256:425309a159b15e07f7d97622effc79bc432a37ed55289dd465d37fa217a92a7d",
      "image-reflector-controller ghcr.io/fluxcd/image-reflector-controller:v0.33.0",
      "image-automation-controller ghcr.io/fluxcd/image-automation-controller:v0.39.0",
      "flux-cli ghcr.io/fluxcd/flux-cli:v2.4.0",
    ]);
    expect(new Set(IMAGE_CATALOGUE.map((i) => i.name)).size).toBe(IMAGE_CATALOGUE.length);
    for (const image of IMAGE_CATALOGUE) expect(pinnedImageProblems(image)).toEqual([]);
    expect(Object.values(UPSTREAM_REGISTRIES).map((u) => `${u.cachePrefix} ${u.host} ${u.credentials}`)).toEqual([
      "ecr-public public.ecr.aws false",
      "quay quay.io false",
      "github ghcr.io true",
    ]);
  });

  it("names the images whose digest is still pending, and only those", () => {
    expect(IMAGE_CATALOGUE.filter((i) => pendingDigestReason(i) !== undefined).map((i) => i.name)).toEqual([
      "aws-load-balancer-controller",
      "image-reflector-controller",
      "image-automation-controller",
      "flux-cli",
    ]);
    expect(pendingDigestReason(POSTGRES)).toBeUndefined();
  });

  it("references an image in the account's registry of a region, through its cache prefix", () => {
    expect(cachedRepository(POSTGRES)).toBe("ecr-public/docker/library/postgres");
    expect(regionalRepository(CURL, REGISTRY)).toBe("123456789012.dkr.ecr.us-east-2.amazonaws.com/quay/curl/curl");
    expect(regionalReference(FLUX_IMAGES.sourceController, REGISTRY)).toBe(
      "123456789012.dkr.ecr.us-east-2.amazonaws.com/github/fluxcd/source-controller:v1.4.1@sha256:3c5f0f022f990ffc0daf00e5b199548fc0fa6e7119e972318f0267081a332963",
    );
    expect(regionalReference(LB_CONTROLLER, REGISTRY)).toBe("123456789012.dkr.ecr.us-east-2.amazonaws.com/ecr-public/eks/aws-load-balancer-controller:v2.13.3");
    expect(regionalImage(CURL, REGISTRY)).toEqual({ reference: regionalReference(CURL, REGISTRY), userId: 100, groupId: 101 });
  });

  it("parses a regional reference, and nothing else", () => {
    expect(parseRegionalReference(regionalReference(POSTGRES, REGISTRY))).toEqual({
      accountId: "123456789012",
      region: "us-east-2",
      repository: "ecr-public/docker/library/postgres",
      tag: "16.4",
      digest: POSTGRES.digest,
    });
    expect(parseRegionalReference("123456789012.dkr.ecr.us-east-2.amazonaws.com/quay/curl/curl")).toEqual({
      accountId: "123456789012",
      region: "us-east-2",
      repository: "quay/curl/curl",
      tag: undefined,
      digest: undefined,
    });
    for (const other of ["quay.io/curl/curl:8.11.1", "12345.dkr.ecr.us-east-2.amazonaws.com/x:1", `public.ecr.aws/x:1@${DIGEST}`]) {
      expect(parseRegionalReference(other)).toBeUndefined();
    }
  });

  it("refuses a malformed digest or tag and ids that are not positive integers", () => {
    expect(pinnedImageProblems({ ...CURL, digest: "sha256:abc", tag: "a b", userId: 0, groupId: 1.5 })).toEqual([
      "curl: digest must be sha256:<64 hex digits> (got sha256:abc)",
      "curl: tag must be a Docker tag (got a b)",
      "curl: userId must be a non-zero integer (got 0)",
      "curl: groupId must be a non-zero integer (got 1.5)",
    ]);
  });
});

describe("imageProblems", () => {
  it("accepts the shipped pins, and references with a registry host and port", () => {
    expect(imageProblems(regionalImage(CURL, REGISTRY))).toEqual([]);
    expect(imageProblems({ reference: `registry.example.com:5000/team/tool:v1.2.3-rc.1@${DIGEST}`, userId: 1000, groupId: 1000 })).toEqual([]);
    expect(FLUX_IMAGE_USER).toEqual({ userId: 65534, groupId: 65534 });
  });

  it("refuses a reference without a tag, without a digest, or with a short digest", () => {
    for (const reference of [`curlimages/curl@${DIGEST}`, "curlimages/curl:8.11.1", "curlimages/curl:8.11.1@sha256:abc"]) {
      expect(imageProblems({ reference, userId: 100, groupId: 101 })).toEqual([
        `reference must be <repository>:<tag>@sha256:<64 hex digits> (got ${reference})`,
      ]);
    }
  });

  it("refuses root, fractional and negative ids", () => {
    const reference = regionalReference(CURL, REGISTRY);
    expect(imageProblems({ reference, userId: 0, groupId: -1 })).toEqual([
      "userId must be a non-zero integer (got 0)",
      "groupId must be a non-zero integer (got -1)",
    ]);
    expect(imageProblems({ reference, userId: 1.5, groupId: 101 })).toEqual(["userId must be a non-zero integer (got 1.5)"]);
  });
});
