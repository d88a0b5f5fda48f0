/**
 * The images the library runs, as a cluster of account 123456789012 in us-east-2 and us-east-1
 * pulls them (written out, not derived: the tests compare the constructs with these literals).
 */
const HOST = (region: string) => `123456789012.dkr.ecr.${region}.amazonaws.com`;

export const REGISTRY_US_EAST_2 = { accountId: "123456789012", region: "us-east-2" } as const;
export const REGISTRY_US_EAST_1 = { accountId: "123456789012", region: "us-east-1" } as const;

export const PINNED = {
  postgres: (region = "us-east-2") =>
    `${HOST(region)}/ecr-public/docker/library/postgres:16.4@sha256:9a2f3b8137068178039fcf7769a760b700a4c09460c502bcd18cae8a7484af65`,
  awsCli: (region = "us-east-2") =>
    `${HOST(region)}/ecr-public/aws-cli/aws-cli:2.31.23@sha256:668ffb01408e03e1002b36886797c1a97b09f7d0f02fba3123f9fcd68a081dc5`,
  node: (region = "us-east-2") =>
    `${HOST(region)}/ecr-public/docker/library/node:20.18.1-bookworm-slim@sha256:b2c8e0eb8a6aeeae33b2711f8f516003e27ee45804e270468d937b3214f2f0cc`,
  curl: (region = "us-east-2") => `${HOST(region)}/quay/curl/curl:8.11.1@sha256:2db4e6a8fd6a0e4d0db5828b2722cf6db15c3005178a4c65588b903e4784ba11`,
} as const;
