import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { DescribeDBInstanceAutomatedBackupsCommand, DescribeDBInstancesCommand, DescribeDBSnapshotsCommand } from "@aws-sdk/client-rds";
import { databaseIdentifier, recoveryJournalKey, regionalNames, stackId } from "../../../lib/naming";
import type { Journal } from "../../../lib/recovery/journal";
import { buildDatabasePlan } from "../../../lib/recovery/scenarios/database";
import { readStackState } from "../../../lib/tooling/sandbox-state";
import { outcome } from "../../support/aws";
import { startPostgres, type PostgresServer } from "../../support/postgres";
import { REPO } from "../../support/run";
import { tempDir } from "../../support/temp";
import { PRIMARY, RECOVERY, type Drill } from "./context";

/**
 * The database scenario (issue 25, drill 6(a)), on us-east-1 once it serves again: rows are written,
 * a time is taken, more rows are written, and the database breaks (the table is dropped, as a bad
 * migration does). `npm run sandbox -- restore-database us-east-1 --to-time <t> --yes`, the on-call's
 * executor, restores generation 2 beside generation 1 from its automated backups to that time, with the
 * environment file edited as its second step says; generation 1 is stopped, then retired on the
 * operator's word (--yes). moto's RDS holds no data, so the data is proven on the engine RDS runs: a
 * real PostgreSQL with its WAL archived stands in for generation 1, its point-in-time copy at the
 * same time for generation 2, and the check step `restore-database` prints runs against the copy:
 * every row up to the time, none after it.
 */
