import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import * as path from "path";
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  DescribePullThroughCacheRulesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  PutReplicationConfigurationCommand,
  ValidatePullThroughCacheRuleCommand,
} from "@aws-sdk/client-ecr";
import { DescribeAddonVersionsCommand, DescribeClusterVersionsCommand } from "@aws-sdk/client-eks";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  ReplicateKeyCommand,
  UpdateAliasCommand,
} from "@aws-sdk/client-kms";
import { DescribeBrokerEngineTypesCommand, DescribeBrokerInstanceOptionsCommand } from "@aws-sdk/client-mq";
import {
  DescribeDBEngineVersionsCommand,
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  DescribeOrderableDBInstanceOptionsCommand,
} from "@aws-sdk/client-rds";
import { CreateHealthCheckCommand, Route53Client } from "@aws-sdk/client-route-53";
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, type BucketLocationConstraint } from "@aws-sdk/client-s3";
import { CreateSecretCommand, PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { GetServiceQuotaCommand } from "@aws-sdk/client-service-quotas";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { mockClient } from "aws-sdk-client-mock";
import { parse } from "yaml";
import type { PrimaryEnvironment, RecoveryEnvironment } from "../../lib/environment";
import type { PreflightCheck } from "../../lib/operations/checks/preflight/check";
import {
  preflightClients,
  preflightExitCode,
  formatPreflight,
  runPreflight,
  type PreflightClients,
  type PreflightOptions,
} from "../../lib/operations/preflight";
import { describeSopsKeys, SOPS_ENCRYPTED_REGEX, SOPS_PATH_REGEX, sopsConfigFor, sopsFolderRegex } from "../../lib/operations/sops-config";
import { EMULATOR_ACCOUNT_ID } from "../../lib/targets/emulator-target";
import { startFaultProxy, type FaultProxy } from "../../lib/tooling/fault-proxy";
import { awsClients, EMULATOR_CREDENTIALS } from "../support/aws";
import { useEmulator } from "../support/emulator";
import { environment, primaryInput, recoveryInput } from "../support/environments";
import { AGE_KEYS, sopsJson, sopsSecretYaml, writeTree } from "../support/sops-fixtures";
import { REPO, run } from "../support/run";
import { environmentFile, environmentsFolder, tempDir } from "../support/temp";

/**
 * The preflight against the emulator: everything a recovery of us-east-2 needs from peacetime is
 * set up with the AWS SDK directly, the preflight passes, and then one piece at a time is taken
 * away and exactly its check fails with its fix. moto 5.2.1 cannot replicate RDS automated
 * backups, so the "backups present" answer is an SDK mock; neither does it serve the catalogues the
 * version and capacity rows ask (EKS cluster and add-on versions, RDS engine versions and orderable
 * classes, Amazon MQ engines, Service Quotas) nor ECR's pull through cache (EMULATOR_GAPS): those
 * are recorded answers of a prepared region (withCatalogues). Every other answer is moto's.
 */
jest.setTimeout(120_000);

const emulator = useEmulator({ firstPort: 5460 });

const primary = environment(primaryInput({ accountId: EMULATOR_ACCOUNT_ID })) as PrimaryEnvironment;
const recovery = environment(
  recoveryInput({ accountId: EMULATOR_ACCOUNT_ID, registry: { replicatedPrefixes: ["acme/", "tools/base"] } }),
) as RecoveryEnvironment;
const P = primary.region;
const R = recovery.region;
const ALIAS = "alias/acme-sops-us-east-1";
const SECRET = "acme/flux/git";
const STATE_KEY = "standby-us-east-2.tfstate";
const CREDENTIALS = JSON.stringify({ username: "flux-bot", password: "fake-token-0123456789" });
const NOW = new Date("2026-11-21T12:00:00Z");
/** The primary's instance as its application state records it (output database_resource_id). */
const LIVE_INSTANCE = "db-LIVE0123456789ABCDEFGHIJ";

let primaryArn = "";
let replicaArn = "";
let replicaKeyId = "";
let repo = "";

const agent = () => new https.Agent({ ca: fs.readFileSync(emulator.current().caFile) });
const sdk = (region: string) => awsClients(emulator.current(), region);
const route53 = () =>
  new Route53Client({
    endpoint: emulator.current().endpoint,
    region: "us-east-1",
    credentials: EMULATOR_CREDENTIALS,
    maxAttempts: 2,
    requestHandler: new NodeHttpHandler({ httpsAgent: agent() }),
  });
const ecr = (region: string) =>
  new ECRClient({
    endpoint: emulator.current().endpoint,
    region,
    credentials: EMULATOR_CREDENTIALS,
    maxAttempts: 2,
    requestHandler: new NodeHttpHandler({ httpsAgent: agent() }),
  });

/** The clients the CLI makes, pointed at the emulator (or at another endpoint). */
function clientsAt(endpoint: string, settings: { peacetime?: boolean; connectionTimeoutMs?: number; requestTimeoutMs?: number } = {}): PreflightClients {
  return { ...preflightClients(recovery, primary, { endpoint, credentials: EMULATOR_CREDENTIALS, httpsAgent: agent(), ...settings }), resolve4: resolveSite };
}

/**
 * The pilot light's two load balancers as DNS answers them (moto serves no DNS): the site host
 * answers with the primary's address, as Route 53's failover record does while its check passes.
 */
const SITE_ADDRESSES: Record<string, string[]> = {
  "example.com": ["192.0.2.10"],
  "acme-us-east-1-site.us-east-1.elb.example": ["192.0.2.10"],
  "acme-us-east-2-site.us-east-2.elb.example": ["192.0.2.20"],
};
async function resolveSite(host: string): Promise<string[]> {
  const found = SITE_ADDRESSES[host];
  if (!found) throw Object.assign(new Error(`queryA ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  return found;
}
const healthCheckIds: Record<string, string> = {};

/** RDS's engine catalogue as us-east-2 answers it: the major's versions, its default, the class orderable Multi-AZ. */
function rdsCatalogue(clients: PreflightClients) {
  return mockClient(clients.rds)
    .on(DescribeDBEngineVersionsCommand)
    .resolves({ DBEngineVersions: [{ EngineVersion: `${recovery.database.engineVersion}.8` }] })
    .on(DescribeOrderableDBInstanceOptionsCommand)
    .resolves({ OrderableDBInstanceOptions: [{ DBInstanceClass: recovery.database.instanceClass, MultiAZCapable: true }] });
}

/** moto cannot replicate automated backups: RDS answers with a replicated backup of the primary's (live) instance. */
function withReplicatedBackups(clients: PreflightClients): PreflightClients {
  rdsCatalogue(clients)
    .on(DescribeDBInstanceAutomatedBackupsCommand, { DBInstanceIdentifier: "acme-us-east-1" })
    .resolves({
      DBInstanceAutomatedBackups: [
        {
          DBInstanceIdentifier: "acme-us-east-1",
          DBInstanceAutomatedBackupsArn: `arn:aws:rds:${R}:${EMULATOR_ACCOUNT_ID}:auto-backup:ab-abc123`,
          Region: P,
          DbiResourceId: LIVE_INSTANCE,
          Status: "replicating",
          RestoreWindow: { EarliestTime: new Date("2026-11-07T12:00:00Z"), LatestTime: new Date("2026-11-21T11:55:00Z") },
        },
      ],
    })
    // Asked of a warm standby only: its read replica, as RDS reports one (moto reports no replication state).
    .on(DescribeDBInstancesCommand, { DBInstanceIdentifier: "acme-us-east-2" })
    .resolves({
      DBInstances: [
        {
          DBInstanceIdentifier: "acme-us-east-2",
          DBInstanceStatus: "available",
          ReadReplicaSourceDBInstanceIdentifier: `arn:aws:rds:${P}:${EMULATOR_ACCOUNT_ID}:db:acme-us-east-1`,
          StatusInfos: [{ StatusType: "read replication", Status: "replicating", Normal: true }],
        },
      ],
    });
  return withCatalogues(clients);
}

/**
 * What the emulator cannot answer, answered as a prepared us-east-2 does (recorded answers): the
 * pins are creatable there, the quotas hold the recovery, the cache rules exist and authenticate,
 * every pinned image is in the registry. ECR's other calls (DescribeRepositories) go to moto.
 */
function withCatalogues(clients: PreflightClients): PreflightClients {
  const eks = mockClient(clients.eks);
  eks.on(DescribeClusterVersionsCommand).resolves({
    clusterVersions: [
      {
        clusterVersion: recovery.kubernetes.version,
        status: "standard-support",
        endOfStandardSupportDate: new Date("2027-03-27T00:00:00Z"),
        endOfExtendedSupportDate: new Date("2028-03-27T00:00:00Z"),
      },
    ],
  });
  for (const [addonName, addonVersion] of Object.entries(recovery.kubernetes.addons)) {
    eks.on(DescribeAddonVersionsCommand, { addonName }).resolves({
      addons: [{ addonName, addonVersions: [{ addonVersion, compatibilities: [{ clusterVersion: recovery.kubernetes.version, defaultVersion: true }] }] }],
    });
  }
  mockClient(clients.mq)
    .on(DescribeBrokerEngineTypesCommand)
    .resolves({ BrokerEngineTypes: [{ EngineType: "RABBITMQ", EngineVersions: [{ Name: recovery.broker.engineVersion }] }] })
    .on(DescribeBrokerInstanceOptionsCommand)
    .resolves({
      BrokerInstanceOptions: [
        {
          HostInstanceType: recovery.broker.instanceType,
          SupportedEngineVersions: [recovery.broker.engineVersion],
          SupportedDeploymentModes: ["CLUSTER_MULTI_AZ"],
        },
      ],
    });
  mockClient(clients.quotas)
    .on(GetServiceQuotaCommand)
    .resolves({ Quota: { QuotaName: "a quota", Value: 1000 } });
  // The client's own send, taken before the mock replaces it: DescribeRepositories still goes to its endpoint (moto, or the fault proxy).
  const send = clients.ecr.send.bind(clients.ecr);
  mockClient(clients.ecr)
    .on(DescribeRepositoriesCommand)
    .callsFake((input) => send(new DescribeRepositoriesCommand(input)))
    .on(DescribePullThroughCacheRulesCommand)
    .resolves({
      pullThroughCacheRules: [
        { ecrRepositoryPrefix: "ecr-public", upstreamRegistryUrl: "public.ecr.aws" },
        { ecrRepositoryPrefix: "quay", upstreamRegistryUrl: "quay.io" },
        { ecrRepositoryPrefix: "github", upstreamRegistryUrl: "ghcr.io", credentialArn: `arn:aws:secretsmanager:${R}:${EMULATOR_ACCOUNT_ID}:secret:x` },
      ],
    })
    .on(ValidatePullThroughCacheRuleCommand)
    .resolves({ isValid: true })
    .on(DescribeImagesCommand)
    .callsFake((input) => ({ imageDetails: [{ imageDigest: input.imageIds?.[0]?.imageDigest ?? "sha256:by-tag" }] }));
  return clients;
}

async function preflight(
  options: PreflightOptions = {},
  clients = withReplicatedBackups(clientsAt(emulator.current().endpoint, { peacetime: options.peacetime })),
) {
  return runPreflight(recovery, primary, clients, { now: NOW, ...options });
}

/** One check of a preflight run. */
async function check(id: string, options: PreflightOptions = {}): Promise<PreflightCheck> {
  const found = (await preflight(options)).checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

const statuses = (checks: readonly PreflightCheck[]) => Object.fromEntries(checks.map((c) => [c.id, c.status]));

beforeAll(async () => {
  const state = sdk(recovery.state.region);
  await state.s3.send(
    new CreateBucketCommand({
      Bucket: recovery.state.bucket,
      CreateBucketConfiguration: { LocationConstraint: recovery.state.region as BucketLocationConstraint },
    }),
  );
  await state.s3.send(new PutObjectCommand({ Bucket: recovery.state.bucket, Key: STATE_KEY, Body: '{"version":4}' }));
  // The primary's application stack records its instance's DbiResourceId: the replicated backups must be of it.
  await state.s3.send(
    new PutObjectCommand({
      Bucket: primary.state.bucket,
      Key: "application-us-east-1.tfstate",
      Body: JSON.stringify({ version: 4, outputs: { database_resource_id: { value: LIVE_INSTANCE } } }),
    }),
  );
  // Peacetime's pilot light: each region's networking stack applied, with its load balancer and the
  // Route 53 health check of its failover record (moto stores health checks; it does not run them).
  for (const region of [P, R]) {
    const dnsName = `acme-${region}-site.${region}.elb.example`;
    const check = await route53().send(
      new CreateHealthCheckCommand({
        CallerReference: `preflight-${region}`,
        HealthCheckConfig: { Type: "HTTPS", FullyQualifiedDomainName: dnsName, Port: 443, ResourcePath: "/healthz", RequestInterval: 30, FailureThreshold: 3 },
      }),
    );
    healthCheckIds[region] = check.HealthCheck!.Id!;
    const outputs = { site_load_balancer_dns_name: { value: dnsName }, site_health_check_id: { value: healthCheckIds[region] } };
    await state.s3.send(
      new PutObjectCommand({ Bucket: recovery.state.bucket, Key: `networking-${region}.tfstate`, Body: JSON.stringify({ version: 4, outputs }) }),
    );
  }

  await sdk(P).secrets.send(new CreateSecretCommand({ Name: SECRET, AddReplicaRegions: [{ Region: R }] }));
  await sdk(P).secrets.send(new PutSecretValueCommand({ SecretId: SECRET, SecretString: CREDENTIALS }));

  const key = (await sdk(P).kms.send(new CreateKeyCommand({ MultiRegion: true, Description: "SOPS" }))).KeyMetadata!;
  const replica = (await sdk(P).kms.send(new ReplicateKeyCommand({ KeyId: key.KeyId, ReplicaRegion: R }))).ReplicaKeyMetadata!;
  // In AWS a replica has no alias until one is made in its region (SopsKey makes one in each).
  // moto 5.2.1 shares the aliases of a multi-Region key between its regions: one CreateAlias in
  // the recovery region (the only one the preflight reads) names the key in both.
  await sdk(R).kms.send(new CreateAliasCommand({ AliasName: ALIAS, TargetKeyId: replica.KeyId }));
  primaryArn = key.Arn!;
  replicaArn = replica.Arn!;
  replicaKeyId = replica.KeyId!;

  for (const name of ["acme/web", "acme/worker", "tools/base-images"]) await ecr(R).send(new CreateRepositoryCommand({ repositoryName: name }));
  await ecr(P).send(
    new PutReplicationConfigurationCommand({
      replicationConfiguration: {
        rules: [
          {
            destinations: [{ region: R, registryId: EMULATOR_ACCOUNT_ID }],
            repositoryFilters: [
              { filter: "acme/", filterType: "PREFIX_MATCH" },
              { filter: "tools/", filterType: "PREFIX_MATCH" },
            ],
          },
        ],
      },
    }),
  );

  repo = writeTree(tempDir("platform-k8s-"), {
    ".sops.yaml": "creation_rules:\n  - path_regex: x\n",
    "clusters/us-east-1/apps/db.sops.yaml": sopsSecretYaml("db", [primaryArn, replicaArn]),
    // Decrypted in us-east-2: the replica first (sops-order).
    "clusters/us-east-2/apps/db.sops.yaml": sopsSecretYaml("db", [replicaArn, primaryArn]),
    "clusters/us-east-2/apps/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [db.sops.yaml]\n",
    "tools/registry.json": sopsJson([replicaArn, primaryArn]),
  });
});

it("the emulator reports the replica key as moto serves it: enabled, a REPLICA of the us-east-1 key", () => {
  expect(replicaArn).toBe(primaryArn.replace(`:${P}:`, `:${R}:`));
  expect(replicaArn).toMatch(new RegExp(`^arn:aws:kms:${R}:${EMULATOR_ACCOUNT_ID}:key/mrk-`));
});

it("passes every check when peacetime has provided everything, and exits 0", async () => {
  const result = await preflight({ peacetime: true, platformRepo: repo });
  expect(result.checks.map((c) => ({ id: c.id, status: c.status, detail: c.detail, fix: c.fix }))).toEqual([
    {
      id: "standby-stack",
      status: "pass",
      detail: expect.stringMatching(/^s3:\/\/acme-terraform-state\/standby-us-east-2\.tfstate \(us-west-2\), last written \d{4}-\d\d-\d\dT/),
      fix: "",
    },
    {
      id: "day-stacks",
      status: "pass",
      detail: "no state for application-us-east-2, kubernetes-us-east-2, gitops-us-east-2, workloads-us-east-2, replication-us-east-2",
      fix: "",
    },
    { id: "git-credentials", status: "pass", detail: "replica of us-east-1; the value has username and password (HTTPS)", fix: "" },
    { id: "sops-key", status: "pass", detail: `${replicaArn} (replica of ${primaryArn})`, fix: "" },
    {
      id: "database-backups",
      status: "pass",
      detail: `arn:aws:rds:us-east-2:${EMULATOR_ACCOUNT_ID}:auto-backup:ab-abc123 (status replicating): latest restorable time 2026-11-21T11:55:00.000Z, 5 min ago, of ${LIVE_INSTANCE} (the live instance)`,
      fix: "",
    },
    { id: "kubernetes-version", status: "pass", detail: "standard-support: standard support until 2027-03-27, extended support until 2028-03-27", fix: "" },
    {
      id: "kubernetes-addons",
      status: "pass",
      detail: "vpc-cni v1.21.1-eksbuild.8, coredns v1.14.2-eksbuild.4, kube-proxy v1.35.3-eksbuild.2, eks-pod-identity-agent v1.3.10-eksbuild.3",
      fix: "",
    },
    { id: "database-engine", status: "pass", detail: "PostgreSQL 16.8 (default of 16; 1 16.x versions offered) on db.t4g.medium, Multi-AZ", fix: "" },
    { id: "broker-engine", status: "pass", detail: "RabbitMQ 3.13, mq.m5.large, CLUSTER_MULTI_AZ", fix: "" },
    {
      // The node groups' vCPUs are the emulator's answer (EC2 DescribeInstanceTypes); the quotas are recorded.
      id: "capacity-quotas",
      status: "pass",
      detail: [
        "a quota (ec2 L-1216C47A): needs 8, applied quota 1000",
        "a quota (eks L-1194D53C): needs 1, applied quota 1000",
        "a quota (eks L-6D54EA21): needs 1, applied quota 1000",
        "a quota (eks L-BD136A63): needs 4, applied quota 1000",
        "a quota (rds L-7B6409FD): needs 1, applied quota 1000",
        "a quota (rds L-7ADDB58A): needs 50, applied quota 1000",
      ].join("\n"),
      fix: "",
    },
    { id: "registry-images", status: "pass", detail: "acme/*: 2 (acme/web, acme/worker)\ntools/base*: 1 (tools/base-images)", fix: "" },
    { id: "registry-rule", status: "pass", detail: `replicates acme/*, tools/base* into ${EMULATOR_ACCOUNT_ID} us-east-2`, fix: "" },
    { id: "registry-cache", status: "pass", detail: "ecr-public -> public.ecr.aws\nquay -> quay.io\ngithub -> ghcr.io (credentials accepted)", fix: "" },
    {
      id: "image-digests",
      status: "pass",
      detail:
        "12 of 12 present; by tag: ecr-public/eks/aws-load-balancer-controller, github/fluxcd/image-reflector-controller, github/fluxcd/image-automation-controller, github/fluxcd/flux-cli",
      fix: "",
    },
    { id: "cluster-access", status: "pass", detail: "public endpoint from 203.0.113.0/24", fix: "" },
    { id: "sops-files", status: "pass", detail: `all 3 SOPS files list ${replicaArn}`, fix: "" },
    { id: "sops-order", status: "pass", detail: `2 SOPS files decrypted in us-east-2 list ${replicaArn} first`, fix: "" },
    {
      id: "health-checks",
      status: "pass",
      detail: [
        `PRIMARY us-east-1: health check ${healthCheckIds[P]} healthy (1 of 1 checkers report success) for acme-us-east-1-site.us-east-1.elb.example`,
        `SECONDARY us-east-2: health check ${healthCheckIds[R]} healthy (1 of 1 checkers report success) for acme-us-east-2-site.us-east-2.elb.example`,
      ].join("\n"),
      fix: "",
    },
    { id: "site-region", status: "pass", detail: "example.com resolves to us-east-1's load balancer (192.0.2.10)", fix: "" },
  ]);
  expect(preflightExitCode(result)).toBe(0);
  const text = formatPreflight(result);
  expect(text.split("\n")[0]).toBe("Preflight of us-east-2 (recovery of us-east-1): 19 passed, 0 failed, 0 unreachable");
  expect(text).not.toContain("fake-token-0123456789");
  expect(text).not.toContain("flux-bot");
});

it("makes no call to the primary's region, and only reads, when us-east-1 is dark", async () => {
  const dir = path.dirname(emulator.current().caFile);
  const proxy: FaultProxy = await startFaultProxy({
    upstream: emulator.current(),
    tls: { certFile: emulator.current().caFile, keyFile: path.join(dir, "emulator.key") },
  });
  try {
    proxy.setDark([P]);
    const result = await preflight({ platformRepo: repo }, withReplicatedBackups(clientsAt(proxy.endpoint)));
    expect(statuses(result.checks)).toEqual({
      "standby-stack": "pass",
      "day-stacks": "pass",
      "git-credentials": "pass",
      "sops-key": "pass",
      "database-backups": "pass",
      "kubernetes-version": "pass",
      "kubernetes-addons": "pass",
      "database-engine": "pass",
      "broker-engine": "pass",
      "capacity-quotas": "pass",
      "registry-images": "pass",
      "registry-cache": "pass",
      "image-digests": "pass",
      "cluster-access": "pass",
      "sops-files": "pass",
      "sops-order": "pass",
      // Route 53 is global (its data plane answers in every region); the state bucket is in us-west-2.
      "health-checks": "pass",
      "site-region": "pass",
    });
    expect(proxy.callsTo(P)).toEqual([]);
    expect(
      proxy
        .calls()
        .filter((c) => c.service !== "route53")
        .map((c) => `${c.region} ${c.service} ${c.action} ${c.write ? "write" : "read"}`)
        .sort(),
    ).toEqual([
      "us-east-2 ec2 DescribeInstanceTypes read",
      "us-east-2 ecr DescribeRepositories read",
      "us-east-2 kms DescribeKey read",
      "us-east-2 secretsmanager DescribeSecret read",
      "us-east-2 secretsmanager GetSecretValue read",
      "us-west-2 s3 GET /acme-terraform-state/application-us-east-1.tfstate read",
      "us-west-2 s3 GET /acme-terraform-state/networking-us-east-1.tfstate read",
      "us-west-2 s3 GET /acme-terraform-state/networking-us-east-2.tfstate read",
      "us-west-2 s3 HEAD /acme-terraform-state/application-us-east-2.tfstate read",
      "us-west-2 s3 HEAD /acme-terraform-state/gitops-us-east-2.tfstate read",
      "us-west-2 s3 HEAD /acme-terraform-state/kubernetes-us-east-2.tfstate read",
      "us-west-2 s3 HEAD /acme-terraform-state/replication-us-east-2.tfstate read",
      "us-west-2 s3 HEAD /acme-terraform-state/standby-us-east-2.tfstate read",
      "us-west-2 s3 HEAD /acme-terraform-state/workloads-us-east-2.tfstate read",
    ]);
    // The health checks' status: two reads of Route 53's global API (its endpoint is signed for
    // us-east-1; docs/dns-failover.md says this row may be unreachable in a us-east-1 outage). No write.
    expect(proxy.globalWrites()).toEqual([]);

    // --peacetime is the one mode that reads the primary's region: dark, it is reported unreachable.
    proxy.reset();
    const peacetime = await preflight({ peacetime: true }, withReplicatedBackups(clientsAt(proxy.endpoint, { peacetime: true })));
    const rule = peacetime.checks.find((c) => c.id === "registry-rule")!;
    expect(rule).toEqual({
      id: "registry-rule",
      title: "ECR replication rule in us-east-1 into us-east-2 (peacetime)",
      status: "unreachable",
      detail: expect.stringMatching(/^ECR DescribeRegistry in us-east-1 got no answer: .*socket hang up$/),
      fix: "check the network path and AWS's health for us-east-1, then run the preflight again; a region that cannot be reached cannot be recovered into",
    });
    expect(proxy.callsTo(P).map((c) => `${c.service} ${c.action} ${c.refused}`)).toEqual(["ecr DescribeRegistry true", "ecr DescribeRegistry true"]);
    expect(preflightExitCode(peacetime)).toBe(1);
  } finally {
    await proxy.close();
  }
});

describe("takes one piece away at a time: that check fails with its fix", () => {
  it("standby-stack: no state object", async () => {
    const s3 = sdk(recovery.state.region).s3;
    await s3.send(new DeleteObjectCommand({ Bucket: recovery.state.bucket, Key: STATE_KEY }));
    try {
      const result = await preflight();
      expect(result.checks[0]).toEqual({
        id: "standby-stack",
        title: "Standby stack standby-us-east-2 applied",
        status: "fail",
        detail:
          "no state object s3://acme-terraform-state/standby-us-east-2.tfstate in us-west-2: standby-us-east-2 was never applied (or the state bucket does not exist)",
        fix: "npx cdktf deploy standby-us-east-2 --ignore-missing-stack-dependencies   # in peacetime: it creates the IAM roles, hosted zone and registry replication the recovery needs",
      });
      expect(result.checks.filter((c) => c.status !== "pass").map((c) => c.id)).toEqual(["standby-stack"]);
      expect(preflightExitCode(result)).toBe(1);
    } finally {
      await s3.send(new PutObjectCommand({ Bucket: recovery.state.bucket, Key: STATE_KEY, Body: '{"version":4}' }));
    }
  });

  it("day-stacks: a rehearsal left state of a day stack in the state bucket (a warm standby's: its peacetime, not checked)", async () => {
    const s3 = sdk(recovery.state.region).s3;
    await s3.send(new PutObjectCommand({ Bucket: recovery.state.bucket, Key: "kubernetes-us-east-2.tfstate", Body: '{"version":4}' }));
    try {
      const result = await preflight();
      expect(result.checks.filter((c) => c.status !== "pass").map((c) => [c.id, c.status, c.detail.split("\n")[0], c.fix.split("\n")[0]])).toEqual([
        [
          "day-stacks",
          "fail",
          "1 day stack has state, which a recovery would reuse as it is:",
          "# a rehearsal's leftover: remove what it made and its state (docs/readiness.md, Leftover day stacks), then run the preflight again",
        ],
      ]);
      const warm: typeof recovery = { ...recovery, tier: "warm-standby" };
      const accepted = await runPreflight(warm, primary, withReplicatedBackups(clientsAt(emulator.current().endpoint)), { now: NOW });
      expect(accepted.checks.find((c) => c.id === "day-stacks")?.status).toBe("pass");
      expect(accepted.checks.find((c) => c.id === "database-replica")).toMatchObject({
        status: "pass",
        detail: `acme-us-east-2 (status available) follows arn:aws:rds:${P}:${EMULATOR_ACCOUNT_ID}:db:acme-us-east-1: replication replicating`,
      });
    } finally {
      await s3.send(new DeleteObjectCommand({ Bucket: recovery.state.bucket, Key: "kubernetes-us-east-2.tfstate" }));
    }
  });

  const putValue = [
    "aws secretsmanager put-secret-value --region us-east-1 --secret-id acme/flux/git --secret-string file://git-credentials.json",
    '# git-credentials.json: {"username": "...", "password": "<token>"} (HTTPS) or {"identity": "<private key>", "identity.pub": "...", "known_hosts": "..."} (SSH)',
    "# with us-east-1 down: aws secretsmanager stop-replication-to-replica --region us-east-2 --secret-id acme/flux/git, then the same put-secret-value with --region us-east-2",
  ].join("\n");

  it("git-credentials: no secret in the recovery region", async () => {
    const other = { ...recovery, flux: { ...recovery.flux, gitCredentialsSecretName: "acme/flux/never-created" } };
    const result = await runPreflight(other, primary, withReplicatedBackups(clientsAt(emulator.current().endpoint)), { now: NOW });
    expect(result.checks.find((c) => c.id === "git-credentials")).toEqual({
      id: "git-credentials",
      title: "Flux Git credentials secret acme/flux/never-created in us-east-2",
      status: "fail",
      detail: "no secret acme/flux/never-created in us-east-2: its replica was never created",
      fix: putValue
        .replace(/acme\/flux\/git/g, "acme/flux/never-created")
        .replace(
          /^/,
          "npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # in peacetime: creates acme/flux/never-created in us-east-1 with a replica in us-east-2\n",
        ),
    });
  });

  it.each([
    ["no value", undefined, "acme/flux/git in us-east-2 (replica of us-east-1) has no value: nobody has put the credentials"],
    ["not JSON", "flux-bot:fake-token", "acme/flux/git in us-east-2 (replica of us-east-1): the value is not JSON"],
    ["JSON but not an object", '["flux-bot"]', "acme/flux/git in us-east-2 (replica of us-east-1): the value is JSON but not an object"],
    [
      "an empty password",
      '{"username":"flux-bot","password":""}',
      'acme/flux/git in us-east-2 (replica of us-east-1): the JSON has neither non-empty "username" and "password" (HTTPS) nor "identity" (SSH); its keys: "password", "username"',
    ],
  ])("git-credentials: %s", async (_case, value, detail) => {
    // A second secret of the same name cannot exist: each case gets its own primary secret and replica.
    const name = `acme/flux/case-${Math.random().toString(36).slice(2, 8)}`;
    await sdk(P).secrets.send(new CreateSecretCommand({ Name: name, AddReplicaRegions: [{ Region: R }] }));
    if (value !== undefined) await sdk(P).secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
    const other = { ...recovery, flux: { ...recovery.flux, gitCredentialsSecretName: name } };
    const result = await runPreflight(other, primary, withReplicatedBackups(clientsAt(emulator.current().endpoint)), { now: NOW });
    expect(result.checks.find((c) => c.id === "git-credentials")).toEqual({
      id: "git-credentials",
      title: `Flux Git credentials secret ${name} in us-east-2`,
      status: "fail",
      detail: detail.replace("acme/flux/git", name),
      fix: putValue.replace(/acme\/flux\/git/g, name),
    });
    if (value) expect(formatPreflight(result)).not.toContain(value);
  });

  it("sops-key: the replica is disabled (the SOPS files are still checked against its ARN)", async () => {
    await sdk(R).kms.send(new DisableKeyCommand({ KeyId: replicaKeyId }));
    try {
      const result = await preflight({ platformRepo: repo });
      expect(result.checks.find((c) => c.id === "sops-key")).toEqual({
        id: "sops-key",
        title: "SOPS replica key alias/acme-sops-us-east-1 enabled in us-east-2",
        status: "fail",
        detail: `${replicaArn} is disabled`,
        fix: `aws kms enable-key --region us-east-2 --key-id ${replicaArn}`,
      });
      expect(result.checks.find((c) => c.id === "sops-files")!.status).toBe("pass");
    } finally {
      await sdk(R).kms.send(new EnableKeyCommand({ KeyId: replicaKeyId }));
    }
  });

  it("sops-key: no alias in the recovery region (and the SOPS files then cannot be checked)", async () => {
    await sdk(R).kms.send(new DeleteAliasCommand({ AliasName: ALIAS }));
    try {
      const result = await preflight({ platformRepo: repo });
      expect(result.checks.find((c) => c.id === "sops-key")).toEqual({
        id: "sops-key",
        title: "SOPS replica key alias/acme-sops-us-east-1 enabled in us-east-2",
        status: "fail",
        detail: "no KMS key with alias alias/acme-sops-us-east-1 in us-east-2",
        fix: "npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # in peacetime: creates the replica of the SOPS key and its alias in us-east-2",
      });
      expect(result.checks.find((c) => c.id === "sops-files")).toEqual({
        id: "sops-files",
        title: `SOPS files in ${repo} list the replica key`,
        status: "fail",
        detail: "needs the replica key's ARN, which KMS in us-east-2 did not give (see sops-key)",
        fix: "fix sops-key first, then run again",
      });
      await expect(describeSopsKeys(recovery, primary, clientsAt(emulator.current().endpoint).kms)).rejects.toThrow(
        "no KMS key with alias alias/acme-sops-us-east-1 in us-east-2: the replica of the SOPS key of us-east-1 is missing. Fix: npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies",
      );
    } finally {
      await sdk(R).kms.send(new CreateAliasCommand({ AliasName: ALIAS, TargetKeyId: replicaKeyId }));
    }
  });

  it("sops-key: the alias names a single-Region key", async () => {
    const single = (await sdk(R).kms.send(new CreateKeyCommand({ Description: "not the replica" }))).KeyMetadata!;
    await sdk(R).kms.send(new UpdateAliasCommand({ AliasName: ALIAS, TargetKeyId: single.KeyId }));
    try {
      expect(await check("sops-key")).toEqual({
        id: "sops-key",
        title: "SOPS replica key alias/acme-sops-us-east-1 enabled in us-east-2",
        status: "fail",
        detail: `alias/acme-sops-us-east-1 in us-east-2 names ${single.Arn}, a single-Region key, not the replica of the SOPS key of us-east-1`,
        fix: "aws kms update-alias --region us-east-2 --alias-name alias/acme-sops-us-east-1 --target-key-id <the replica's key id: the mrk-... id of the us-east-1 key>   # or, if there is no replica: npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # in peacetime: creates the replica of the SOPS key and its alias in us-east-2",
      });
    } finally {
      await sdk(R).kms.send(new UpdateAliasCommand({ AliasName: ALIAS, TargetKeyId: replicaKeyId }));
    }
  });

  it("database-backups: moto has no replicated backups (it cannot replicate them)", async () => {
    const clients = withCatalogues(clientsAt(emulator.current().endpoint));
    const send = clients.rds.send.bind(clients.rds);
    rdsCatalogue(clients)
      .on(DescribeDBInstanceAutomatedBackupsCommand)
      .callsFake((input) => send(new DescribeDBInstanceAutomatedBackupsCommand(input)));
    const result = await runPreflight(recovery, primary, clients, { now: NOW });
    expect(result.checks.find((c) => c.id === "database-backups")).toEqual({
      id: "database-backups",
      title: "Automated backups of acme-us-east-1 replicated into us-east-2",
      status: "fail",
      detail: "no automated backups of acme-us-east-1 in us-east-2",
      fix: [
        "npx cdktf deploy application-us-east-1 --ignore-missing-stack-dependencies   # in peacetime: its aws_db_instance_automated_backups_replication copies acme-us-east-1's backups into us-east-2",
        '# with us-east-1 down nothing can start the replication: restore a snapshot copied into us-east-2 instead (database.restore: { from: "snapshot", snapshotIdentifier: "..." } in environments/us-east-2.ts)',
      ].join("\n"),
    });
    expect(result.checks.filter((c) => c.status !== "pass").map((c) => c.id)).toEqual(["database-backups"]);
  });

  it("registry-images: a prefix has no repository in the recovery region", async () => {
    await ecr(R).send(new DeleteRepositoryCommand({ repositoryName: "tools/base-images" }));
    try {
      expect(await check("registry-images")).toEqual({
        id: "registry-images",
        title: "Container repositories replicated into us-east-2",
        status: "fail",
        detail: "no repository in us-east-2 for tools/base*\nacme/*: 2 (acme/web, acme/worker)\ntools/base*: none",
        fix: [
          "npx cdktf deploy standby-us-east-2 --ignore-missing-stack-dependencies   # in peacetime: the ECR replication rule in us-east-1",
          `# ECR replicates only images pushed after the rule exists: push each image again, e.g. docker push ${EMULATOR_ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/<repository>:<tag>`,
          `# with us-east-1 down: build and push the images to ${EMULATOR_ACCOUNT_ID}.dkr.ecr.us-east-2.amazonaws.com instead`,
        ].join("\n"),
      });
    } finally {
      await ecr(R).send(new CreateRepositoryCommand({ repositoryName: "tools/base-images" }));
    }
  });

  it("registry-rule (--peacetime): the rule does not cover a prefix", async () => {
    const rule = {
      destinations: [{ region: R, registryId: EMULATOR_ACCOUNT_ID }],
      repositoryFilters: [{ filter: "acme/", filterType: "PREFIX_MATCH" as const }],
    };
    await ecr(P).send(new PutReplicationConfigurationCommand({ replicationConfiguration: { rules: [rule] } }));
    try {
      expect(await check("registry-rule", { peacetime: true })).toEqual({
        id: "registry-rule",
        title: "ECR replication rule in us-east-1 into us-east-2 (peacetime)",
        status: "fail",
        detail: `no rule of the us-east-1 registry replicates tools/base* into ${EMULATOR_ACCOUNT_ID} us-east-2 (1 rule in all)`,
        fix: "npx cdktf deploy standby-us-east-2 --ignore-missing-stack-dependencies   # its ECR replication configuration in us-east-1",
      });
    } finally {
      await ecr(P).send(
        new PutReplicationConfigurationCommand({
          replicationConfiguration: { rules: [{ ...rule, repositoryFilters: [...rule.repositoryFilters, { filter: "tools/", filterType: "PREFIX_MATCH" }] }] },
        }),
      );
    }
  });

  it("cluster-access: an environment that declares no way in (the schema refuses one; the check does not rely on it)", async () => {
    const closed = { ...recovery, kubernetes: { ...recovery.kubernetes, publicAccessCidrs: [], privateAccessCidrs: [] } };
    const result = await runPreflight(closed, primary, withReplicatedBackups(clientsAt(emulator.current().endpoint)), { now: NOW });
    expect(result.checks.find((c) => c.id === "cluster-access")).toEqual({
      id: "cluster-access",
      title: "Cluster API access declared",
      status: "fail",
      detail: "environments/us-east-2.ts declares no way to reach the cluster API: neither kubernetes.publicAccessCidrs nor kubernetes.privateAccessCidrs",
      fix: 'in environments/us-east-2.ts add kubernetes.publicAccessCidrs: ["<operators\' network>/32"] (break-glass) or kubernetes.privateAccessCidrs: ["<in-VPC or peered runner network>"]',
    });
  });

  it("sops-break-glass: with the primary's break-glass age key, each file without it fails; without such a key there is no row", async () => {
    const repo = writeTree(tempDir("platform-k8s-age-"), {
      "clusters/us-east-1/apps/db.sops.yaml": sopsSecretYaml("db", [primaryArn, replicaArn], [AGE_KEYS[0]]),
      "clusters/us-east-2/apps/queue.sops.yaml": sopsSecretYaml("queue", [replicaArn, primaryArn]),
    });
    const breakGlass: PrimaryEnvironment = { ...primary, flux: { ...primary.flux, breakGlassAgeRecipients: [AGE_KEYS[0]] } };
    const result = await runPreflight(recovery, breakGlass, withReplicatedBackups(clientsAt(emulator.current().endpoint)), { now: NOW, platformRepo: repo });
    expect(result.checks.find((c) => c.id === "sops-break-glass")).toEqual({
      id: "sops-break-glass",
      title: `SOPS files in ${repo} are also encrypted for the break-glass age key`,
      status: "fail",
      detail: `1 of 2 SOPS files would die with the account's KMS keys:\n  clusters/us-east-2/apps/queue.sops.yaml (lacks ${AGE_KEYS[0]})`,
      fix: [
        `npx dr-platform sops-config us-east-2 > ${repo}/.sops.yaml`,
        `# then, in ${repo}, while us-east-1 is up (sops decrypts each data key with the us-east-1 key):`,
        "sops updatekeys -y clusters/us-east-2/apps/queue.sops.yaml",
      ].join("\n"),
    });
    expect((await preflight({ platformRepo: repo })).checks.map((c) => c.id)).not.toContain("sops-break-glass");
  });

  it("sops-files: a file lists only the primary's key", async () => {
    const stale = writeTree(tempDir("platform-k8s-stale-"), {
      "clusters/us-east-1/apps/db.sops.yaml": sopsSecretYaml("db", [primaryArn, replicaArn]),
      "clusters/us-east-2/apps/queue.sops.yaml": sopsSecretYaml("queue", [primaryArn]),
      "clusters/us-east-2/flux-system/git.sops.json": sopsJson([primaryArn]),
    });
    expect(await check("sops-files", { platformRepo: stale })).toEqual({
      id: "sops-files",
      title: `SOPS files in ${stale} list the replica key`,
      status: "fail",
      detail: `2 of 3 SOPS files do not list ${replicaArn}:\n  clusters/us-east-2/apps/queue.sops.yaml\n  clusters/us-east-2/flux-system/git.sops.json`,
      fix: [
        `npx dr-platform sops-config us-east-2 > ${stale}/.sops.yaml`,
        `# then, in ${stale}, while us-east-1 is up (sops decrypts each data key with the us-east-1 key):`,
        "sops updatekeys -y clusters/us-east-2/apps/queue.sops.yaml",
        "sops updatekeys -y clusters/us-east-2/flux-system/git.sops.json",
      ].join("\n"),
    });
  });
});

it("sops-config reads both ARNs from KMS in the recovery region and prints them in the rule", async () => {
  const text = await sopsConfigFor(recovery, primary, clientsAt(emulator.current().endpoint).kms);
  expect(text).toContain(`    kms: '${primaryArn},${replicaArn}'\n`);
});

it("npx dr-platform sops-config us-east-2 > .sops.yaml (as the runbook prints it) writes a file that parses as YAML, with both ARNs", () => {
  const environments = environmentsFolder({
    "us-east-1.ts": environmentFile(primaryInput({ accountId: EMULATOR_ACCOUNT_ID })),
    "us-east-2.ts": environmentFile(recoveryInput({ accountId: EMULATOR_ACCOUNT_ID })),
  });
  const file = path.join(tempDir("sops-config-"), ".sops.yaml");
  // The shell redirects the CLI's stdout into the file, as the operator's shell does.
  const result = run("sh", ["-c", `node --require sucrase/register/ts "${path.join(REPO, "cli/main.ts")}" sops-config us-east-2 > "${file}"`], {
    env: {
      DR_ENVIRONMENTS_DIR: environments,
      DR_SANDBOX_ENDPOINT: emulator.current().endpoint,
      NODE_EXTRA_CA_CERTS: emulator.current().caFile,
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    },
  });
  // The SDK warns about the Node version on stderr; nothing else may be there.
  const stderr = result.stderr.replace(/\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?show where the warning was created\)\n/, "");
  expect({ status: result.status, stdout: result.stdout, stderr }).toEqual({ status: 0, stdout: "", stderr: "" });
  expect(parse(fs.readFileSync(file, "utf8"))).toEqual({
    // The primary's cluster folder keeps its key first; every other file lists the replica first (sops-order).
    creation_rules: [
      { path_regex: sopsFolderRegex(primary.flux.path), encrypted_regex: SOPS_ENCRYPTED_REGEX, kms: `${primaryArn},${replicaArn}` },
      { path_regex: SOPS_PATH_REGEX, encrypted_regex: SOPS_ENCRYPTED_REGEX, kms: `${replicaArn},${primaryArn}` },
    ],
  });
});

describe("reports a dead endpoint as unreachable, quickly", () => {
  /** A port nothing listens on. */
  async function closedPort(): Promise<number> {
    const server = net.createServer().listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((r) => server.close(r));
    return port;
  }

  it("connection refused: every AWS check is unreachable, the file check still runs", async () => {
    const started = Date.now();
    const result = await runPreflight(recovery, primary, clientsAt(`https://127.0.0.1:${await closedPort()}`), { now: NOW });
    const seconds = (Date.now() - started) / 1000;
    expect(statuses(result.checks)).toEqual({
      "standby-stack": "unreachable",
      "day-stacks": "unreachable",
      "kubernetes-version": "unreachable",
      "kubernetes-addons": "unreachable",
      "database-engine": "unreachable",
      "broker-engine": "unreachable",
      "capacity-quotas": "unreachable",
      "registry-cache": "unreachable",
      "image-digests": "unreachable",
      "git-credentials": "unreachable",
      "sops-key": "unreachable",
      "database-backups": "unreachable",
      "registry-images": "unreachable",
      "health-checks": "unreachable",
      "site-region": "unreachable",
      "cluster-access": "pass",
    });
    expect(result.checks[0].detail).toMatch(
      /^S3 HeadObject of s3:\/\/acme-terraform-state\/standby-us-east-2\.tfstate in us-west-2 got no answer: .*ECONNREFUSED/,
    );
    expect(seconds).toBeLessThan(10);
    expect(preflightExitCode(result)).toBe(1);
  });

  it("an endpoint that accepts connections and never answers: unreachable after the request timeout", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket)).listen(0, "127.0.0.1");
    await new Promise((r) => silent.once("listening", r));
    try {
      const endpoint = `https://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
      const started = Date.now();
      const result = await runPreflight(recovery, primary, clientsAt(endpoint, { connectionTimeoutMs: 500, requestTimeoutMs: 500 }), {
        now: NOW,
        platformRepo: repo,
      });
      const seconds = (Date.now() - started) / 1000;
      expect(statuses(result.checks)).toEqual({
        "standby-stack": "unreachable",
        "day-stacks": "unreachable",
        "kubernetes-version": "unreachable",
        "kubernetes-addons": "unreachable",
        "database-engine": "unreachable",
        "broker-engine": "unreachable",
        "capacity-quotas": "unreachable",
        "registry-cache": "unreachable",
        "image-digests": "unreachable",
        "sops-order": "unreachable",
        "git-credentials": "unreachable",
        "sops-key": "unreachable",
        "database-backups": "unreachable",
        "registry-images": "unreachable",
        "health-checks": "unreachable",
        "site-region": "unreachable",
        "cluster-access": "pass",
        "sops-files": "unreachable",
      });
      expect(result.checks.find((c) => c.id === "sops-key")?.detail).toBe(
        "KMS DescribeKey of alias/acme-sops-us-east-1 in us-east-2 got no answer: TimeoutError: @smithy/node-http-handler - [ERROR] a request has exceeded the configured 500 ms requestTimeout.",
      );
      expect(seconds).toBeLessThan(10);
    } finally {
      sockets.forEach((s) => s.destroy());
      silent.close();
    }
  });
});
