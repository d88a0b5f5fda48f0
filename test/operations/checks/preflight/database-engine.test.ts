import { databaseEngineCheck } from "../../../../lib/operations/checks/preflight/database-engine";
import { failed, read, recovery } from "../../../support/facts";

const TITLE = "PostgreSQL 16 on db.t4g.medium creatable by RDS in us-east-2";
const offer = (overrides: object = {}) => ({
  major: "16",
  instanceClass: "db.t4g.medium",
  versions: ["16.6", "16.8"],
  defaultVersion: "16.8",
  orderable: true,
  ...overrides,
});

describe("databaseEngineCheck", () => {
  it("passes when RDS creates the major's default version on the class, Multi-AZ", () => {
    expect(databaseEngineCheck(recovery, read(offer()))).toEqual({
      id: "database-engine",
      title: TITLE,
      status: "pass",
      detail: "PostgreSQL 16.8 (default of 16; 2 16.x versions offered) on db.t4g.medium, Multi-AZ",
      fix: "",
    });
    const single = { ...recovery, database: { ...recovery.database, multiAz: false } };
    expect(databaseEngineCheck(single, read(offer())).detail).toBe("PostgreSQL 16.8 (default of 16; 2 16.x versions offered) on db.t4g.medium");
  });

  it("fails a major RDS no longer creates", () => {
    const fix =
      "in environments/us-east-2.ts and environments/us-east-1.ts set database.engineVersion to a major RDS offers (aws rds describe-db-engine-versions --region us-east-2 --engine postgres --default-only); upgrade the primary's major first";
    for (const answer of [offer({ versions: [], defaultVersion: undefined }), offer({ defaultVersion: undefined })]) {
      expect(databaseEngineCheck(recovery, read(answer))).toEqual({
        id: "database-engine",
        title: TITLE,
        status: "fail",
        detail: "RDS in us-east-2 offers no PostgreSQL 16 version to create",
        fix,
      });
    }
  });

  it("fails a class that is not orderable with the major's default version", () => {
    expect(databaseEngineCheck(recovery, read(offer({ orderable: false })))).toEqual({
      id: "database-engine",
      title: TITLE,
      status: "fail",
      detail: "db.t4g.medium is not orderable with PostgreSQL 16.8 (Multi-AZ) in us-east-2",
      fix: "in environments/us-east-2.ts set database.instanceClass to a class RDS offers there: aws rds describe-orderable-db-instance-options --region us-east-2 --engine postgres --engine-version 16.8 --query 'OrderableDBInstanceOptions[].DBInstanceClass'",
    });
  });

  it("reports a failed read as such", () => {
    expect(databaseEngineCheck(recovery, failed("refused", "RDS DescribeDBEngineVersions", "us-east-2")).status).toBe("fail");
  });
});
