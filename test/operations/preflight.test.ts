import { DescribeInstanceTypesCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  DescribeImagesCommand,
  DescribePullThroughCacheRulesCommand,
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ValidatePullThroughCacheRuleCommand,
} from "@aws-sdk/client-ecr";
import { DescribeAddonVersionsCommand, DescribeClusterVersionsCommand, EKSClient } from "@aws-sdk/client-eks";
import { DescribeKeyCommand, KMSClient, type KeyState } from "@aws-sdk/client-kms";
import { DescribeBrokerEngineTypesCommand, DescribeBrokerInstanceOptionsCommand, MqClient } from "@aws-sdk/client-mq";
import {
  DescribeDBEngineVersionsCommand,
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeOrderableDBInstanceOptionsCommand,
  RDSClient,
} from "@aws-sdk/client-rds";
import { GetHealthCheckStatusCommand, Route53Client } from "@aws-sdk/client-route-53";
import { GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetServiceQuotaCommand, ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { mockClient } from "aws-sdk-client-mock";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../../lib/environment";
import type { PreflightCheck } from "../../lib/operations/checks/preflight/check";
import {
  formatPreflight,
  preflightClients,
  preflightExitCode,
  runPreflight,
  type PreflightClients,
  type PreflightResult,
} from "../../lib/operations/preflight";
import { environment, primaryInput, recoveryInput } from "../support/environments";

const primary = environment(primaryInput()) as PrimaryEnvironment;
const recovery = environment(recoveryInput()) as RecoveryEnvironment;
const PRIMARY_KEY = "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab";
const REPLICA_KEY = "arn:aws:kms:us-east-2:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab";
const NOW = new Date("2026-11-21T12:00:00Z");
const credentials = { accessKeyId: "test", secretAccessKey: "test" };

/** An SDK error as a service answers it. */
const awsError = (name: string, httpStatusCode: number | undefined, message = name) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });

