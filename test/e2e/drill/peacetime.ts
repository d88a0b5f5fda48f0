import { GetRoleCommand } from "@aws-sdk/client-iam";
import { DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { GetHealthCheckCommand, GetHostedZoneCommand, ListHostedZonesByNameCommand, ListResourceRecordSetsCommand } from "@aws-sdk/client-route-53";
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { DescribeSecretCommand, PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { parseStackId, regionalNames, stackId } from "../../../lib/naming";
import { isPeacetimeLayer } from "../../../lib/operations/day-stacks";
import { formatStatus } from "../../../lib/operations/status";
import { EMULATOR_ACCOUNT_ID } from "../../../lib/targets/emulator-target";
import { runCdktf, sandboxStacks } from "../../../lib/tooling/sandbox-session";
import { readStackState } from "../../../lib/tooling/sandbox-state";
import { ARCHIVES, ASSETS, PRIMARY, RECOVERY, REPLICA, recoveryNames, rowsById, type Drill } from "./context";

/**
 * Peacetime, deployed once for every scenario after it: the pair's dns stack, the primary
 * us-east-1, the standby layer of us-east-2 and every other layer its tier stands in peacetime (the
 * shipped pilot light: networking-us-east-2, its load balancer, SECONDARY record and health check;
 * a warm standby: every stack but replication, which the emulator serves); data written, and the
 * real archive script archiving a real PostgreSQL standing in for the primary's database.
 */
export function peacetime(drill: Drill): void {
  // Direct to the emulator: the drill's own checks are not the recovery's calls.
  const primary = () => drill.direct(PRIMARY);
  const dr = () => drill.direct(RECOVERY);

  it("prepares in peacetime: the pair's dns stack, the primary us-east-1, and us-east-2's standby layer and every other layer its tier stands", async () => {
    await drill.timed("peacetime: deploy dns-us-east-1, us-east-1, us-east-2's peacetime layers", () =>
      drill.deploy(`peacetime: dns-us-east-1, us-east-1, standby-us-east-2 and the ${drill.recoveryEnvironment().tier}'s layers`, (app) => [
        ...sandboxStacks(app, [PRIMARY]).stacks,
        ...sandboxStacks(app, [RECOVERY]).stacks.filter((id) => isPeacetimeLayer(drill.recoveryEnvironment(), parseStackId(id)!.layer)),
      ]),
    );
  });

  // moto stores health checks and failover records but neither runs the checks nor answers DNS:
  // this proves their configuration, not a failover.
  it("made the failover records and health checks in peacetime: PRIMARY to us-east-1's load balancer, SECONDARY to us-east-2's", async () => {
    const zones = (await dr().route53.send(new ListHostedZonesByNameCommand({ DNSName: "example.com." }))).HostedZones!;
    const zone = zones.find((z) => z.Name === "example.com.")!;
    const records = (await dr().route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id! }))).ResourceRecordSets!;
    const site = records.filter((r) => r.Name === "example.com." && r.Type === "A");
    expect(site.map((r) => [r.SetIdentifier, r.Failover, r.AliasTarget?.EvaluateTargetHealth]).sort()).toEqual([
      [PRIMARY, "PRIMARY", true],
      [RECOVERY, "SECONDARY", true],
    ]);
    for (const record of site) {
      const region = record.SetIdentifier!;
      expect(record.AliasTarget!.DNSName).toMatch(new RegExp(`^(dualstack\\.)?acme-${region}-site-.*\\.${region}\\.elb\\.amazonaws\\.com\\.?$`));
      let check = (await dr().route53.send(new GetHealthCheckCommand({ HealthCheckId: record.HealthCheckId! }))).HealthCheck!.HealthCheckConfig!;
      if (region === PRIMARY) {
        // The primary's record answers to a calculated check: its load balancer's and the failover switch's, both required.
        expect({ type: check.Type, children: check.ChildHealthChecks?.length, threshold: check.HealthThreshold }).toEqual({
          type: "CALCULATED",
          children: 2,
          threshold: 2,
        });
        const children = await Promise.all(
          check.ChildHealthChecks!.map(
            async (id) => (await dr().route53.send(new GetHealthCheckCommand({ HealthCheckId: id }))).HealthCheck!.HealthCheckConfig!,
          ),
        );
        expect(children.map((c) => c.Type).sort()).toEqual(["CLOUDWATCH_METRIC", "HTTPS"]);
        check = children.find((c) => c.Type === "HTTPS")!;
      }
      expect({ region, type: check.Type, port: check.Port, path: check.ResourcePath, fqdn: check.FullyQualifiedDomainName?.replace(/\.$/, "") }).toEqual({
        region,
        type: "HTTPS",
        port: 443,
        path: "/healthz",
        fqdn: record.AliasTarget!.DNSName!.replace(/\.$/, "").replace(/^dualstack\./, ""),
      });
    }
    // The certificates' validation record is in the pair's zone.
    expect(records.some((r) => r.Type === "CNAME" && r.Name!.endsWith(".example.com."))).toBe(true);
  });

  it("the standby layer made the recovery's IAM, application-us-east-1 the Git secret with its replica, and dns-us-east-1 the pair's zone, in peacetime", async () => {
    for (const role of [
      recoveryNames.clusterRole,
      recoveryNames.nodeRole,
      recoveryNames.fluxRole,
      recoveryNames.workloadRole,
      recoveryNames.backupJobRole,
      recoveryNames.flowLogsRole,
    ]) {
      expect((await dr().iam.send(new GetRoleCommand({ RoleName: role }))).Role!.Arn).toBe(`arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/${role}`);
    }
    const zones = (await dr().route53.send(new ListHostedZonesByNameCommand({ DNSName: "example.com." }))).HostedZones!;
    const zone = zones.find((z) => z.Name === "example.com.")!;
    const hosted = await dr().route53.send(new GetHostedZoneCommand({ Id: zone.Id! }));
    expect(hosted.DelegationSet!.NameServers).toHaveLength(4);
    expect(hosted.DelegationSet!.Id).toBeDefined();
    // The operator puts the Git credentials once, in the primary's region; the replica follows.
    await primary().secrets.send(
      new PutSecretValueCommand({ SecretId: "acme/flux/platform-k8s-git", SecretString: JSON.stringify({ username: "flux", password: "drill-only" }) }),
    );
    const secret = await dr().secrets.send(new DescribeSecretCommand({ SecretId: "acme/flux/platform-k8s-git" }));
    expect(secret.Name).toBe("acme/flux/platform-k8s-git");
  });

  it("built the DR data path: replication to the replica in drRegion, every bucket private, versioned, encrypted", async () => {
    const aws = primary();
    const rules = (await aws.s3.send(new GetBucketReplicationCommand({ Bucket: ASSETS }))).ReplicationConfiguration!.Rules!;
    expect(rules).toHaveLength(2);
    expect(rules[0]).toMatchObject({ ID: "DR Replication", Status: "Enabled", Destination: { Bucket: `arn:aws:s3:::${REPLICA}` } });
    expect(rules[0].DeleteMarkerReplication).toEqual({ Status: "Disabled" });
    // The primary's vault account (vault-us-east-1, deployed before the application stack) gets a copy too.
    expect(rules[1]).toMatchObject({
      ID: "Vault",
      Status: "Enabled",
      Priority: 1,
      DeleteMarkerReplication: { Status: "Disabled" },
      Destination: {
        Bucket: "arn:aws:s3:::acme-vault-assets-us-east-1-210987654321",
        Account: "210987654321",
        AccessControlTranslation: { Owner: "Destination" },
      },
    });
    expect((await aws.s3.send(new GetBucketLocationCommand({ Bucket: REPLICA }))).LocationConstraint).toBe(RECOVERY);
    expect((await aws.s3.send(new GetBucketLocationCommand({ Bucket: ARCHIVES }))).LocationConstraint).toBe(RECOVERY);
    for (const bucket of [ASSETS, REPLICA, ARCHIVES]) {
      const client = bucket === ASSETS ? aws : dr();
      expect((await client.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
      expect((await client.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe("Enabled");
      const sse = (await client.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration!.Rules![0];
      // The archives on the archive key (issue 28; docs/backups.md), the assets on SSE-S3 (said why there).
      expect([bucket, sse.ApplyServerSideEncryptionByDefault!.SSEAlgorithm]).toEqual([bucket, bucket === ARCHIVES ? "aws:kms" : "AES256"]);
      const ownership = await client.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }));
      expect(ownership.OwnershipControls!.Rules![0].ObjectOwnership).toBe("BucketOwnerEnforced");
    }
  });

  it("writes production data and archives it with the real archive script (a real PostgreSQL stands in for RDS)", async () => {
    await drill.timed("write data and archive it", async () => {
      await primary().s3.send(new PutObjectCommand({ Bucket: ASSETS, Key: "images/logo.png", Body: "logo" }));
      drill.pg.createDatabase("app");
      drill.pg.psql(
        `CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL, cents bigint NOT NULL, placed timestamptz NOT NULL);
         INSERT INTO orders SELECT i, 'customer-' || i, i * 137, '2026-11-21T00:00:00Z'::timestamptz + i * interval '1 minute' FROM generate_series(1, 5000) i;
         CREATE TABLE pages (slug text PRIMARY KEY, body text);
         INSERT INTO pages VALUES ('home', 'Welcome'), ('about', 'About "us" | drill');`,
        "app",
      );
      drill.lastWriteBeforeArchive = new Date();
      const result = drill.archive("app", ARCHIVES, RECOVERY);
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    });
    expect(await drill.read(primary(), ASSETS, "images/logo.png")).toBe("logo");
  });

  it("refuses to destroy the application stack's stateful resources, and the data is still there", async () => {
    // The state lives in the emulator's state bucket, as in a real account.
    const stateful = async () =>
      ((await readStackState(drill.session, stackId("application", PRIMARY)))?.resources ?? [])
        .filter((r) => r.mode === "managed" && ["aws_db_instance", "aws_s3_bucket", "aws_mq_broker", "aws_kms_key"].includes(r.type))
        .map((r) => `${r.type}.${r.name}`)
        .sort();
    const before = await stateful();
    expect(before.filter((a) => a.startsWith("aws_db_instance.")).length).toBe(1);
    const result = await drill.timed("attempted destroy (refused)", () =>
      runCdktf(
        drill.session,
        ["destroy", stackId("application", PRIMARY), "--auto-approve", "--skip-provider-lock", "--ignore-missing-stack-dependencies"],
        "destroy-application",
      ),
    );
    expect(result.status).not.toBe(0);
    // Refused before any delete: every stateful resource is still in the state (prevent_destroy is
    // on each, tested on the synthesized JSON by DR-STATE-1; cdktf sometimes cuts Terraform's last
    // lines, the error title among them, from its output when it exits under load, so the proof
    // here is the state and the data, not the text).
    expect(await stateful()).toEqual(before);
    expect(await drill.read(primary(), ASSETS, "images/logo.png")).toBe("logo");
    expect(
      (await primary().rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: regionalNames("acme", PRIMARY).database }))).DBInstances,
    ).toHaveLength(1);
  });

  it("status in peacetime: the archive's recovery point is met; what the emulator cannot serve is named, not faked", async () => {
    const result = await drill.timed("status (peacetime)", () => drill.status());
    drill.report.push(`  status before the loss:\n${formatStatus(result).replace(/^/gm, "    ")}`);
    const row = rowsById(result);
    // The archive written above, read back from its manifest in the recovery region.
    expect(row["database-archives"]).toMatchObject({ verdict: "met" });
    expect(row["database-archives"].recoveryPoint!.getTime()).toBeGreaterThanOrEqual(drill.lastWriteBeforeArchive.getTime() - 1000);
    // The rule is read from the primary with Replication Time Control on (the default); moto copies
    // no object and sets no ReplicationStatus, so the assets' recovery point is unknown, by its gap.
    expect(row.assets).toMatchObject({ verdict: "unknown", gap: "s3-object-replication" });
    expect(row["database-backups"]).toMatchObject({ verdict: "unknown", gap: "rds-backup-replication" });
    // No definitions export ran (there is no broker to export from): a missed target, with its fix.
    expect(row["broker-definitions"].verdict).toBe("missed");
    expect(row["broker-definitions"].fix).not.toBe("");
  });
}
