import type { RecoveryEnvironment } from "../../lib/environment";
import type { ArchiveManifest } from "../../lib/operations/probes/newest-archive";
import { formatVerificationPlan, verificationSteps, type LatestBackups } from "../../lib/operations/verify-backup-steps";
import { environment, recoveryInput } from "../support/environments";
import { failed, read } from "../support/facts";

const recovery = environment(recoveryInput());

describe("verificationSteps", () => {
  it("downloads the newest archive, restores it, deploys, smoke-tests and scales to zero", () => {
    const steps = verificationSteps(recovery, { archiveBucket: "acme-hosting-services-us-east-1", archiveKey: "postgres/2026-11-20.dump" }, "shop");
    expect(steps[0]).toBe("aws s3 cp s3://acme-hosting-services-us-east-1/postgres/2026-11-20.dump ./2026-11-20.dump --region us-east-2");
    expect(steps[1]).toBe(
      "DB_HOST=$(aws rds describe-db-instances --region us-east-2 --db-instance-identifier acme-us-east-2 --query 'DBInstances[0].Endpoint.Address' --output text)",
    );
    expect(steps[2]).toMatch(/^pg_restore --clean --if-exists --no-owner -h "\$DB_HOST" -U dbadmin -d app \.\/2026-11-20\.dump /);
    expect(steps[steps.length - 1]).toBe("kubectl -n shop scale deployments --replicas=0 --all   # when done: the recovery environment costs nothing idle");
  });

  it("says so when there is no archive to verify", () => {
    expect(verificationSteps(recovery, { archiveBucket: "acme-hosting-services-us-east-1" }, "app")[0]).toBe(
      "# no archive in s3://acme-hosting-services-us-east-1/: check the backup job before verifying",
    );
  });
});

describe("formatVerificationPlan", () => {
  const HOSTING = "acme-hosting-services-us-east-1";
  const rec = environment(recoveryInput()) as RecoveryEnvironment;
  const noBackups = read({ instance: "acme-us-east-1", region: "us-east-2", backups: [] });
  const plan = (latest: Partial<LatestBackups>) =>
    formatVerificationPlan(
      rec,
      { archiveBucket: HOSTING, archive: read({ found: "no-bucket" as const }), replicatedBackups: noBackups, ...latest },
      "app",
    ).split("\n");

  it("names the newest archive by its manifest and the newest replicated backup, then the numbered steps", () => {
    const folder = "postgres/app/20261121T030000Z/";
    const manifest = { archive: { file: "archive.dump", bytes: 42 }, snapshotAt: "2026-11-21T03:00:01.000Z" } as ArchiveManifest;
    const newest = { arn: "arn:aws:rds:us-east-2:123456789012:auto-backup:ab-1", latestRestorableTime: new Date("2026-11-21T11:55:00Z") };
    const lines = plan({
      archive: read({
        found: "archive" as const,
        archive: { bucket: HOSTING, folder, manifestKey: `${folder}manifest.json`, archiveKey: `${folder}archive.dump`, manifest },
      }),
      archiveKey: `${folder}archive.dump`,
      replicatedBackups: read({ instance: "acme-us-east-1", region: "us-east-2", backups: [newest], newest }),
    });
    expect(lines.slice(0, 6)).toEqual([
      "Backup verification for us-east-2 (recovery of us-east-1); nothing is run.",
      `Newest archive: s3://${HOSTING}/${folder}archive.dump (42 bytes, snapshot 2026-11-21T03:00:01.000Z)`,
      "Replicated backups: arn:aws:rds:us-east-2:123456789012:auto-backup:ab-1 (latest restorable 2026-11-21T11:55:00.000Z)",
      "",
      "Steps:",
      `1. aws s3 cp s3://${HOSTING}/${folder}archive.dump ./archive.dump --region us-east-2`,
    ]);
    expect(lines).toHaveLength(12);
  });

  it("says why there is no archive or no replicated backup to name", () => {
    expect(plan({ archive: read({ found: "none" as const, prefix: "postgres/app/" }) })[1]).toBe(
      `Newest archive: none with a manifest in s3://${HOSTING}/postgres/app/`,
    );
    expect(plan({})[1]).toBe(`Newest archive: none (no bucket ${HOSTING})`);
    expect(
      plan({ archive: read({ found: "unreadable" as const, manifestKey: "postgres/app/x/manifest.json", cause: "invalid" as const, problem: "not JSON" }) })[1],
    ).toBe(`Newest archive: s3://${HOSTING}/postgres/app/x/manifest.json cannot be used: not JSON`);
    expect(plan({ archive: failed("refused", `S3 ListObjectsV2 of ${HOSTING}`, "us-east-2") })[1]).toBe(
      "Newest archive: unavailable (AccessDenied (HTTP 403): not authorized)",
    );
    expect(plan({})[2]).toBe("Replicated backups: unavailable (no automated backups of acme-us-east-1 in us-east-2)");
    expect(
      plan({ replicatedBackups: failed("unreachable", "RDS DescribeDBInstanceAutomatedBackups of acme-us-east-1", "us-east-2", "TimeoutError: late") })[2],
    ).toBe("Replicated backups: unavailable (TimeoutError: late)");
    expect(plan({})[5]).toBe(`1. # no archive in s3://${HOSTING}/: check the backup job before verifying`);
  });
});