/** Clients in the right regions whose calls answer as for a fully prepared recovery region. */
function preparedClients(): PreflightClients & { primaryEcr: ECRClient } {
  const clients = {
    stateS3: new S3Client({ region: "us-west-2", credentials }),
    secrets: new SecretsManagerClient({ region: "us-east-2", credentials }),
    kms: new KMSClient({ region: "us-east-2", credentials }),
    rds: new RDSClient({ region: "us-east-2", credentials }),
    ecr: new ECRClient({ region: "us-east-2", credentials }),
    eks: new EKSClient({ region: "us-east-2", credentials }),
    mq: new MqClient({ region: "us-east-2", credentials }),
    ec2: new EC2Client({ region: "us-east-2", credentials }),
    quotas: new ServiceQuotasClient({ region: "us-east-2", credentials }),
    primaryEcr: new ECRClient({ region: "us-east-1", credentials }),
  };
  // The standby layer applied; no day stack has state; the primary's application state names its instance.
  mockClient(clients.stateS3)
    .on(HeadObjectCommand)
    .rejects(awsError("NotFound", 404))
    .on(HeadObjectCommand, { Bucket: "acme-terraform-state", Key: "standby-us-east-2.tfstate" })
    .resolves({ LastModified: new Date("2026-11-20T08:00:00Z") })
    .on(GetObjectCommand, { Bucket: "acme-terraform-state", Key: "application-us-east-1.tfstate" })
    .resolves({ Body: { transformToString: async () => JSON.stringify({ outputs: { database_resource_id: { value: "db-LIVE" } } }) } as any });
  mockClient(clients.secrets)
    .on(DescribeSecretCommand, { SecretId: "acme/flux/git" })
    .resolves({ PrimaryRegion: "us-east-1" })
    .on(GetSecretValueCommand, { SecretId: "acme/flux/git" })
    .resolves({ SecretString: '{"identity":"-----BEGIN OPENSSH PRIVATE KEY-----x","known_hosts":"github.com ssh-ed25519 AAAA"}' });
  mockClient(clients.kms)
    .on(DescribeKeyCommand, { KeyId: "alias/acme-sops-us-east-1" })
    .resolves({ KeyMetadata: replicaKey("Enabled") });
  mockClient(clients.rds)
    .on(DescribeDBInstanceAutomatedBackupsCommand, { DBInstanceIdentifier: "acme-us-east-1" })
    .resolves({
      DBInstanceAutomatedBackups: [
        {
          DBInstanceAutomatedBackupsArn: "arn:aws:rds:us-east-2:123456789012:auto-backup:ab-old",
          Status: "retained",
          RestoreWindow: { LatestTime: new Date("2026-10-01T00:00:00Z") },
        },
        {
          DBInstanceAutomatedBackupsArn: "arn:aws:rds:us-east-2:123456789012:auto-backup:ab-new",
          DbiResourceId: "db-LIVE",
          Status: "replicating",
          RestoreWindow: { LatestTime: new Date("2026-11-21T11:57:00Z") },
        },
      ],
    })
    .on(DescribeDBEngineVersionsCommand)
    .resolves({ DBEngineVersions: [{ EngineVersion: "16.8" }] })
    .on(DescribeOrderableDBInstanceOptionsCommand)
    .resolves({ OrderableDBInstanceOptions: [{ DBInstanceClass: "db.t4g.medium", MultiAZCapable: true }] });
  const eks = mockClient(clients.eks);
  eks.on(DescribeClusterVersionsCommand).resolves({
    clusterVersions: [
      {
        clusterVersion: "1.35",
        status: "standard-support",
        endOfStandardSupportDate: new Date("2027-03-27T00:00:00Z"),
        endOfExtendedSupportDate: new Date("2028-03-27T00:00:00Z"),
      },
    ],
  });
  for (const [addonName, version] of Object.entries(recovery.kubernetes.addons)) {
    eks
      .on(DescribeAddonVersionsCommand, { addonName })
      .resolves({ addons: [{ addonName, addonVersions: [{ addonVersion: version, compatibilities: [{ clusterVersion: "1.35", defaultVersion: true }] }] }] });
  }
  mockClient(clients.mq)
    .on(DescribeBrokerEngineTypesCommand)
    .resolves({ BrokerEngineTypes: [{ EngineType: "RABBITMQ", EngineVersions: [{ Name: "3.13" }] }] })
    .on(DescribeBrokerInstanceOptionsCommand)
    .resolves({
      BrokerInstanceOptions: [{ HostInstanceType: "mq.m5.large", SupportedEngineVersions: ["3.13"], SupportedDeploymentModes: ["CLUSTER_MULTI_AZ"] }],
    });
  mockClient(clients.ec2)
    .on(DescribeInstanceTypesCommand)
    .resolves({ InstanceTypes: [{ InstanceType: "m6i.large", VCpuInfo: { DefaultVCpus: 2 } }] });
  mockClient(clients.quotas)
    .on(GetServiceQuotaCommand)
    .resolves({ Quota: { QuotaName: "a quota", Value: 1000 } });
  mockClient(clients.ecr)
    .on(DescribePullThroughCacheRulesCommand)
    .resolves({
      pullThroughCacheRules: [
        { ecrRepositoryPrefix: "ecr-public", upstreamRegistryUrl: "public.ecr.aws" },
        { ecrRepositoryPrefix: "quay", upstreamRegistryUrl: "quay.io" },
        { ecrRepositoryPrefix: "github", upstreamRegistryUrl: "ghcr.io", credentialArn: "arn:aws:secretsmanager:us-east-2:123456789012:secret:x" },
      ],
    })
    .on(ValidatePullThroughCacheRuleCommand)
    .resolves({ isValid: true })
    .on(DescribeImagesCommand)
    .resolves({ imageDetails: [{ imageDigest: "sha256:x" }] })
    .on(DescribeRepositoriesCommand, { nextToken: undefined })
    .resolves({ repositories: [{ repositoryName: "acme/web" }, { repositoryName: "other/tool" }], nextToken: "page-2" })
    .on(DescribeRepositoriesCommand, { nextToken: "page-2" })
    .resolves({ repositories: ["acme/a", "acme/b", "acme/c", "acme/d", "acme/e"].map((repositoryName) => ({ repositoryName })) });
  mockClient(clients.primaryEcr)
    .on(DescribeRegistryCommand)
    .resolves({ replicationConfiguration: { rules: [{ destinations: [{ region: "us-east-2", registryId: "123456789012" }] }] } });
  return clients;
}

