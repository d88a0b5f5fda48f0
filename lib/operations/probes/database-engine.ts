import { DescribeDBEngineVersionsCommand, DescribeOrderableDBInstanceOptionsCommand, type RDSClient } from "@aws-sdk/client-rds";
import { reading, type Reading } from "../aws/errors";
import { paginate } from "../aws/paginate";

/** What RDS in a region offers a new PostgreSQL instance of one major and class. */
export interface DatabaseEngineOffer {
  readonly major: string;
  readonly instanceClass: string;
  /** Engine versions of the major RDS creates instances with (status `available`), in RDS's order. */
  readonly versions: readonly string[];
  /** The one CreateDBInstance picks for the major. */
  readonly defaultVersion?: string;
  /** Whether the class is orderable with that default version (Multi-AZ as asked). */
  readonly orderable: boolean;
}

/**
 * RDS DescribeDBEngineVersions of `postgres<major>` (every page) and DescribeOrderableDBInstanceOptions
 * of the class with the major's default version, in `region`.
 */
export function probeDatabaseEngine(
  rds: RDSClient,
  database: { readonly engineVersion: string; readonly instanceClass: string; readonly multiAz: boolean },
  region: string,
): Promise<Reading<DatabaseEngineOffer>> {
  const major = database.engineVersion;
  return reading(`RDS DescribeDBEngineVersions and DescribeOrderableDBInstanceOptions of postgres ${major} ${database.instanceClass}`, region, async () => {
    const versions = await paginate(
      (marker) => rds.send(new DescribeDBEngineVersionsCommand({ Engine: "postgres", DBParameterGroupFamily: `postgres${major}`, Marker: marker })),
      (page) => page.DBEngineVersions,
      (page) => page.Marker,
    );
    const available = versions.filter((v) => (v.Status ?? "available") === "available" && v.EngineVersion !== undefined);
    const defaults = await rds.send(new DescribeDBEngineVersionsCommand({ Engine: "postgres", DBParameterGroupFamily: `postgres${major}`, DefaultOnly: true }));
    const defaultVersion = defaults.DBEngineVersions?.[0]?.EngineVersion;
    let orderable = false;
    if (defaultVersion !== undefined) {
      const options = await paginate(
        (marker) =>
          rds.send(
            new DescribeOrderableDBInstanceOptionsCommand({
              Engine: "postgres",
              EngineVersion: defaultVersion,
              DBInstanceClass: database.instanceClass,
              Marker: marker,
            }),
          ),
        (page) => page.OrderableDBInstanceOptions,
        (page) => page.Marker,
      );
      orderable = options.some((o) => o.DBInstanceClass === database.instanceClass && (!database.multiAz || o.MultiAZCapable !== false));
    }
    return { major, instanceClass: database.instanceClass, versions: available.map((v) => v.EngineVersion!), defaultVersion, orderable };
  });
}
