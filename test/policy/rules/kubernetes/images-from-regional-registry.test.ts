import { helmValueImages, ImagesFromRegionalRegistry } from "../../../../lib/policy/rules/kubernetes/images-from-regional-registry";
import type { SynthesizedResource } from "../../../../lib/policy/rule";
import { describeRuleBasics, resource, stackOf } from "../../../support/policy";

const rule = ImagesFromRegionalRegistry;
const DIGEST = "sha256:" + "c".repeat(64);
const ECR = "123456789012.dkr.ecr.us-east-2.amazonaws.com";
const PROVIDERS = { aws: [{ region: "us-east-2" }, { region: "us-east-1", alias: "primary" }] };
const judgeIn = (subject: SynthesizedResource, providers = PROVIDERS) => rule.evaluate(subject, stackOf([subject], providers));

const cronJob = (...images: string[]) =>
  resource("kubernetes_cron_job_v1", "archive_resource_1A2B3C4D", {
    metadata: { name: "archive" },
    spec: {
      schedule: "0 * * * *",
      job_template: {
        spec: {
          template: { spec: { init_container: images.slice(1).map((image, i) => ({ name: `i${i}`, image })), container: [{ name: "c", image: images[0] }] } },
        },
      },
    },
  });
const release = (values: unknown) => resource("helm_release", "flux_flux2_1A2B3C4D", { values: [JSON.stringify(values)] });

describe("DR-K8S-3 images from the regional registry, by digest", () => {
  describeRuleBasics(rule, "DR-K8S-3");

  describe("compliant", () => {
    it("every container and init container of a pod template pulls from the stack's region's ECR, with tag and digest", () => {
      expect(judgeIn(cronJob(`${ECR}/ecr-public/aws-cli/aws-cli:2.31.23@${DIGEST}`, `${ECR}/quay/curl/curl:8.11.1@${DIGEST}`))).toBe("compliant");
    });

    it("a helm release's image values as the charts render them (flux2: image + digest tag; eks-charts: repository + tag)", () => {
      expect(judgeIn(release({ sourceController: { image: `${ECR}/github/fluxcd/source-controller:v1.4.1`, tag: DIGEST } }))).toBe("compliant");
      expect(judgeIn(release({ image: { repository: `${ECR}/ecr-public/eks/aws-load-balancer-controller`, tag: `v2.13.3@${DIGEST}` } }))).toBe("compliant");
    });
  });

  describe("non-compliant", () => {
    it.each([
      ["a public registry", `public.ecr.aws/aws-cli/aws-cli:2.31.23@${DIGEST}`],
      ["Docker Hub by short name", "postgres:16.4"],
      ["another region's ECR", `123456789012.dkr.ecr.us-east-1.amazonaws.com/quay/curl/curl:8.11.1@${DIGEST}`],
      ["the region's ECR by tag only", `${ECR}/quay/curl/curl:8.11.1`],
      ["the region's ECR by digest without a tag", `${ECR}/quay/curl/curl@${DIGEST}`],
    ])("a pod image from %s", (_case, image) => {
      expect(judgeIn(cronJob(`${ECR}/ecr-public/aws-cli/aws-cli:2.31.23@${DIGEST}`, image))).toBe("non-compliant");
    });

    it("a helm release with an image value by tag, or from elsewhere", () => {
      expect(judgeIn(release({ cli: { image: `${ECR}/github/fluxcd/flux-cli`, tag: "v2.4.0" } }))).toBe("non-compliant");
      expect(judgeIn(release({ image: { repository: "public.ecr.aws/eks/aws-load-balancer-controller", tag: `v2.13.3@${DIGEST}` } }))).toBe("non-compliant");
    });

    it("any image when the stack has no default AWS provider to name its region", () => {
      expect(judgeIn(cronJob(`${ECR}/quay/curl/curl:8.11.1@${DIGEST}`), { aws: [{ region: "us-east-2", alias: "x" }] })).toBe("non-compliant");
    });
  });

  describe("not applicable", () => {
    it("other resources, pods without images, releases that set no image, and values that are not JSON", () => {
      expect(judgeIn(resource("aws_s3_bucket", "b", { bucket: "x" }))).toBe("not-applicable");
      expect(judgeIn(resource("kubernetes_config_map_v1", "c", { metadata: { name: "c" }, data: {} }))).toBe("not-applicable");
      expect(judgeIn(release({ gitRepository: { spec: { url: "https://example.com" } } }))).toBe("not-applicable");
      expect(judgeIn(resource("helm_release", "r", { values: ["not json {"] }))).toBe("not-applicable");
      expect(judgeIn(resource("helm_release", "r", {}))).toBe("not-applicable");
    });
  });

  it("reads images out of helm values the way the two charts render them", () => {
    expect(
      helmValueImages({
        a: { image: "r/x", tag: "v1" },
        b: { image: "r/y:v2", tag: DIGEST },
        c: { image: { repository: "r/z", tag: "v3" } },
        d: [{ image: "r/w", tag: "v4" }],
        e: { image: "r/no-tag" },
      }),
    ).toEqual(["r/x:v1", `r/y:v2@${DIGEST}`, "r/z:v3", "r/w:v4"]);
  });
});