function replicaKey(state: KeyState, primaryRegion = "us-east-1") {
  const primaryArn = PRIMARY_KEY.replace("us-east-1", primaryRegion);
  return {
    KeyId: "mrk-1",
    Arn: REPLICA_KEY,
    KeyState: state,
    MultiRegionConfiguration: { MultiRegionKeyType: "REPLICA" as const, PrimaryKey: { Arn: primaryArn, Region: primaryRegion } },
  };
}

async function checkOf(id: string, clients: PreflightClients = preparedClients(), peacetime = false): Promise<PreflightCheck> {
  const result = await runPreflight(recovery, primary, clients, { now: NOW, peacetime });
  return result.checks.find((c) => c.id === id)!;
}

describe("runPreflight with every answer a prepared account gives", () => {
  it("passes, with the newest backup and all repositories across pages", async () => {
    const result = await runPreflight(recovery, primary, preparedClients(), { now: NOW, peacetime: true });
    expect(result.checks.map((c) => [c.id, c.status, c.detail])).toEqual([
      ["standby-stack", "pass", "s3://acme-terraform-state/standby-us-east-2.tfstate (us-west-2), last written 2026-11-20T08:00:00.000Z"],
      ["day-stacks", "pass", "no state for application-us-east-2, kubernetes-us-east-2, gitops-us-east-2, workloads-us-east-2, replication-us-east-2"],
      ["git-credentials", "pass", "replica of us-east-1; the value has identity (SSH)"],
      ["sops-key", "pass", `${REPLICA_KEY} (replica of ${PRIMARY_KEY})`],
      [
        "database-backups",
        "pass",
        "arn:aws:rds:us-east-2:123456789012:auto-backup:ab-new (status replicating): latest restorable time 2026-11-21T11:57:00.000Z, 3 min ago, of db-LIVE (the live instance)",
      ],
      ["kubernetes-version", "pass", "standard-support: standard support until 2027-03-27, extended support until 2028-03-27"],
      [
        "kubernetes-addons",
        "pass",
        "vpc-cni v1.21.1-eksbuild.8, coredns v1.14.2-eksbuild.4, kube-proxy v1.35.3-eksbuild.2, eks-pod-identity-agent v1.3.10-eksbuild.3",
      ],
      ["database-engine", "pass", "PostgreSQL 16.8 (default of 16; 1 16.x versions offered) on db.t4g.medium, Multi-AZ"],
      ["broker-engine", "pass", "RabbitMQ 3.13, mq.m5.large, CLUSTER_MULTI_AZ"],
      ["capacity-quotas", "pass", expect.stringMatching(/^a quota \(ec2 L-1216C47A\): needs 8, applied quota 1000\n/)],
      ["registry-images", "pass", "acme*: 6 (acme/a, acme/b, acme/c, acme/d, acme/e and 1 more)"],
      ["registry-rule", "pass", "replicates acme* into 123456789012 us-east-2"],
      ["registry-cache", "pass", "ecr-public -> public.ecr.aws\nquay -> quay.io\ngithub -> ghcr.io (credentials accepted)"],
      [
        "image-digests",
        "pass",
        "12 of 12 present; by tag: ecr-public/eks/aws-load-balancer-controller, github/fluxcd/image-reflector-controller, github/fluxcd/image-automation-controller, github/fluxcd/flux-cli",
      ],
      ["cluster-access", "pass", "public endpoint from 203.0.113.0/24"],
    ]);
    expect(preflightExitCode(result)).toBe(0);
  });
});

describe("runPreflight refuses clients that could reach the wrong region", () => {
  it("names every client bound to another region", async () => {
    const clients = {
      ...preparedClients(),
      kms: new KMSClient({ region: "us-east-1", credentials }),
      stateS3: new S3Client({ region: "us-east-2", credentials }),
    };
    await expect(runPreflight(recovery, primary, clients)).rejects.toThrow(
      "runPreflight: clients.stateS3 must be bound to us-west-2 (got us-east-2); clients.kms must be bound to us-east-2 (got us-east-1)",
    );
  });

  it("needs the primary's ECR client with peacetime, and only then", async () => {
    const { primaryEcr: _unused, ...clients } = preparedClients();
    await expect(runPreflight(recovery, primary, clients, { peacetime: true })).rejects.toThrow(
      "runPreflight: clients.primaryEcr is required with peacetime (an ECR client in us-east-1)",
    );
    expect((await runPreflight(recovery, primary, clients, { now: NOW })).checks.map((c) => c.id)).not.toContain("registry-rule");
  });

  it("refuses a primary the recovery does not recover", async () => {
    const other = environment(primaryInput({ region: "eu-west-1", drRegion: "eu-central-1" })) as PrimaryEnvironment;
    await expect(runPreflight(recovery, other, preparedClients())).rejects.toThrow("runPreflight: us-east-2 recovers us-east-1, not eu-west-1");
  });
});

