import { CreateDBInstanceCommand, DescribeDBInstancesCommand, ModifyDBInstanceCommand, RestoreDBInstanceToPointInTimeCommand } from "@aws-sdk/client-rds";
import { awsClients } from "../support/aws";
import { useEmulator } from "../support/emulator";

/**
 * The emulator the tests and the sandbox start (lib/tooling/emulator.ts) corrects moto 5.2.1 where
 * it contradicts AWS in a way the AWS provider trips over (MOTO_FIXES). Each correction is shown
 * here against moto_server itself.
 */
jest.setTimeout(60_000);

const emulator = useEmulator({ firstPort: 6060 });

it("gives every DB instance its own DbiResourceId (a restore beside its source included) and keeps it across a rename", async () => {
  const { rds } = awsClients(emulator.current(), "us-east-1");
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: "first",
      Engine: "postgres",
      DBInstanceClass: "db.t4g.micro",
      AllocatedStorage: 20,
      MasterUsername: "admin1",
      ManageMasterUserPassword: true,
    }),
  );
  await rds.send(
    new RestoreDBInstanceToPointInTimeCommand({ SourceDBInstanceIdentifier: "first", TargetDBInstanceIdentifier: "second", UseLatestRestorableTime: true }),
  );
  const ids = async () =>
    Object.fromEntries(((await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).map((d) => [d.DBInstanceIdentifier!, d.DbiResourceId!]));
  const before = await ids();
  expect(Object.keys(before).sort()).toEqual(["first", "second"]);
  expect(before.first).toMatch(/^db-[A-Z0-9]{26}$/);
  expect(before.second).toMatch(/^db-[A-Z0-9]{26}$/);
  expect(before.first).not.toBe(before.second);

  await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "second", NewDBInstanceIdentifier: "renamed", ApplyImmediately: true }));
  expect(await ids()).toEqual({ first: before.first, renamed: before.second });
});
