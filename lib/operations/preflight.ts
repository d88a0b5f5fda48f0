import { EC2Client } from "@aws-sdk/client-ec2";
import { ECRClient } from "@aws-sdk/client-ecr";
import { EKSClient } from "@aws-sdk/client-eks";
import { KMSClient } from "@aws-sdk/client-kms";
import { MqClient } from "@aws-sdk/client-mq";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { servingDatabaseIdentifier, type PrimaryEnvironment, type RecoveryEnvironment } from "../environment";
import type { TargetGap } from "../targets";
import { ROUTE53_CONTROL_REGION, stackId } from "../naming";
import { brokerEngineCheck } from "./checks/preflight/broker-engine";
import { CAPACITY_QUOTAS, capacityQuotasCheck } from "./checks/preflight/capacity-quotas";
import { databaseEngineCheck } from "./checks/preflight/database-engine";
import { dayStacksCheck, recoveryDayStacks } from "./checks/preflight/day-stacks";
import { databaseReplicaCheck } from "./checks/preflight/database-replica";
import { probeDatabaseInstance } from "./probes/database-instance";
import { expectedImages, imageDigestsCheck } from "./checks/preflight/image-digests";
import { kubernetesAddonsCheck, pinnedAddons } from "./checks/preflight/kubernetes-addons";
import { kubernetesVersionCheck } from "./checks/preflight/kubernetes-version";
import { registryCacheCheck } from "./checks/preflight/registry-cache";
import { sopsOrderCheck } from "./checks/preflight/sops-order";
import { assertClientRegions, awsClient, type ClientSettings } from "./aws/clients";
import type { CheckStatus, PreflightCheck } from "./checks/preflight/check";
import { clusterAccessCheck } from "./checks/preflight/cluster-access";
import { databaseBackupsCheck } from "./checks/preflight/database-backups";
import { gitCredentialsCheck } from "./checks/preflight/git-credentials";
import { healthChecksCheck } from "./checks/preflight/health-checks";
import { unlessNotServed } from "./checks/preflight/not-served";
import { advisoryOnTheDay, notReadOnTheDay, route53IsLost } from "./checks/preflight/outage";
import { registryImagesCheck } from "./checks/preflight/registry-images";
import { registryRuleCheck } from "./checks/preflight/registry-rule";
import { siteRegionCheck } from "./checks/preflight/site-region";
import { sopsBreakGlassCheck } from "./checks/preflight/sops-break-glass";
import { sopsFilesCheck } from "./checks/preflight/sops-files";
import { sopsKeyCheck } from "./checks/preflight/sops-key";
import { standbyStackCheck } from "./checks/preflight/standby-stack";
import { probeGitCredentials } from "./probes/git-credentials";
import { probeRegistryReplication } from "./probes/registry-replication";
import { probeRepositories } from "./probes/registry-repositories";
import { probeReplicatedBackups } from "./probes/replicated-backups";
import { probeSite, type Resolve4 } from "./probes/site";
import { probeSopsFiles } from "./probes/sops-files";
import { probeSopsKey } from "./probes/sops-key";
import { probeStackOutputs, probeStateObject } from "./probes/state-objects";
import { probeBrokerEngine } from "./probes/broker-engine";
import { probeDatabaseEngine } from "./probes/database-engine";
import { probeEksAddonVersions } from "./probes/eks-addon-versions";
import { probeEksClusterVersion } from "./probes/eks-cluster-version";
import { probeImageDigests } from "./probes/image-digests";
import { probeInstanceTypes } from "./probes/instance-types";
import { probeRegistryCache } from "./probes/registry-cache";
import { probeServiceQuotas } from "./probes/service-quotas";

/**
 * `preflight <region>`: checks, before a recovery is needed, that everything peacetime must
 * provide for the recovery region is there. It only reads, and only from the recovery region
 * and the state bucket's region: during the outage it prepares for, the primary's region is dark.
 * The one exception, `peacetime`, reads the registry's replication rule, which exists only in the
 * primary's region. Besides what peacetime made, it asks the recovery region whether what the
 * environment pins can still be created there (EKS, RDS and Amazon MQ versions, instance types,
 * service quotas) and whether the platform's images are in its registry.
 */

export interface PreflightResult {
  readonly recoveryRegion: string;
  readonly primaryRegion: string;
  readonly checks: readonly PreflightCheck[];
}

/** AWS clients, each bound to the region its checks may call. */
export interface PreflightClients {
  /** S3 in the state bucket's region (`recovery.state.region`). */
  readonly stateS3: S3Client;
  /** Secrets Manager in the recovery region. */
  readonly secrets: SecretsManagerClient;
  /** KMS in the recovery region. */
  readonly kms: KMSClient;
  /** RDS in the recovery region. */
  readonly rds: RDSClient;
  /** ECR in the recovery region. */
  readonly ecr: ECRClient;
  /** EKS in the recovery region (cluster and add-on versions). */
  readonly eks: EKSClient;
  /** Amazon MQ in the recovery region (engine versions and instance options). */
  readonly mq: MqClient;
  /** EC2 in the recovery region (instance types). */
  readonly ec2: EC2Client;
  /** Service Quotas in the recovery region. */
  readonly quotas: ServiceQuotasClient;
  /**
   * ECR in the primary's region, for the replication rule.
   * @default - none; required with `peacetime`
   */
  readonly primaryEcr?: ECRClient;
  /**
   * Route 53 (global API, signed for us-east-1): the health checks' status as the checkers see them.
   * @default - the health-checks and site-region rows are left out
   */
  readonly route53?: Route53Client;
  /** @default - the system resolver */
  readonly resolve4?: Resolve4;
}

