import { EnvironmentSchema, fromPrimary } from "../../lib/environment";
import type { Environment, EnvironmentInput } from "../../lib/environment";
import type { Construct } from "constructs";
import { DnsStack } from "../../stacks/dns-stack";
import { NetworkingStack } from "../../stacks/networking-stack";
import { PrimaryRole } from "../../stacks/roles/primary";
import { RecoveryRole } from "../../stacks/roles/recovery";
import type { EnvironmentRole } from "../../stacks/roles/role";

/** Fields a test may override, with any value (invalid ones included: the schema tests need them). */
type Overrides = { readonly [K in keyof EnvironmentInput | "recoveryOf"]?: unknown };

/** A valid primary environment input; tests change one thing at a time. */
export function primaryInput(overrides: Overrides = {}): EnvironmentInput {
  return {
    project: "acme",
    region: "us-east-1",
    drRegion: "us-east-2",
    role: "primary",
    accountId: "123456789012",
    state: { bucket: "acme-terraform-state", region: "us-west-2" },
    network: { cidr: "10.10.0.0/16", azCount: 3, natGateways: "per-az" },
    database: { engineVersion: "16", instanceClass: "db.t4g.medium" },
    broker: { engineVersion: "3.13", instanceType: "mq.m5.large", users: ["orders"] },
    kubernetes: {
      version: "1.35",
      publicAccessCidrs: ["203.0.113.0/24"],
      adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"],
      nodeGroups: [{ name: "general", instanceTypes: ["m6i.large"], minSize: 2, maxSize: 4, desiredSize: 2 }],
      addons: {
        "vpc-cni": "v1.21.1-eksbuild.8",
        coredns: "v1.14.2-eksbuild.4",
        "kube-proxy": "v1.35.3-eksbuild.2",
        "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
      },
    },
    flux: { repositoryUrl: "https://github.com/acme/platform-k8s", gitCredentialsSecretName: "acme/flux/git" },
    dns: { domain: "example.com" },
    ...overrides,
  } as EnvironmentInput;
}

/** A valid recovery environment input (recovers us-east-1). */
export function recoveryInput(overrides: Overrides = {}): EnvironmentInput {
  return primaryInput({
    region: "us-east-2",
    drRegion: "us-west-2",
    role: "recovery",
    recoveryOf: "us-east-1",
    network: { cidr: "10.20.0.0/16", azCount: 3, natGateways: "single" },
    kubernetes: { ...(primaryInput().kubernetes as object), publicAccessCidrs: ["203.0.113.0/24"] },
    dns: { domain: "example.com" },
    ...overrides,
  });
}

/** Parses an input the way the loader does; throws on invalid input (tests of valid paths). */
export function environment(input: EnvironmentInput): Environment {
  return EnvironmentSchema.parse(input);
}

/** An environment's role as app/assemble.ts resolves it: a primary's, or a recovery's with the primary it recovers. */
export function roleOf(env: Environment, primary?: Environment): EnvironmentRole {
  if (env.role === "primary") return new PrimaryRole({ role: "primary", environment: env, recoveries: [] });
  if (primary?.role !== "primary") throw new Error(`test setup: the recovery ${env.region} needs a primary environment`);
  return new RecoveryRole({ role: "recovery", environment: env, primary, fromPrimary: fromPrimary(primary) });
}

/** A stack's role props (see roleOf). */
export function roleProps(env: Environment, primary?: Environment): { readonly role: EnvironmentRole } {
  return { role: roleOf(env, primary) };
}

/**
 * A networking stack as app/assemble.ts makes it: after its pair's dns stack (zone and
 * certificates). A recovery needs its primary; the default is the test inputs' primary.
 */
export function networkingStack(app: Construct, env: Environment, primary?: Environment): NetworkingStack {
  const owner = env.role === "primary" ? env : (primary ?? environment(primaryInput()));
  if (owner.role !== "primary") throw new Error(`test setup: the recovery ${env.region} needs a primary environment`);
  const dns = new DnsStack(app, { primary: owner, recoveries: env.role === "recovery" ? [env] : [] });
  return new NetworkingStack(app, { role: roleOf(env, owner), dns });
}
