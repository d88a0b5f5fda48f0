import { Construct } from "constructs";
import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import { EcrReplicationConfiguration } from "@cdktf/provider-aws/lib/ecr-replication-configuration";
import { awsProvider } from "../lib";
import { forgetGitCredentialsSecret, ReadinessCheck } from "../lib/constructs";
import { bucketArn, environmentNames } from "../lib/naming";
import { EnvironmentStack } from "./environment-stack";
import { PeacetimeIdentity } from "./roles/peacetime-identity";
import type { RecoveryRole } from "./roles/recovery";

export interface StandbyStackProps {
  readonly role: RecoveryRole;
}

/**
 * `standby-<region>`: everything global a recovery needs, made in peacetime and kept current like
 * any stack, so that the recovery itself calls only its own region's regional APIs (AWS
 * Well-Architected REL11-BP04, static stability): the recovery's peacetime identity (keys, IAM
 * roles and policies, the backup user), the registry replication that copies the primary's images
 * here, the region's pull through cache rules, and the scheduled readiness check (the preflight every 30 minutes, with an alarm).
 * Never deployed during a recovery: its plan would call IAM, Route 53 and the primary's region.
 */
export class StandbyStack extends EnvironmentStack {
  constructor(scope: Construct, props: StandbyStackProps) {
    const { role } = props;
    const env = role.environment;
    super(scope, "standby", env);
    const primaryProvider = awsProvider(this, env, role.primary.region, "primary");
    const drProvider = awsProvider(this, env, env.drRegion, "dr");
    const archives = environmentNames(env).hostingServicesBucket;

    // The recovery's identity, by the names its stacks use (lib/naming.ts); its keys are found by alias.
    const identity = new PeacetimeIdentity(env).standby(this, {
      assetsBuckets: [{ bucketArn: bucketArn(role.fromPrimary.assetsBucketName) }],
      archiveBucket: { bucketName: archives, bucketArn: bucketArn(archives) },
      drProvider,
      sopsKeyArn: role.sopsKey.arnIn(this),
      // The primary exports its broker definitions into its archive bucket, which is here, with its archive key.
      importBucket: {
        bucketName: role.fromPrimary.archiveBucketName,
        kmsKeyArn: new DataAwsKmsAlias(this, "primary-archive-key", { name: role.fromPrimary.archiveKeyAlias }).targetKeyArn,
        region: env.region,
      },
    });

    // Flux's Git credentials were made here for the primary until the primary's application stack
    // made them: forgotten, not deleted (the primary's stack adopts the secret).
    forgetGitCredentialsSecret(this);

    // The preflight of this region on a schedule, from here: a decayed recovery alarms in peacetime.
    const readinessLogs = { logsKmsKeyArn: identity.logsKeyArn, logRetentionDays: env.logRetention.readinessCheckDays };
    new ReadinessCheck(this, "readiness", { recovery: env, primary: role.primary, ...readinessLogs });

    // Images: the primary's repositories with these prefixes are copied here as they are pushed.
    const vault = role.primary.vault;
    new EcrReplicationConfiguration(this, "registry-replication", {
      provider: primaryProvider,
      replicationConfiguration: {
        rule: [
          {
            // And into the primary's vault account, when it has one (its registry policy admits this account).
            destination: [{ region: env.region, registryId: env.accountId }, ...(vault ? [{ region: vault.region, registryId: vault.accountId }] : [])],
            repositoryFilter: env.registry.replicatedPrefixes.map((prefix) => ({ filter: prefix, filterType: "PREFIX_MATCH" })),
          },
        ],
      },
    });
  }
}