export interface PreflightOptions {
  /**
   * A checkout of the platform-k8s repository: every SOPS file in it must list the replica key.
   * @default - the SOPS files are not checked
   */
  readonly platformRepo?: string;
  /**
   * Also read the registry's replication rule in the primary's region (ECR DescribeRegistry),
   * which is dark during an outage.
   * @default false
   */
  readonly peacetime?: boolean;
  /**
   * The time ages are measured from.
   * @default - the current time
   */
  readonly now?: Date;
  /**
   * The primary's region is lost (the day of a recovery): global control planes it hosts are not
   * called (Route 53's, when it is us-east-1) or only advise; nothing else changes.
   * @default false
   */
  readonly outage?: boolean;
  /**
   * The deployment target the stacks went to: a row its gaps explain is `not served`, not failed.
   * @default - a real AWS account (no gaps)
   */
  readonly target?: { readonly shortName?: string; readonly description: string; readonly gaps: readonly TargetGap[] };
}

/** Settings of the clients `preflightClients` makes. */
export interface PreflightClientSettings extends ClientSettings {
  /**
   * Also make the primary region's ECR client (for `peacetime`).
   * @default false
   */
  readonly peacetime?: boolean;
}

/** Clients for `runPreflight`: the recovery region's, the state region's, Route 53's and, only with `peacetime`, the primary's ECR. */
export function preflightClients(recovery: RecoveryEnvironment, primary: PrimaryEnvironment, settings: PreflightClientSettings = {}): PreflightClients {
  const r = recovery.region;
  return {
    stateS3: awsClient(S3Client, recovery.state.region, settings),
    secrets: awsClient(SecretsManagerClient, r, settings),
    kms: awsClient(KMSClient, r, settings),
    rds: awsClient(RDSClient, r, settings),
    ecr: awsClient(ECRClient, r, settings),
    eks: awsClient(EKSClient, r, settings),
    mq: awsClient(MqClient, r, settings),
    ec2: awsClient(EC2Client, r, settings),
    quotas: awsClient(ServiceQuotasClient, r, settings),
    ...(settings.peacetime ? { primaryEcr: awsClient(ECRClient, primary.region, settings) } : {}),
    route53: awsClient(Route53Client, ROUTE53_CONTROL_REGION, settings),
  };
}

