import { CURL_IMAGE, FLUX_IMAGE_USER, imageProblems } from "../../lib/kubernetes/images";

const DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

describe("imageProblems", () => {
  it("accepts the shipped pins, and references with a registry host and port", () => {
    expect(imageProblems(CURL_IMAGE)).toEqual([]);
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
    expect(imageProblems({ reference: CURL_IMAGE.reference, userId: 0, groupId: -1 })).toEqual([
      "userId must be a non-zero integer (got 0)",
      "groupId must be a non-zero integer (got -1)",
    ]);
    expect(imageProblems({ reference: CURL_IMAGE.reference, userId: 1.5, groupId: 101 })).toEqual(["userId must be a non-zero integer (got 1.5)"]);
  });
});
