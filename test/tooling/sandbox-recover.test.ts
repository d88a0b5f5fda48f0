import * as fs from "fs";
import * as path from "path";
import type { PlanStep } from "../../lib/recovery/plan";
import { EmulatorExecution } from "../../lib/tooling/sandbox-recover";
import { sandboxSession } from "../../lib/tooling/sandbox-session";
import { tempDir } from "../support/temp";

const step = (id: string, kind: PlanStep["kind"], stack?: string): PlanStep => ({ id, title: id, kind, stack, commands: [], after: [], phase: "serve" });

describe("EmulatorExecution", () => {
  const dir = tempDir("sandbox-recover-");
  const session = sandboxSession("/project", { endpoint: "https://127.0.0.1:5100", caFile: "/ca.pem" }, dir);
  const target = new EmulatorExecution(session);
  for (const [stack, providers] of [
    ["application-us-east-2", { aws: {} }],
    ["gitops-us-east-2", { aws: {}, helm: {}, kubernetes: {} }],
  ] as const) {
    fs.mkdirSync(path.join(session.outDir, "stacks", stack), { recursive: true });
    fs.writeFileSync(path.join(session.outDir, "stacks", stack, "cdk.tf.json"), JSON.stringify({ terraform: { required_providers: providers } }));
  }

  it("runs cdktf into the session's folder, deploys without the registry's lock step, and other commands as printed", () => {
    expect(target.command("npx cdktf synth")).toBe(`npx cdktf synth --output ${session.outDir}`);
    expect(target.command("npx cdktf deploy application-us-east-2 --skip-synth --ignore-missing-stack-dependencies --auto-approve")).toBe(
      `npx cdktf deploy application-us-east-2 --skip-synth --ignore-missing-stack-dependencies --auto-approve --output ${session.outDir} --skip-provider-lock`,
    );
    expect(target.command("npx dr-platform preflight us-east-2 --outage")).toBe("npx dr-platform preflight us-east-2 --outage");
  });

  it("sends every AWS CLI call of a printed line to the emulator, nested ones included", () => {
    const fn = 'aws() { command aws --endpoint-url https://127.0.0.1:5100 "$@"; }; ';
    expect(target.command("aws cloudwatch put-metric-data --region us-east-2 --value 1")).toBe(
      `${fn}aws cloudwatch put-metric-data --region us-east-2 --value 1`,
    );
    const nested = '[ "$(aws rds describe-db-instances --region us-east-1)" != available ] || aws rds stop-db-instance --region us-east-1';
    expect(target.command(nested)).toBe(`${fn}${nested}`);
    // Lines without the AWS CLI are left alone (a word that merely ends in "aws" is not a call).
    expect(target.command("echo laws apply")).toBe("echo laws apply");
  });

  it("runs Terraform that a step runs in a synthesized stack in the session's copy of it", () => {
    expect(
      target.command(
        "terraform -chdir=cdktf.out/stacks/application-us-east-1 init -input=false && terraform -chdir=cdktf.out/stacks/application-us-east-1 state list",
      ),
    ).toBe(
      `terraform -chdir=${session.outDir}/stacks/application-us-east-1 init -input=false && terraform -chdir=${session.outDir}/stacks/application-us-east-1 state list`,
    );
  });

  it("gives every process the emulator's endpoint and dummy credentials, never the caller's", () => {
    const env = target.env();
    expect(env).toMatchObject({
      DR_SANDBOX_ENDPOINT: "https://127.0.0.1:5100",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_CA_BUNDLE: "/ca.pem",
    });
  });

  it("names what it cannot serve: stacks needing helm or kubernetes, the Flux wait, the smoke check, the check of a restored database; serves the rest", () => {
    expect(target.unserved(step("deploy:gitops-us-east-2", "deploy", "gitops-us-east-2"))).toMatch(
      /^gitops-us-east-2 needs the helm, kubernetes provider\(s\); /,
    );
    expect(target.unserved(step("flux", "check"))).toBe("there is no Kubernetes cluster to wait for Flux in");
    expect(target.unserved(step("smoke", "check"))).toMatch(/^the emulator answers no DNS/);
    expect(target.unserved(step("deploy:application-us-east-2", "deploy", "application-us-east-2"))).toBeUndefined();
    expect(target.unserved(step("preflight", "check"))).toBeUndefined();
    // The database scenario's check of the new generation: moto's RDS holds no data.
    expect(target.unserved(step("check", "check"))).toMatch(/^the emulator's RDS holds no data/);
    expect(target.description).toBe("the emulator at https://127.0.0.1:5100");
  });

  it("names the account scenario's steps it cannot serve: the archive's load into the new database, the images' copy", () => {
    expect(target.unserved(step("load", "check"))).toMatch(/^the emulator's RDS holds no data and its endpoints answer no PostgreSQL \(the DR drill loads /);
    expect(target.unserved(step("images", "check"))).toMatch(/^the emulator's ECR serves no registry data plane/);
    // Its copies out of the vault run: the emulator serves S3, Secrets Manager and STS.
    for (const id of ["vault-state", "archive", "assets", "git-credentials"])
      expect({ id, unserved: target.unserved(step(id, "check")) }).toEqual({ id, unserved: undefined });
  });

  it("skips a rehearsal teardown's listing and destroy of a stack it could not deploy, and runs those of the others", () => {
    expect(target.unserved(step("destroy:gitops-us-east-2", "destroy", "gitops-us-east-2"))).toMatch(
      /^gitops-us-east-2 needs the helm, kubernetes provider\(s\); /,
    );
    expect(target.unserved(step("list:gitops-us-east-2", "check", "gitops-us-east-2"))).toMatch(/^gitops-us-east-2 needs the helm, kubernetes provider\(s\); /);
    expect(target.unserved(step("destroy:application-us-east-2", "destroy", "application-us-east-2"))).toBeUndefined();
    expect(target.command("npx cdktf destroy application-us-east-2 --skip-synth --ignore-missing-stack-dependencies --auto-approve")).toBe(
      `npx cdktf destroy application-us-east-2 --skip-synth --ignore-missing-stack-dependencies --auto-approve --output ${session.outDir} --skip-provider-lock`,
    );
  });
});