export function databaseRestore(drill: Drill): void {
  const project = "acme";
  const generation1 = databaseIdentifier(project, PRIMARY, 1);
  const generation2 = databaseIdentifier(project, PRIMARY, 2);
  const application = stackId("application", PRIMARY);
  // Beside the repository's environments (their `../lib` imports resolve), removed afterwards.
  const dir = path.join(REPO, ".drill-environments");
  let standIn: PostgresServer | undefined;
  let copy: PostgresServer | undefined;
  let base = "";
  let restoreTime = "";
  let atTheTime = "";
  const database = () => drill.primaryEnvironment().database.databaseName;
  const need = (server: PostgresServer | undefined) => {
    if (!server) throw new Error("the stand-in PostgreSQL is not started");
    return server;
  };
  /** backup/table-checksums.sql's output on a server: every table's rows and checksum. */
  const checksums = (server: PostgresServer) => {
    const result = spawnSync("psql", ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-f", path.join(REPO, "backup", "table-checksums.sql")], {
      env: server.env(database()),
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`table-checksums.sql: ${result.stderr}`);
    return result.stdout;
  };
  const describe = async (identifier: string) =>
    (await drill.direct(PRIMARY).rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }))).DBInstances![0];

  beforeAll(async () => {
    standIn = await startPostgres({ walArchive: true });
  });
  afterAll(async () => {
    delete process.env.DR_ENVIRONMENTS_DIR;
    fs.rmSync(dir, { recursive: true, force: true });
    await copy?.stop();
    await standIn?.stop();
  });

  it("writes rows, takes the time, writes more, and the database breaks (its table dropped)", () => {
    const pg = need(standIn);
    pg.createDatabase(database());
    pg.psql("CREATE TABLE payments (id int PRIMARY KEY, cents bigint NOT NULL, paid timestamptz NOT NULL DEFAULT clock_timestamp())", database());
    // RDS's automated backups: a base backup, then every WAL segment archived.
    base = pg.baseBackup();
    pg.psql("INSERT INTO payments (id, cents) SELECT i, i * 31 FROM generate_series(1, 300) i", database());
    atTheTime = checksums(pg);
    restoreTime = pg.psql("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
    pg.psql("INSERT INTO payments (id, cents) SELECT i, i * 31 FROM generate_series(301, 400) i", database());
    pg.psql("DROP TABLE payments", database());
    expect(pg.psql("SELECT to_regclass('payments') IS NULL", database())).toBe("t");
  });

  it("restore-database us-east-1 --to-time <t> (the on-call's executor): generation 2 restored to the time, generation 1 stopped and retired, nothing global written", async () => {
    fs.mkdirSync(dir, { recursive: true });
    for (const file of fs.readdirSync(path.join(REPO, "environments"))) {
      const text = fs.readFileSync(path.join(REPO, "environments", file), "utf8");
      // The plan's second step, as the operator makes it.
      const edited = text.replace(
        "database: { ",
        `database: { generation: 2, restoredFrom: { from: "point-in-time", generation: 1, restoreTime: "${restoreTime}" }, `,
      );
      if (file === `${PRIMARY}.ts`) expect(edited).not.toBe(text);
      fs.writeFileSync(path.join(dir, file), file === `${PRIMARY}.ts` ? edited : text);
    }
    process.env.DR_ENVIRONMENTS_DIR = dir;
    drill.proxy.reset();
    const run = await drill.timed("database: npm run sandbox -- restore-database us-east-1 --to-time <t> --yes", () =>
      drill.sandboxRecover(["--to-time", restoreTime, "--yes"], { command: ["restore-database", PRIMARY] }),
    );
    drill.report.push(`  restore-database (${restoreTime}):\n${run.stderr.replace(/^/gm, "    ")}`);
    // A failed step names its log, which goes with the sandbox's folder: its tail is the failure's message.
    const logs = [...run.stderr.matchAll(/its log: (\S+\.log)/g)].map((m) => m[1]).filter((f, i, all) => all.indexOf(f) === i && fs.existsSync(f));
    if (run.status !== 0) {
      const tails = logs.map((f) => `${f}:\n${fs.readFileSync(f, "utf8").split("\n").slice(-40).join("\n")}`);
      throw new Error(`restore-database exited ${run.status}:\n${run.stderr.split("\n").slice(-12).join("\n")}\n${tails.join("\n")}`);
    }

    const journal = await drill.stateObject<Journal>(recoveryJournalKey(PRIMARY));
    expect(Object.fromEntries(Object.entries(journal.steps).map(([id, s]) => [id, s.status]))).toEqual({
      declare: "done",
      generation: "done",
      synth: "done",
      release: "done",
      gate: "done",
      [`deploy:${application}`]: "done",
      check: "skipped",
      [`deploy:${stackId("workloads", PRIMARY)}`]: "skipped",
      "stop-old": "done",
      smoke: "skipped",
      retire: "done",
      delete: "done",
      forget: "done",
    });
    // A regional restore from generation 1's own backups; no IAM, Route 53 or key policy write.
    const calls = drill.proxy.calls();
    const writes = calls.filter((c) => c.write).map((c) => `${c.region} ${c.service} ${c.action}`);
    drill.report.push(
      `  restore-database: ${calls.length} calls, ${drill.proxy.globalWrites().length} IAM/Route 53 writes; writes: ${[...new Set(writes)].join(", ")}`,
    );
    expect(writes).toContain(`${PRIMARY} rds RestoreDBInstanceToPointInTime`);
    expect(drill.proxy.globalWrites().map((c) => `${c.service} ${c.action}`)).toEqual([]);
    // The backup replica key's description names the generation (an UpdateKeyDescription); no key policy or grant is written.
    expect(writes.filter((w) => / kms (PutKeyPolicy|CreateGrant|RevokeGrant)$/.test(w))).toEqual([]);

    // Terraform restored generation 2 from generation 1 to the time asked for, and holds it.
    const [instance] = ((await readStackState(drill.session, application))?.resources ?? []).filter((r) => r.type === "aws_db_instance");
    const attributes = (instance.instances as { attributes: Record<string, unknown> }[]).map((i) => i.attributes);
    expect(attributes.map((a) => [a.identifier, a.restore_to_point_in_time])).toEqual([
      [generation2, [expect.objectContaining({ source_db_instance_identifier: generation1, restore_time: restoreTime })]],
    ]);
    const restored = await describe(generation2);
    const dataKey = (await drill.direct(PRIMARY).kms.send(new DescribeKeyCommand({ KeyId: regionalNames(project, PRIMARY).dataKeyAlias }))).KeyMetadata!.Arn;
    expect({ key: restored.KmsKeyId, encrypted: restored.StorageEncrypted, protected: restored.DeletionProtection }).toEqual({
      key: dataKey,
      encrypted: true,
      protected: true,
    });
    // The replication of the automated backups followed generation 2 (replaced with it): the next
    // recovery restores generation 2's backups. moto serves its control plane (MOTO_FIXES).
    expect(writes).toEqual(
      expect.arrayContaining([`${RECOVERY} rds StopDBInstanceAutomatedBackupsReplication`, `${RECOVERY} rds StartDBInstanceAutomatedBackupsReplication`]),
    );
    const replicated = async (identifier: string) =>
      (
        (await drill.direct(RECOVERY).rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: identifier })))
          .DBInstanceAutomatedBackups ?? []
      )
        .filter((b) => b.Region === PRIMARY)
        .map((b) => ({ source: b.DBInstanceArn, resourceId: b.DbiResourceId, status: b.Status }));
    expect(await replicated(generation2)).toEqual([{ source: restored.DBInstanceArn, resourceId: restored.DbiResourceId, status: "replicating" }]);
    expect(await replicated(generation1)).toEqual([]);
    const outputs = (await readStackState(drill.session, application))?.outputs ?? {};
    expect((outputs as Record<string, { value: unknown }>).database_replicated_backups_arn?.value).toMatch(/^arn:aws:rds:us-east-2:\d{12}:auto-backup:ab-/);
    // Generation 1 retired on the operator's word: a final snapshot kept, the instance gone.
    expect(await outcome(() => describe(generation1))).not.toBe("ok");
    const snapshots = await drill.direct(PRIMARY).rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: `${generation1}-final` }));
    expect(snapshots.DBSnapshots!.map((s) => s.DBInstanceIdentifier)).toEqual([generation1]);
    const report = await drill.newestReport(PRIMARY);
    expect({ region: report.region, recoveryId: report.recoveryId }).toEqual({ region: PRIMARY, recoveryId: journal.recoveryId });
  });

  it("the data: the printed check run on generation 2's stand-in (restored to the same time) finds every row up to it and none after", async () => {
    const pg = need(standIn);
    // RDS replays generation 1's archived WAL into generation 2; the stand-in's copy is made the same way.
    await pg.archiveWal();
    copy = await pg.restoreToTime(base, restoreTime);
    const environment = drill.primaryEnvironment();
    const manifest = JSON.parse(fs.readFileSync(path.join(drill.session.outDir, "manifest.json"), "utf8"));
    const check = buildDatabasePlan(
      { ...environment, database: { ...environment.database, generation: 2, restoredFrom: { from: "point-in-time", generation: 1, restoreTime } } },
      manifest,
    ).steps.find((s) => s.id === "check")!;
    const [printed] = check.commands;
    // Only the connection differs: the printed one reads generation 2's host and secret from RDS.
    expect(printed).toMatch(
      new RegExp(`^psql "postgresql://dbadmin:.*@\\$\\(aws rds describe-db-instances --region ${PRIMARY} --db-instance-identifier ${generation2} `),
    );
    const rest = printed.slice(printed.indexOf('" -X -A -t') + 1);
    const cwd = tempDir("drill-database-check-");
    fs.symlinkSync(path.join(REPO, "backup"), path.join(cwd, "backup"));
    const result = spawnSync("sh", ["-c", `psql "${copy.url(database())}"${rest}`], {
      cwd,
      env: copy.env(database()),
      encoding: "utf8",
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    expect(result.stdout).toBe(atTheTime);
    expect(fs.readFileSync(path.join(cwd, `${generation2}-tables.txt`), "utf8")).toBe(atTheTime);
    // Independently of the checksums: the rows written before the time, and not one after it.
    expect(copy.psql("SELECT count(*) || ' ' || min(id) || ' ' || max(id) FROM payments", database())).toBe("300 1 300");
    drill.report.push(
      `  database: restored to ${restoreTime}: 300 rows written before it, 0 of the 100 after it; every table's checksum as it was then (${atTheTime
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .join(" ")})`,
    );
  });
}
