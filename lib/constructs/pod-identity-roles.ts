import type { Construct } from "constructs";
import { bucketArn, FLUX_GIT_CREDENTIALS_SERVICE_ACCOUNT, FLUX_KUSTOMIZE_CONTROLLER, secretArnPattern, type GlobalNames } from "../naming";
import type { PolicyStatement } from "./private/iam";
import { bucketKeyStatement, READ_KEY_ACTIONS, UPLOAD_KEY_ACTIONS } from "./private/bucket-key";
import { PodIdentityRole } from "./pod-identity-role";

export interface PodIdentityRolesProps {
  /** The environment's global names (role names, the hosting-services bucket). */
  readonly names: GlobalNames;
  readonly accountId: string;
  /** ARN of the cluster whose pods assume the roles. */
  readonly clusterArn: string;
  /** Key SOPS decrypts with in the cluster's region (the primary's key, or its replica). */
  readonly sopsKeyArn: string;
  /**
   * Secrets Manager name of Flux's Git credentials (the primary's secret, or its replica, in
   * `databaseRegion`): Flux's role reads it, for the job that copies it into the cluster.
   */
  readonly gitCredentialsSecretName: string;
  /** Policy of the workloads on the assets. */
  readonly assetsPolicyArn: string;
  /**
   * ARNs of the database instances whose RDS-managed master secret the archive job reads (every
   * prepared generation: a new one's secret is readable before it exists).
   */
  readonly databaseArns: readonly string[];
  /** Region of the database and the broker (the secrets' region). */
  readonly databaseRegion: string;
  /** Secrets Manager name of the broker administrator's password (the definitions export and import read it). */
  readonly brokerAdminSecretName: string;
  /** Secrets Manager names of the broker application users' passwords (the workloads read them). */
  readonly brokerUserSecretNames: readonly string[];
  /** Key of the environment's hosting-services bucket (an ArchiveKey): the backup jobs encrypt what they upload with it. */
  readonly archiveKeyArn: string;
  /** Region of the hosting-services bucket and its key (`drRegion`). */
  readonly archiveRegion: string;
  /**
   * The hosting-services bucket the definitions import reads the newest export from, and its key:
   * a recovery's primary's (in this region), or a primary's own when it is rebuilt in a new account.
   * @default - none (a primary imports nothing)
   */
  readonly importBucket?: { readonly bucketName: string; readonly kmsKeyArn: string; readonly region: string };
}

/** The session tags EKS Pod Identity puts on a service account's credentials, as a condition. */
function sessionOf(serviceAccount: { readonly namespace: string; readonly name: string }): Record<string, string> {
  return { "aws:PrincipalTag/kubernetes-namespace": serviceAccount.namespace, "aws:PrincipalTag/kubernetes-service-account": serviceAccount.name };
}

/** The pod identity roles of an environment's cluster. */
export interface PodIdentityRoles {
  /** Flux: kustomize-controller decrypts SOPS secrets; the Git credentials job reads the Git credentials. */
  readonly flux: PodIdentityRole;
  /** The workloads: the assets policy, the database master secret and the broker users' secrets. */
  readonly workload: PodIdentityRole;
  /**
   * The backup jobs: read the database master secret, list the archive bucket and put into it
   * (with its key), rotate the broker's passwords (the administrator's and the users'); a
   * recovery's also reads the primary's broker definitions exports (with the primary's archive key).
   */
  readonly backupJob: PodIdentityRole;
}

/**
 * Adds the pod identity roles of an environment's cluster to `scope` (the primary's kubernetes
 * stack, or a recovery's standby stack, which makes them in peacetime). Ids are fixed (`flux-role`,
 * `workload-role`, `backup-job-role`) so the roles keep their Terraform addresses.
 */