describe("preflightClients", () => {
  it("binds each client to its region and makes the primary's ECR client only for peacetime", async () => {
    const regions = async (clients: PreflightClients) =>
      Object.fromEntries(await Promise.all(Object.entries(clients).map(async ([name, client]) => [name, await (client as KMSClient).config.region()])));
    expect(await regions(preflightClients(recovery, primary))).toEqual({
      stateS3: "us-west-2",
      secrets: "us-east-2",
      kms: "us-east-2",
      rds: "us-east-2",
      ecr: "us-east-2",
      eks: "us-east-2",
      mq: "us-east-2",
      ec2: "us-east-2",
      quotas: "us-east-2",
      // Route 53 is global; its API is signed for us-east-1 (the health-checks row).
      route53: "us-east-1",
    });
    expect(await regions(preflightClients(recovery, primary, { peacetime: true }))).toEqual({
      stateS3: "us-west-2",
      secrets: "us-east-2",
      kms: "us-east-2",
      rds: "us-east-2",
      ecr: "us-east-2",
      eks: "us-east-2",
      mq: "us-east-2",
      ec2: "us-east-2",
      quotas: "us-east-2",
      primaryEcr: "us-east-1",
      route53: "us-east-1",
    });
  });

  it("tries each call at most twice by default", async () => {
    expect(await preflightClients(recovery, primary).kms.config.maxAttempts()).toBe(2);
  });
});

