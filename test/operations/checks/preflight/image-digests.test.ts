import { expectedImages, imageDigestsCheck } from "../../../../lib/operations/checks/preflight/image-digests";
import { CURL, LB_CONTROLLER, POSTGRES } from "../../../../lib/kubernetes/images";
import type { ImagePresence } from "../../../../lib/operations/probes/image-digests";
import { failed, read, recovery } from "../../../support/facts";

const TITLE = "Image digests the platform references in the registry of us-east-2";
const IMAGES = [POSTGRES, CURL, LB_CONTROLLER];
const present = (): ImagePresence[] => expectedImages(IMAGES).map((i) => ({ ...i, state: "present" }));

describe("expectedImages", () => {
  it("are the catalogue's images in their cache repositories, by digest (by tag while a digest is pending)", () => {
    expect(expectedImages(IMAGES)).toEqual([
      { repository: "ecr-public/docker/library/postgres", tag: "16.4", digest: POSTGRES.digest },
      { repository: "quay/curl/curl", tag: "8.11.1", digest: CURL.digest },
      { repository: "ecr-public/eks/aws-load-balancer-controller", tag: "v2.13.3", digest: undefined },
    ]);
    expect(expectedImages()).toHaveLength(12);
  });
});

describe("imageDigestsCheck", () => {
  it("passes when every image is in the region's registry, naming those present by tag only", () => {
    expect(imageDigestsCheck(recovery, read(present()), IMAGES)).toEqual({
      id: "image-digests",
      title: TITLE,
      status: "pass",
      detail: "3 of 3 present; by tag: ecr-public/eks/aws-load-balancer-controller",
      fix: "",
    });
    const pinned = expectedImages([POSTGRES]).map((i) => ({ ...i, state: "present" as const }));
    expect(imageDigestsCheck(recovery, read(pinned), [POSTGRES]).detail).toBe("1 of 1 present");
  });

  it("fails an image never pulled through the cache there, or missing from its repository, with the pull that warms the cache", () => {
    const found = present();
    found[1] = { ...found[1], state: "no-repository" };
    found[2] = { ...found[2], state: "no-image" };
    expect(imageDigestsCheck(recovery, read(found), IMAGES)).toEqual({
      id: "image-digests",
      title: TITLE,
      status: "fail",
      detail: [
        "1 of 3 present",
        `  quay/curl/curl@${CURL.digest}: no repository (never pulled through the cache here)`,
        "  ecr-public/eks/aws-load-balancer-controller:v2.13.3 (digest pending): not in the repository",
      ].join("\n"),
      fix: [
        "# in peacetime, pull each through the cache of us-east-2 once (any machine logged in to that registry: aws ecr get-login-password --region us-east-2 | docker login ...):",
        `docker pull 123456789012.dkr.ecr.us-east-2.amazonaws.com/quay/curl/curl:8.11.1@${CURL.digest}`,
        "docker pull 123456789012.dkr.ecr.us-east-2.amazonaws.com/ecr-public/eks/aws-load-balancer-controller:v2.13.3",
        "# a repository of the github prefix stays empty until its credentials are set (see registry-cache)",
      ].join("\n"),
    });
  });

  it("reports a failed read as such", () => {
    expect(imageDigestsCheck(recovery, failed("refused", "ECR DescribeImages of 12 images", "us-east-2")).detail).toBe(
      "ECR DescribeImages of 12 images in us-east-2 failed: AccessDenied (HTTP 403): not authorized",
    );
  });
});
