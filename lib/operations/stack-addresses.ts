/**
 * Addresses of resources in a synthesized stack's JSON, for the Terraform commands the
 * operations print (a failback's state rm / import, its -target of the backup replication).
 */

/** The address of the one `aws_db_instance` in a synthesized stack's JSON. */
export function databaseResourceAddress(stackJson: { resource?: Record<string, Record<string, unknown>> }): string {
  const ids = Object.keys(stackJson.resource?.aws_db_instance ?? {});
  if (ids.length !== 1) throw new Error(`expected one aws_db_instance in the application stack (got ${ids.length}); synthesize again`);
  return `aws_db_instance.${ids[0]}`;
}

/** The address of the `aws_db_instance_automated_backups_replication` of a synthesized stack's JSON, if it has one. */
export function backupReplicationAddress(stackJson: { resource?: Record<string, Record<string, unknown>> }): string | undefined {
  const ids = Object.keys(stackJson.resource?.aws_db_instance_automated_backups_replication ?? {});
  if (ids.length > 1)
    throw new Error(`expected at most one aws_db_instance_automated_backups_replication in the application stack (got ${ids.length}); synthesize again`);
  return ids.length === 1 ? `aws_db_instance_automated_backups_replication.${ids[0]}` : undefined;
}
