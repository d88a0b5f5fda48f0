import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { LogsKey } from "../../lib/constructs/logs-key";
import { SiteLoadBalancer } from "../../lib/constructs/site-load-balancer";
import { SiteLogsBucket } from "../../lib/constructs/site-logs-bucket";
import { SiteWebAcl } from "../../lib/constructs/site-web-acl";
import { regionalNames, siteNames } from "../../lib/naming";
import { EMULATOR_ACCOUNT_ID, EmulatorTarget } from "../../lib/targets/emulator-target";
import { terraformProcessEnv } from "../../lib/tooling/terraform-cli";
import { useEmulator } from "../support/emulator";
import { tempDir } from "../support/temp";

/**
 * The site's load balancer with its access logs and web ACL, as the networking stack makes them,
 * deployed by Terraform into the emulator (moto 5.2.1) through the emulator target (its provider
 * settings and its gap aspect): proof that the emulator serves the web ACL, its association and
 * logging configuration and the load balancer's access-log attributes, so the target needs no gap
 * for them. Read back with the aws CLI, as an operator would.
 */
jest.setTimeout(600_000);

const emulator = useEmulator({ firstPort: 5900 });
const REGION = "us-east-1";
const names = siteNames("acme", REGION);
const regional = regionalNames("acme", REGION);

function aws(args: string[]): any {
  const result = spawnSync("aws", [...args, "--output", "json"], {
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_DEFAULT_REGION: REGION,
      AWS_ENDPOINT_URL: emulator.current().endpoint,
      AWS_CA_BUNDLE: emulator.current().caFile,
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    },
  });
  if (result.status !== 0) throw new Error(`aws ${args.join(" ")}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

function terraform(dir: string, args: string[]) {
  const env = terraformProcessEnv(process.env);
  for (const key of Object.keys(env)) if (key.startsWith("AWS_")) delete env[key];
  return spawnSync("terraform", args, {
    cwd: dir,
    encoding: "utf8",
    timeout: 300_000,
    env: {
      ...env,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_CA_BUNDLE: emulator.current().caFile,
      AWS_EC2_METADATA_DISABLED: "true",
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
    },
  });
}

/** The networking stack's site parts in a stack of the emulator target, synthesized into `outdir`. */
function synthesize(outdir: string): string {
  const target = new EmulatorTarget(emulator.current().endpoint, path.join(outdir, "state"));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "site");
  new LocalBackend(stack, { path: path.join(outdir, "site.tfstate") });
  new AwsProvider(stack, "aws", target.awsProviderConfig({ region: REGION }));
  const vpc = new Vpc(stack, "vpc", { cidrBlock: "10.60.0.0/16" });
  new InternetGateway(stack, "igw", { vpcId: vpc.id });
  const subnets = ["a", "b"].map(
    (zone, i) => new Subnet(stack, `public-${zone}`, { vpcId: vpc.id, cidrBlock: `10.60.${i}.0/24`, availabilityZone: `${REGION}${zone}` }),
  );
  const tls = emulator.tls();
  const certificate = new AcmCertificate(stack, "certificate", {
    privateKey: fs.readFileSync(tls.keyFile, "utf8"),
    certificateBody: fs.readFileSync(tls.certFile, "utf8"),
  });
  const logs = new SiteLogsBucket(stack, "site-logs", {
    bucketName: "acme-site-logs-us-east-1",
    accountId: EMULATOR_ACCOUNT_ID,
    region: REGION,
    prefix: names.accessLogsPrefix,
  });
  const site = new SiteLoadBalancer(stack, "site", {
    names,
    vpcId: vpc.id,
    vpcCidr: vpc.cidrBlock,
    publicSubnetIds: subnets.map((s) => s.id),
    certificateArn: certificate.arn,
    targetPort: 8080,
    healthCheckPath: "/healthz",
    accessLogs: logs.target,
  });
  const key = new LogsKey(stack, "logs-key", {
    aliasName: regional.logsKeyAlias,
    accountId: EMULATOR_ACCOUNT_ID,
    region: REGION,
    logGroupNames: [regional.wafLogGroup],
    description: "WAF logs",
  });
  new SiteWebAcl(stack, "web-acl", {
    name: names.webAcl,
    loadBalancerArn: site.resource.arn,
    countRules: { commonRuleSet: ["SizeRestrictions_BODY"] },
    logging: {
      logGroupName: regional.wafLogGroup,
      retentionDays: 365,
      kmsKeyArn: key.keyArn,
      resourcePolicyName: regional.wafLogsResourcePolicy,
      accountId: EMULATOR_ACCOUNT_ID,
      region: REGION,
    },
  });
  target.finishStack(stack);
  app.synth();
  return path.join(outdir, "stacks", "site");
}

it("deploys the load balancer with access logs and its web ACL with logging into the emulator, and reads them back", () => {
  const dir = synthesize(tempDir("site-protection-"));
  const init = terraform(dir, ["init", "-input=false", "-no-color"]);
  expect(init.stderr).toBe("");
  const apply = terraform(dir, ["apply", "-auto-approve", "-input=false", "-no-color"]);
  expect({ status: apply.status, stderr: apply.stderr }).toEqual({ status: 0, stderr: "" });

  const [lb] = aws(["elbv2", "describe-load-balancers", "--names", names.loadBalancer]).LoadBalancers;
  const attributes = Object.fromEntries(
    aws(["elbv2", "describe-load-balancer-attributes", "--load-balancer-arn", lb.LoadBalancerArn]).Attributes.map((a: { Key: string; Value: string }) => [
      a.Key,
      a.Value,
    ]),
  );
  expect(attributes).toMatchObject({
    "access_logs.s3.enabled": "true",
    "access_logs.s3.bucket": "acme-site-logs-us-east-1",
    "access_logs.s3.prefix": "site-load-balancer",
  });

  const { WebACL } = aws(["wafv2", "get-web-acl-for-resource", "--resource-arn", lb.LoadBalancerArn]);
  expect(WebACL.Name).toBe(names.webAcl);
  // Terraform sends the rules as a set: compare them by priority.
  const rules = WebACL.Rules.map((r: { Name: string; Priority: number }) => [r.Priority, r.Name]).sort((a: [number], b: [number]) => a[0] - b[0]);
  expect(rules).toEqual([
    [0, "ip-reputation"],
    [1, "rate-limit"],
    [2, "known-bad-inputs"],
    [3, "common-rule-set"],
  ]);
  const { LoggingConfiguration } = aws(["wafv2", "get-logging-configuration", "--resource-arn", WebACL.ARN]);
  expect(LoggingConfiguration.LogDestinationConfigs).toEqual([`arn:aws:logs:${REGION}:${EMULATOR_ACCOUNT_ID}:log-group:${regional.wafLogGroup}`]);
  expect(LoggingConfiguration.RedactedFields).toEqual([{ SingleHeader: { Name: "authorization" } }, { SingleHeader: { Name: "cookie" } }]);
  expect(LoggingConfiguration.LoggingFilter.DefaultBehavior).toBe("DROP");
  const [group] = aws(["logs", "describe-log-groups", "--log-group-name-prefix", regional.wafLogGroup]).logGroups;
  expect([group.logGroupName, group.retentionInDays]).toEqual([regional.wafLogGroup, 365]);

  // A second plan has nothing to change: the emulator reads back what Terraform wrote.
  const plan = terraform(dir, ["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
  expect({ status: plan.status, changes: plan.stdout.split("\n").filter((line) => /^\s+[~+-] /.test(line)) }).toEqual({ status: 0, changes: [] });
});
