import { BACKUP_JOB_SERVICE_ACCOUNT } from "../../naming";
import { lastLine, type ClusterAccess } from "../kubectl";

/** A CronJob of the library (archive, definitions export, password rotation) and whether it is suspended. */
export interface LibraryCronJob {
  readonly namespace: string;
  readonly name: string;
  readonly suspended: boolean;
}

export type LibraryCronJobs = { readonly listed: false; readonly problem: string } | { readonly listed: true; readonly cronJobs: readonly LibraryCronJob[] };

/** The CronJobs of the library's backup namespace (where the workloads stack schedules all of them). */
export async function probeLibraryCronJobs(cluster: ClusterAccess): Promise<LibraryCronJobs> {
  const namespace = BACKUP_JOB_SERVICE_ACCOUNT.namespace;
  const listed = await cluster.kubectl(["-n", namespace, "get", "cronjobs", "-o", "json"]);
  if (listed.status !== 0) return { listed: false, problem: lastLine(listed.stderr) || `kubectl exited ${listed.status}` };
  type Item = { metadata: { name: string }; spec?: { suspend?: boolean } };
  const items = (JSON.parse(listed.stdout) as { items: Item[] }).items;
  return { listed: true, cronJobs: items.map((item) => ({ namespace, name: item.metadata.name, suspended: item.spec?.suspend === true })) };
}
