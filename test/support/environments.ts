import { EnvironmentSchema } from "../../lib/environment";
import type { Environment, EnvironmentInput } from "../../lib/environment";

/** A valid primary environment input; tests change one thing at a time. */
export function primaryInput(overrides: Partial<EnvironmentInput> = {}): EnvironmentInput {
  return {
    project: "acme",
    region: "us-east-1",
    drRegion: "us-east-2",
    role: "primary",
    accountId: "123456789012",
    state: { bucket: "acme-terraform-state", region: "us-west-2" },
    network: { cidr: "10.10.0.0/16", azCount: 3, natGateways: "per-az" },
    database: { engineVersion: "16.4", instanceClass: "db.t4g.medium" },
    broker: { engineVersion: "3.13", instanceType: "mq.m5.large", users: ["orders"] },
    dns: { domain: "example.com" },
    ...overrides,
  };
}

/** A valid recovery environment input (recovers us-east-1). */
export function recoveryInput(overrides: Partial<EnvironmentInput> = {}): EnvironmentInput {
  return primaryInput({
    region: "us-east-2",
    drRegion: "us-west-2",
    role: "recovery",
    recoveryOf: "us-east-1",
    network: { cidr: "10.20.0.0/16", azCount: 3, natGateways: "single" },
    dns: { domain: "dr.example.com" },
    ...overrides,
  });
}

/** Parses an input the way the loader does; throws on invalid input (tests of valid paths). */
export function environment(input: EnvironmentInput): Environment {
  return EnvironmentSchema.parse(input);
}
