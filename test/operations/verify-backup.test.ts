import { S3Client } from "@aws-sdk/client-s3";
import { compareTables, parseManifest, verificationSteps, verifyArchive } from "../../lib/operations/verify-backup";
import { environment, recoveryInput } from "../support/environments";
import { run } from "../support/run";

const recovery = environment(recoveryInput());

describe("verificationSteps", () => {
  it("downloads the newest archive, restores it, deploys, smoke-tests and scales to zero", () => {
    const steps = verificationSteps(
      recovery,
      {
        archiveBucket: "acme-hosting-services-us-east-1",
        archive: { key: "postgres/2026-11-20.dump", size: 10, lastModified: new Date("2026-11-20T03:00:00Z") },
      },
      "shop",
    );
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

describe("npm run dr -- verify-backup", () => {
  const dr = (...args: string[]) => run("node", ["--require", "sucrase/register/ts", "scripts/dr.ts", ...args]);

  it("refuses a primary and names its recovery", () => {
    const result = dr("verify-backup", "us-east-1");
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("dr: verify-backup runs in a recovery environment; us-east-1 is a primary (try its recovery: us-east-2)\n");
  });

  it("has --help", () => {
    expect(dr("verify-backup", "--help").stdout).toMatch(/^Usage: npm run dr -- verify-backup <region> \[--namespace <ns>\]/);
  });
});

describe("compareTables", () => {
  const table = (name: string, rows: number, checksum: string) => ({ schema: "public", table: name, rows, checksum });

  it("finds nothing when every table matches", () => {
    expect(compareTables([table("a", 1, "10"), table("b", 0, "0")], [table("b", 0, "0"), table("a", 1, "10")])).toEqual([]);
  });

  it("names a missing table, an unexpected one, a row count and a checksum", () => {
    expect(
      compareTables(
        [table("gone", 3, "30"), table("rows", 2, "20"), table("sum", 1, "10")],
        [table("rows", 1, "20"), table("sum", 1, "11"), table("new", 4, "40")],
      ),
    ).toEqual([
      { subject: "public.gone", field: "table", expected: "3 rows", got: "no such table" },
      { subject: "public.rows", field: "rows", expected: "2", got: "1" },
      { subject: "public.sum", field: "checksum", expected: "10", got: "11" },
      { subject: "public.new", field: "table", expected: "not in the manifest", got: "4 rows" },
    ]);
  });
});

describe("parseManifest", () => {
  const valid = {
    format: "dr-platform/database-archive/1",
    snapshotAt: "2026-11-20T03:00:00.000Z",
    archive: { file: "archive.dump", format: "custom", bytes: 3, sha256: "a".repeat(64) },
    tables: [],
  };

  it("accepts what the archive script writes", () => {
    expect(parseManifest(JSON.stringify(valid), "k")).toEqual(valid);
  });

  it("refuses text that is not JSON", () => {
    expect(() => parseManifest("{", "postgres/x/manifest.json")).toThrow(/^verify-backup: s3 object postgres\/x\/manifest.json is not JSON: /);
  });

  it("names every problem at once", () => {
    const broken = { format: "other", snapshotAt: "yesterday", archive: { file: "../x", sha256: "abc" }, tables: {} };
    expect(() => parseManifest(JSON.stringify(broken), "k")).toThrow(
      [
        "verify-backup: manifest k is not an archive manifest:",
        '  format must be "dr-platform/database-archive/1" (got "other")',
        '  archive.sha256 must be 64 hex digits (got "abc")',
        '  archive.file must be a file name (got "../x")',
        '  snapshotAt must be an ISO 8601 time (got "yesterday")',
        "  tables must be a list (got {})",
      ].join("\n"),
    );
  });
});

describe("verifyArchive's target", () => {
  // Checked before any S3 call: this client has no endpoint it could reach.
  const s3 = new S3Client({ region: "us-east-1", endpoint: "https://127.0.0.1:1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  const verify = (targetUrl: string) => verifyArchive({ bucket: "b", targetUrl }, { s3 });

  it("must be a URL", async () => {
    await expect(verify("host=db dbname=app")).rejects.toThrow("verify-backup: the target must be a postgresql:// URL (got something that is not a URL)");
  });

  it("must be a postgresql URL", async () => {
    await expect(verify("mysql://db/app")).rejects.toThrow("verify-backup: the target must be a postgresql:// URL (got mysql://...)");
  });

  it("must name a database", async () => {
    await expect(verify("postgresql://user:secret@db:5432")).rejects.toThrow(
      "verify-backup: the target URL must name a database (postgresql://host/<database>)",
    );
  });
});
