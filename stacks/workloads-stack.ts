import { Construct } from "constructs";
import { Fn, TerraformOutput, type ITerraformDependable } from "cdktf";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import {
  BrokerDefinitionsImport,
  BrokerDefinitionsJob,
  BrokerPasswordRotation,
  DatabaseArchiveJob,
  FluxSync,
  addClusterProviders,
  RabbitMqUsers,
  SopsReplicaKeyArn,
} from "../lib/constructs";
import { RESTRICTED_NAMESPACE_LABELS } from "../lib/kubernetes";
import { BACKUP_JOB_SERVICE_ACCOUNT, brokerSecretVariable, FLUX_NAMESPACE, globalNames, regionalNames, roleArn, SOPS_KEY_OUTPUT, stackId } from "../lib/naming";
import { targetOf } from "../lib/targets";
import type { ApplicationStack } from "./application-stack";
import { EnvironmentStack, isRecovery, type PrimaryProps, type RecoveryProps } from "./environment-stack";
import type { GitOpsStack } from "./gitops-stack";

/** A primary, or a recovery together with the primary it recovers (its database's name and user, its exports). */
export type WorkloadsStackProps = { readonly application: ApplicationStack; readonly gitops: GitOpsStack } & (PrimaryProps | RecoveryProps);

/** Kubernetes secrets of the backup jobs, filled from Secrets Manager (the values sit in this stack's state). */
export const BACKUP_SECRETS = { database: "database-credentials", brokerAdmin: "broker-admin", key: "password" } as const;

/**
 * `workloads-<region>`: what the workloads need from the datastores, then the sync that starts
 * them. It runs after `application-<region>` (the datastores) and `gitops-<region>` (Flux), in
 * this order inside the stack: the `cluster-vars` ConfigMap (endpoints and secret names), a
 * recovery's import of the primary's newest broker definitions, the broker's application users,
 * the hourly (by default) database archive and definitions export CronJobs, and last the
 * `flux2-sync` release (root GitRepository and Kustomization), so no workload starts before its
 * datastores are there and filled.
 */
export class WorkloadsStack extends EnvironmentStack {
  public readonly sync: FluxSync;
  public readonly databaseArchive: DatabaseArchiveJob;
  public readonly brokerDefinitions: BrokerDefinitionsJob;
  public readonly brokerDefinitionsImport?: BrokerDefinitionsImport;
  public readonly rabbitMqUsers?: RabbitMqUsers;
  public readonly brokerPasswordRotation?: BrokerPasswordRotation;

