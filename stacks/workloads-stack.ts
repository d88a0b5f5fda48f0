import { Construct } from "constructs";
import { Fn, Op, TerraformOutput, type ITerraformDependable } from "cdktf";
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
import { brokerSecretVariable, clusterName, environmentNames, regionalNames, registryHost, roleArn, stackId } from "../lib/naming";
import { suppressRule } from "../lib/policy";
import type { ApplicationStack } from "./application-stack";
import { EnvironmentStack } from "./environment-stack";
import type { GitOpsStack } from "./gitops-stack";
import type { NetworkingStack } from "./networking-stack";
import type { EnvironmentRole } from "./roles/role";
import { addRestoreTest } from "./roles/restore-test";

export interface WorkloadsStackProps {
  readonly role: EnvironmentRole;
  readonly application: ApplicationStack;
  readonly gitops: GitOpsStack;
  /** The site's load balancer and target group. */
  readonly networking: NetworkingStack;
}

/**
 * `workloads-<region>` (`-g<n>` for cluster generation n >= 2): what the workloads need from the
 * datastores, then the sync that starts them, after `application-<region>` and `gitops-<region>`.
 * In order: `cluster-vars` (endpoints, secret names), a recovery's import of its primary's newest
 * broker definitions, the broker's users, the library's CronJobs (archive, definitions export,
 * password rotation: serving generation only), the site's binding, and last `flux2-sync`.
 */
export class WorkloadsStack extends EnvironmentStack {
  public readonly sync: FluxSync;
  /** The library's CronJobs run in the serving generation only (undefined in a retiring one). */
  public readonly databaseArchive?: DatabaseArchiveJob;
  public readonly brokerDefinitions?: BrokerDefinitionsJob;
  public readonly restoreTest?: ReturnType<typeof addRestoreTest>;

  constructor(scope: Construct, props: WorkloadsStackProps) {
    const { role, application, gitops, networking } = props;
    const env = role.environment;
    super(scope, "workloads", env, gitops.generation);
    this.addDependency(gitops);
    // A generation beside the serving one (a rebuild): no site binding, none of the library's CronJobs.
    const serving = gitops.generation === env.kubernetes.generation;
    const [workloadRole, regional] = [environmentNames(env, gitops.generation).workloadRole, regionalNames(env.project, env.region)];
    addClusterProviders(this, clusterName(env.project, env.region, gitops.generation), env.region);

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
      WORKLOAD_ROLE_ARN: roleArn(env.accountId, workloadRole),
      REGISTRY: registryHost(env.accountId, env.region), // the account's ECR here: manifests pull through it (docs/images.md)
    };
    for (const user of env.broker.users) clusterVars[brokerSecretVariable(user)] = regional.brokerUserSecret(user);
    const standing = env.role === "recovery" && env.tier === "warm-standby"; // its workloads stay at zero while its database is an unpromoted replica (docs/tiers.md)
    if (standing) clusterVars.WORKLOAD_REPLICAS = Fn.conditional(Op.lt(Fn.lengthOf(application.database.masterUserSecretArn), 1), "0", "");
    const adminSecretName = regional.brokerUserSecret(env.broker.adminUsername);
    const adminSecret = { secretName: adminSecretName, region: env.region };
    const pod = { ...addBackupNamespace(this).pod, registry: { accountId: env.accountId, region: env.region } };
    const { managementUrl } = application.broker;
    const broker = { managementUrl, adminUsername: env.broker.adminUsername, registry: pod.registry, secretsRegion: env.region };
    const archive = { ...pod, schedule: env.backups.schedule, bucket: application.hostingServices, bucketRegion: env.drRegion };
    const users = env.broker.users.map((username) => ({ username, secretName: regional.brokerUserSecret(username) }));

    // A recovery imports its primary's newest broker definitions first: the users and the workloads wait for them.
    const imported = role.brokerImport(this, { ...pod, managementUrl, adminSecret });
    const beforeWorkloads: ITerraformDependable[] = [...imported];
    // The import creates the exported users without passwords: theirs are set after it.
    if (users.length > 0) beforeWorkloads.push(new RabbitMqUsers(this, "rabbitmq-users", { ...broker, ...pod, adminSecretName, users, after: imported }).job);
    const retiring = `a retiring cluster generation: ${stackId("workloads", env.region, env.kubernetes.generation)} rotates the same broker secrets`;
    if (!serving) for (const rule of ["DR-MQ-3", "DR-MQ-4"]) suppressRule(this, rule, retiring);
    else if (env.broker.passwordRotationSchedule !== false) {
      // The users' and the administrator's; after the jobs that set first passwords, so as not to race them.
      const rotation = { schedule: env.broker.passwordRotationSchedule, adminSecretName, users, rotateAdmin: true, after: [...beforeWorkloads] };
      new BrokerPasswordRotation(this, "broker-password-rotation", { ...pod, ...broker, ...rotation });
    }

    if (serving) {
      const { address: host, port, masterUserSecretArn: secretArn } = application.database;
      const login = { name: role.databaseLogin.databaseName, username: role.databaseLogin.username };
      this.databaseArchive = new DatabaseArchiveJob(this, "database-archive", {
        ...archive,
        database: { host, port, ...login, secretArn, secretRegion: env.region },
        suspendWithoutSecret: standing,
      });
      const definitions = { ...archive, ...broker, adminSecret };
      this.brokerDefinitions = new BrokerDefinitionsJob(this, "broker-definitions", definitions);
      beforeWorkloads.push(this.databaseArchive.resource, this.brokerDefinitions.resource);
      this.restoreTest = addRestoreTest(this, env, { ...pod, application, generation: gitops.generation });
    }

    // The site's pods into the target group of its load balancer: after gitops-<region> installed the controller's CRD.
    new SiteTargetGroupBinding(this, "site", {
      service: env.dns.siteService,
      targetGroupArn: networking.site.targetGroupArn,
      loadBalancerSecurityGroupId: networking.site.securityGroup.id,
      serving,
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
