import * as fs from "fs";
import * as path from "path";
import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { ConfigurationError } from "../../lib/environment";
import { applyPolicy, DR_POLICY_PACK, suppressRule, type PolicyRule } from "../../lib/policy";
import { resourcesAndProviders } from "../../lib/policy/aspect";
import { AccessLogBucket } from "../../lib/constructs/access-log-bucket";
import { SecureBucket } from "../../lib/constructs/secure-bucket";
import { synthesize } from "../../app/synthesize";
import { REPO } from "../support/run";
import { tempDir } from "../support/temp";
import { SHIPPED_STACK_IDS, shippedCalendarWarnings, synthShipped } from "../support/shipped";

const TAGS = { Project: "acme", Environment: "us-east-1", Role: "primary", ManagedBy: "dr-platform" };

function policedStack(build: (stack: TerraformStack) => void) {
  const app = Testing.app({ enableFutureFlags: false });
  const stack = new TerraformStack(app, "policed");
  new AwsProvider(stack, "aws", { region: "us-east-1", defaultTags: [{ tags: TAGS }] });
  build(stack);
  applyPolicy(stack);
  return { app, stack };
}

function synthError(build: (stack: TerraformStack) => void): string {
  const { app } = policedStack(build);
  try {
    app.synth();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected synth to fail");
}

describe("PolicyAspect", () => {
  it("passes a compliant stack", () => {
    const { app, stack } = policedStack((s) => {
      const logs = new AccessLogBucket(s, "logs", { bucketName: "acme-ok-logs", accountId: "123456789012" });
      new SecureBucket(s, "bucket", { bucketName: "acme-ok", accessLogs: logs.targetFor("acme-ok") });
    });
    app.synth();
    expect(Testing.synth(stack)).toContain("acme-ok");
  });

  it("fails synth naming the resource path, the rule id and the fix", () => {
    const message = synthError((s) => new S3Bucket(s, "naked", { bucket: "acme-naked" }));
    for (const rule of ["DR-S3-1", "DR-S3-2", "DR-S3-3", "DR-S3-4", "DR-S3-5", "DR-STATE-1"]) {
      const { fix } = DR_POLICY_PACK.rules.find((r) => r.rule.id === rule)!.rule;
      expect(message).toContain(`[policed/naked] [${rule}]`);
      expect(message).toContain(`Fix: ${fix}`);
    }
  });

  it("checks the providers' default tags", () => {
    const message = synthError((s) => new AwsProvider(s, "untagged", { region: "us-east-2", alias: "untagged" }));
    expect(message).toContain("[policed] [DR-TAG-1] (provider.aws untagged)");
  });

  it("accepts a suppressed violation with its reason, shown as an info annotation", () => {
    const { app } = policedStack((s) => {
      const group = new SecurityGroup(s, "edge", { name: "edge", ingress: [{ fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }] });
      suppressRule(group, "DR-EC2-1", "public HTTPS load balancer in front of the DR site");
    });
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, "manifest.json"), "utf8"));
    expect(manifest.stacks.policed.annotations.map((a: any) => [a.constructPath, a.level, a.message])).toEqual([
      ["policed/edge", "@cdktf/info", "[DR-EC2-1] suppressed: public HTTPS load balancer in front of the DR site"],
    ]);
  });

  it("requires a rule id and a reason for a suppression", () => {
    const { stack } = policedStack(() => undefined);
    expect(() => suppressRule(stack, "S3-1", "because we said so")).toThrow('suppressRule: ruleId must be a rule id like DR-S3-1 (got "S3-1")');
    expect(() => suppressRule(stack, "DR-S3-1", "ok")).toThrow('suppressRule: reason must explain the exception in a sentence (got "ok")');
  });
});