  constructor(scope: Construct, props: WorkloadsStackProps) {
    const { environment: env, application, gitops } = props;
    super(scope, "workloads", env);
    this.addDependency(gitops);
    const names = globalNames(env.project, env.region);
    const regional = regionalNames(env.project, env.region);
    addClusterProviders(this, regional.cluster, env.region);

    // A restored database keeps the primary's database name and master user.
    const database = isRecovery(props) ? props.primary.database : env.database;
    const sopsKeyArn = isRecovery(props)
      ? new SopsReplicaKeyArn(this, "sops-replica-key", {
          primaryState: targetOf(this).readState(this, "primary-application-state", stackId("application", props.primary.region), props.primary.state),
          outputName: SOPS_KEY_OUTPUT,
          primaryRegion: props.primary.region,
          replicaRegion: env.region,
        }).keyArn
      : application.sopsKey!.keyArn;

    const clusterVars: Record<string, string> = {
      AWS_REGION: env.region,
      DR_REGION: env.drRegion,
      ENVIRONMENT_ROLE: env.role,
      DOMAIN: env.dns.domain,
      DATABASE_HOST: application.database.address,
      DATABASE_PORT: String(application.database.port),
      DATABASE_SECRET_ARN: application.database.masterUserSecretArn,
      BROKER_ENDPOINT: Fn.element(application.broker.amqpEndpoints, 0),
      ASSETS_BUCKET: application.assetsBucketName,
      HOSTING_SERVICES_BUCKET: application.hostingServices.bucketName,
      SOPS_KEY_ARN: sopsKeyArn,
      // By name: the role exists before this stack (kubernetes or standby stack), no cross-stack reference.
      WORKLOAD_ROLE_ARN: roleArn(env.accountId, names.workloadRole),
    };
    for (const user of env.broker.users) clusterVars[brokerSecretVariable(user)] = regional.brokerUserSecret(user);

    // The backup jobs' namespace and the service account the backup-job role is associated with.
    const namespace = new NamespaceV1(this, "backups-namespace", {
      metadata: { name: BACKUP_JOB_SERVICE_ACCOUNT.namespace, labels: { ...RESTRICTED_NAMESPACE_LABELS } },
    });
    const serviceAccount = new ServiceAccountV1(this, "backups-service-account", {
      metadata: { name: BACKUP_JOB_SERVICE_ACCOUNT.name, namespace: namespace.metadata.name },
      automountServiceAccountToken: false,
    });
    const secret = (id: string, name: string, password: string) =>
      new SecretV1(this, id, { metadata: { name, namespace: namespace.metadata.name }, data: { [BACKUP_SECRETS.key]: password } });
    const masterSecret = new DataAwsSecretsmanagerSecretVersion(this, "database-master-secret", { secretId: application.database.masterUserSecretArn });
    const databaseSecret = secret("database-credentials", BACKUP_SECRETS.database, Fn.lookup(Fn.jsondecode(masterSecret.secretString), "password", ""));
    const adminSecretName = regional.brokerUserSecret(env.broker.adminUsername);
    const adminPassword = new DataAwsSecretsmanagerSecretVersion(this, "broker-admin-secret", { secretId: adminSecretName }).secretString;
    const brokerAdminSecret = secret("broker-admin", BACKUP_SECRETS.brokerAdmin, adminPassword);
    const backupPod = { namespace: namespace.metadata.name, serviceAccountName: serviceAccount.metadata.name };

    const beforeWorkloads: ITerraformDependable[] = [];
    // Amazon MQ has no cross-region replication: the primary's newest export rebuilds the topology.
    if (isRecovery(props)) {
      this.brokerDefinitionsImport = new BrokerDefinitionsImport(this, "broker-definitions-import", {
        ...backupPod,
        bucketName: globalNames(props.primary.project, props.primary.region).hostingServicesBucket,
        bucketRegion: env.region,
        managementUrl: application.broker.managementUrl,
        adminUsername: env.broker.adminUsername,
        adminPasswordSecret: { name: brokerAdminSecret.metadata.name, key: BACKUP_SECRETS.key },
      });
      beforeWorkloads.push(this.brokerDefinitionsImport.resource);
    }
    if (env.broker.users.length > 0) {
      this.rabbitMqUsers = new RabbitMqUsers(this, "rabbitmq-users", {
        namespace: FLUX_NAMESPACE,
        managementUrl: application.broker.managementUrl,
        adminUsername: env.broker.adminUsername,
        adminSecretName,
        users: env.broker.users.map((username) => ({ username, secretName: regional.brokerUserSecret(username) })),
        // The import creates the exported users without passwords: theirs are set after it.
        after: this.brokerDefinitionsImport ? [this.brokerDefinitionsImport.resource] : [],
      });
      beforeWorkloads.push(this.rabbitMqUsers.job);
    }

    this.databaseArchive = new DatabaseArchiveJob(this, "database-archive", {
      ...backupPod,
      schedule: env.backups.schedule,
      bucket: application.hostingServices,
      bucketRegion: env.drRegion,
      database: {
        host: application.database.address,
        port: application.database.port,
        name: database.databaseName,
        username: database.username,
        passwordSecret: { name: databaseSecret.metadata.name, key: BACKUP_SECRETS.key },
      },
    });
    this.brokerDefinitions = new BrokerDefinitionsJob(this, "broker-definitions", {
      ...backupPod,
      schedule: env.backups.schedule,
      bucket: application.hostingServices,
      bucketRegion: env.drRegion,
      managementUrl: application.broker.managementUrl,
      adminUsername: env.broker.adminUsername,
      adminPasswordSecret: { name: brokerAdminSecret.metadata.name, key: BACKUP_SECRETS.key },
    });
    beforeWorkloads.push(this.databaseArchive.resource, this.brokerDefinitions.resource);
    // After the users job: a rotation must not race the job that sets the users' first passwords.
    if (env.broker.users.length > 0 && env.broker.passwordRotationSchedule !== false) {
      this.brokerPasswordRotation = new BrokerPasswordRotation(this, "broker-password-rotation", {
        ...backupPod,
        schedule: env.broker.passwordRotationSchedule,
        secretsRegion: env.region,
        managementUrl: application.broker.managementUrl,
        adminUsername: env.broker.adminUsername,
        adminPasswordSecret: { name: brokerAdminSecret.metadata.name, key: BACKUP_SECRETS.key },
        users: env.broker.users.map((username) => ({ username, secretName: regional.brokerUserSecret(username) })),
      });
      this.brokerPasswordRotation.resource.node.addDependency(this.rabbitMqUsers!.job);
    }

    this.sync = new FluxSync(this, "flux", {
      repository: {
        url: env.flux.repositoryUrl,
        branch: env.flux.branch,
        path: env.flux.path,
        intervalMinutes: env.flux.intervalMinutes,
        prune: env.flux.prune,
      },
      clusterVars,
      after: beforeWorkloads,
    });

    new TerraformOutput(this, "flux_verify_command", { value: this.sync.verifyCommand, description: "Waits until Flux has applied the repository" });
  }
}
