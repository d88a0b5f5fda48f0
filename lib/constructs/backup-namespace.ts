import type { Construct } from "constructs";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { RESTRICTED_NAMESPACE_LABELS } from "../kubernetes/pod-security";
import { BACKUP_JOB_SERVICE_ACCOUNT } from "../naming";

/** What the backup jobs run as. */
export interface BackupNamespace {
  /** Namespace and service account of every backup pod (the backup-job pod identity role is associated with it). */
  readonly pod: { readonly namespace: string; readonly serviceAccountName: string };
}

/**
 * The `restricted` namespace of the backup jobs and their service account, added to `scope`
 * under fixed ids (`backups-namespace`, `backups-service-account`), which are the Terraform
 * addresses the workloads stack always had. It holds no secret: every backup pod reads the ones
 * it needs (the database's, the broker's) from Secrets Manager when it runs, with the service
 * account's pod identity role.
 */
export function addBackupNamespace(scope: Construct): BackupNamespace {
  const namespace = new NamespaceV1(scope, "backups-namespace", {
    metadata: { name: BACKUP_JOB_SERVICE_ACCOUNT.namespace, labels: { ...RESTRICTED_NAMESPACE_LABELS } },
  });
  const serviceAccount = new ServiceAccountV1(scope, "backups-service-account", {
    metadata: { name: BACKUP_JOB_SERVICE_ACCOUNT.name, namespace: namespace.metadata.name },
    automountServiceAccountToken: false,
  });
  return { pod: { namespace: namespace.metadata.name, serviceAccountName: serviceAccount.metadata.name } };
}
