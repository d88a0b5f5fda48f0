/** The registry probes of the recovery region, against recorded SDK answers (moto has no pull through cache). */
import { DescribeImagesCommand, DescribePullThroughCacheRulesCommand, ECRClient, ValidatePullThroughCacheRuleCommand } from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { probeImageDigests } from "../../../lib/operations/probes/image-digests";
import { probeRegistryCache } from "../../../lib/operations/probes/registry-cache";

const R = "us-east-2";
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const awsError = (name: string, httpStatusCode: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });
const DIGEST = "sha256:" + "a".repeat(64);

describe("probeImageDigests", () => {
  it("asks for each image by digest (by tag while it is pending) and tells present, no repository and no image apart", async () => {
    const ecr = new ECRClient({ region: R, credentials });
    mockClient(ecr)
      .on(DescribeImagesCommand, { repositoryName: "quay/curl/curl", imageIds: [{ imageDigest: DIGEST }] })
      .resolves({ imageDetails: [{ imageDigest: DIGEST }] })
      .on(DescribeImagesCommand, { repositoryName: "ecr-public/eks/aws-load-balancer-controller", imageIds: [{ imageTag: "v2.13.3" }] })
      .rejects(awsError("ImageNotFoundException", 400))
      .on(DescribeImagesCommand, { repositoryName: "github/fluxcd/flux-cli" })
      .rejects(awsError("RepositoryNotFoundException", 400))
      .on(DescribeImagesCommand, { repositoryName: "ecr-public/docker/library/node" })
      .resolves({ imageDetails: [] });
    const images = [
      { repository: "quay/curl/curl", tag: "8.11.1", digest: DIGEST },
      { repository: "ecr-public/eks/aws-load-balancer-controller", tag: "v2.13.3" },
      { repository: "github/fluxcd/flux-cli", tag: "v2.4.0" },
      { repository: "ecr-public/docker/library/node", tag: "20", digest: DIGEST },
    ];
    expect(await probeImageDigests(ecr, images, R)).toEqual({
      ok: true,
      value: [
        { ...images[0], state: "present" },
        { ...images[1], state: "no-image" },
        { ...images[2], state: "no-repository" },
        { ...images[3], state: "no-image" },
      ],
    });
  });

  it("any other error fails the read", async () => {
    const ecr = new ECRClient({ region: R, credentials });
    mockClient(ecr).on(DescribeImagesCommand).rejects(awsError("AccessDeniedException", 403));
    expect(await probeImageDigests(ecr, [{ repository: "quay/curl/curl", tag: "1" }], R)).toMatchObject({
      ok: false,
      failure: { kind: "refused", call: "ECR DescribeImages of 1 images" },
    });
  });
});

describe("probeRegistryCache", () => {
  it("lists every rule (every page) and validates the ones with credentials", async () => {
    const ecr = new ECRClient({ region: R, credentials });
    const mock = mockClient(ecr)
      .on(DescribePullThroughCacheRulesCommand, { nextToken: undefined })
      .resolves({ pullThroughCacheRules: [{ ecrRepositoryPrefix: "ecr-public", upstreamRegistryUrl: "public.ecr.aws" }], nextToken: "p2" })
      .on(DescribePullThroughCacheRulesCommand, { nextToken: "p2" })
      .resolves({ pullThroughCacheRules: [{ ecrRepositoryPrefix: "github", upstreamRegistryUrl: "ghcr.io", credentialArn: "arn:secret" }] })
      .on(ValidatePullThroughCacheRuleCommand, { ecrRepositoryPrefix: "github" })
      .resolves({ isValid: false, failure: "Unable to authenticate" });
    expect(await probeRegistryCache(ecr, R)).toEqual({
      ok: true,
      value: [
        { prefix: "ecr-public", upstreamUrl: "public.ecr.aws", credentialArn: undefined },
        { prefix: "github", upstreamUrl: "ghcr.io", credentialArn: "arn:secret", valid: false, failure: "Unable to authenticate" },
      ],
    });
    expect(mock.commandCalls(ValidatePullThroughCacheRuleCommand)).toHaveLength(1);
  });
});
