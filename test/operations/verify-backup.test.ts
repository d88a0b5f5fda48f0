import { verificationSteps } from "../../lib/operations/verify-backup";
import { environment, recoveryInput } from "../support/environments";
import { run } from "../support/run";

const recovery = environment(recoveryInput());

describe("verificationSteps", () => {
  it("downloads the newest archive, restores it, deploys, smoke-tests and scales to zero", () => {
    const steps = verificationSteps(
      recovery,
      { archiveBucket: "acme-hosting-services-us-east-1", archive: { key: "postgres/2026-11-20.dump", size: 10, lastModified: new Date("2026-11-20T03:00:00Z") } },
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