describe("each failure names its fix", () => {
  it("git-credentials: a standalone secret passes and says so", async () => {
    const clients = preparedClients();
    mockClient(clients.secrets).on(DescribeSecretCommand).resolves({}).on(GetSecretValueCommand).resolves({ SecretString: '{"username":"u","password":"p"}' });
    expect((await checkOf("git-credentials", clients)).detail).toBe("a standalone secret (not a replica); the value has username and password (HTTPS)");
  });

  it("git-credentials: a binary value", async () => {
    const clients = preparedClients();
    mockClient(clients.secrets)
      .on(DescribeSecretCommand)
      .resolves({ PrimaryRegion: "us-east-1" })
      .on(GetSecretValueCommand)
      .resolves({ SecretBinary: new Uint8Array([1]) });
    expect(await checkOf("git-credentials", clients)).toMatchObject({
      status: "fail",
      detail: "acme/flux/git in us-east-2 (replica of us-east-1): the value is binary (SecretBinary), not a JSON string",
    });
  });

  it.each([
    [
      "PendingDeletion",
      "is scheduled for deletion (PendingDeletion)",
      `aws kms cancel-key-deletion --region us-east-2 --key-id ${REPLICA_KEY} && aws kms enable-key --region us-east-2 --key-id ${REPLICA_KEY}`,
    ],
    [
      "PendingReplicaDeletion",
      "is scheduled for deletion (PendingReplicaDeletion)",
      `aws kms cancel-key-deletion --region us-east-2 --key-id ${REPLICA_KEY} && aws kms enable-key --region us-east-2 --key-id ${REPLICA_KEY}`,
    ],
    ["Creating", "is still being replicated (Creating)", "wait a few minutes and run the preflight again"],
    [
      "Unavailable",
      "cannot be used (KeyState Unavailable)",
      "npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # in peacetime: creates the replica of the SOPS key and its alias in us-east-2",
    ],
  ] as const)("sops-key: a replica in state %s", async (state, detail, fix) => {
    const clients = preparedClients();
    mockClient(clients.kms)
      .on(DescribeKeyCommand)
      .resolves({ KeyMetadata: replicaKey(state) });
    expect(await checkOf("sops-key", clients)).toEqual({
      id: "sops-key",
      title: "SOPS replica key alias/acme-sops-us-east-1 enabled in us-east-2",
      status: "fail",
      detail: `${REPLICA_KEY} ${detail}`,
      fix,
    });
  });

  it("sops-key: a replica of a key in another region", async () => {
    const clients = preparedClients();
    mockClient(clients.kms)
      .on(DescribeKeyCommand)
      .resolves({ KeyMetadata: replicaKey("Enabled", "eu-west-1") });
    expect(await checkOf("sops-key", clients)).toMatchObject({
      status: "fail",
      detail: `${REPLICA_KEY} is a replica of ${PRIMARY_KEY.replace("us-east-1", "eu-west-1")}, not of the SOPS key of us-east-1`,
      fix: "aws kms update-alias --region us-east-2 --alias-name alias/acme-sops-us-east-1 --target-key-id <the mrk-... id of the us-east-1 SOPS key>",
    });
  });

  it("sops-key: the alias names the multi-Region primary", async () => {
    const clients = preparedClients();
    mockClient(clients.kms)
      .on(DescribeKeyCommand)
      .resolves({ KeyMetadata: { KeyId: "mrk-1", Arn: REPLICA_KEY, KeyState: "Enabled", MultiRegionConfiguration: { MultiRegionKeyType: "PRIMARY" } } });
    expect((await checkOf("sops-key", clients)).detail).toBe(
      `alias/acme-sops-us-east-1 in us-east-2 names ${REPLICA_KEY}, a multi-Region primary key, not the replica of the SOPS key of us-east-1`,
    );
  });

  it("database-backups: RDS's not-found fault is no backups", async () => {
    const clients = preparedClients();
    mockClient(clients.rds).on(DescribeDBInstanceAutomatedBackupsCommand).rejects(awsError("DBInstanceAutomatedBackupNotFoundFault", 404));
    expect(await checkOf("database-backups", clients)).toMatchObject({ status: "fail", detail: "no automated backups of acme-us-east-1 in us-east-2" });
  });

  it("database-backups: replicated but nothing restorable yet", async () => {
    const clients = preparedClients();
    mockClient(clients.rds)
      .on(DescribeDBInstanceAutomatedBackupsCommand)
      .resolves({ DBInstanceAutomatedBackups: [{ Status: "pending", DbiResourceId: "db-LIVE" }] });
    const check = await checkOf("database-backups", clients);
    expect(check.detail).toBe("automated backups of acme-us-east-1 (db-LIVE) are in us-east-2 (status pending) but have no restorable time yet");
    expect(check.fix.split("\n")[0]).toBe("wait for the first replicated backup (status pending) and run the preflight again; if it stays so:");
  });

  it("registry-rule: a rule into another account or region does not count; a filter shorter than the prefix does", async () => {
    const clients = preparedClients();
    const rules = [
      { destinations: [{ region: "us-east-2", registryId: "999999999999" }] },
      { destinations: [{ region: "us-west-2", registryId: "123456789012" }] },
    ];
    mockClient(clients.primaryEcr).on(DescribeRegistryCommand).resolves({ replicationConfiguration: { rules } });
    expect(await checkOf("registry-rule", clients, true)).toMatchObject({
      status: "fail",
      detail: "no rule of the us-east-1 registry replicates acme* into 123456789012 us-east-2 (2 rules in all)",
    });
    mockClient(clients.primaryEcr)
      .on(DescribeRegistryCommand)
      .resolves({
        replicationConfiguration: {
          rules: [
            ...rules,
            { destinations: [{ region: "us-east-2", registryId: "123456789012" }], repositoryFilters: [{ filter: "ac", filterType: "PREFIX_MATCH" }] },
          ],
        },
      });
    expect((await checkOf("registry-rule", clients, true)).status).toBe("pass");
  });

  it.each([
    [
      "a service error",
      awsError("AccessDeniedException", 403, "User is not authorized to perform: kms:DescribeKey"),
      "fail",
      "KMS DescribeKey of alias/acme-sops-us-east-1 in us-east-2 failed: AccessDeniedException (HTTP 403): User is not authorized to perform: kms:DescribeKey",
      "allow the caller KMS DescribeKey of alias/acme-sops-us-east-1 in us-east-2 (the error above names what was refused) and run again",
    ],
    [
      "no credentials",
      Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }),
      "fail",
      "KMS DescribeKey of alias/acme-sops-us-east-1: no AWS credentials",
      "set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) for the environment's account and run again",
    ],
    [
      "a server error",
      awsError("KMSInternalException", 500, "internal"),
      "unreachable",
      "KMS DescribeKey of alias/acme-sops-us-east-1 in us-east-2 got no answer: KMSInternalException (HTTP 500): internal",
      "check the network path and AWS's health for us-east-2, then run the preflight again; a region that cannot be reached cannot be recovered into",
    ],
  ] as const)("a call that fails with %s", async (_case, error, status, detail, fix) => {
    const clients = preparedClients();
    mockClient(clients.kms).on(DescribeKeyCommand).rejects(error);
    expect(await checkOf("sops-key", clients)).toEqual({
      id: "sops-key",
      title: "SOPS replica key alias/acme-sops-us-east-1 enabled in us-east-2",
      status,
      detail,
      fix,
    });
  });
});

