import { DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { GetBucketReplicationCommand, ListObjectVersionsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { regionalNames } from "../../../lib/naming";
import { copyAssetsBack } from "../../../lib/operations/failback-copy-assets";
import { runFence, type FenceClients } from "../../../lib/operations/fence";
import { kubectlAccess } from "../../../lib/operations/kubectl";
import { verifyArchive } from "../../../lib/operations/verify-backup";
import { EMULATOR_CREDENTIALS } from "../../support/aws";
import { ASSETS, PRIMARY, RECOVERY, REPLICA, recoveryNames, type Drill } from "./context";

/**
 * Failback, after the recovery above: us-east-1 answers again (the fault layer lets it through),
 * `fence` makes it harmless (through the fault layer; its cluster is not reachable, there is none),
 * and what the recovery wrote during the outage is carried back by the failback's automated steps:
 * the assets by `failback-copy-assets`, the rows through an archive of the recovered database
 * restored into the new generation. In AWS the database moves as an RDS snapshot copied and
 * restored (`npx dr-platform failback`); moto's RDS holds no data, so the PostgreSQL stand-in carries
 * the rows, as it does for the recovery.
 */
export function failback(drill: Drill): void {
  const OUTAGE_OBJECTS: Record<string, string> = { "uploads/outage-1.png": "outage one", "uploads/during the outage.txt": "written in us-east-2" };
  const through = (region: string) => drill.through(region);
  // Direct to the emulator: the drill's own checks.
  const primary = () => drill.direct(PRIMARY);
  // The shipped file, in the emulator's account (ExpectedBucketOwner of the copies).
  const primaryEnv = () => drill.primaryEnvironment();
  const outageRows = (db: string) =>
    drill.pg.psql("SELECT count(*), sum(cents), md5(string_agg(id || customer, ',' ORDER BY id)) FROM orders WHERE id > 5000", db).trim();

  function fenceClients(): FenceClients {
    const emulator = drill.emulator;
    return {
      s3: through(PRIMARY).s3,
      rds: through(PRIMARY).rds,
      stateS3: through(primaryEnv().state.region).s3,
      cluster: kubectlAccess(primaryEnv(), {
        timeoutSeconds: 5,
        env: {
          ...process.env,
          AWS_ENDPOINT_URL: drill.proxy.endpoint,
          AWS_CA_BUNDLE: emulator.caFile,
          AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        },
      }),
    };
  }

  it("the recovery serves: assets and orders are written in us-east-2 during the outage, none reaching us-east-1", async () => {
    drill.proxy.reset();
    await drill.timed("failback: writes during the outage", async () => {
      for (const [key, body] of Object.entries(OUTAGE_OBJECTS))
        await through(RECOVERY).s3.send(new PutObjectCommand({ Bucket: REPLICA, Key: key, Body: body }));
      drill.pg.psql(
        `INSERT INTO orders SELECT i, 'outage-customer-' || i, i * 7, '2026-11-21T12:00:00Z'::timestamptz + i * interval '1 second' FROM generate_series(5001, 5250) i;
         UPDATE pages SET body = 'Welcome back' WHERE slug = 'home';`,
        "restored",
      );
    });
    expect(drill.pg.psql("SELECT count(*) FROM orders WHERE id > 5000", "restored")).toBe("250");
    expect(drill.proxy.callsTo(PRIMARY)).toEqual([]);
  });

  it("us-east-1 comes back and is fenced: replication rule disabled, database stopped, cluster not reachable; a second run changes nothing", async () => {
    drill.proxy.setDark([]);
    const env = primaryEnv();
    // The state bucket, made by step zero (state-acme-terraform-state), versioned.
    const state = drill.direct("us-west-2").s3;
    const first = await drill.timed("failback: fence us-east-1", () => runFence(env, fenceClients(), { apply: true }));
    expect(first.actions.map((a) => `${a.id}: ${a.status}`)).toEqual([
      "flux: not reachable",
      "workloads: not reachable",
      "cronjobs: not reachable",
      "replication: done",
      "database: done",
      "record: done",
    ]);
    const versions = async () =>
      (await state.send(new ListObjectVersionsCommand({ Bucket: env.state.bucket }))).Versions!.map((v) => `${v.Key} ${v.VersionId}`);
    const recorded = await versions();
    const second = await runFence(env, fenceClients(), { apply: true });
    expect(second.actions.map((a) => `${a.id}: ${a.status}`)).toEqual([
      "flux: not reachable",
      "workloads: not reachable",
      "cronjobs: not reachable",
      "replication: already done",
      "database: already done",
      "record: already done",
    ]);
    expect(await versions()).toEqual(recorded);
    const rules = (await primary().s3.send(new GetBucketReplicationCommand({ Bucket: ASSETS }))).ReplicationConfiguration!.Rules!;
    // The fence disables the DR rule only: the vault's copy keeps running (it adds locked versions, overwrites nothing).
    expect(rules.map((r) => `${r.ID} ${r.Status}`)).toEqual(["DR Replication Disabled", "Vault Enabled"]);
    const [db] = (await primary().rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: regionalNames("acme", PRIMARY).database }))).DBInstances!;
    expect(db.DBInstanceStatus).toBe("stopped");
    drill.report.push(`  failback: fence ${first.actions.map((a) => `${a.id} ${a.status}`).join(", ")}`);
  });

  it("carries every object written during the outage back to us-east-1's assets bucket (failback-copy-assets), checked by listing", async () => {
    const result = await drill.timed("failback: copy the assets back", () =>
      copyAssetsBack(primaryEnv(), { source: through(RECOVERY).s3, target: through(PRIMARY).s3 }, { apply: true }),
    );
    expect(result.complete).toBe(true);
    expect(result.missing).toEqual([]);
    expect(
      result.items
        .filter((i) => i.action === "copy")
        .map((i) => i.key)
        .sort(),
    ).toEqual(Object.keys(OUTAGE_OBJECTS).sort());
    for (const [key, body] of Object.entries(OUTAGE_OBJECTS)) expect(await drill.read(primary(), ASSETS, key)).toBe(body);
    expect(await drill.read(primary(), ASSETS, "images/logo.png")).toBe("logo");
    // The completion check run again: nothing left to copy.
    expect((await copyAssetsBack(primaryEnv(), { source: through(RECOVERY).s3, target: through(PRIMARY).s3 })).items.every((i) => i.action === "present")).toBe(
      true,
    );
  });

  it("carries every row written during the outage back into us-east-1's new generation, by checksum", async () => {
    const archives = recoveryNames.hostingServicesBucket;
    const archived = await drill.timed("failback: archive the recovered database", async () => drill.archive("restored", archives, "us-west-2"));
    expect({ status: archived.status, stderr: archived.stderr }).toEqual({ status: 0, stderr: "" });
    const generation = "g2";
    drill.pg.createDatabase(generation);
    const result = await drill.timed("failback: restore into the new generation and check it", () =>
      verifyArchive(
        { bucket: archives, database: "restored", targetUrl: drill.pg.url(generation), pgBinDir: drill.pg.binDir },
        { s3: through("us-west-2").s3 },
      ),
    );
    expect(result.differences).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.manifest.tables.map((t) => `${t.table} ${t.rows}`).sort()).toEqual(["orders 5250", "pages 2"]);
    // Independently of the manifest: the outage's rows and update are in the new generation.
    expect(outageRows(generation)).toBe(outageRows("restored"));
    expect(outageRows(generation).split("|")[0]).toBe("250");
    expect(drill.pg.psql("SELECT body FROM pages WHERE slug = 'home'", generation)).toBe("Welcome back");
    drill.report.push(
      `  failback: ${result.manifest.tables.find((t) => t.table === "orders")!.rows} orders in the new generation (250 written during the outage), restore ${result.restoreSeconds?.toFixed(2)} s`,
    );
  });
}