/** Reads every fact (concurrently) and judges each check; the checks are returned in a fixed order. */
export async function runPreflight(
  recovery: RecoveryEnvironment,
  primary: PrimaryEnvironment,
  clients: PreflightClients,
  options: PreflightOptions = {},
): Promise<PreflightResult> {
  if (recovery.recoveryOf !== primary.region) throw new Error(`runPreflight: ${recovery.region} recovers ${recovery.recoveryOf}, not ${primary.region}`);
  // A recovery-region check must never reach the primary's region.
  await assertClientRegions("runPreflight", [
    ["stateS3", clients.stateS3, recovery.state.region],
    ["secrets", clients.secrets, recovery.region],
    ["kms", clients.kms, recovery.region],
    ["rds", clients.rds, recovery.region],
    ["ecr", clients.ecr, recovery.region],
    ["eks", clients.eks, recovery.region],
    ["mq", clients.mq, recovery.region],
    ["ec2", clients.ec2, recovery.region],
    ["quotas", clients.quotas, recovery.region],
    ...(options.peacetime ? [["primaryEcr", clients.primaryEcr, primary.region, ` with peacetime (an ECR client in ${primary.region})`] as const] : []),
  ]);
  const now = options.now ?? new Date();
  const r = recovery.region;
  const days = recoveryDayStacks(recovery);
  const nodeTypes = [...new Set(recovery.kubernetes.nodeGroups.flatMap((g) => g.instanceTypes))];
  const [state, dayStates, primaryOutputs, cluster, addons, engine, broker, types, quotas, cache, images] = await Promise.all([
    probeStateObject(clients.stateS3, recovery.state.bucket, stackId("standby", r), recovery.state.region),
    Promise.all(days.map(async (stack) => ({ stack, state: await probeStateObject(clients.stateS3, recovery.state.bucket, stack, recovery.state.region) }))),
    probeStackOutputs(clients.stateS3, primary.state.bucket, stackId("application", primary.region), primary.state.region),
    probeEksClusterVersion(clients.eks, recovery.kubernetes.version, r),
    probeEksAddonVersions(clients.eks, recovery.kubernetes.version, pinnedAddons(recovery), r),
    probeDatabaseEngine(clients.rds, recovery.database, r),
    probeBrokerEngine(clients.mq, recovery.broker.instanceType, r),
    probeInstanceTypes(clients.ec2, nodeTypes, r),
    probeServiceQuotas(clients.quotas, Object.values(CAPACITY_QUOTAS), r),
    probeRegistryCache(clients.ecr, r),
    probeImageDigests(clients.ecr, expectedImages(), r),
  ]);
  const [secret, key, backups, repositories, rules, site, replica] = await Promise.all([
    probeGitCredentials(clients.secrets, recovery.flux.gitCredentialsSecretName, r),
    probeSopsKey(clients.kms, primary, r),
    probeReplicatedBackups(clients.rds, primary, r),
    probeRepositories(clients.ecr, r),
    options.peacetime ? probeRegistryReplication(clients.primaryEcr!, primary.region) : undefined,
    clients.route53 && !(options.outage && route53IsLost(primary.region))
      ? probeSite(recovery, primary, { stateS3: clients.stateS3, route53: clients.route53, resolve4: clients.resolve4 })
      : undefined,
    recovery.tier === "warm-standby" ? probeDatabaseInstance(clients.rds, servingDatabaseIdentifier(recovery), r) : undefined,
  ]);
  const siteRows = site
    ? [healthChecksCheck(site), siteRegionCheck(site, primary.region)]
    : options.outage && clients.route53
      ? notReadOnTheDay(primary.region)
      : [];
  const platformRepo = options.platformRepo;
  const checkout = platformRepo === undefined ? undefined : probeSopsFiles(platformRepo);
  const checks = [
    standbyStackCheck(recovery, state),
    dayStacksCheck(recovery, dayStates),
    gitCredentialsCheck(recovery, primary, secret),
    sopsKeyCheck(recovery, primary, key),
    databaseBackupsCheck(recovery, primary, backups, now, primaryOutputs),
    ...(replica ? [databaseReplicaCheck(recovery, primary, replica, options.outage === true)] : []),
    kubernetesVersionCheck(recovery, cluster, now),
    kubernetesAddonsCheck(recovery, addons),
    databaseEngineCheck(recovery, engine),
    brokerEngineCheck(recovery, broker),
    capacityQuotasCheck(recovery, types, quotas),
    registryImagesCheck(recovery, primary, repositories),
    ...(rules ? [registryRuleCheck(recovery, primary, rules)] : []),
    registryCacheCheck(recovery, cache),
    imageDigestsCheck(recovery, images),
    clusterAccessCheck(recovery),
    ...(platformRepo === undefined || checkout === undefined
      ? []
      : [
          sopsFilesCheck(recovery, primary, platformRepo, key, checkout),
          sopsOrderCheck(recovery, primary, platformRepo, key, checkout),
          ...[sopsBreakGlassCheck(recovery, primary, platformRepo, checkout)].filter((c): c is PreflightCheck => c !== undefined),
        ]),
    ...(options.outage ? siteRows.map(advisoryOnTheDay) : siteRows),
  ].map((check) => unlessNotServed(check, options.target ?? { description: "AWS account", gaps: [] }));
  return { recoveryRegion: recovery.region, primaryRegion: primary.region, checks };
}

/** 0 when every check passed (or only advises, or is not served by the target); 1 when any failed or could not be made (nothing is proved then). */
export function preflightExitCode(result: PreflightResult): number {
  return result.checks.some((c) => c.status === "fail" || c.status === "unreachable") ? 1 : 0;
}

const STATUS_LABEL: Record<CheckStatus, string> = { pass: "pass", fail: "FAIL", unreachable: "UNREACHABLE", advisory: "advisory", "not served": "not served" };

/** The pass/fail table: one row per check, its detail below, and the fix under every failure. */
export function formatPreflight(result: PreflightResult): string {
  const count = (status: CheckStatus) => result.checks.filter((c) => c.status === status).length;
  const width = Math.max(...Object.values(STATUS_LABEL).map((l) => l.length)) + 2;
  const indent = " ".repeat(width);
  const lines = [
    `Preflight of ${result.recoveryRegion} (recovery of ${result.primaryRegion}): ${count("pass")} passed, ${count("fail")} failed, ${count("unreachable")} unreachable` +
      (count("advisory") > 0 ? `, ${count("advisory")} advisory` : "") +
      (count("not served") > 0 ? `, ${count("not served")} not served by the target` : ""),
    "",
  ];
  for (const check of result.checks) {
    lines.push(`${STATUS_LABEL[check.status].padEnd(width)}${check.title} [${check.id}]`);
    lines.push(...check.detail.split("\n").map((l) => `${indent}${l}`));
    if (check.status !== "pass" && check.fix !== "") check.fix.split("\n").forEach((l, i) => lines.push(`${indent}${i === 0 ? "fix: " : "     "}${l}`));
  }
  return `${lines.join("\n")}\n`;
}
