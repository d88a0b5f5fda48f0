import type { RecoveryEnvironment } from "../../../../lib/environment";
import { registryImagesCheck } from "../../../../lib/operations/checks/preflight/registry-images";
import { environment, recoveryInput } from "../../../support/environments";
import { failed, primary, read, recovery } from "../../../support/facts";

const TITLE = "Container repositories replicated into us-east-2";

describe("registryImagesCheck", () => {
  it("passes when every prefix has a repository, listing five and counting the rest", () => {
    expect(registryImagesCheck(recovery, primary, read(["acme/web", "other/tool", "acme/a", "acme/b", "acme/c", "acme/d", "acme/e"]))).toEqual({
      id: "registry-images",
      title: TITLE,
      status: "pass",
      detail: "acme*: 6 (acme/a, acme/b, acme/c, acme/d, acme/e and 1 more)",
      fix: "",
    });
  });

  it("fails a prefix without a repository, with the rule's deploy and the pushes", () => {
    const two = environment(recoveryInput({ registry: { replicatedPrefixes: ["acme/", "tools/base"] } })) as RecoveryEnvironment;
    expect(registryImagesCheck(two, primary, read(["acme/web", "acme/worker"]))).toEqual({
      id: "registry-images",
      title: TITLE,
      status: "fail",
      detail: "no repository in us-east-2 for tools/base*\nacme/*: 2 (acme/web, acme/worker)\ntools/base*: none",
      fix: [
        "npx cdktf deploy standby-us-east-2 --ignore-missing-stack-dependencies   # in peacetime: the ECR replication rule in us-east-1",
        "# ECR replicates only images pushed after the rule exists: push each image again, e.g. docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/<repository>:<tag>",
        "# with us-east-1 down: build and push the images to 123456789012.dkr.ecr.us-east-2.amazonaws.com instead",
      ].join("\n"),
    });
  });

  it("reports a failed read as such", () => {
    expect(registryImagesCheck(recovery, primary, failed("unreachable", "ECR DescribeRepositories", "us-east-2")).status).toBe("unreachable");
  });
});
