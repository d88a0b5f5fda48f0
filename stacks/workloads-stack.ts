import { Construct } from "constructs";
import { Fn, TerraformOutput, type ITerraformDependable } from "cdktf";
import {
  addBackupNamespace,
  BrokerDefinitionsJob,
  BrokerPasswordRotation,
  DatabaseArchiveJob,
  FluxSync,
  addClusterProviders,
  RabbitMqUsers,
  SiteTargetGroupBinding,
} from "../lib/constructs";
import { brokerSecretVariable, FLUX_NAMESPACE, globalNames, regionalNames, registryHost, roleArn } from "../lib/naming";
import type { ApplicationStack } from "./application-stack";
import { EnvironmentStack } from "./environment-stack";
import type { GitOpsStack } from "./gitops-stack";
import type { NetworkingStack } from "./networking-stack";
import type { EnvironmentRole } from "./roles/role";

export interface WorkloadsStackProps {
  readonly role: EnvironmentRole;
  readonly application: ApplicationStack;
  readonly gitops: GitOpsStack;
  /** The site's load balancer and target group. */
  readonly networking: NetworkingStack;
}

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

  constructor(scope: Construct, props: WorkloadsStackProps) {
    const { role, application, gitops, networking } = props;
    const env = role.environment;
    super(scope, "workloads", env);
    this.addDependency(gitops);
    const names = globalNames(env.project, env.region);
    const regional = regionalNames(env.project, env.region);
    addClusterProviders(this, regional.cluster, env.region);

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
      SOPS_KEY_ARN: application.sopsKey.arnIn(this),
      // By name: the role exists before this stack (kubernetes or standby stack), no cross-stack reference.
      WORKLOAD_ROLE_ARN: roleArn(env.accountId, names.workloadRole),
      REGISTRY: registryHost(env.accountId, env.region), // the account's ECR here: manifests pull through it (docs/images.md)
    };
    for (const user of env.broker.users) clusterVars[brokerSecretVariable(user)] = regional.brokerUserSecret(user);
    const adminSecretName = regional.brokerUserSecret(env.broker.adminUsername);
    const backups = addBackupNamespace(this, { brokerAdminSecretName: adminSecretName });
    const pod = { ...backups.pod, registry: { accountId: env.accountId, region: env.region } };
    const broker = { managementUrl: application.broker.managementUrl, adminUsername: env.broker.adminUsername, registry: pod.registry };
    const archive = { ...pod, schedule: env.backups.schedule, bucket: application.hostingServices, bucketRegion: env.drRegion };
    const users = env.broker.users.map((username) => ({ username, secretName: regional.brokerUserSecret(username) }));

    // A recovery imports its primary's newest broker definitions first: the users and the workloads wait for them.
    const imported = role.brokerImport(this, { ...pod, managementUrl: broker.managementUrl, adminPasswordSecret: backups.brokerAdminPassword });
    const beforeWorkloads: ITerraformDependable[] = [...imported];
    if (users.length > 0) {
      // The import creates the exported users without passwords: theirs are set after it.
      const rabbitMqUsers = new RabbitMqUsers(this, "rabbitmq-users", { ...broker, namespace: FLUX_NAMESPACE, adminSecretName, users, after: imported });
      beforeWorkloads.push(rabbitMqUsers.job);
      // After the users job: a rotation must not race the job that sets the users' first passwords.
      if (env.broker.passwordRotationSchedule !== false) {
        new BrokerPasswordRotation(this, "broker-password-rotation", {
          ...pod,
          ...broker,
          schedule: env.broker.passwordRotationSchedule,
          secretsRegion: env.region,
          adminPasswordSecret: backups.brokerAdminPassword,
          users,
        }).resource.node.addDependency(rabbitMqUsers.job);
      }
    }

    this.databaseArchive = new DatabaseArchiveJob(this, "database-archive", {
      ...archive,
      database: {
        host: application.database.address,
        port: application.database.port,
        name: role.databaseLogin.databaseName,
        username: role.databaseLogin.username,
        secretArn: application.database.masterUserSecretArn,
        secretRegion: env.region,
      },
    });
    this.brokerDefinitions = new BrokerDefinitionsJob(this, "broker-definitions", { ...archive, ...broker, adminPasswordSecret: backups.brokerAdminPassword });
    beforeWorkloads.push(this.databaseArchive.resource, this.brokerDefinitions.resource);

    // The site's pods into the target group of its load balancer: after gitops-<region> installed the controller's CRD.
    new SiteTargetGroupBinding(this, "site", {
      service: env.dns.siteService,
      targetGroupArn: networking.site.targetGroupArn,
      loadBalancerSecurityGroupId: networking.site.securityGroup.id,
    });

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
