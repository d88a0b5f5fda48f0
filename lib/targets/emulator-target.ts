import * as path from "path";
import type { Construct, IConstruct } from "constructs";
import {
  Aspects,
  DataTerraformRemoteStateS3,
  DefaultTokenResolver,
  LocalBackend,
  S3Backend,
  StringConcat,
  TerraformDataSource,
  TerraformElement,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  Token,
  Tokenization,
  type IAspect,
} from "cdktf";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbInstanceAutomatedBackupsReplication } from "@cdktf/provider-aws/lib/db-instance-automated-backups-replication";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { PostgresDatabase } from "../constructs/postgres-database";
import type { AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import { ConfigurationError } from "../environment/problems";
import { stateKey } from "../naming";
import { suppressRule } from "../policy/suppress";
import type { DeploymentTarget, StateLocation, TargetGap } from "./deployment-target";

/**
 * The local AWS emulator (moto_server) as a deployment target: every AWS provider talks to the
 * emulator on the loopback interface, state is kept in the environment's state bucket there (as in
 * a real account: S3 backend, encrypted, S3-native locking), and what the emulator cannot
 * serve is removed by an aspect (with its reason), so that the constructs and stacks stay exactly
 * what a real account gets. This file is the one place that knows the emulator's gaps.
 */

/** Emulator URL, e.g. https://127.0.0.1:5055 (loopback only). */
export const EMULATOR_ENDPOINT_VARIABLE = "DR_SANDBOX_ENDPOINT";
/** Absolute folder for the local state of the state bucket's bootstrap stack (every other stack keeps its state in the bucket). */
export const EMULATOR_STATE_VARIABLE = "DR_SANDBOX_STATE_DIR";
/**
 * The account the emulator answers for (moto's MOTO_ACCOUNT_ID, set when it is started). No
 * shipped environment uses it, so a stack bound to the environment's account is refused.
 */
export const EMULATOR_ACCOUNT_ID = "000000000042";
/**
 * Another account of the emulator the sandbox acts as (12 digits; default EMULATOR_ACCOUNT_ID): the
 * emulator keeps each account apart, and credentials STS AssumeRole returned act in the role's
 * account (MOTO_FIXES), so a sandbox signing with such credentials deploys into that account.
 */
export const EMULATOR_ACCOUNT_VARIABLE = "DR_SANDBOX_ACCOUNT_ID";

/** Services the stacks use; each is pointed at the emulator. */
const SERVICES = [
  "acm",
  "backup",
  "cloudwatch",
  "ec2",
  "ecr",
  "eks",
  "elbv2",
  "iam",
  "kms",
  "lambda",
  "logs",
  "mq",
  "rds",
  "route53",
  "s3",
  "s3Control",
  "scheduler",
  "secretsmanager",
  "sts",
  "wafv2",
] as const;

interface EmulatorGap extends TargetGap {
  /** Resource types removed, together with everything that references them. */
  readonly remove?: readonly string[];
  /** Changes a resource in place when it is one the gap concerns. */
  readonly rewrite?: (resource: TerraformResource, accountId: string) => void;
}

/**
 * Everything the emulator (moto 5.2.1) cannot serve, found by deploying into it. Unit tests assert
 * that these resources exist in the real-account JSON and not in the emulator's.
 */
export const EMULATOR_GAPS: readonly EmulatorGap[] = [
  {
    id: "eks-access-entries",
    resourceTypes: ["aws_eks_access_entry", "aws_eks_access_policy_association"],
    reason: "moto answers EKS CreateAccessEntry with 404; the admin roles get no access entries in the emulator",
    remove: ["aws_eks_access_entry", "aws_eks_access_policy_association"],
  },
  {
    id: "s3-bucket-policy",
    resourceTypes: ["aws_s3_bucket_policy"],
    reason:
      "moto evaluates bucket policies without the aws:SecureTransport key, so the TLS-only deny refuses every object request even over TLS; emulator buckets have no bucket policy (the emulator is served over TLS all the same)",
    violates: ["DR-S3-4"],
    remove: ["aws_s3_bucket_policy"],
  },
  {
    id: "s3-access-logging",
    resourceTypes: ["aws_s3_bucket_logging"],
    reason:
      "moto accepts PutBucketLogging only when the log bucket's policy admits logging.s3.amazonaws.com, and emulator buckets have no bucket policy (gap s3-bucket-policy); moto delivers no access logs either, so emulator buckets do not log",
    violates: ["DR-S3-6"],
    remove: ["aws_s3_bucket_logging"],
  },
  {
    id: "eks-pod-identity",
    resourceTypes: ["aws_eks_pod_identity_association"],
    reason:
      "moto has no EKS Pod Identity API (CreatePodIdentityAssociation answers 404); the emulator's cluster has no pod identity associations (the roles themselves are created and checked)",
    remove: ["aws_eks_pod_identity_association"],
  },
  {
    id: "eks-addons",
    resourceTypes: ["aws_eks_addon"],
    reason:
      "moto answers EKS CreateAddon and DescribeAddonVersions with 404; the emulator's cluster has no managed add-ons, and which add-on versions EKS offers cannot be asked",
    remove: ["aws_eks_addon"],
  },
  {
    // Nothing is removed: only the question preflight asks is missing.
    id: "eks-cluster-versions",
    resourceTypes: ["aws_eks_cluster (its version's support)"],
    reason:
      "moto has no EKS DescribeClusterVersions: whether EKS still creates clusters of the pinned Kubernetes version cannot be asked (the schema's calendar still judges it)",
  },
  {
    id: "rds-engine-catalogue",
    resourceTypes: ["aws_db_instance (the engine versions and instance classes offered)"],
    reason:
      "moto has no RDS DescribeDBEngineVersions and lists orderable classes for Aurora and Neptune only: whether RDS still creates the pinned PostgreSQL major on the pinned class cannot be asked",
  },
  {
    id: "mq-engine-catalogue",
    resourceTypes: ["aws_mq_broker (the engine versions and instance types offered)"],
    reason:
      "moto has no Amazon MQ DescribeBrokerEngineTypes or DescribeBrokerInstanceOptions: whether Amazon MQ still creates the pinned RabbitMQ version on the pinned type cannot be asked",
  },
  {
    id: "service-quotas",
    resourceTypes: ["Service Quotas (EC2, EKS and RDS quotas)"],
    reason: "moto's Service Quotas knows the VPC quotas only: the recovery region's EC2, EKS and RDS quotas cannot be compared with what the recovery creates",
  },
  {
    id: "ecr-pull-through-cache",
    resourceTypes: ["aws_ecr_pull_through_cache_rule"],
    reason:
      "moto has no ECR pull through cache (CreatePullThroughCacheRule is not implemented): the emulator's registries cache no upstream image, so neither the rules nor the images pulled through them can be checked there",
    remove: ["aws_ecr_pull_through_cache_rule"],
  },
  {
    id: "kms-replica-key",
    resourceTypes: ["aws_kms_replica_key", "aws_kms_alias (of the replica)"],
    reason:
      "moto never reports a replica key as enabled (the provider waits until it times out); in the emulator the SOPS key has no replica, so nothing can decrypt with it in the recovery region",
    remove: ["aws_kms_replica_key"],
  },
  {
    id: "rds-backup-replication",
    resourceTypes: ["aws_db_instance_automated_backups_replication (its backups)", "aws_db_instance (restore_to_point_in_time from replicated backups)"],
    reason:
      "moto 5.2.1 has no RDS backup replication; the emulator's MOTO_FIXES add its control plane (the replication is started, read, stopped and replaced with its source; a source named by the environment's account id is named by the emulator's), but no backup is copied and no restore window reported: a recovery's database restored from replicated backups is created empty in the emulator instead, with the database name a restore keeps from its source (a database generation restored from its predecessor's own backups in the same region is restored: moto serves that)",
    rewrite: (resource, accountId) => {
      // A replication in another stack names its source by an ARN built from the environment's
      // account id (naming's databaseArn()); in the emulator the instance is in the account the target acts as.
      if (resource instanceof DbInstanceAutomatedBackupsReplication) {
        const source = resource.sourceDbInstanceArnInput;
        if (source !== undefined && !Token.isUnresolved(source)) {
          resource.addOverride("source_db_instance_arn", source.replace(/^(arn:[^:]+:rds:[^:]+:)\d{12}(:db:)/, `$1${accountId}$2`));
        }
        return;
      }
      if (!(resource instanceof DbInstance)) return;
      const restore = resource.restoreToPointInTimeInput;
      // Only a restore from replicated backups: one from an instance of the same region is moto's to serve.
      if (restore === undefined || !("sourceDbInstanceAutomatedBackupsArn" in restore) || restore.sourceDbInstanceAutomatedBackupsArn === undefined) return;
      resource.addOverride("restore_to_point_in_time", undefined);
      resource.addOverride("lifecycle.precondition", undefined);
      // RDS keeps the source's database name on a restore; the empty stand-in is given it, so that
      // what is later adopted from it (a failback's snapshot) plans as the restore would.
      const database = resource.node.scope;
      if (database instanceof PostgresDatabase && database.databaseName) resource.addOverride("db_name", database.databaseName);
    },
  },
  {
    // Nothing is removed: the settings are sent on create; only their drift is not planned.
    id: "rds-unstored-settings",
    resourceTypes: ["aws_db_instance (performance_insights_enabled)", "aws_db_parameter_group (parameter)"],
    reason:
      "moto stores neither an instance's performance_insights_enabled nor a parameter group's parameters: every plan of a deployed database would change both again, and the instance's modification waits 80 s for nothing; in the emulator Terraform ignores their drift (both are still sent when created)",
    rewrite: (resource) => {
      // cdktf appends an overriding list to the one the resource declares.
      const ignore = (attribute: string) => resource.addOverride("lifecycle.ignore_changes", [attribute]);
      if (resource instanceof DbInstance) ignore("performance_insights_enabled");
      else if (resource instanceof DbParameterGroup) ignore("parameter");
    },
  },
  {
    id: "route53-dnssec",
    resourceTypes: ["aws_route53_key_signing_key", "aws_route53_hosted_zone_dnssec"],
    reason:
      "moto's Route 53 has no CreateKeySigningKey or EnableHostedZoneDNSSEC (it answers GetDNSSEC only); emulator zones are not signed (the signing key in KMS is created all the same)",
    violates: ["DR-R53-1"],
    remove: ["aws_route53_key_signing_key", "aws_route53_hosted_zone_dnssec"],
  },
  {
    id: "route53-query-log",
    resourceTypes: ["aws_route53_query_log"],
    reason:
      "moto's CreateQueryLoggingConfig finds the log group only by its ARN with a ':*' suffix, which the AWS provider's log group ARN no longer has; emulator zones log no queries (the log group, its key and resource policy are created all the same)",
    violates: ["DR-R53-2"],
    remove: ["aws_route53_query_log"],
  },
  {
    // Nothing is removed: the rule is deployed and read back; only its effect is missing.
    id: "s3-object-replication",
    resourceTypes: ["aws_s3_bucket_replication_configuration (its object copies)"],
    reason:
      "moto stores the replication rule and reads it back, but copies no object and sets no ReplicationStatus: the emulator's replica bucket stays empty, so the assets' recovery point cannot be measured there",
  },
  {
    // Nothing is removed: the plan, its selection and both vaults are deployed and read back
    // (MOTO_FIXES serve the vault policy and the selections); only the jobs are missing.
    id: "aws-backup-jobs",
    resourceTypes: ["aws_backup_plan (its backup and copy jobs)", "aws_backup_selection (its backup jobs)"],
    reason:
      "moto stores the backup plan, its selection and the vaults, but runs no backup or copy job and serves no ListCopyJobs: no snapshot reaches the vault in the emulator, so the copies' recovery point cannot be measured there",
  },
  {
    // Nothing is removed: the read replica is deployed, read back and promoted (MOTO_FIXES); only its metric is missing.
    id: "rds-replica-lag",
    resourceTypes: ["aws_db_instance (a read replica's ReplicaLag)"],
    reason:
      "moto keeps no RDS metrics in CloudWatch: a read replica's ReplicaLag is never reported, so a warm standby's recovery point cannot be measured there (its replica is made, read back and promoted all the same)",
  },
  {
    // Nothing is removed: the registry's rule is deployed and read back; only its effect is missing.
    id: "ecr-replication",
    resourceTypes: ["aws_ecr_replication_configuration (its image copies)"],
    reason:
      "moto stores the registry's replication configuration and reads it back, but copies no repository or image: the recovery region's registry stays empty in the emulator",
  },
];

/**
 * Removes what the emulator cannot serve from a stack, and everything that references a removed
 * resource (an alias of a removed key, an output of a removed replication), so the rest plans.
 * Runs on the stack node, before the policy aspect sees the stack.
 */
export class EmulatorGapAspect implements IAspect {
  constructor(
    private readonly gaps: readonly EmulatorGap[] = EMULATOR_GAPS,
    private readonly accountId: string = EMULATOR_ACCOUNT_ID,
  ) {}

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const stack = node as TerraformStack;
    const removed: TerraformElement[] = [];
    for (const element of terraformElements(stack)) {
      if (!(element instanceof TerraformResource)) continue;
      for (const gap of this.gaps) {
        if (gap.remove?.includes(element.terraformResourceType)) removed.push(element);
        else gap.rewrite?.(element, this.accountId);
      }
    }
    let frontier = removed.slice();
    const gone = new Set<string>();
    while (frontier.length > 0) {
      const addresses = frontier.map((e) => address(stack, e));
      for (const a of addresses) gone.add(a.replace(/\.$/, ""));
      for (const element of frontier) element.node.scope?.node.tryRemoveChild(element.node.id);
      const json = stack.toTerraform();
      frontier = terraformElements(stack).filter((element) => {
        const text = JSON.stringify(synthesizedBlock(json, stack, element) ?? null);
        return addresses.some((a) => text.includes(a));
      });
      removed.push(...frontier);
    }
    // Ordering only (depends_on names a resource, no attribute): what waited for a removed resource stays, without the wait.
    for (const element of terraformElements(stack)) {
      if (!(element instanceof TerraformResource) || !element.dependsOn) continue;
      const resolve = (dependency: string) => String(Tokenization.resolve(dependency, { scope: stack, preparing: false, resolver: RESOLVER }));
      const kept = element.dependsOn.filter((dependency) => !gone.has(resolve(dependency)));
      if (kept.length !== element.dependsOn.length) element.dependsOn = kept.length > 0 ? kept : undefined;
    }
  }
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** An element's block in the stack's synthesized JSON. */
function synthesizedBlock(json: Record<string, any>, stack: TerraformStack, element: TerraformElement): unknown {
  const id = stack.getLogicalId(element);
  if (element instanceof TerraformDataSource) return json.data?.[element.terraformResourceType]?.[id];
  if (element instanceof TerraformResource) return json.resource?.[element.terraformResourceType]?.[id];
  return json.output?.[id];
}

function terraformElements(stack: TerraformStack): TerraformElement[] {
  return stack.node
    .findAll()
    .filter((c): c is TerraformElement => c instanceof TerraformResource || c instanceof TerraformDataSource || c instanceof TerraformOutput);
}

/** How Terraform expressions reference an element: `aws_kms_key.<id>.`, `data.<type>.<id>.`. */
function address(stack: TerraformStack, element: TerraformElement): string {
  const id = stack.getLogicalId(element);
  if (element instanceof TerraformDataSource) return `data.${element.terraformResourceType}.${id}.`;
  if (element instanceof TerraformResource) return `${element.terraformResourceType}.${id}.`;
  return `output.${id}`;
}

/**
 * The emulator on the loopback interface: endpoints, local state, the emulator's account, and
 * the gaps removed by an aspect (their policy rules suppressed with the gap's reason).
 */
export class EmulatorTarget implements DeploymentTarget {
  public readonly gaps: readonly TargetGap[] = EMULATOR_GAPS;
  public readonly shortName = "the emulator";

  /**
   * @param endpoint emulator URL on the loopback interface, e.g. https://127.0.0.1:5055
   * @param stateDir absolute folder for local state files
   * @param accountId the emulator's account the stacks are deployed into (the credentials the
   *   process signs with must act there); EMULATOR_ACCOUNT_ID by default
   */
  constructor(
    public readonly endpoint: string,
    public readonly stateDir: string,
    public readonly accountId: string = EMULATOR_ACCOUNT_ID,
  ) {
    const problems = emulatorSettingsProblems(endpoint, stateDir, accountId);
    if (problems.length > 0) throw new ConfigurationError(problems);
    this.endpoint = new URL(endpoint).origin;
  }

  get description(): string {
    return `local AWS emulator at ${this.endpoint} (account ${this.accountId}), state in its state bucket (the bootstrap's in ${this.stateDir})`;
  }

  /** The state bucket in the emulator, as a real account has it: S3, encrypted, S3-native locking. */
  bindState(stack: TerraformStack, location: StateLocation): void {
    new S3Backend(stack, this.s3State(stack.node.id, location));
    stack.addOverride("terraform.backend.s3.use_lockfile", true);
  }

  /** The bootstrap keeps a local state, in the sandbox's folder (a real account keeps it in the project's). */
  bindBootstrapState(stack: TerraformStack): void {
    new LocalBackend(stack, { path: path.join(this.stateDir, stateKey(stack.node.id)) });
  }

  readState(scope: Construct, id: string, stackId: string, location: StateLocation): DataTerraformRemoteStateS3 {
    return new DataTerraformRemoteStateS3(scope, id, this.s3State(stackId, location));
  }

  /** The S3 state of a stack at the emulator's endpoint (its certificate trusted through AWS_CA_BUNDLE). */
  private s3State(stackId: string, location: StateLocation) {
    return {
      bucket: location.bucket,
      key: stateKey(stackId),
      region: location.region,
      encrypt: true,
      endpoints: { s3: this.endpoint },
      usePathStyle: true,
      skipCredentialsValidation: true,
      skipRequestingAccountId: true,
      skipMetadataApiCheck: true,
      skipRegionValidation: true,
    };
  }

  awsProviderConfig(config: AwsProviderConfig): AwsProviderConfig {
    return {
      ...config,
      // A provider that assumes a role (a vault account's) stays on that role's account: the
      // emulator maps the credentials AssumeRole returns to the role's account.
      allowedAccountIds: config.assumeRole === undefined ? [this.accountId] : config.allowedAccountIds,
      // Credentials come from the process environment (the sandbox passes dummy ones).
      endpoints: [Object.fromEntries(SERVICES.map((service) => [service, this.endpoint]))],
      s3UsePathStyle: true,
      skipCredentialsValidation: true,
      skipMetadataApiCheck: "true",
    };
  }

  finishStack(stack: TerraformStack): void {
    Aspects.of(stack).add(new EmulatorGapAspect(EMULATOR_GAPS, this.accountId));
    for (const gap of EMULATOR_GAPS) {
      for (const ruleId of gap.violates ?? []) suppressRule(stack, ruleId, `emulator target: ${gap.reason}`);
    }
  }

  /** Printed on every synth against the emulator. */
  banner(): string {
    return [
      `SANDBOX MODE: AWS providers point at ${this.endpoint} (local emulator, account ${this.accountId}), state in its state bucket (the bootstrap's in ${this.stateDir}).`,
      `Left out because the emulator cannot serve them: ${EMULATOR_GAPS.map((g) => g.resourceTypes.join(", ")).join("; ")}.`,
    ].join("\n");
  }
}

function emulatorSettingsProblems(endpoint: string, stateDir: string, accountId: string): string[] {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    problems.push(`${EMULATOR_ENDPOINT_VARIABLE}: must be a URL like https://127.0.0.1:5055 (got ${JSON.stringify(endpoint)})`);
  }
  if (url && (!["http:", "https:"].includes(url.protocol) || !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname))) {
    problems.push(
      `${EMULATOR_ENDPOINT_VARIABLE}: must be an http(s):// URL on the loopback interface (127.0.0.1, localhost or [::1]); the sandbox never talks to another host (got ${JSON.stringify(endpoint)})`,
    );
  }
  if (!stateDir || !stateDir.startsWith("/")) {
    problems.push(`${EMULATOR_STATE_VARIABLE}: must be an absolute folder for the sandbox's local state (got ${JSON.stringify(stateDir || null)})`);
  }
  if (!/^\d{12}$/.test(accountId))
    problems.push(`${EMULATOR_ACCOUNT_VARIABLE}: must be a 12-digit account id of the emulator (got ${JSON.stringify(accountId)})`);
  return problems;
}

/** The emulator target named by the process environment, or undefined (a real AWS account). */
export function emulatorTargetFromEnvironment(variables: NodeJS.ProcessEnv = process.env): EmulatorTarget | undefined {
  const endpoint = variables[EMULATOR_ENDPOINT_VARIABLE];
  if (endpoint === undefined || endpoint === "") return undefined;
  const account = variables[EMULATOR_ACCOUNT_VARIABLE];
  return new EmulatorTarget(endpoint, variables[EMULATOR_STATE_VARIABLE] ?? "", account === undefined || account === "" ? EMULATOR_ACCOUNT_ID : account);
}
