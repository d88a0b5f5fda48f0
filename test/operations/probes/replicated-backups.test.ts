import { DescribeDBInstanceAutomatedBackupsCommand, RDSClient } from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import type { PrimaryEnvironment } from "../../../lib/environment";
import { probeReplicatedBackups } from "../../../lib/operations/probes/replicated-backups";
import { environment, primaryInput } from "../../support/environments";

const primary = environment(primaryInput()) as PrimaryEnvironment;
const rds = () => new RDSClient({ region: "us-east-2", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
const arn = (id: string) => `arn:aws:rds:us-east-2:123456789012:auto-backup:${id}`;

describe("probeReplicatedBackups", () => {
  it("reads every page and picks the latest restorable time, then the greatest ARN, keeping the resource id and window", async () => {
    const client = rds();
    const window = (latest: string) => ({ EarliestTime: new Date("2026-11-07T00:00:00Z"), LatestTime: new Date(latest) });
    mockClient(client)
      .on(DescribeDBInstanceAutomatedBackupsCommand, { DBInstanceIdentifier: "acme-us-east-1", Marker: undefined })
      .resolves({
        DBInstanceAutomatedBackups: [
          { DBInstanceAutomatedBackupsArn: arn("ab-a"), Status: "replicating", DbiResourceId: "db-A", RestoreWindow: window("2026-11-21T11:00:00Z") },
          { DBInstanceAutomatedBackupsArn: arn("ab-old"), Status: "retained", RestoreWindow: window("2026-10-01T00:00:00Z") },
        ],
        Marker: "next",
      })
      .on(DescribeDBInstanceAutomatedBackupsCommand, { Marker: "next" })
      .resolves({
        DBInstanceAutomatedBackups: [
          {
            DBInstanceAutomatedBackupsArn: arn("ab-b"),
            Status: "replicating",
            DbiResourceId: "db-B",
            Region: "us-east-1",
            RestoreWindow: window("2026-11-21T11:00:00Z"),
          },
          { DBInstanceAutomatedBackupsArn: arn("ab-pending"), Status: "pending" },
        ],
      });
    const found = await probeReplicatedBackups(client, primary, "us-east-2");
    expect(found.ok && found.value.backups.map((b) => b.arn)).toEqual([arn("ab-a"), arn("ab-old"), arn("ab-b"), arn("ab-pending")]);
    expect(found.ok && found.value.newest).toEqual({
      arn: arn("ab-b"),
      dbiResourceId: "db-B",
      status: "replicating",
      sourceRegion: "us-east-1",
      earliestRestorableTime: new Date("2026-11-07T00:00:00Z"),
      latestRestorableTime: new Date("2026-11-21T11:00:00Z"),
    });
  });

  it("takes RDS's not-found fault as no backups, and keeps any other failure", async () => {
    const client = rds();
    mockClient(client)
      .on(DescribeDBInstanceAutomatedBackupsCommand)
      .rejectsOnce(Object.assign(new Error("none"), { name: "DBInstanceAutomatedBackupNotFoundFault", $metadata: { httpStatusCode: 404 } }))
      .rejectsOnce(Object.assign(new Error("denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
    expect(await probeReplicatedBackups(client, primary, "us-east-2")).toEqual({
      ok: true,
      value: { instance: "acme-us-east-1", region: "us-east-2", backups: [], newest: undefined },
    });
    expect(await probeReplicatedBackups(client, primary, "us-east-2")).toMatchObject({
      ok: false,
      failure: { kind: "refused", call: "RDS DescribeDBInstanceAutomatedBackups of acme-us-east-1", region: "us-east-2" },
    });
  });
});