describe("the shipped environments", () => {
  it("pass the DR policy pack with zero violations, and suppress only DR-K8S-3 for the images whose digest is still pending", () => {
    const result = synthesize({ environmentsDir: path.join(REPO, "environments"), outdir: path.join(tempDir("policy-shipped-"), "cdktf.out") });
    // Each names the images it accepts by tag (lib/kubernetes/images.ts, pendingDigestReason); nothing else is suppressed.
    const pending = (reason: string) => [...reason.matchAll(/([\w./-]+:[\w.-]+) runs by tag/g)].map((m) => m[1]);
    expect(result.suppressions.map((s) => [s.split(": [")[0], s.split("] suppressed: ")[0].split(": [")[1], pending(s)])).toEqual([
      [
        "gitops-us-east-1/flux/flux2",
        "DR-K8S-3",
        ["ghcr.io/fluxcd/image-reflector-controller:v0.33.0", "ghcr.io/fluxcd/image-automation-controller:v0.39.0", "ghcr.io/fluxcd/flux-cli:v2.4.0"],
      ],
      ["gitops-us-east-1/lb-controller/release", "DR-K8S-3", ["public.ecr.aws/eks/aws-load-balancer-controller:v2.13.3"]],
      [
        "gitops-us-east-2/flux/flux2",
        "DR-K8S-3",
        ["ghcr.io/fluxcd/image-reflector-controller:v0.33.0", "ghcr.io/fluxcd/image-automation-controller:v0.39.0", "ghcr.io/fluxcd/flux-cli:v2.4.0"],
      ],
      ["gitops-us-east-2/lb-controller/release", "DR-K8S-3", ["public.ecr.aws/eks/aws-load-balancer-controller:v2.13.3"]],
    ]);
    expect(result.warnings).toEqual(shippedCalendarWarnings());
    expect([...result.stacks].sort()).toEqual([...SHIPPED_STACK_IDS]);
  });
});

describe("synthesize", () => {
  const failing: PolicyRule = {
    id: "DR-TEST-1",
    description: "Test rule that rejects every VPC.",
    fix: "None: it exists to fail.",
    counterparts: {},
    evaluate: (r) => (r.type === "aws_vpc" ? "non-compliant" : "not-applicable"),
  };

  it("on a policy violation lists it as a configuration problem and leaves the previous output untouched", () => {
    const outdir = path.join(tempDir("policy-fail-"), "cdktf.out");
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, "previous.txt"), "from the last good synth");
    const rules = DR_POLICY_PACK.rules as { rule: PolicyRule; severity: "error" }[];
    rules.push({ rule: failing, severity: "error" });
    let error: unknown;
    try {
      synthesize({ environmentsDir: path.join(REPO, "environments"), outdir });
    } catch (e) {
      error = e;
    } finally {
      rules.pop();
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    // Every stack's violations at once, not only the first failing stack's.
    expect((error as ConfigurationError).problems).toEqual([
      "policy: [networking-us-east-1/vpc/resource] [DR-TEST-1] Test rule that rejects every VPC. Fix: None: it exists to fail.",
      "policy: [networking-us-east-2/vpc/resource] [DR-TEST-1] Test rule that rejects every VPC. Fix: None: it exists to fail.",
    ]);
    expect(fs.readdirSync(outdir)).toEqual(["previous.txt"]);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(["cdktf.out"]);
  });
});

it("gives the rules each stack's resources and providers exactly as its synthesized JSON has them", () => {
  const app = synthShipped(tempDir());
  const stacks = app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c));
  expect(stacks.map((s) => s.node.id).sort()).toEqual([...SHIPPED_STACK_IDS]);
  for (const stack of stacks) {
    const json = stack.toTerraform();
    const read = resourcesAndProviders(stack);
    // Same values and the same order of types and ids (undefined values never reach the JSON).
    expect({ id: stack.node.id, ...JSON.parse(JSON.stringify(read)) }).toEqual({
      id: stack.node.id,
      resource: json.resource ?? {},
      provider: json.provider ?? {},
    });
    expect(Object.entries(read.resource).map(([type, byId]) => [type, Object.keys(byId)])).toEqual(
      Object.entries(json.resource ?? {}).map(([type, byId]) => [type, Object.keys(byId as object)]),
    );
  }
});
