import { backupReplicationAddress, databaseResourceAddress } from "../../lib/operations/stack-addresses";

describe("addresses in a synthesized stack", () => {
  it("names the one database and the backups' replication by their Terraform addresses", () => {
    const stack = { resource: { aws_db_instance: { database_db_1A2B: {} }, aws_db_instance_automated_backups_replication: { database_replication_3C4D: {} } } };
    expect(databaseResourceAddress(stack)).toBe("aws_db_instance.database_db_1A2B");
    expect(backupReplicationAddress(stack)).toBe("aws_db_instance_automated_backups_replication.database_replication_3C4D");
  });

  it("refuses a stack without exactly one database, or with more than one backups' replication", () => {
    expect(() => databaseResourceAddress({ resource: {} })).toThrow("expected one aws_db_instance in the application stack (got 0); synthesize again");
    expect(backupReplicationAddress({ resource: {} })).toBeUndefined();
    expect(() => backupReplicationAddress({ resource: { aws_db_instance_automated_backups_replication: { a: {}, b: {} } } })).toThrow(
      "expected at most one aws_db_instance_automated_backups_replication in the application stack (got 2); synthesize again",
    );
  });
});
