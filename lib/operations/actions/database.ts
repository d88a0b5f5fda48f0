import { DeleteDBInstanceCommand, ModifyDBInstanceCommand, StopDBInstanceCommand, type RDSClient } from "@aws-sdk/client-rds";
import { reading, type Reading } from "../aws/errors";

/** Stops an available RDS instance (RDS starts it again after seven days). */
export function stopDatabase(rds: RDSClient, identifier: string, region: string): Promise<Reading<void>> {
  return reading(`RDS StopDBInstance of ${identifier}`, region, async () => {
    await rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier: identifier }));
  });
}

/**
 * Deletes a replaced database generation: its deletion protection turned off, then the instance
 * deleted with a final snapshot; its automated backups are kept for their retention.
 */
export function deleteDatabase(rds: RDSClient, identifier: string, region: string, finalSnapshot: string): Promise<Reading<void>> {
  return reading(`RDS ModifyDBInstance and DeleteDBInstance of ${identifier}`, region, async () => {
    await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: identifier, DeletionProtection: false, ApplyImmediately: true }));
    await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: identifier, FinalDBSnapshotIdentifier: finalSnapshot, DeleteAutomatedBackups: false }));
  });
}
