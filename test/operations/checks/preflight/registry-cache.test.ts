import { registryCacheCheck } from "../../../../lib/operations/checks/preflight/registry-cache";
import type { CacheRule } from "../../../../lib/operations/probes/registry-cache";
import { failed, read, recovery } from "../../../support/facts";

const TITLE = "Pull through cache rules of the registry in us-east-2";
const SECRET = "arn:aws:secretsmanager:us-east-2:123456789012:secret:ecr-pullthroughcache/acme-github-us-east-2-AbCdEf";
const RULES: CacheRule[] = [
  { prefix: "ecr-public", upstreamUrl: "public.ecr.aws" },
  { prefix: "quay", upstreamUrl: "quay.io" },
  { prefix: "github", upstreamUrl: "ghcr.io", credentialArn: SECRET, valid: true },
];
const PUT_CREDENTIALS = `aws secretsmanager put-secret-value --region us-east-2 --secret-id ecr-pullthroughcache/acme-github-us-east-2 --secret-string '{"username":"<user of ghcr.io>","accessToken":"<token that may read packages>"}'`;

describe("registryCacheCheck", () => {
  it("passes with a rule per upstream and credentials ECR accepts", () => {
    expect(registryCacheCheck(recovery, read(RULES))).toEqual({
      id: "registry-cache",
      title: TITLE,
      status: "pass",
      detail: "ecr-public -> public.ecr.aws\nquay -> quay.io\ngithub -> ghcr.io (credentials accepted)",
      fix: "",
    });
  });

  it("fails credentials ECR cannot use (the placeholder the stack made), with the command that puts the operator's", () => {
    const rules = [RULES[0], RULES[1], { ...RULES[2], valid: false, failure: "Unable to authenticate with the upstream registry" }];
    expect(registryCacheCheck(recovery, read(rules))).toEqual({
      id: "registry-cache",
      title: TITLE,
      status: "fail",
      detail: "github: ECR cannot authenticate to ghcr.io (Unable to authenticate with the upstream registry)",
      fix: PUT_CREDENTIALS,
    });
    expect(registryCacheCheck(recovery, read([RULES[0], RULES[1], { ...RULES[2], valid: undefined }])).detail).toBe(
      "github: ECR cannot authenticate to ghcr.io",
    );
  });

  it("fails a missing rule, or one of the prefix caching another upstream, with the standby deploy", () => {
    expect(registryCacheCheck(recovery, read([{ prefix: "quay", upstreamUrl: "registry-1.docker.io" }, RULES[2]]))).toEqual({
      id: "registry-cache",
      title: TITLE,
      status: "fail",
      detail: "ecr-public: no rule\nquay: caches registry-1.docker.io, not quay.io",
      fix: "npx cdktf deploy standby-us-east-2 --ignore-missing-stack-dependencies   # in peacetime: the region's pull through cache rules",
    });
    expect(registryCacheCheck(recovery, read([])).fix).toBe(
      "npx cdktf deploy standby-us-east-2 --ignore-missing-stack-dependencies   # in peacetime: the region's pull through cache rules",
    );
  });

  it("reports a failed read as such", () => {
    expect(registryCacheCheck(recovery, failed("unreachable", "ECR DescribePullThroughCacheRules", "us-east-2", "TimeoutError: x")).status).toBe("unreachable");
  });
});