export function addPodIdentityRoles(scope: Construct, props: PodIdentityRolesProps): PodIdentityRoles {
  const common = { accountId: props.accountId, clusterArn: props.clusterArn };
  const archives = bucketArn(props.names.hostingServicesBucket);
  const secret = (name: string) => secretArnPattern(props.databaseRegion, props.accountId, name);
  // RDS tags the secret it manages with its instance's ARN: known before either exists.
  const databaseMasterSecret = (sid: string): PolicyStatement => ({
    Sid: sid,
    Effect: "Allow",
    Action: "secretsmanager:GetSecretValue",
    Resource: `arn:aws:secretsmanager:${props.databaseRegion}:${props.accountId}:secret:rds!db-*`,
    Condition: {
      StringEquals: {
        "secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn": props.databaseArns.length === 1 ? props.databaseArns[0] : [...props.databaseArns],
      },
    },
  });
  const imported = props.importBucket && { ...props.importBucket, bucketArn: bucketArn(props.importBucket.bucketName) };
  const imports: PolicyStatement[] = imported
    ? [
        { Sid: "ListPrimaryExports", Effect: "Allow", Action: "s3:ListBucket", Resource: imported.bucketArn },
        { Sid: "GetPrimaryBrokerDefinitions", Effect: "Allow", Action: "s3:GetObject", Resource: `${imported.bucketArn}/rabbitmq/*` },
        bucketKeyStatement("DecryptPrimaryExports", imported, READ_KEY_ACTIONS),
      ]
    : [];
  const rotation = ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"];
  return {
    flux: new PodIdentityRole(scope, "flux-role", {
      ...common,
      roleName: props.names.fluxRole,
      purpose: "Flux (kustomize-controller's SOPS decryption, the Git credentials job)",
      statements: [
        // One role, two service accounts: each statement holds for its own (EKS Pod Identity tags every session with it).
        {
          Sid: "DecryptSopsSecrets",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:DescribeKey"],
          Resource: props.sopsKeyArn,
          Condition: { StringEquals: sessionOf(FLUX_KUSTOMIZE_CONTROLLER) },
        },
        // The data key's policy admits the account's principals through Secrets Manager: no KMS grant here.
        {
          Sid: "ReadGitCredentials",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: secret(props.gitCredentialsSecretName),
          Condition: { StringEquals: sessionOf(FLUX_GIT_CREDENTIALS_SERVICE_ACCOUNT) },
        },
      ],
    }),
    workload: new PodIdentityRole(scope, "workload-role", {
      ...common,
      roleName: props.names.workloadRole,
      purpose: "workloads (assets, datastore credentials)",
      managedPolicyArns: [props.assetsPolicyArn],
      // Exactly the secrets cluster-vars names: the database master secret and the broker users'.
      statements: [
        databaseMasterSecret("ReadDatabaseMasterSecret"),
        ...(props.brokerUserSecretNames.length > 0
          ? [
              {
                Sid: "ReadBrokerUserSecrets",
                Effect: "Allow" as const,
                Action: "secretsmanager:GetSecretValue",
                Resource: props.brokerUserSecretNames.map(secret),
              },
            ]
          : []),
      ],
    }),
    backupJob: new PodIdentityRole(scope, "backup-job-role", {
      ...common,
      roleName: props.names.backupJobRole,
      purpose: "backup jobs (database archive, broker definitions)",
      statements: [
        databaseMasterSecret("ReadDatabaseMasterSecret"),
        // The definitions jobs read the administrator's password; the rotation job (BrokerPasswordRotation) rotates it.
        { Sid: "RotateBrokerAdminSecret", Effect: "Allow", Action: rotation, Resource: secret(props.brokerAdminSecretName) },
        ...(props.brokerUserSecretNames.length > 0
          ? [{ Sid: "RotateBrokerUserSecrets", Effect: "Allow" as const, Action: rotation, Resource: props.brokerUserSecretNames.map(secret) }]
          : []),
        { Sid: "ListArchives", Effect: "Allow", Action: "s3:ListBucket", Resource: archives },
        { Sid: "PutArchives", Effect: "Allow", Action: "s3:PutObject", Resource: `${archives}/*` },
        bucketKeyStatement(
          "EncryptArchives",
          { bucketName: props.names.hostingServicesBucket, bucketArn: archives, kmsKeyArn: props.archiveKeyArn, region: props.archiveRegion },
          UPLOAD_KEY_ACTIONS,
        ),
        ...imports,
      ],
    }),
  };
}
