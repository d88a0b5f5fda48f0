import type { Construct } from "constructs";
import { Fn } from "cdktf";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { RESTRICTED_NAMESPACE_LABELS } from "../kubernetes/pod-security";
import { BACKUP_JOB_SERVICE_ACCOUNT } from "../naming";

/** Kubernetes secrets of the backup jobs, filled from Secrets Manager (the values sit in the state of the stack that holds them). */
export const BACKUP_SECRETS = { database: "database-credentials", brokerAdmin: "broker-admin", key: "password" } as const;

export interface BackupNamespaceProps {
  /** The RDS-managed master secret of the database the archive job dumps. */
  readonly databaseMasterSecretArn: string;
  /** Secrets Manager name of the broker administrator's password (definitions export and import, user jobs). */
  readonly brokerAdminSecretName: string;
}

/** What the backup jobs run as and read. */
export interface BackupNamespace {
  /** Namespace and service account of every backup pod (the backup-job pod identity role is associated with it). */
  readonly pod: { readonly namespace: string; readonly serviceAccountName: string };
  /** The database master password, as a Kubernetes secret key. */
  readonly databasePassword: { readonly name: string; readonly key: string };
  /** The broker administrator's password, as a Kubernetes secret key. */
  readonly brokerAdminPassword: { readonly name: string; readonly key: string };
}

/**
 * The `restricted` namespace of the backup jobs, their service account, and the secrets they
 * read. Added to `scope` under fixed ids (`backups-namespace`, `backups-service-account`,
 * `database-credentials`, `broker-admin`, ...), which are the Terraform addresses the workloads
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
  const masterSecret = new DataAwsSecretsmanagerSecretVersion(scope, "database-master-secret", { secretId: props.databaseMasterSecretArn });
  const database = secret("database-credentials", BACKUP_SECRETS.database, Fn.lookup(Fn.jsondecode(masterSecret.secretString), "password", ""));
  const adminPassword = new DataAwsSecretsmanagerSecretVersion(scope, "broker-admin-secret", { secretId: props.brokerAdminSecretName }).secretString;
  const brokerAdmin = secret("broker-admin", BACKUP_SECRETS.brokerAdmin, adminPassword);
  return {
    pod: { namespace: namespace.metadata.name, serviceAccountName: serviceAccount.metadata.name },
    databasePassword: { name: database.metadata.name, key: BACKUP_SECRETS.key },
    brokerAdminPassword: { name: brokerAdmin.metadata.name, key: BACKUP_SECRETS.key },
  };
}
