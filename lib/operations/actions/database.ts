import { StopDBInstanceCommand, type RDSClient } from "@aws-sdk/client-rds";
import { reading, type Reading } from "../aws/errors";

/** Stops an available RDS instance (RDS starts it again after seven days). */
export function stopDatabase(rds: RDSClient, identifier: string, region: string): Promise<Reading<void>> {
  return reading(`RDS StopDBInstance of ${identifier}`, region, async () => {
    await rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier: identifier }));
  });
}
