import type { Construct } from "constructs";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { RESTRICTED_NAMESPACE_LABELS } from "../kubernetes/pod-security";
import { BACKUP_JOB_SERVICE_ACCOUNT } from "../naming";
import { suppressRule } from "../policy/suppress";

/**
 * Kubernetes secrets of the backup jobs, filled from Secrets Manager (the values sit in the state of
 * the stack that holds them). The database's is not one of them: RDS rotates it every 7 days, so
 * the archive job reads it from Secrets Manager when it runs (DatabaseArchiveJob).
 */
export const BACKUP_SECRETS = { brokerAdmin: "broker-admin", key: "password" } as const;

export interface BackupNamespaceProps {
  /** Secrets Manager name of the broker administrator's password (definitions export and import, user jobs). */
  readonly brokerAdminSecretName: string;
}

/** What the backup jobs run as and read. */
export interface BackupNamespace {
  /** Namespace and service account of every backup pod (the backup-job pod identity role is associated with it). */
  readonly pod: { readonly namespace: string; readonly serviceAccountName: string };
  /** The broker administrator's password, as a Kubernetes secret key. */
  readonly brokerAdminPassword: { readonly name: string; readonly key: string };
}

/**
 * The `restricted` namespace of the backup jobs, their service account, and the secrets they
 * read. Added to `scope` under fixed ids (`backups-namespace`, `backups-service-account`,
 * `broker-admin`, ...), which are the Terraform addresses the workloads
 * stack always had.
 */
export function addBackupNamespace(scope: Construct, props: BackupNamespaceProps): BackupNamespace {
  const namespace = new NamespaceV1(scope, "backups-namespace", {
    metadata: { name: BACKUP_JOB_SERVICE_ACCOUNT.namespace, labels: { ...RESTRICTED_NAMESPACE_LABELS } },
  });
  const serviceAccount = new ServiceAccountV1(scope, "backups-service-account", {
    metadata: { name: BACKUP_JOB_SERVICE_ACCOUNT.name, namespace: namespace.metadata.name },
    automountServiceAccountToken: false,
  });
  const secret = (id: string, name: string, password: string) =>
    new SecretV1(scope, id, { metadata: { name, namespace: namespace.metadata.name }, data: { [BACKUP_SECRETS.key]: password } });
  const adminPassword = new DataAwsSecretsmanagerSecretVersion(scope, "broker-admin-secret", { secretId: props.brokerAdminSecretName }).secretString;
  const brokerAdmin = secret("broker-admin", BACKUP_SECRETS.brokerAdmin, adminPassword);
  suppressRule(
    brokerAdmin,
    "DR-SM-2",
    "the broker definitions jobs mount the administrator's password (their export runs in the node image, which cannot sign a Secrets Manager call); the rotation job keeps this copy current, and the same password is in the application stack's state anyway (aws_mq_broker takes it as an argument)",
  );
  return {
    pod: { namespace: namespace.metadata.name, serviceAccountName: serviceAccount.metadata.name },
    brokerAdminPassword: { name: brokerAdmin.metadata.name, key: BACKUP_SECRETS.key },
  };
}
