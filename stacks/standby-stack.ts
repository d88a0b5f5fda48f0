import { Construct } from "constructs";
import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import { EcrReplicationConfiguration } from "@cdktf/provider-aws/lib/ecr-replication-configuration";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { awsProvider } from "../lib";
import {
  AssetsManagementPolicy,
  BackupUser,
  DataKey,
  EksRoles,
  FlowLogsRole,
  LoadBalancerControllerRole,
  LogsKey,
  addPodIdentityRoles,
  RdsMonitoringRole,
  SopsReplicaKeyArn,
} from "../lib/constructs";
import { bucketArn, clusterArn, databaseArn, globalNames, regionalNames, siteNames, SOPS_KEY_OUTPUT, stackId } from "../lib/naming";
import { targetOf } from "../lib/targets";
import { EnvironmentStack, type RecoveryProps } from "./environment-stack";
import { environmentLogsKeyProps } from "./hardening";

/**
 * `standby-<region>`: everything global a recovery needs, made in peacetime and kept current like
 * any stack, so that the recovery itself calls only its own region's regional APIs (AWS
 * Well-Architected REL11-BP04, static stability): the IAM roles and policies of its stacks, the
 * Flux Git credentials secret with a replica here,
 * and the registry replication that copies the primary's images here. Never deployed during a
 * recovery: its plan would call IAM, Route 53 and the primary's region.
 */
export class StandbyStack extends EnvironmentStack {
  constructor(scope: Construct, props: RecoveryProps) {
    const { environment: env, primary } = props;
    super(scope, "standby", env);
    const primaryProvider = awsProvider(this, env, primary.region, "primary");
    const names = globalNames(env.project, env.region);
    const regional = regionalNames(env.project, env.region);
    const primaryAssets = globalNames(primary.project, primary.region).drAssetsBucket;

    // The recovery's keys: created here in peacetime, found by alias by its stacks (lib/naming.ts).
    const dataKey = new DataKey(this, "data-key", { aliasName: regional.dataKeyAlias, accountId: env.accountId, region: env.region });
    new LogsKey(this, "logs-key", environmentLogsKeyProps(env));

    // IAM of the recovery's stacks, by the names those stacks use (lib/naming.ts).
    new FlowLogsRole(this, "flow-logs-role", { roleName: names.flowLogsRole, accountId: env.accountId, region: env.region, vpcName: regional.vpc });
    new EksRoles(this, "eks-roles", { clusterRoleName: names.clusterRole, nodeRoleName: names.nodeRole });
    const assetsPolicy = new AssetsManagementPolicy(this, "assets-management-policy", {
      policyName: names.assetsManagementPolicy,
      buckets: [{ bucketArn: bucketArn(primaryAssets) }],
    });
    new BackupUser(this, "backup-user", {
      userName: names.backupUser,
      bucket: { bucketName: names.hostingServicesBucket, bucketArn: bucketArn(names.hostingServicesBucket) },
      createAccessKey: env.backups.accessKey,
      secretKmsKeyArn: dataKey.keyArn,
    });
    new RdsMonitoringRole(this, "monitoring-role", { roleName: names.rdsMonitoringRole, accountId: env.accountId });

    const primaryState = targetOf(this).readState(this, "primary-application-state", stackId("application", primary.region), primary.state);
    addPodIdentityRoles(this, {
      names,
      accountId: env.accountId,
      clusterArn: clusterArn(env.region, env.accountId, regional.cluster),
      sopsKeyArn: new SopsReplicaKeyArn(this, "sops-replica-key", {
        primaryState,
        outputName: SOPS_KEY_OUTPUT,
        primaryRegion: primary.region,
        replicaRegion: env.region,
      }).keyArn,
      assetsPolicyArn: assetsPolicy.policyArn,
      databaseArn: databaseArn(env.region, env.accountId, regional.database),
      databaseRegion: env.region,
      brokerAdminSecretName: regional.brokerUserSecret(env.broker.adminUsername),
      brokerUserSecretNames: env.broker.users.map(regional.brokerUserSecret),
      // The primary exports its broker definitions into its hosting-services bucket, which is here.
      importBucketName: globalNames(primary.project, primary.region).hostingServicesBucket,
    });

    // The AWS Load Balancer Controller's role: the rebuilt cluster's controller binds the site's pods
    // to the pilot light's target group without an IAM write on the day.
    new LoadBalancerControllerRole(this, "lb-controller-role", {
      roleName: names.loadBalancerControllerRole,
      accountId: env.accountId,
      region: env.region,
      clusterArn: clusterArn(env.region, env.accountId, regional.cluster),
      clusterName: regional.cluster,
      targetGroupName: siteNames(env.project, env.region).targetGroup,
    });

    // DNS: the zone, the certificates and this region's failover record are not here: the zone
    // belongs to the pair (dns-<primary region>), the record to networking-<region>.

    // The Git credentials of Flux: one secret in the primary's region, replicated here. Its value
    // is put once by the operator (README: aws secretsmanager put-secret-value ...), never by code.
    new SecretsmanagerSecret(this, "git-credentials", {
      provider: primaryProvider,
      name: env.flux.gitCredentialsSecretName,
      description: `Flux Git credentials of ${env.flux.repositoryUrl} (value put by the operator), replicated into ${env.region}`,
      // The primary's data key there, the recovery's here: both admit Secrets Manager for the account.
      kmsKeyId: new DataAwsKmsAlias(this, "primary-data-key", { provider: primaryProvider, name: regionalNames(primary.project, primary.region).dataKeyAlias })
        .targetKeyArn,
      replica: [{ region: env.region, kmsKeyId: dataKey.keyArn }],
      recoveryWindowInDays: 30,
      lifecycle: { preventDestroy: true },
    });

    // Images: the primary's repositories with these prefixes are copied here as they are pushed.
    new EcrReplicationConfiguration(this, "registry-replication", {
      provider: primaryProvider,
      replicationConfiguration: {
        rule: [
          {
            destination: [{ region: env.region, registryId: env.accountId }],
            repositoryFilter: env.registry.replicatedPrefixes.map((prefix) => ({ filter: prefix, filterType: "PREFIX_MATCH" })),
          },
        ],
      },
    });
  }
}