describe("formatPreflight and preflightExitCode", () => {
  const result = (statuses: PreflightCheck["status"][]): PreflightResult => ({
    recoveryRegion: "us-east-2",
    primaryRegion: "us-east-1",
    checks: statuses.map((status, i) => ({
      id: (["standby-stack", "git-credentials", "sops-key"] as const)[i],
      title: `Check ${i}`,
      status,
      detail: status === "pass" ? "fine" : "line one\nline two",
      fix: status === "pass" ? "" : "first command\n# second line",
    })),
  });

  it("prints the table with the detail under every row and the fix under every failure", () => {
    expect(formatPreflight(result(["pass", "fail", "unreachable"]))).toBe(
      [
        "Preflight of us-east-2 (recovery of us-east-1): 1 passed, 1 failed, 1 unreachable",
        "",
        "pass         Check 0 [standby-stack]",
        "             fine",
        "FAIL         Check 1 [git-credentials]",
        "             line one",
        "             line two",
        "             fix: first command",
        "                  # second line",
        "UNREACHABLE  Check 2 [sops-key]",
        "             line one",
        "             line two",
        "             fix: first command",
        "                  # second line",
        "",
      ].join("\n"),
    );
  });

  it.each([
    [["pass", "pass"], 0],
    [["pass", "fail"], 1],
    [["unreachable", "pass"], 1],
  ] as const)("%j exits %d", (statuses, code) => {
    expect(preflightExitCode(result([...statuses]))).toBe(code);
  });
});

describe("runPreflight on the day of an outage", () => {
  it("does not call Route 53 when the lost region hosts it, and passes with those rows advisory", async () => {
    const clients = { ...preparedClients(), route53: new Route53Client({ region: "us-east-1", credentials }) };
    const route53 = mockClient(clients.route53).on(GetHealthCheckStatusCommand).rejects(awsError("TimeoutError", undefined));
    const result = await runPreflight(recovery, primary, clients, { now: NOW, outage: true });
    expect(route53.calls()).toHaveLength(0);
    expect(result.checks.slice(-2).map((c) => `${c.id} ${c.status}`)).toEqual(["health-checks advisory", "site-region advisory"]);
    expect(preflightExitCode(result)).toBe(0);
    expect(formatPreflight(result).split("\n")[0]).toBe("Preflight of us-east-2 (recovery of us-east-1): 14 passed, 0 failed, 0 unreachable, 2 advisory");
  });

  it("outside an outage the same unanswered Route 53 fails the preflight", async () => {
    const clients = { ...preparedClients(), route53: new Route53Client({ region: "us-east-1", credentials }), resolve4: async () => [] };
    mockClient(clients.route53).onAnyCommand().rejects(awsError("TimeoutError", undefined));
    const result = await runPreflight(recovery, primary, clients, { now: NOW });
    expect(preflightExitCode(result)).toBe(1);
  });

  it("a target's gap makes a failed row not served, not fatal", async () => {
    const clients = preparedClients();
    mockClient(clients.kms).on(DescribeKeyCommand).rejects(awsError("NotFoundException", 400));
    const gaps = [{ id: "kms-replica-key", resourceTypes: ["aws_kms_replica_key"], reason: "moto never reports a replica key as enabled" }];
    const result = await runPreflight(recovery, primary, clients, { now: NOW, target: { shortName: "the emulator", description: "emulator", gaps } });
    expect(result.checks.find((c) => c.id === "sops-key")).toMatchObject({
      status: "not served",
      fix: "nothing to fix in the emulator; a real account serves it",
    });
    expect(preflightExitCode(result)).toBe(0);
    expect(preflightExitCode(await runPreflight(recovery, primary, clients, { now: NOW }))).toBe(1);
  });
});
